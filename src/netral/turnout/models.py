"""Turnout: KPU's DPT and voters per kecamatan, kelurahan/desa or TPS, and the target per election."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from netral.core.db import Base, UTCDateTime, utcnow


class TurnoutRow(Base):
    """One region's figures at one level; a level's rows are replaced as a whole by an import."""

    __tablename__ = "turnout_row"
    __table_args__ = (
        UniqueConstraint("election_id", "level", "code", name="uq_turnout_row_code"),
        Index("ix_turnout_row_election_kecamatan", "election_id", "kecamatan_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(10))  # kecamatan | kelurahan | tps
    # dotted Kemendagri code; a TPS is its kelurahan's code and ".nnn" (checks.parse_code)
    code: Mapped[str] = mapped_column(String(24))
    kecamatan_code: Mapped[str] = mapped_column(String(20))
    kelurahan_code: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120), default="")  # as the file wrote it
    dpt: Mapped[int] = mapped_column(Integer)
    voters: Mapped[int] = mapped_column(Integer)  # pengguna hak pilih
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TurnoutTarget(Base):
    """A target set by staff, over the election file's `turnout_target`."""

    __tablename__ = "turnout_target"

    election_id: Mapped[int] = mapped_column(
        ForeignKey("election.id", ondelete="CASCADE"), primary_key=True
    )
    percent: Mapped[float]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(120), default="")
