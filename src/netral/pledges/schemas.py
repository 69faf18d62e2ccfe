"""What the pledges API and the campaign file read and answer with."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class CampaignIn(BaseModel):
    """A campaign as the YAML file or the API gives it."""

    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=3, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=3, max_length=200)
    region: str = Field(description="Kemendagri code of the kota/kabupaten, e.g. 32.73")
    election: str | None = Field(default=None, description="Code of the election it belongs to")
    issuer: str = Field(min_length=3, max_length=200, description="Kop of the signed document")
    ikrar: str = Field(min_length=10, description="The pledge ASN read")
    pakta_integritas: str = Field(min_length=10, description="The pact they sign")
    document_version: str = Field(default="1", min_length=1, max_length=40)
    opd: list[str] = Field(default_factory=list, description="OPD codes; empty: every OPD")
    opens_on: date
    closes_on: date | None = None


class CampaignOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    title: str
    region_code: str
    issuer: str
    ikrar_text: str
    pakta_text: str
    document_version: str
    document_sha256: str
    opd_ids: list[int]
    opens_on: date
    closes_on: date | None


class CoverageOut(BaseModel):
    opd_id: int
    opd_code: str
    opd: str
    asn: int
    signed: int
    percent: float


class TotalsOut(BaseModel):
    campaign_code: str
    title: str
    asn: int
    signed: int
    online: int
    paper: int
    joint_signatories: int


class UnsignedOut(BaseModel):
    asn_id: int
    nip: str
    name: str
    position: str
    opd_code: str
    opd: str
    unit: str


class UnsignedPage(BaseModel):
    items: list[UnsignedOut]
    total: int


class CodeSentOut(BaseModel):
    sent_to: str = Field(description="The e-mail address, masked")
    expires_at: datetime


class SignIn(BaseModel):
    nip: str = Field(min_length=18, max_length=24)
    code: str = Field(min_length=6, max_length=6)


class SignatureOut(BaseModel):
    campaign_code: str
    nip: str
    method: str
    signed_at: datetime
    document_sha256: str
    sheet_sha256: str | None


class JointIn(BaseModel):
    name: str = Field(min_length=3, max_length=200)
    office: str = Field(min_length=3, max_length=200)
    signed_on: date


class JointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    office: str
    signed_on: date
