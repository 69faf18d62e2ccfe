"""Retention: a reporter's identity and the evidence originals are kept while a case may still
need them, and deleted a configurable time (`NETRAL_RETENTION_DAYS`) after it closes.

A report that became a case follows the case: the clock starts on the day the case reached a final
state (`workflow.yaml` `final`). A report closed without a case (rejected, merged, forwarded with
a letter) starts the clock on its last change. What goes: the sealed identity, and the originals of
photos, videos and documents (the metadata-free derivatives stay with the case file). Every
deletion is an audit row. Run daily by the `retention` job, or `netral retention run`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from huey import crontab
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netral.cases.models import Case, CaseReport, CaseTransition
from netral.cases.workflow import workflow
from netral.core import jobs
from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import session_factory, unit_of_work, utcnow
from netral.core.storage import LocalEvidenceStore
from netral.reports import service as reports

JOB = "retention"


@dataclass(frozen=True)
class RetentionRun:
    from_cases: int  # reports whose data went because their case closed long enough ago
    without_case: int  # reports closed without a case
    files_removed: int


def due_report_ids(db_session: Session, *, before: datetime) -> tuple[list[int], list[int]]:
    """(reports of cases closed before `before`, reports closed without a case before it)."""
    final = sorted(workflow().final)
    closed_at = (
        select(CaseTransition.case_id, func.max(CaseTransition.at).label("at"))
        .where(CaseTransition.to_state.in_(final))
        .group_by(CaseTransition.case_id)
        .subquery()
    )
    from_cases = list(
        db_session.scalars(
            select(CaseReport.report_id)
            .join(Case, Case.id == CaseReport.case_id)
            .join(closed_at, closed_at.c.case_id == Case.id)
            .where(Case.state.in_(final), closed_at.c.at < before)
            .order_by(CaseReport.report_id)
        )
    )
    in_cases = select(CaseReport.report_id)
    alone = reports.reports_closed_before(db_session=db_session, before=before, excluding=in_cases)
    return from_cases, alone


def run_retention(
    *, engine: Engine, store: LocalEvidenceStore, days: int, today: date | None = None
) -> RetentionRun:
    """Delete what is past retention (one transaction), then remove the files (after it)."""
    today = today or to_wib_date(utcnow())
    before = reports.wib_day_start(today - timedelta(days=days))
    actor = Actor.system()
    with unit_of_work(engine) as db:
        from_cases, alone = due_report_ids(db, before=before)
        n_cases = reports.delete_personal_data(
            db_session=db,
            report_ids=from_cases,
            actor=actor,
            today=today,
            reason=f"case closed more than {days} days ago",
        )
        n_alone = reports.delete_personal_data(
            db_session=db,
            report_ids=alone,
            actor=actor,
            today=today,
            reason=f"report closed more than {days} days ago",
        )
    with session_factory(engine)() as db:
        removed = reports.remove_deleted_originals(db_session=db, store=store)
    return RetentionRun(n_cases, n_alone, removed)


def register(ctx: jobs.JobContext) -> None:
    if ctx.settings.retention_days <= 0:
        return  # kept until an operator sets a retention
    store = LocalEvidenceStore(ctx.settings.data_dir / "evidence")
    # 02:00 WIB (19:00 UTC), after the day's work
    ctx.tasks[JOB] = ctx.huey.periodic_task(crontab(hour="19", minute="0"), name=JOB)(
        lambda: run_retention(engine=ctx.engine, store=store, days=ctx.settings.retention_days)
    )
