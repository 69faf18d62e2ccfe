"""Screening listens for new reports and evidence: it queues them in the same transaction, and
asks a worker to start once that transaction has committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from netral.reports.events import EvidenceAdded, ReportReceived
from netral.screening.models import ScreeningTask

_AFTER_COMMIT = "netral.screening.after_commit"


def _after_commit(db_session: Session, report_id: int) -> None:
    db_session.info.setdefault(_AFTER_COMMIT, set()).add(report_id)


def _enqueue_committed(db_session: Session) -> None:
    ids: Any = db_session.info.pop(_AFTER_COMMIT, None)
    if ids:
        from netral.screening.jobs import enqueue

        for report_id in sorted(ids):
            enqueue(report_id)


def _forget_rolled_back(db_session: Session) -> None:
    db_session.info.pop(_AFTER_COMMIT, None)


def queue_report(db_session: Session, event_: ReportReceived) -> None:
    db_session.add(ScreeningTask(report_id=event_.report_id, evidence_id=None))
    _after_commit(db_session, event_.report_id)


def queue_evidence(db_session: Session, event_: EvidenceAdded) -> None:
    db_session.add(ScreeningTask(report_id=event_.report_id, evidence_id=event_.evidence_id))
    _after_commit(db_session, event_.report_id)


def install_session_hooks() -> None:
    """Ask a worker to look only once the report's transaction has committed (never before)."""
    if not event.contains(Session, "after_commit", _enqueue_committed):
        event.listen(Session, "after_commit", _enqueue_committed)
    if not event.contains(Session, "after_rollback", _forget_rolled_back):
        event.listen(Session, "after_rollback", _forget_rolled_back)
