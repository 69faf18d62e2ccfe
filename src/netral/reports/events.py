"""What the reports domain announces."""

from __future__ import annotations

from dataclasses import dataclass

from netral.core.events import Event


@dataclass(frozen=True)
class ReportReceived(Event):
    report_id: int
    number: str
    region_code: str


@dataclass(frozen=True)
class EvidenceAdded(Event):
    report_id: int
    evidence_id: int
