"""What the registry API answers with."""

from __future__ import annotations

from pydantic import BaseModel


class AccountOut(BaseModel):
    platform: str
    handle: str


class OpdRef(BaseModel):
    id: int
    code: str
    name: str


class AsnOut(BaseModel):
    id: int
    nip: str
    name: str
    kind: str
    position: str
    golongan: str
    region_code: str
    opd: OpdRef
    unit: OpdRef | None
    accounts: list[AccountOut]
    email: str | None = None
    phone: str | None = None


class AsnPage(BaseModel):
    items: list[AsnOut]
    total: int
    page: int
    pages: int
    per_page: int


class OpdOut(BaseModel):
    id: int
    code: str
    name: str
    kind: str
    region_code: str
    asn_total: int
    pns: int
    pppk: int
    units: int


class ImportError_(BaseModel):
    row: int
    column: str
    code: str
    message: str


class ImportOut(BaseModel):
    rows: int
    valid: int
    error_count: int
    errors: list[ImportError_]
    inserted: int
    updated: int
    unchanged: int
    written: bool
