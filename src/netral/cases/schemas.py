"""What a transition may carry, and what the API answers about a case."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from netral.core.db import RowId


class RecommendationIn(BaseModel):
    """The commissioner's choice among the rulebook's options for the proven acts."""

    ethics_kind: str | None = Field(default=None, description="e.g. tertutup | terbuka")
    discipline_level: str | None = Field(default=None, description="ringan | sedang | berat")
    dismissal: str | None = Field(default=None, description="ptdh, for party membership")
    criminal_forward: bool = False
    note: str = Field(default="", max_length=2000)


class TransitionIn(BaseModel):
    reason: str = Field(default="", max_length=5000)
    decision_date: date | None = None
    proven_acts: list[str] = []
    forwarded_to: str | None = None
    recommendation: RecommendationIn | None = None
    sk_number: str = Field(default="", max_length=80)
    sk_date: date | None = None
    sanction_level: str | None = None
    penalty: str | None = None
    carried_out_on: date | None = None
    proof_document_id: RowId | None = None


class CaseOpenIn(BaseModel):
    title: str = Field(min_length=5, max_length=300)
    summary: str = Field(default="", max_length=10_000)
    origin: str = Field(default="laporan", pattern="^(laporan|temuan)$")
    region: str = Field(default="", max_length=20)
    reports: list[str] = []
    asn_ids: list[RowId] = []
    acts: list[str] = []
