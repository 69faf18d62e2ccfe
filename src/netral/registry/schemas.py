"""What the registry API answers with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from netral.registry.wilayah import Tingkat
from netral.rules.schema import AsnType
from netral.web.problems import Problem

if TYPE_CHECKING:
    from netral.registry.importer import ImportReport


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
    kind: AsnType
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


class WilayahOut(BaseModel):
    code: str = Field(description="Kemendagri code, e.g. 32.73.01")
    name: str
    level: Tingkat
    parent: str | None


class ImportRowError(BaseModel):
    row: int
    column: str
    code: str
    message: str


class ImportOut(BaseModel):
    rows: int
    valid: int
    error_count: int
    errors: list[ImportRowError] = Field(
        description="The first 1,000 errors; `error_count` counts all"
    )
    inserted: int
    updated: int
    unchanged: int
    written: bool

    @classmethod
    def of(cls, report: ImportReport, lang: str) -> ImportOut:
        return cls.model_validate(report.as_dict(lang))


class ImportProblem(Problem):
    """The refusal of a whole file: the problem, and the row report that says why."""

    report: ImportOut | None = None
