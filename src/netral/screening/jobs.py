"""Screening as background jobs on huey: SQLite storage in the embedded default, Redis when set.

The `screening_task` rows (written with the report, in its transaction) are the source of
truth; the huey queue only says "look now". A task lost with a crashed process is found again by
`recover()` at consumer start and by the periodic `screening-recover` job, so an interrupted
screening runs again after a restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey, crontab
from huey.consumer import Consumer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netral.core.db import session_factory, utcnow
from netral.core.settings import Settings, get_settings
from netral.core.storage import LocalEvidenceStore
from netral.screening.models import ScreeningTask
from netral.screening.pipeline import Screeners, screen_report

log = logging.getLogger("netral.jobs")
MAX_ATTEMPTS = 3
STALE_AFTER = timedelta(minutes=2)


def make_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey("netral", url=settings.redis_url, utc=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("netral", filename=str(settings.data_dir / "jobs.db"), utc=True)


@dataclass
class Context:
    """What a worker needs; set once per process by `configure`."""

    engine: Engine
    store: LocalEvidenceStore
    screeners: Screeners


_huey: Huey | None = None
_context: Context | None = None
_tasks: dict[str, Any] = {}


def configure(*, settings: Settings, engine: Engine, rulebook: Any) -> Context:
    """Point the jobs at a queue, a database and a data dir (the web app and `netral worker`)."""
    global _context, _huey
    _huey = make_huey(settings)
    _tasks["screen"] = _huey.task(retries=2, retry_delay=5, name="screen-report")(run_report)
    _tasks["recover"] = _huey.periodic_task(crontab(minute="*/5"), name="screening-recover")(
        _recover_stale
    )
    _context = Context(
        engine=engine,
        store=LocalEvidenceStore(settings.data_dir / "evidence"),
        screeners=Screeners(
            rulebook=rulebook, models_dir=settings.data_dir / "models", hoax_file=settings.hoax_file
        ),
    )
    return _context


def context() -> Context:
    if _context is None:
        from netral.core.db import get_engine
        from netral.rules import load_rulebook

        return configure(settings=get_settings(), engine=get_engine(), rulebook=load_rulebook())
    return _context


def queue() -> Huey:
    context()
    assert _huey is not None
    return _huey


def run_report(report_id: int) -> int:
    ctx = context()
    with session_factory(ctx.engine)() as db:
        return screen_report(
            db_session=db, report_id=report_id, store=ctx.store, screeners=ctx.screeners
        )


def pending_reports(db_session: Session, *, older_than: timedelta | None = None) -> list[int]:
    where = [ScreeningTask.status == "pending", ScreeningTask.attempts < MAX_ATTEMPTS]
    if older_than is not None:
        where.append(ScreeningTask.created_at < utcnow() - older_than)
    return sorted(set(db_session.scalars(select(ScreeningTask.report_id).where(*where))))


def recover(*, older_than: timedelta | None = None) -> int:
    """Queue every report whose screening is still pending (after a crash or a restart)."""
    ctx = context()
    with session_factory(ctx.engine)() as db:
        ids = pending_reports(db, older_than=older_than)
    for report_id in ids:
        enqueue(report_id)
    return len(ids)


def _recover_stale() -> int:
    return recover(older_than=STALE_AFTER)


def enqueue(report_id: int) -> None:
    """Ask a worker to screen a report now. Never raises: the pending row is the safety net."""
    try:
        queue()
        _tasks["screen"](report_id)
    except Exception:  # the periodic recovery will pick it up
        log.exception("could not queue screening of report %s; recovery will", report_id)


class InProcessWorker:
    """A huey consumer inside the web process: the embedded default needs no second process."""

    def __init__(self) -> None:
        self.consumer = Consumer(queue(), workers=1, worker_type="thread", periodic=True,
                                 max_delay=1.0, check_worker_health=False)

    def start(self) -> None:
        self.consumer.start()
        recover()

    def stop(self) -> None:
        self.consumer.stop(graceful=True)
