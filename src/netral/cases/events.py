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
class ForwardedToBkn(CaseEvent):
    """Bawaslu forwarded its finding to BKN (BKN has no fixed limit to examine it [K])."""


@dataclass(frozen=True)
class RecommendationIssued(CaseEvent):
    """BKN's recommendation to the PPK, dated by BKN's own letter: the PPK's clock starts."""


@dataclass(frozen=True)
class SanctionDecided(CaseEvent):
    pass


@dataclass(frozen=True)
class DecisionDelivered(CaseEvent):
    """The PPK's decision was delivered to the ASN: the delivery clock stops."""


@dataclass(frozen=True)
class SanctionCarriedOut(CaseEvent):
    pass


EVENTS: dict[str, type[CaseEvent]] = {
    cls.__name__: cls
    for cls in (
        CaseRegistered,
        CaseDecided,
        ForwardedToBkn,
        RecommendationIssued,
        SanctionDecided,
        DecisionDelivered,
        SanctionCarriedOut,
    )
}
