"""The screening queue (one row per report waiting to be screened, written with the report), the
findings it wrote, and the staff decisions on them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netral.core.db import DERIVATIVE, Base, UTCDateTime, utcnow


class ScreeningTask(Base):
    __tablename__ = "screening_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScreeningFinding(Base):
    """A finding stored with its evidence: shown on the report and case pages, never decisive."""

    __tablename__ = "screening_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(30))
    score: Mapped[float] = mapped_column(Float)
    why: Mapped[list[str]] = mapped_column(JSON, default=list)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    model: Mapped[str] = mapped_column(String(60))
    rulebook_version: Mapped[str] = mapped_column(String(20))
    ms: Mapped[float] = mapped_column(Float, default=0.0)
    # the photo with landmarks and boxes drawn, in the evidence store (shown beside the photo)
    annotated_sha256: Mapped[str | None] = mapped_column(String(64), info=DERIVATIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # set when a later screening of the same evidence replaced it: kept, with its decisions
    superseded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ScreeningDecision(Base):
    """A person's verdict on one finding; a later row on the same finding wins, earlier ones stay.

    It labels the finding's evidence for retraining and never changes a case by itself.
    """

    __tablename__ = "screening_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("screening_finding.id"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # the finding's kind, so labels need no join
    finding_label: Mapped[str] = mapped_column(String(30))
    model: Mapped[str] = mapped_column(String(60))  # the finding's model version
    decision: Mapped[str] = mapped_column(String(10))  # confirm | reject
    reason: Mapped[str] = mapped_column(String(30), default="")  # a code from decisions.yaml
    note: Mapped[str] = mapped_column(Text, default="")
    # what the evidence is, as a training label (None: the decision says nothing about it)
    label: Mapped[str | None] = mapped_column(String(30))
    # the post the text model read, kept with its label so the label outlives a re-screening
    text: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
