"""Screening listens for new reports and evidence: it queues them in the same transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from netral.core.events import subscribe
from netral.reports.events import EvidenceAdded, ReportReceived
from netral.screening.models import ScreeningTask


@subscribe(ReportReceived)
def queue_report(db_session: Session, event: ReportReceived) -> None:
    db_session.add(ScreeningTask(report_id=event.report_id, evidence_id=None))


@subscribe(EvidenceAdded)
def queue_evidence(db_session: Session, event: EvidenceAdded) -> None:
    db_session.add(ScreeningTask(report_id=event.report_id, evidence_id=event.evidence_id))
