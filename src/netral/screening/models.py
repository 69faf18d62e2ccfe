"""The screening queue: one row per report waiting to be screened, written with the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netral.core.db import BLOB, Base, UTCDateTime, utcnow


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
    annotated_sha256: Mapped[str | None] = mapped_column(String(64), info=BLOB)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
