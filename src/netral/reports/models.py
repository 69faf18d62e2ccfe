"""Reports from the public and from staff, their evidence, questions and duplicate suggestions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.core.db import BLOB, DERIVATIVE, Base, UTCDateTime, utcnow


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (
        Index("ix_report_region_status", "region_code", "status"),
        Index("ix_report_region_created", "region_code", "created_at"),
        # the dashboard's one scan (migration 0015): a region's window of days, and every column
        # it groups by, so PostgreSQL answers from the index alone; plain keys on both dialects
        Index(
            "ix_report_dashboard",
            "region_code",
            "created_at",
            "category",
            "kecamatan_code",
            "status",
            "reported_opd_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # LAP-2024-000123
    region_code: Mapped[str] = mapped_column(String(20))
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"))
    # laporan: a formal report with the reporter's identity; informasi_awal: anonymous or
    # incomplete, for Bawaslu's own supervision (a possible temuan)
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(10))  # publik | staf | api | pindai
    status: Mapped[str] = mapped_column(String(12), default="baru")
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # reporter identity: AES-GCM sealed JSON (core.crypto), bound to the report number
    reporter_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    # the retention job deleted the identity and the evidence originals on this day
    personal_data_deleted_on: Mapped[date | None] = mapped_column(Date)
    receipt_mac: Mapped[str] = mapped_column(String(64))  # HMAC of the receipt code, never the code
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    reported_name: Mapped[str] = mapped_column(String(200), default="")
    reported_nip: Mapped[str] = mapped_column(String(18), default="")
    reported_position: Mapped[str] = mapped_column(String(300), default="")
    reported_address: Mapped[str] = mapped_column(String(300), default="")
    reported_phone: Mapped[str] = mapped_column(String(30), default="")
    reported_asn_id: Mapped[int | None] = mapped_column(ForeignKey("asn.id"))
    # that ASN's OPD when the report named them, set wherever reported_asn_id is: the dashboard
    # counts reports per OPD without joining a million ASN rows
    reported_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))

    description: Mapped[str] = mapped_column(Text)
    place: Mapped[str] = mapped_column(String(300), default="")
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("wilayah.code"))
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("wilayah.code"))
    occurred_on: Mapped[date] = mapped_column(Date)
    known_on: Mapped[date] = mapped_column(Date)
    witnesses: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(20))  # rulebook violation code
    # asn: an ASN-neutrality report (the SKB's acts); apk: campaign props at a forbidden place,
    # whose category is one of the rulebook's campaign_props.categories
    subject: Mapped[str] = mapped_column(String(8), default="asn", server_default="asn")
    place_kind: Mapped[str | None] = mapped_column(String(40))  # campaign_props.places code
    # the point picked on the form (WGS84 degrees); None when only kecamatan/kelurahan was given
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)

    rulebook_version: Mapped[str] = mapped_column(String(20))
    filing_due_on: Mapped[date] = mapped_column(Date)
    is_late: Mapped[bool] = mapped_column(Boolean, default=False)
    formal_check: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    status_reason: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="report", order_by="Evidence.id", lazy="selectin"
    )
    messages: Mapped[list[ReportMessage]] = relationship(
        back_populates="report", order_by="ReportMessage.id", lazy="selectin"
    )
    forwards: Mapped[list[ReportForward]] = relationship(
        back_populates="report", order_by="ReportForward.id", lazy="selectin"
    )


class Evidence(Base):
    __tablename__ = "evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True, info=BLOB)
    derivative_sha256: Mapped[str | None] = mapped_column(String(64), index=True, info=DERIVATIVE)
    media_type: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    phash: Mapped[str | None] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200), default="")
    added_by: Mapped[str] = mapped_column(String(10))  # pelapor | staf
    original_deleted_on: Mapped[date | None] = mapped_column(Date)  # retention; derivative stays
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[Report] = relationship(back_populates="evidence")

    @property
    def preparing(self) -> bool:
        """A photo whose metadata-free copy the intake job has yet to make: nothing to show."""
        return (
            self.kind == "image" and self.derivative_sha256 is None and not self.original_deleted_on
        )


class ReportMessage(Base):
    """A staff question, the reporter's answer, or a "sistem" progress line the receipt shows."""

    __tablename__ = "report_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))  # staf | pelapor | sistem
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[Report] = relationship(back_populates="messages")


class DuplicateSuggestion(Base):
    """'Mungkin sama dengan LAP-…': found by photo hash or text similarity; staff merge or dismiss."""

    __tablename__ = "duplicate_suggestion"
    __table_args__ = (UniqueConstraint("report_id", "other_id", name="uq_duplicate_pair"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    other_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    basis: Mapped[str] = mapped_column(String(10))  # foto | teks
    score: Mapped[float] = mapped_column(Float)
    why: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(10), default="terbuka")  # terbuka|digabung|ditolak
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    other: Mapped[Report] = relationship(foreign_keys=[other_id], lazy="joined")


class ReportForward(Base):
    """A campaign-prop report forwarded with a letter (to Satpol PP, KPU): whom, when, which letter.

    The letter is made by the cases domain (where letters live) and kept in the evidence store.
    """

    __tablename__ = "report_forward"
    __table_args__ = (UniqueConstraint("report_id", "recipient", name="uq_report_forward"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(40))  # campaign_props.recipients code
    addressee: Mapped[str] = mapped_column(String(300))  # as the letter names it
    letter_number: Mapped[str] = mapped_column(String(80))
    letter_sha256: Mapped[str] = mapped_column(String(64), info=BLOB)
    forwarded_on: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[Report] = relationship(back_populates="forwards")


class ReportDaySummary(Base):
    """Reports counted per region, WIB day and grouping, so a dashboard need not read every report.

    `dim` is the grouping (`summary.DIMS`: 0 the day itself, whose one key is the day, then
    category, kecamatan, status, reported OPD, subject, kind of place); `key` its value, "" for
    none. Days whose reports changed since they were counted are listed in `ReportDayDirty` and
    counted from the reports themselves until the `reports-summary` job counts them again.
    """

    __tablename__ = "report_day_summary"

    region_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    dim: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class ReportDayDirty(Base):
    """A region's day whose reports changed since it was summarised. Rows are only ever added by
    writers (never updated: no two intakes wait for each other) and taken by the summary job."""

    __tablename__ = "report_day_dirty"
    __table_args__ = (Index("ix_report_day_dirty_region_day", "region_code", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date)
