"""Socialisation events (sosialisasi), their audience, topics, materials and attendance."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.core.db import BLOB, DERIVATIVE, Base, UTCDateTime, utcnow


class Briefing(Base):
    __tablename__ = "briefing"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200))
    organiser: Mapped[str] = mapped_column(String(200))
    # which OPD are invited: none | all | chosen (the chosen ones are BriefingOpd rows)
    audience_opd: Mapped[str] = mapped_column(String(8))
    # whom of those OPD: heads | staff (heads means the head or a delegate)
    audience_opd_people: Mapped[str] = mapped_column(String(8))
    audience_camat: Mapped[bool] = mapped_column(Boolean)
    audience_lurah: Mapped[bool] = mapped_column(Boolean)
    # what the QR code carries; random, so a check-in link cannot be guessed from the id
    checkin_token: Mapped[str] = mapped_column(String(64), unique=True)
    checkin_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checkin_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    topics: Mapped[list[BriefingTopic]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="BriefingTopic.topic"
    )
    opds: Mapped[list[BriefingOpd]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    materials: Mapped[list[Material]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Material.id"
    )


class BriefingTopic(Base):
    __tablename__ = "briefing_topic"

    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class BriefingOpd(Base):
    """An OPD invited by name (audience_opd = chosen)."""

    __tablename__ = "briefing_opd"

    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), primary_key=True
    )
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), primary_key=True, index=True)


class Material(Base):
    __tablename__ = "briefing_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64), info=BLOB)
    # images are shown through their metadata-free copy, as evidence is
    derivative_sha256: Mapped[str | None] = mapped_column(String(64), info=DERIVATIVE)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Attendance(Base):
    """One person at one event, once; the OPD they worked in then is kept with it."""

    __tablename__ = "briefing_attendance"
    __table_args__ = (UniqueConstraint("briefing_id", "asn_id", name="uq_briefing_attendance"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), index=True
    )
    asn_id: Mapped[int] = mapped_column(ForeignKey("asn.id"), index=True)
    # the ASN's OPD when they attended: an OPD is briefed through whoever it sent
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), index=True)
    source: Mapped[str] = mapped_column(String(8))  # sheet | qr
    matched_by: Mapped[str] = mapped_column(String(8))  # nip | name | login
    sheet_row: Mapped[int | None] = mapped_column(Integer)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
