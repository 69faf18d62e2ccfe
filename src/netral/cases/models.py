"""Cases: the legal handling of one or more reports (or a Bawaslu finding) about named ASN."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.core.db import BLOB, Base, UTCDateTime, utcnow


class Case(Base):
    __tablename__ = "case_file"
    __table_args__ = (
        Index("ix_case_region_state", "region_code", "state"),
        Index("ix_case_region_due", "region_code", "deadline_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(24), unique=True)  # KASUS-2024-000045
    region_code: Mapped[str] = mapped_column(String(20))
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"))
    origin: Mapped[str] = mapped_column(String(10))  # laporan | temuan
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="diterima")
    rulebook_version: Mapped[str] = mapped_column(String(20))
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    # the clock running now, started by an event (CaseRegistered, RecommendationIssued, ...)
    deadline_step: Mapped[str | None] = mapped_column(String(40))
    deadline_start: Mapped[date | None] = mapped_column(Date)
    deadline_due: Mapped[date | None] = mapped_column(Date)
    deadline_kind: Mapped[str | None] = mapped_column(String(10))
    deadline_extended: Mapped[bool] = mapped_column(Boolean, default=False)

    decision: Mapped[str | None] = mapped_column(String(20))
    decision_date: Mapped[date | None] = mapped_column(Date)
    forwarded_to: Mapped[str | None] = mapped_column(String(20))
    # what the commissioner chose from the rulebook's options, with bases (snapshot)
    recommendation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recommendation_number: Mapped[str | None] = mapped_column(String(60))
    recommended_on: Mapped[date | None] = mapped_column(Date)
    sk_number: Mapped[str | None] = mapped_column(String(80))
    sk_date: Mapped[date | None] = mapped_column(Date)
    sanction_level: Mapped[str | None] = mapped_column(String(20))
    penalty: Mapped[str | None] = mapped_column(String(60))
    carried_out_on: Mapped[date | None] = mapped_column(Date)

    # the process after the 2024 changes (workflow.yaml): Bawaslu's register number (the public
    # KASUS-... number stays the internal public id), the plenary, the forward to BKN, BKN's
    # recommendation, the PPK's examination, delivery and objection
    register_number: Mapped[str | None] = mapped_column(String(80), unique=True)
    registered_on: Mapped[date | None] = mapped_column(Date)
    plenary_members: Mapped[list[str]] = mapped_column(JSON, default=list)
    plenary_minutes_id: Mapped[int | None] = mapped_column()  # a case_document id
    notified_on: Mapped[date | None] = mapped_column(Date)
    bkn_forwarded_on: Mapped[date | None] = mapped_column(Date)
    bkn_number: Mapped[str | None] = mapped_column(String(80))
    bkn_date: Mapped[date | None] = mapped_column(Date)
    bkn_level: Mapped[str | None] = mapped_column(String(20))
    bkn_document_id: Mapped[int | None] = mapped_column()
    examination_team: Mapped[list[str]] = mapped_column(JSON, default=list)
    examination_report_id: Mapped[int | None] = mapped_column()
    ethics_sanction: Mapped[str | None] = mapped_column(String(20))
    delivered_on: Mapped[date | None] = mapped_column(Date)
    objection_filed_on: Mapped[date | None] = mapped_column(Date)
    objection_decided_on: Mapped[date | None] = mapped_column(Date)
    # parallel tracks (workflow.yaml `tracks`): {"pidana": "diteruskan"}
    tracks: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    gakkumdu_forwarded_on: Mapped[date | None] = mapped_column(Date)
    gakkumdu_reference: Mapped[str | None] = mapped_column(String(120))
    gakkumdu_status: Mapped[str | None] = mapped_column(Text)
    # when the person reported is the PPK: the authority above and who acts as PPK
    ppk_substitute: Mapped[str | None] = mapped_column(String(200))
    ppk_acting: Mapped[str | None] = mapped_column(String(200))

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    asn: Mapped[list[CaseAsn]] = relationship(
        back_populates="case", lazy="selectin", cascade="all, delete-orphan"
    )
    acts: Mapped[list[CaseAct]] = relationship(
        back_populates="case", lazy="selectin", cascade="all, delete-orphan"
    )
    reports: Mapped[list[CaseReport]] = relationship(
        back_populates="case", lazy="selectin", cascade="all, delete-orphan"
    )
    transitions: Mapped[list[CaseTransition]] = relationship(
        back_populates="case", lazy="selectin", order_by="CaseTransition.id"
    )
    hearings: Mapped[list[Hearing]] = relationship(
        back_populates="case", lazy="selectin", order_by="Hearing.scheduled_at"
    )
    documents: Mapped[list[CaseDocument]] = relationship(
        back_populates="case", lazy="selectin", order_by="CaseDocument.id"
    )


class CaseReport(Base):
    __tablename__ = "case_report"
    __table_args__ = (UniqueConstraint("report_id", name="uq_case_report_report"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"))
    case: Mapped[Case] = relationship(back_populates="reports")


class CaseAsn(Base):
    __tablename__ = "case_asn"
    __table_args__ = (UniqueConstraint("case_id", "asn_id", name="uq_case_asn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    asn_id: Mapped[int] = mapped_column(ForeignKey("asn.id"), index=True)
    # snapshot at the time the case named them: the registry may change later
    nip: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(4))
    position: Mapped[str] = mapped_column(String(200))
    opd: Mapped[str] = mapped_column(String(200))
    case: Mapped[Case] = relationship(back_populates="asn")


class CaseAct(Base):
    """An act alleged (from the rulebook); `proven` is set by the commissioner's decision."""

    __tablename__ = "case_act"
    __table_args__ = (UniqueConstraint("case_id", "code", name="uq_case_act"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(20))
    proven: Mapped[bool | None] = mapped_column(Boolean)
    case: Mapped[Case] = relationship(back_populates="acts")


class CaseTransition(Base):
    """The timeline: who moved the case, when, why, with what."""

    __tablename__ = "case_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    case: Mapped[Case] = relationship(back_populates="transitions")


class Hearing(Base):
    """A clarification hearing (klarifikasi) of the reporter, the ASN or a witness."""

    __tablename__ = "hearing"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    party: Mapped[str] = mapped_column(String(10))  # pelapor | terlapor | saksi
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    scheduled_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    held_on: Mapped[date | None] = mapped_column(Date)
    # False: the person did not come; the minutes of non-attendance let the study go on
    attended: Mapped[bool | None] = mapped_column(Boolean)
    minutes_document_id: Mapped[int | None] = mapped_column(ForeignKey("case_document.id"))
    invitation_document_id: Mapped[int | None] = mapped_column(ForeignKey("case_document.id"))
    case: Mapped[Case] = relationship(back_populates="hearings")


class CaseDocument(Base):
    """A document in the case file: generated letters, uploaded minutes (BAP), SK, proof."""

    __tablename__ = "case_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))  # letter kind | bap | sk | bukti_pelaksanaan
    title: Mapped[str] = mapped_column(String(300))
    number: Mapped[str | None] = mapped_column(String(80))
    sha256: Mapped[str] = mapped_column(String(64), info=BLOB)
    media_type: Mapped[str] = mapped_column(String(60))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    case: Mapped[Case] = relationship(back_populates="documents")


class Reminder(Base):
    """One reminder per case, kind and day: the jobs can run twice and remind once."""

    __tablename__ = "reminder"
    __table_args__ = (UniqueConstraint("case_id", "kind", "for_date", name="uq_reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    for_date: Mapped[date] = mapped_column(Date)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Notification(Base):
    """In-app notice for a user (a reminder, a case handed to them)."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # waits for the notice mailer (reminders e-mail their own notices and never set it)
    mail_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SavedFilter(Base):
    """A user's named case-list filter ('tenggat lewat di Kecamatan X')."""

    __tablename__ = "saved_filter"
    __table_args__ = (UniqueConstraint("user_id", "name", name="uq_saved_filter_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    query: Mapped[str] = mapped_column(String(500))
