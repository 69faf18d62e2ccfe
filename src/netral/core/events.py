"""Domain events, published inside the unit of work that caused them.

A domain announces what happened (`ReportReceived`); other domains subscribe without being
imported by it. Handlers run synchronously in the same transaction, so what they write commits
or rolls back together with the event's cause (the screening marker with its report, say).

Nobody subscribes by being imported: `netral.wiring.wire()` subscribes every handler explicitly,
and an event published with no handler is an error, never a silent no-op (a report whose
screening marker was never written would otherwise be lost to screening without a trace).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


E = TypeVar("E", bound=Event)
Handler = Callable[[Session, Any], None]
_handlers: dict[type[Event], list[Handler]] = {}


class UnhandledEvent(RuntimeError):
    """An event was published that nothing subscribes to: the wiring is incomplete."""


def subscribe(event_type: type[E], handler: Callable[[Session, E], None]) -> None:
    """Let `handler` run, in the publisher's transaction, whenever `event_type` is published."""
    handlers = _handlers.setdefault(event_type, [])
    if handler not in handlers:
        handlers.append(handler)


def reset() -> None:
    """Forget every subscription (wiring starts from nothing, so it can run twice)."""
    _handlers.clear()


def publish(db_session: Session, event: Event) -> None:
    handlers = _handlers.get(type(event))
    if not handlers:
        raise UnhandledEvent(
            f"{type(event).__name__} has no handler: netral.wiring.wire() was not called, "
            "or it does not subscribe anything to this event"
        )
    for handler in list(handlers):
        handler(db_session, event)


def handlers_for(event_type: type[Event]) -> list[Handler]:
    return list(_handlers.get(event_type, []))
