"""Extra closure days (local closures) admins add on top of public holidays and cuti bersama."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import WorkingCalendar
from netral.core.models import ClosureDay


def calendar_for(bind: Session | Engine) -> WorkingCalendar:
    """The working-day calendar with this deployment's closure days."""
    if isinstance(bind, Session):
        days = bind.scalars(select(ClosureDay.day)).all()
    else:
        with Session(bind) as s:
            days = s.scalars(select(ClosureDay.day)).all()
    return _calendar(frozenset(days))


@lru_cache(maxsize=8)
def _calendar(closures: frozenset[date]) -> WorkingCalendar:
    # building the holiday tables is the costly part; the closure set is the whole key
    return WorkingCalendar(closures=closures)


def add_closure(*, db_session: Session, day: date, name: str, actor: Actor) -> ClosureDay:
    row = db_session.get(ClosureDay, day)
    if row is None:
        row = ClosureDay(day=day, name=name, created_by=actor.id)
        db_session.add(row)
    else:
        row.name = name
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="calendar.closure_add",
        object_type="closure_day",
        object_id=day.isoformat(),
        summary={"name": name},
    )
    return row


def list_closures(*, db_session: Session) -> list[ClosureDay]:
    return list(db_session.scalars(select(ClosureDay).order_by(ClosureDay.day)))
