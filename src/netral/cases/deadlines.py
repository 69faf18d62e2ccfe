"""The legal clocks: each case event starts (or stops) one, counted as the rulebook says.

CaseRegistered starts Bawaslu's assessment (3 days, +2 when more information is asked for);
RecommendationIssued starts the PPK's follow-up; SanctionDecided starts the delivery of the
decision to the ASN. A decision or a carried-out sanction stops the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from netral.cases.events import (
    CaseDecided,
    CaseEvent,
    CaseRegistered,
    DecisionDelivered,
    ForwardedToBkn,
    RecommendationIssued,
    SanctionCarriedOut,
    SanctionDecided,
)
from netral.cases.models import Case
from netral.core.calendar import DayKind, WorkingCalendar
from netral.core.closures import calendar_for
from netral.core.errors import ValidationFailed, problem
from netral.rules import load_rulebook

DUE_SOON_DAYS = 1
ClockState = Literal["on_time", "due_soon", "overdue"]
# event -> the rulebook deadline step it starts (None: it stops the clock)
CLOCKS: dict[type[CaseEvent], str | None] = {
    CaseRegistered: "bawaslu_assessment",
    CaseDecided: None,
    ForwardedToBkn: None,  # BKN's examination has no sourced limit [K]: no invented clock
    RecommendationIssued: "ppk_follow_up",  # from BKN's recommendation date
    SanctionDecided: "sanction_delivery",
    DecisionDelivered: None,
    SanctionCarriedOut: None,
}


def start_clock(case: Case, step: str | None, on: date, calendar: WorkingCalendar) -> None:
    if step is None:
        case.deadline_step = case.deadline_start = case.deadline_due = None
        case.deadline_kind = None
        case.deadline_extended = False
        return
    d = load_rulebook().deadline(step)
    case.deadline_step, case.deadline_start, case.deadline_kind = step, on, d.kind
    case.deadline_due = calendar.add_days(on, d.days, d.kind)
    case.deadline_extended = False


def extend_clock(case: Case, calendar: WorkingCalendar) -> date:
    """Add the rulebook's extension (asking for more information), once."""
    step = case.deadline_step
    d = load_rulebook().deadline(step) if step else None
    if d is None or not d.extension_days or case.deadline_extended or case.deadline_start is None:
        raise ValidationFailed(
            problem(
                "case.no_extension",
                "Tenggat ini tidak dapat diperpanjang (atau sudah diperpanjang).",
                "This deadline cannot be extended (or already was).",
                field="deadline",
            )
        )
    case.deadline_due = calendar.add_days(case.deadline_start, d.days + d.extension_days, d.kind)
    case.deadline_extended = True
    return case.deadline_due


@dataclass(frozen=True)
class ClockStatus:
    due: date
    days_left: int
    status: ClockState
    kind: DayKind


def clock_status(case: Case, today: date, calendar: WorkingCalendar) -> ClockStatus | None:
    if case.deadline_due is None or case.deadline_kind is None:
        return None
    kind: DayKind = "working" if case.deadline_kind == "working" else "calendar"
    left = calendar.days_left(case.deadline_due, today, kind)
    status: ClockState = (
        "overdue"
        if today > case.deadline_due
        else ("due_soon" if left <= DUE_SOON_DAYS else "on_time")
    )
    return ClockStatus(case.deadline_due, left, status, kind)


def on_clock_event(db_session: Session, event: CaseEvent) -> None:
    """Start (or restart) the clock that `event` starts, counted from the day it happened."""
    case = db_session.get(Case, event.case_id)
    if case is not None:
        start_clock(case, CLOCKS[type(event)], event.on, calendar_for(db_session))

