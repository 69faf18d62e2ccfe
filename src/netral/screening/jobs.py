"""Screening's background jobs: `screen-report` after a report commits, `screening-recover`
every five minutes and at worker start.

The `screening_task` rows (written with the report, in its transaction) are the source of truth;
the queue only says "look now". A task lost with a crashed process is found again by `recover`,
so an interrupted screening runs again after a restart. Models load once per worker process.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from huey import crontab
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.core import jobs
from netral.core.db import session_factory, utcnow
from netral.core.storage import LocalEvidenceStore
from netral.screening.models import ScreeningTask
from netral.screening.pipeline import Screeners, screen_report

log = logging.getLogger("netral.screening.jobs")
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=2)


def _screeners(ctx: jobs.JobContext) -> Screeners:
    if "screeners" not in ctx.extra:
        settings = ctx.settings
        ctx.extra["screeners"] = Screeners(
            rulebook=ctx.rulebook,
            models_dir=settings.data_dir / "models",
            hoax_file=settings.hoax_file or settings.data_dir / "hoaxes.csv",
        )
    screeners: Screeners = ctx.extra["screeners"]
    return screeners


def run_report(report_id: int) -> int:
    ctx = jobs.context()
    with session_factory(ctx.engine)() as db:
        return screen_report(
            db_session=db,
            report_id=report_id,
            store=LocalEvidenceStore(ctx.settings.data_dir / "evidence"),
            screeners=_screeners(ctx),
        )


def pending_reports(db_session: Session, *, older_than: timedelta | None = None) -> list[int]:
    where = [ScreeningTask.status == "pending", ScreeningTask.attempts < MAX_ATTEMPTS]
    if older_than is not None:
        where.append(ScreeningTask.created_at < utcnow() - older_than)
    return sorted(set(db_session.scalars(select(ScreeningTask.report_id).where(*where))))


def recover(*, older_than: timedelta | None = None) -> int:
    """Queue every report whose screening is still pending (after a crash or a restart)."""
    ctx = jobs.context()
    with session_factory(ctx.engine)() as db:
        ids = pending_reports(db, older_than=older_than)
    for report_id in ids:
        enqueue(report_id)
    return len(ids)


def enqueue(report_id: int) -> None:
    jobs.call("screen-report", report_id)


def register(ctx: jobs.JobContext) -> None:
    ctx.tasks["screen-report"] = ctx.huey.task(retries=2, retry_delay=5, name="screen-report")(
        run_report
    )
    ctx.tasks["screening-recover"] = ctx.huey.periodic_task(
        crontab(minute="*/5"), name="screening-recover"
    )(lambda: recover(older_than=STALE_AFTER))
    ctx.tasks["screening-recover:on_start"] = recover
