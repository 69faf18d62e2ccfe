"""The report form (Perbawaslu 8/2020 as amended by 9/2024) as data in, and what staff read out."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)

from netral.web.fields import IsoDateTime

URL_RE = re.compile(r"^https?://[^\s<>\"']{3,2000}$")

# the inbox's states (service.STATUS_LABELS, service.TRANSITIONS; a test holds the three together)
ReportStatus = Literal["baru", "diperiksa", "diteruskan", "ditolak", "digabung"]
# laporan: formal, with the reporter's identity; informasi_awal: for Bawaslu's own supervision
ReportKind = Literal["laporan", "informasi_awal"]
# pindai: a post found by a bulk scan of public posts (`netral scan posts`), Bawaslu's own
# supervision
Channel = Literal["publik", "staf", "api", "pindai"]
# asn: an ASN-neutrality report; apk: campaign props or materials at a forbidden place (an
# election administrative matter, categories from the rulebook's campaign_props)
ReportSubject = Literal["asn", "apk"]
EvidenceKind = Literal["image", "pdf", "video", "text"]
Sender = Literal["staf", "pelapor"]
# what ReportMessage.sender may hold: the conversation's two sides, and "sistem" for the public
# progress lines another domain records (service.record_public_progress), never shown as a message
MessageSender = Literal["staf", "pelapor", "sistem"]
DuplicateBasis = Literal["foto", "teks"]


_BOOL = TypeAdapter(bool)


def _truthy(value: object) -> bool:
    """A form's or a JSON body's "yes", read as pydantic reads a bool ("on", "true", 1)."""
    try:
        return value is not None and _BOOL.validate_python(value)
    except ValidationError:
        return False


class ReporterIdentity(BaseModel):
    """Who reports. Sealed with AES-GCM at rest; only Bawaslu staff may open it."""

    name: str = ""
    birth_place: str = ""
    birth_date: date | None = None
    sex: Literal["", "L", "P"] = ""
    occupation: str = ""
    nationality: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    # UU 1/2015 art. 134(2): pemilih, pemantau terdaftar, peserta pemilihan (the rulebook's
    # report_requirements.standing); personal, so it is sealed with the rest
    standing: str = ""

    def is_empty(self) -> bool:
        # a standing alone names nobody: without a person it is still an anonymous report
        values = self.model_dump(exclude={"standing"}).values()
        return not any(str(v).strip() for v in values if v is not None)


class ReportIn(BaseModel):
    """One report as submitted. Field names are the form's; each error names its field."""

    model_config = ConfigDict(str_strip_whitespace=True)

    anonymous: bool = False
    reporter_name: str = Field(default="", max_length=200)
    reporter_birth_place: str = Field(default="", max_length=100)
    reporter_birth_date: date | None = None
    reporter_sex: Literal["", "L", "P"] = ""
    reporter_occupation: str = Field(default="", max_length=100)
    reporter_nationality: str = Field(default="WNI", max_length=60)
    reporter_address: str = Field(default="", max_length=300)
    reporter_phone: str = Field(default="", max_length=30)
    reporter_email: str = Field(default="", max_length=200)
    # a code from the rulebook's report_requirements.standing; checked against it on submit
    reporter_standing: str = Field(default="", max_length=40)

    reported_name: str = Field(default="", max_length=200)
    reported_nip: str = Field(default="", max_length=30)
    reported_position: str = Field(default="", max_length=300)
    reported_address: str = Field(default="", max_length=300)
    reported_phone: str = Field(default="", max_length=30)

    description: str = Field(max_length=10_000)
    place: str = Field(default="", max_length=300)
    region: str = Field(default="", max_length=20)
    kecamatan: str = Field(default="", max_length=20)
    kelurahan: str = Field(default="", max_length=20)
    occurred_on: date
    known_on: date
    witnesses: str = Field(default="", max_length=2000)
    category: str = Field(default="tidak_tahu", max_length=20)
    links: str = Field(default="", max_length=5000)
    subject: ReportSubject = "asn"
    # campaign props: the kind of place (a rulebook campaign_props.places code) and the point
    # picked on the form; the point is text here so a bad value gets an Indonesian message
    place_kind: str = Field(default="", max_length=40)
    latitude: str = Field(default="", max_length=30)
    longitude: str = Field(default="", max_length=30)

    @model_validator(mode="before")
    @classmethod
    def _anonymous_keeps_no_identity(cls, data: object) -> object:
        """Identity sent along with "anonymous" is dropped before anything reads it."""
        if isinstance(data, dict) and _truthy(data.get("anonymous")):
            return {k: v for k, v in data.items() if not str(k).startswith("reporter_")}
        return data

    @field_validator("reporter_birth_date", "occurred_on", "known_on", mode="before")
    @classmethod
    def _blank_date(cls, v: object) -> object:
        return None if v == "" else v

    def identity(self) -> ReporterIdentity:
        if self.anonymous:
            return ReporterIdentity()
        return ReporterIdentity(
            name=self.reporter_name,
            birth_place=self.reporter_birth_place,
            birth_date=self.reporter_birth_date,
            sex=self.reporter_sex,
            occupation=self.reporter_occupation,
            nationality=self.reporter_nationality if self.reporter_name else "",
            address=self.reporter_address,
            phone=self.reporter_phone,
            email=self.reporter_email,
            standing=self.reporter_standing,
        )

    def link_list(self) -> list[str]:
        return [u.strip() for u in re.split(r"[\s,]+", self.links) if u.strip()]


