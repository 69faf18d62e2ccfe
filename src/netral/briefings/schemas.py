"""Pydantic in/out for briefings: an event as entered, as shown, and the import report."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class BriefingIn(BaseModel):
    """An event as the organiser enters it; day and times are WIB."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=3, max_length=200)
    region_code: str = Field(pattern=r"^\d{2}\.\d{2}$")
    day: date
    start: time
    end: time
    place: str = Field(min_length=2, max_length=200)
    organiser: str = Field(default="Bakesbangpol", min_length=2, max_length=200)
    audience_opd: Literal["none", "all", "chosen"] = "none"
    audience_opd_people: Literal["heads", "staff"] = "heads"
    opd_ids: list[int] = Field(default_factory=list)
    camat: bool = False
    lurah: bool = False
    topics: list[str] = Field(min_length=1)
    # the QR check-in opens this many minutes before the start and closes at this time (WIB)
    checkin_lead_minutes: int = Field(default=60, ge=0, le=7 * 24 * 60)
    checkin_closes: time | None = None


class TopicOut(BaseModel):
    id: str
    name: str


class MaterialOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    filename: str
    media_type: str
    size: int


class BriefingOut(BaseModel):
    id: int
    title: str
    region_code: str
    starts_at: datetime
    ends_at: datetime
    place: str
    organiser: str
    audience_opd: str
    audience_opd_people: str
    opd_ids: list[int]
    camat: bool
    lurah: bool
    topics: list[str]
    checkin_opens_at: datetime
    checkin_closes_at: datetime
    materials: list[MaterialOut]
    attendance: int


class AttendeeOut(BaseModel):
    nip: str
    name: str
    position: str
    opd: str
    source: str
    matched_by: str
    recorded_at: datetime


class CheckInOut(BaseModel):
    status: Literal["recorded", "already"]
    nip: str


class RowErrorOut(BaseModel):
    row: int
    column: str
    code: str
    message: str


class PendingOut(BaseModel):
    row: int
    written_name: str
    nip: str
    name: str
    opd: str


class AttendanceReportOut(BaseModel):
    rows: int
    valid: int
    errors: list[RowErrorOut]
    to_confirm: list[PendingOut]
    recorded: int
    already: int
    written: bool
    dry_run: bool


class OpdCoverageOut(BaseModel):
    opd_id: int
    opd_code: str
    opd: str
    invited: int
    attended: int
    briefed: bool


class AreaCoverageOut(BaseModel):
    kecamatan_code: str
    kecamatan: str
    camat_briefed: bool
    lurah: int
    lurah_briefed: int


class MissedOut(BaseModel):
    kind: Literal["opd", "camat", "lurah"]
    office: str
    kecamatan: str
    nip: str | None
    name: str | None
    invited: int


class CoverageOut(BaseModel):
    rule: str
    opd: list[OpdCoverageOut]
    kecamatan: list[AreaCoverageOut]
    missed: list[MissedOut]
