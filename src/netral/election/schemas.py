"""The election file: what an operator writes (or imports) to describe the election supervised.

    election: {name, kind, [region], voting_day,
               [code, campaign_start, campaign_end, candidates_fixed_on, turnout_target]}
    candidates: [{number, names: [head, deputy], nicknames, parties, hashtags, slogans, accounts}]

`kind: pilkada` (UU 10/2016) always names its region (a province "32" or a regency/city "32.73");
`kind: pemilu` (UU 7/2017) is national when it names no region, or held in one region (e.g. a
re-vote). `candidates_fixed_on` is the day the candidate pairs were fixed (penetapan paslon): before
it a candidate is a *bakal calon*, which decides the track of an act (DOMAIN.md).

The screening CLI reads the same file (`--election FILE`), so only name, kind, voting_day (and a
pilkada's region) and each candidate's number and names are required.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

Platform = Literal["instagram", "facebook", "x", "tiktok", "youtube", "threads"]
ElectionKind = Literal["pilkada", "pemilu"]


def _refuse(message_id: str, message_en: str) -> PydanticCustomError:
    """A validation error that carries its Indonesian message beside the English one."""
    return PydanticCustomError("election_rule", "{en}", {"id": message_id, "en": message_en})


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
            raise _refuse("setiap nama minimal 2 huruf", "every name needs at least 2 characters")
        return out

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, v: list[str]) -> list[str]:
        out = []
        for tag in v:
            tag = tag.strip()
            if not re.fullmatch(r"#?\w+", tag):
                raise _refuse(
                    f"tagar '{tag}' harus satu kata, mis. #Coblos3",
                    f"hashtag '{tag}' must be one word, e.g. #Coblos3",
                )
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
    region: str | None = Field(
        default=None,
        pattern=r"^\d{2}(\.\d{2})?$",
        validate_default=True,
        description="Kemendagri code: 32 or 32.73; none for a national pemilu",
    )
    voting_day: date
    code: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9-]{2,59}$")
    campaign_start: date | None = None
    campaign_end: date | None = None
    candidates_fixed_on: date | None = Field(
        default=None, description="Penetapan pasangan calon (Pilkada 2024: 2024-09-22)"
    )
    turnout_target: float | None = Field(default=None, gt=0, le=100)

    @field_validator("region")
    @classmethod
    def _region(cls, v: str | None, info: ValidationInfo) -> str | None:
        # UU 10/2016: a pilkada elects a governor, regent or mayor, always of one region
        if v is None and info.data.get("kind") == "pilkada":
            raise _refuse(
                "pilkada wajib menyebut wilayahnya (region), mis. '32' atau '32.73'; "
                "hanya pemilu yang boleh nasional (tanpa region)",
                "a pilkada must name its region, e.g. '32' or '32.73'; "
                "only a pemilu may be national (no region)",
            )
        return v

    @model_validator(mode="after")
    def _dates(self) -> ElectionInfo:
        start, end = self.campaign_start, self.campaign_end
        if start and end and start > end:
            raise _refuse(
                f"awal kampanye (campaign_start) {start} sesudah akhir kampanye (campaign_end) "
                f"{end}",
                f"campaign_start {start} is after campaign_end {end}",
            )
        if end and end >= self.voting_day:
            raise _refuse(
                f"akhir kampanye (campaign_end) {end} harus sebelum hari pemungutan suara "
                f"(voting_day) {self.voting_day}",
                f"campaign_end {end} must be before voting_day {self.voting_day}",
            )
        return self

    @field_validator("candidates_fixed_on")
    @classmethod
    def _fixed_on(cls, v: date | None, info: ValidationInfo) -> date | None:
        voting_day, start = info.data.get("voting_day"), info.data.get("campaign_start")
        if v is not None and voting_day is not None and v >= voting_day:
            raise _refuse(
                f"tanggal penetapan pasangan calon (candidates_fixed_on) {v} harus sebelum hari "
                f"pemungutan suara (voting_day) {voting_day}",
                f"the day the candidate pairs were fixed, {v}, must be before voting_day "
                f"{voting_day}",
            )
        # the campaign is the fixed candidates' campaign: it cannot start before they are fixed
        if v is not None and start is not None and v > start:
            raise _refuse(
                f"tanggal penetapan pasangan calon (candidates_fixed_on) {v} tidak boleh sesudah "
                f"awal kampanye (campaign_start) {start}",
                f"the day the candidate pairs were fixed, {v}, cannot be after campaign_start "
                f"{start}",
            )
        return v

    @property
    def national(self) -> bool:
        return self.region is None

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
            raise _refuse(
                f"nomor urut harus unik; berulang: {dupes}",
                f"ballot numbers must be unique; repeated: {dupes}",
            )
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
    region_code: str | None = Field(description="None for a national pemilu")
    campaign_start: date | None
    campaign_end: date | None
    candidates_fixed_on: date | None
    voting_day: date
    turnout_target: float | None
    candidates: list[CandidatePairOut]
