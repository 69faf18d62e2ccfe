"""What the cases domain announces; deadline handlers and reminders listen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from netral.core.events import Event


@dataclass(frozen=True)
class CaseEvent(Event):
    case_id: int
    on: date  # the day it happened, in WIB: clocks count from here


@dataclass(frozen=True)
class CaseRegistered(CaseEvent):
    pass


@dataclass(frozen=True)
class CaseDecided(CaseEvent):
    pass


@dataclass(frozen=True)
class RecommendationIssued(CaseEvent):
    pass


@dataclass(frozen=True)
class SanctionDecided(CaseEvent):
    pass


@dataclass(frozen=True)
class SanctionCarriedOut(CaseEvent):
    pass


EVENTS: dict[str, type[CaseEvent]] = {
    cls.__name__: cls
    for cls in (
        CaseRegistered,
        CaseDecided,
        RecommendationIssued,
        SanctionDecided,
        SanctionCarriedOut,
    )
}
