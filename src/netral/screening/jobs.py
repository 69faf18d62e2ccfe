"""Screening's background jobs: `screen-report` after a report commits, `screening-recover`
every five minutes and at worker start.

The `screening_task` rows (written with the report, in its transaction) are the source of truth;
the queue only says "look now". A task lost with a crashed process is found again by `recover`,
so an interrupted screening runs again after a restart. Models load once per worker process.

A screening that raises counts an attempt and keeps its error (type and short message) on the
task; after MAX_ATTEMPTS it is `failed`, shown on the report page, and `recover` leaves it alone
until an operator runs `netral screen rerun`. Retries are spaced by `recover`, not by the queue,
so a passing fault (a locked database, a restarting server) does not use up every attempt at once.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any

from huey import crontab
from huey.exceptions import RetryTask
from sqlalchemy import func, select
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from netral.core import jobs
from netral.core.db import session_factory, unit_of_work, utcnow
from netral.core.storage import LocalEvidenceStore
from netral.reports.service import prepare_evidence
from netral.screening.models import ScreeningTask
from netral.screening.pipeline import Screeners, screen_report

log = logging.getLogger("netral.screening.jobs")
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=2)
DATABASE_RETRY_S = 5  # a job that found the database away runs again after this long
ERROR_CHARS = 200
# what an exception's message may quote from its input (a name, an NIP, an address): masked,
# so the error kept on the task and shown to staff names nobody
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|«[^»]*»|<[^>]*>")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_HANDLE = re.compile(r"@[\w.]+")
_NUMBER = re.compile(r"\d[\d .-]{4,}\d")


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


def describe_error(exc: BaseException) -> str:
    """'TypeName: first line of the message', with quoted text, addresses and numbers masked."""
    lines = str(exc).strip().splitlines()  # SQL errors carry statement and parameters below
    message = lines[0] if lines else ""
    for pattern, mask in ((_QUOTED, "'…'"), (_EMAIL, "…"), (_HANDLE, "@…"), (_NUMBER, "…")):
        message = pattern.sub(mask, message)
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


def record_failure(*, db_session: Session, report_id: int, exc: BaseException) -> int:
    """Count a failed try on the report's pending tasks (the last fails them); returns failed."""
    error, now, failed = describe_error(exc), utcnow(), 0
    for task in db_session.scalars(
        select(ScreeningTask).where(
            ScreeningTask.report_id == report_id, ScreeningTask.status == "pending"
        )
    ):
        task.attempts += 1
        task.error = error
        if task.attempts >= MAX_ATTEMPTS:
            task.status, task.finished_at = "failed", now
            failed += 1
    db_session.flush()
    return failed


def retry_failed(*, db_session: Session, report_id: int) -> int:
    """Give the report's failed tasks a fresh start (pending, no attempts); returns how many."""
    tasks = list(
        db_session.scalars(
            select(ScreeningTask).where(
                ScreeningTask.report_id == report_id, ScreeningTask.status == "failed"
            )
        )
    )
    for task in tasks:
        task.status, task.attempts, task.error, task.finished_at = "pending", 0, "", None
    db_session.flush()
    return len(tasks)


def failed_report_ids(*, db_session: Session, since: datetime) -> list[int]:
    """Reports with a task queued at or after `since` that failed (e.g. evidence added late)."""
    return list(
        db_session.scalars(
            select(ScreeningTask.report_id)
            .where(ScreeningTask.status == "failed", ScreeningTask.created_at >= since)
            .distinct()
            .order_by(ScreeningTask.report_id)
        )
    )


def _has_pending(db_session: Session, report_id: int, *where: Any) -> bool:
    """Whether the report has a pending task that also meets `where`."""
    return bool(
        db_session.scalar(
            select(func.count())
            .select_from(ScreeningTask)
            .where(ScreeningTask.report_id == report_id, ScreeningTask.status == "pending", *where)
        )
    )


def _runnable(db_session: Session, report_id: int) -> bool:
    """Whether the report has a pending task with attempts left."""
    return _has_pending(db_session, report_id, ScreeningTask.attempts < MAX_ATTEMPTS)


def run_report(report_id: int) -> int:
    """Prepare one report's evidence (the intake's second half), then screen its pending tasks;
    returns the findings written, re-raises a failure."""
    ctx = jobs.context()
    store = LocalEvidenceStore(ctx.settings.data_dir / "evidence")
    try:
        with unit_of_work(ctx.engine) as db:
            # done, given up, or a second message for the same work: a failed report would
            # otherwise be screened whole again by every stray message
            if not _runnable(db, report_id):
                return 0
            # its own transaction: staff see the photos even if screening then fails
            prepare_evidence(
                db_session=db,
                store=store,
                report_id=report_id,
                duplicates=_first_run(db, report_id),
            )
        with unit_of_work(ctx.engine) as db:
            if not _runnable(db, report_id):  # another worker finished it meanwhile
                return 0
            return screen_report(
                db_session=db, report_id=report_id, store=store, screeners=_screeners(ctx)
            )
    except (OperationalError, InterfaceError) as exc:
        # the database is away (a restart, a cut): not the report's fault, and no attempt of its
        # can be recorded; try again shortly (the statement may hold personal data: kind only)
        log.warning(
            "screening of report %s waits for the database (%s)",
            report_id,
            type(exc.orig).__name__,
        )
        raise RetryTask(delay=DATABASE_RETRY_S) from None
    except Exception as exc:
        with unit_of_work(ctx.engine) as db:  # its own transaction: the failed one rolled back
            failed = record_failure(db_session=db, report_id=report_id, exc=exc)
        if failed:
            log.error("screening of report %s failed after %s attempts", report_id, MAX_ATTEMPTS)
        raise


def _first_run(db_session: Session, report_id: int) -> bool:
    """Whether the report itself (not evidence added later) is still to be screened."""
    return _has_pending(db_session, report_id, ScreeningTask.evidence_id.is_(None))


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
    # no queue retries: each try counts against MAX_ATTEMPTS, and `recover` spaces them out
    ctx.tasks["screen-report"] = ctx.huey.task(name="screen-report")(run_report)
    ctx.tasks["screening-recover"] = ctx.huey.periodic_task(
        crontab(minute="*/5"), name="screening-recover"
    )(lambda: recover(older_than=STALE_AFTER))
    ctx.tasks["screening-recover:on_start"] = recover
