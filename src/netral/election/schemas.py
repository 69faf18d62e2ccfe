"""The election file: what an operator writes (or imports) to describe the election supervised.

    election: {name, kind, region, voting_day, [code, campaign_start, campaign_end, turnout_target]}
    candidates: [{number, names: [head, deputy], nicknames, parties, hashtags, slogans, accounts}]

The screening CLI reads the same file (`--election FILE`), so only the first four election fields
and each candidate's number and names are required.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Platform = Literal["instagram", "facebook", "x", "tiktok", "youtube", "threads"]
ElectionKind = Literal["pilkada", "pemilu"]


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: Platform
    handle: str = Field(min_length=1)

    @field_validator("handle")
    @classmethod
    def _handle(cls, v: str) -> str:
        return v.lstrip("@").lower()


class CandidatePairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=20, description="Ballot number (nomor urut)")
    names: list[str] = Field(min_length=1, max_length=2, description="[head, deputy]")
    nicknames: list[str] = []
    parties: list[str] = []
    slogans: list[str] = []
    hashtags: list[str] = []
    accounts: list[Account] = []

    @field_validator("names")
    @classmethod
    def _names(cls, v: list[str]) -> list[str]:
        out = [n.strip() for n in v]
        if any(len(n) < 2 for n in out):
            raise ValueError("every name needs at least 2 characters")
        return out

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, v: list[str]) -> list[str]:
        out = []
        for tag in v:
            tag = tag.strip()
            if not re.fullmatch(r"#?\w+", tag):
                raise ValueError(f"hashtag '{tag}' must be one word, e.g. #Coblos3")
            out.append(tag if tag.startswith("#") else "#" + tag)
        return out

    @property
    def head_name(self) -> str:
        return self.names[0]

    @property
    def deputy_name(self) -> str:
        return self.names[1] if len(self.names) > 1 else ""


class ElectionInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=3)
    kind: ElectionKind
    region: str = Field(pattern=r"^\d{2}(\.\d{2})?$", description="Kemendagri code: 32 or 32.73")
    voting_day: date
    code: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{2,59}$")
    campaign_start: date | None = None
    campaign_end: date | None = None
    turnout_target: float | None = Field(default=None, gt=0, le=100)

    @model_validator(mode="after")
    def _dates(self) -> ElectionInfo:
        start, end = self.campaign_start, self.campaign_end
        if start and end and start > end:
            raise ValueError(f"campaign_start {start} is after campaign_end {end}")
        if end and end >= self.voting_day:
            raise ValueError(f"campaign_end {end} must be before voting_day {self.voting_day}")
        return self

    @property
    def slug(self) -> str:
        if self.code:
            return self.code
        base = re.sub(r"[^a-z0-9]+", "-", self.name.lower()).strip("-")
        return (
            f"{base}-{self.voting_day.year}"[:60]
            if str(self.voting_day.year) not in base
            else base[:60]
        )


class ElectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    election: ElectionInfo
    candidates: list[CandidatePairIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_numbers(self) -> ElectionIn:
        numbers = [c.number for c in self.candidates]
        dupes = sorted({n for n in numbers if numbers.count(n) > 1})
        if dupes:
            raise ValueError(f"ballot numbers must be unique; repeated: {dupes}")
        return self

    @property
    def code(self) -> str:
        return self.election.slug


# ---------------------------------------------------------------- what the API answers


class CandidateAccountOut(BaseModel):
    platform: Platform
    handle: str


class CandidatePairOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    ballot_number: int
    head_name: str
    deputy_name: str
    nicknames: list[str]
    parties: list[str]
    slogans: list[str]
    hashtags: list[str]
    accounts: list[CandidateAccountOut]


class ElectionOut(BaseModel):
    """An election in the user's scope, read from the database (`from_attributes`)."""

    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    kind: ElectionKind
    region_code: str
    campaign_start: date | None
    campaign_end: date | None
    voting_day: date
    turnout_target: float | None
    candidates: list[CandidatePairOut]
