"""The legal clocks: each case event starts (or stops) one, counted as the rulebook says.

CaseRegistered starts Bawaslu's assessment (Pilkada: 3 days +2 from receipt of the report; Pemilu:
7 working days +7); RecommendationIssued starts the PPK's follow-up; SanctionDecided starts the
delivery of the decision to the ASN. A decision or a carried-out sanction stops the clock. Every
event is dated by the day it happened (the date the user entered), not the day it was recorded,
and the clock it closes is kept on the transition so a late decision stays visibly late.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

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
from netral.core.calendar import DayKind, WorkingCalendar, to_wib_date
from netral.core.closures import calendar_for
from netral.core.errors import ValidationFailed, problem
from netral.election import service as elections
from netral.reports import service as reports
from netral.rules import load_rulebook
from netral.rules.schema import Deadline, Rulebook

DUE_SOON_DAYS = 1
ClockState = Literal["on_time", "due_soon", "overdue"]


@dataclass(frozen=True)
class Clock:
    """What an event does to the clock: the rulebook step it starts (the day it counts from is
    the event's own, named per transition by `event_on` in workflow.yaml)."""

    step: str | None  # None: the event stops the running clock
    by_election: Mapping[str, str] = field(default_factory=dict)  # election kind -> another step

    def step_for(self, election_kind: str | None) -> str | None:
        return self.by_election.get(election_kind or "", self.step)


# event -> its clock. The steps are the rulebook's; Pemilu cases (UU 7/2017 art. 454) use the
# Pemilu steps, everything else the Pilkada ones (UU 10/2016 art. 134).
CLOCKS: dict[type[CaseEvent], Clock] = {
    CaseRegistered: Clock("bawaslu_assessment", {"pemilu": "pemilu_assessment"}),
    CaseDecided: Clock(None),
    ForwardedToBkn: Clock(None),  # BKN's examination has no sourced limit [K]
    RecommendationIssued: Clock("ppk_follow_up"),  # from BKN's date (event_on: bkn_date)
    SanctionDecided: Clock("sanction_delivery"),
    DecisionDelivered: Clock(None),
    SanctionCarriedOut: Clock(None),
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


def _kind(value: str | None) -> DayKind:
    return "working" if value == "working" else "calendar"


def clock_status(case: Case, today: date, calendar: WorkingCalendar) -> ClockStatus | None:
    if case.deadline_due is None or case.deadline_kind is None:
        return None
    kind = _kind(case.deadline_kind)
    left = calendar.days_left(case.deadline_due, today, kind)
    status: ClockState = (
        "overdue"
        if today > case.deadline_due
        else ("due_soon" if left <= DUE_SOON_DAYS else "on_time")
    )
    return ClockStatus(case.deadline_due, left, status, kind)


def received_on(db_session: Session, case: Case) -> date:
    """The day Bawaslu received the case's (first) report in WIB; a finding's: the day it opened."""
    refs = reports.report_refs(db_session=db_session, ids=[r.report_id for r in case.reports])
    days = [to_wib_date(r.created_at) for r in refs if r is not None]
    return min(days) if days else to_wib_date(case.created_at)


def on_clock_event(db_session: Session, event: CaseEvent) -> None:
    """Start (or restart) the clock that `event` starts, from the day the rulebook counts from."""
    case = db_session.get(Case, event.case_id)
    if case is None:
        return
    kind = elections.election_kind(db_session=db_session, election_id=case.election_id)
    step = CLOCKS[type(event)].step_for(kind)
    on = event.on
    if step is not None and load_rulebook().deadline(step).counts_from == "receipt":
        on = received_on(db_session, case)
    start_clock(case, step, on, calendar_for(db_session))


# ---------------------------------------------------------------- the clock an event closes


def closing_record(case: Case, event: str, on: date) -> dict[str, Any] | None:
    """The running clock as the event closes it (kept in the transition's fields), or None."""
    if case.deadline_step is None or case.deadline_due is None:
        return None
    return {
        "step": case.deadline_step,
        "start": case.deadline_start.isoformat() if case.deadline_start else None,
        "due": case.deadline_due.isoformat(),
        "kind": _kind(case.deadline_kind),
        "extended": bool(case.deadline_extended),
        "closed_by": event,
        "closed_on": on.isoformat(),
    }


@dataclass(frozen=True)
class ClosedClock:
    """A clock as an event closed it: late when the event's own day is after the due date."""

    step: str
    due: date
    kind: DayKind
    extended: bool
    closed_on: date
    days_late: int  # in the step's kind of days; 0 or less means on time

    @property
    def late(self) -> bool:
        return self.closed_on > self.due


def closed_clock(
    case: Case, event: type[CaseEvent], calendar: WorkingCalendar
) -> ClosedClock | None:
    """The clock the latest `event` closed on this case (e.g. the assessment, by CaseDecided)."""
    for t in reversed(case.transitions):
        rec = (t.fields or {}).get("clock")
        if isinstance(rec, dict) and rec.get("closed_by") == event.__name__:
            due, done = date.fromisoformat(rec["due"]), date.fromisoformat(rec["closed_on"])
            kind = _kind(rec.get("kind"))
            late = (
                calendar.working_days_between(due, done) if kind == "working" else (done - due).days
            )
            if done > due:
                late = max(late, 1)  # a working-day step closed on the weekend after is still late
            return ClosedClock(rec["step"], due, kind, bool(rec.get("extended")), done, late)
    return None


def decision_clock(case: Case, calendar: WorkingCalendar) -> ClosedClock | None:
    """The assessment clock as the standing decision closed it; None without a decision."""
    if case.decision is None:
        return None
    return closed_clock(case, CaseDecided, calendar)


def rule_of(step: str | None, rulebook: Rulebook | None = None) -> Deadline | None:
    """The rulebook's deadline for a running step; None for none (or one the rulebook dropped)."""
    if step is None:
        return None
    rb = rulebook or load_rulebook()
    return next((d for d in rb.deadlines if d.code == step), None)


def basis_text(rulebook: Rulebook, step: Deadline) -> list[str]:
    """The step's legal basis as people read it: the source's title and the article."""
    out = []
    for b in step.basis:
        title = rulebook.source(b.source).title
        out.append(f"{title}, {b.article}" if b.article else title)
    return out
