"""Domain events, published inside the unit of work that caused them.

A domain announces what happened (`ReportReceived`); other domains subscribe without being
imported by it. Handlers run synchronously in the same transaction, so what they write commits
or rolls back together with the event's cause (the screening marker with its report, say).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Session, Any], None]
_handlers: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(
    event_type: type[E],
) -> Callable[[Callable[[Session, E], None]], Callable[[Session, E], None]]:
    def register(handler: Callable[[Session, E], None]) -> Callable[[Session, E], None]:
        if handler not in _handlers[event_type]:
            _handlers[event_type].append(handler)
        return handler

    return register


def publish(db_session: Session, event: Event) -> None:
    for handler in list(_handlers[type(event)]):
        handler(db_session, event)


def handlers_for(event_type: type[Event]) -> list[Handler]:
    return list(_handlers[event_type])
