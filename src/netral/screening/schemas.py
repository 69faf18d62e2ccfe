"""What the screening API answers: findings, each with its label and the reasons it fired."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# every label a screener writes; service.LABELS names each, and a test holds the two together
ScreeningLabel = Literal[
    "banned_pose",
    "allowed_pose",
    "no_gesture",
    "no_hands",
    "text_found",
    "no_text",
    "partisan",
    "political_neutral",
    "other",
    "hoax_match",
    "no_match",
    "asn_candidate",
    "no_candidate",
    "unreadable",
    "not_screened",
    "video_screened",
    "error",
]
FindingKind = Literal["gesture", "ocr", "text", "hoax", "identify", "media", "video"]


class FindingOut(BaseModel):
    """One stored finding (`from_attributes`): advice, never a decision."""

    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="The finding's id: staff decisions on it name it")
    kind: FindingKind
    label: ScreeningLabel
    score: float = Field(description="0..1: how sure the screener is")
    why: list[str] = Field(description="The landmarks, words or rule that fired, for a person")
    data: dict[str, Any] = Field(description="The screener's structured detail")
    model: str = Field(description="The model and version that produced it")
    rulebook_version: str
    ms: float
    evidence_id: int | None = Field(description="None for findings about the report as a whole")


class ReportFindingsOut(BaseModel):
    number: str
    pending: int = Field(description="Screening tasks still waiting; 0 when screening is done")
    failed: int = Field(description="Screening tasks that failed for good (see `error`)")
    error: str = Field(description="The last failure's type and message, without personal data")
    evidence: dict[str, list[FindingOut]] = Field(description="Findings per evidence id")
    report: list[FindingOut] = Field(description="Findings about the report as a whole")


class DecisionIn(BaseModel):
    """A person's verdict on a finding: `confirm`, or `reject` with a reason code."""

    decision: Literal["confirm", "reject"]
    reason: str = Field(default="", max_length=30, description="decisions.yaml code; for reject")
    note: str = Field(default="", max_length=1000)


class DecisionOut(BaseModel):
    """One decision on a finding (`from_attributes`); the newest one on a finding counts."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    finding_id: int
    decision: Literal["confirm", "reject"]
    reason: str
    note: str
    label: str | None = Field(description="What the evidence is, as a training label")
    model: str = Field(description="The version of the model that made the finding")
    decided_by: int
    decided_at: datetime
