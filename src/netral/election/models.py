"""The election being supervised, and its candidate pairs; entered or imported as data."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.core.db import Base


class Election(Base):
    __tablename__ = "election"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))  # pilkada | pemilu
    # None: a national pemilu, which covers every region
    region_code: Mapped[str | None] = mapped_column(String(20), index=True)
    campaign_start: Mapped[date | None] = mapped_column(Date)
    campaign_end: Mapped[date | None] = mapped_column(Date)
    # penetapan pasangan calon: before it a candidate is a bakal calon (DOMAIN.md)
    candidates_fixed_on: Mapped[date | None] = mapped_column(Date)
    voting_day: Mapped[date] = mapped_column(Date)
    turnout_target: Mapped[float | None]
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    candidates: Mapped[list[CandidatePair]] = relationship(
        back_populates="election",
        cascade="all, delete-orphan",
        order_by="CandidatePair.ballot_number",
        lazy="selectin",
    )


class CandidatePair(Base):
    __tablename__ = "candidate_pair"
    __table_args__ = (UniqueConstraint("election_id", "ballot_number", name="uq_candidate_ballot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    election_id: Mapped[int] = mapped_column(ForeignKey("election.id", ondelete="CASCADE"))
    ballot_number: Mapped[int] = mapped_column(Integer)
    head_name: Mapped[str] = mapped_column(String(200))
    deputy_name: Mapped[str] = mapped_column(String(200))
    # nicknames, parties, slogans, hashtags, social accounts: lists the lexicon reads
    nicknames: Mapped[list[str]] = mapped_column(JSON, default=list)
    parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    slogans: Mapped[list[str]] = mapped_column(JSON, default=list)
    hashtags: Mapped[list[str]] = mapped_column(JSON, default=list)
    accounts: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)

    election: Mapped[Election] = relationship(back_populates="candidates")