class ReceiptOut(BaseModel):
    number: str
    receipt_code: str = Field(description="Shown once. Keep it: it is the only way back in.")
    kind: ReportKind
    status: ReportStatus
    is_late: bool
    filing_due_on: date
    message: str


class MessageOut(BaseModel):
    sender: Sender
    body: str
    created_at: IsoDateTime


class ProgressOut(BaseModel):
    """One line of what the reporter sees happen: a status change or a step of the case."""

    on: date
    stage: str = Field(description="A report status, or a stage of service.PUBLIC_STAGES")
    label: str


class ReceiptStatusOut(BaseModel):
    number: str
    kind: ReportKind
    status: ReportStatus
    status_label: str
    created_at: IsoDateTime
    evidence_count: int
    messages: list[MessageOut]
    progress: list[ProgressOut] = Field(description="Oldest first; never names staff")


class FormalCheckOut(BaseModel):
    """One of the rulebook's syarat formil / materiil, as checked when the report came in."""

    group: Literal["formil", "materiil"]
    code: str
    name_id: str
    name_en: str
    status: Literal["ok", "kurang", "terlambat", "di_kantor", "tidak_memenuhi"]
    missing: list[str] = Field(description="The form fields that were empty")
    detail: str


class EvidenceOut(BaseModel):
    id: int
    sha256: str
    media_type: str
    kind: EvidenceKind
    size: int
    preview: str | None = Field(description="The EXIF-stripped copy staff see, when there is one")
    preparing: bool = Field(
        default=False,
        description="A photo whose EXIF-stripped copy is still being made (seconds after filing)",
    )


class ForwardOut(BaseModel):
    """A campaign-prop report forwarded with a letter (to Satpol PP or KPU)."""

    recipient: str
    addressee: str
    letter_number: str
    forwarded_on: date
    letter: str = Field(description="Where staff download the letter (PDF)")


class ForwardIn(BaseModel):
    recipient: str = Field(
        max_length=40, description="A rulebook campaign_props.recipients code: satpol_pp, kpu"
    )


class ReportOut(BaseModel):
    """A report as staff read it in the inbox; the reporter's identity is never in it."""

    number: str
    kind: ReportKind
    channel: Channel
    status: ReportStatus
    anonymous: bool
    region_code: str
    category: str | None = Field(description="The rulebook violation code, if the reporter chose")
    reported_name: str
    reported_nip: str
    reported_position: str
    reported_asn_id: int | None
    description: str
    place: str
    kecamatan: str | None
    kelurahan: str | None
    occurred_on: date
    known_on: date
    filing_due_on: date
    is_late: bool
    formal_check: list[FormalCheckOut]
    links: list[str]
    rulebook_version: str
    created_at: IsoDateTime
    evidence: list[EvidenceOut]
    messages: list[MessageOut]
    subject: ReportSubject = "asn"
    place_kind: str | None = Field(
        default=None, description="Campaign props: the rulebook's kind of forbidden place"
    )
    latitude: float | None = None
    longitude: float | None = None
    forwards: list[ForwardOut] = Field(
        default_factory=list, description="Letters the report was forwarded with"
    )


class DuplicateOut(BaseModel):
    id: int = Field(description="The suggestion's id, for /duplicates/{suggestion_id}/...")
    other: str = Field(description="The other report's number")
    basis: DuplicateBasis
    score: float
    why: str


class ReportDetailOut(ReportOut):
    duplicates: list[DuplicateOut] = Field(description="Open duplicate suggestions")


class ReportPage(BaseModel):
    items: list[ReportOut]
    total: int
    page: int


class ReceiptLookup(BaseModel):
    number: str = Field(max_length=30)
    code: str = Field(max_length=40)


class ReplyIn(ReceiptLookup):
    body: str = Field(min_length=1, max_length=5000)
