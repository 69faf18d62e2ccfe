"""The election file: what an operator writes (or imports) to describe the election supervised."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Account(BaseModel):
    model_config = ConfigDict(extra="forbid")
    platform: Literal["instagram", "facebook", "x", "tiktok", "youtube", "threads"]
    handle: str = Field(min_length=1)

    @field_validator("handle")
    @classmethod
    def _handle(cls, v: str) -> str:
        return v.lstrip("@").lower()


class CandidatePairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    ballot_number: int = Field(ge=1, le=20)
    head_name: str = Field(min_length=2)
    deputy_name: str = Field(min_length=2)
    nicknames: list[str] = []
    parties: list[str] = []
    slogans: list[str] = []
    hashtags: list[str] = []
    accounts: list[Account] = []

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


class ElectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{2,59}$")
    name: str = Field(min_length=3)
    kind: Literal["pilkada", "pemilu"]
    region_code: str = Field(pattern=r"^\d{2}(\.\d{2})?$")
    campaign_start: date
    campaign_end: date
    voting_day: date
    turnout_target: float | None = Field(default=None, gt=0, le=100)
    candidates: list[CandidatePairIn] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> ElectionIn:
        if not self.campaign_start <= self.campaign_end < self.voting_day:
            raise ValueError(
                "dates must run campaign_start <= campaign_end < voting_day "
                f"(got {self.campaign_start}, {self.campaign_end}, {self.voting_day})"
            )
        numbers = [c.ballot_number for c in self.candidates]
        if len(set(numbers)) != len(numbers):
            raise ValueError(f"ballot numbers must be unique (got {numbers})")
        return self
