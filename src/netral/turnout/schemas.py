"""What the turnout API answers: turnout per kecamatan, the totals, the target, an import's report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from netral.web.fields import IsoDateTime
from netral.web.problems import Problem

if TYPE_CHECKING:
    from netral.turnout.service import ImportReport


class KecamatanTurnoutOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str = Field(examples=["32.73.01"])
    name: str
    dpt: int = Field(description="Registered voters (daftar pemilih tetap)")
    voters: int = Field(description="Voters who turned out (pengguna hak pilih)")
    percent: float
    target: float | None
    gap: int = Field(description="More voters that would have reached the target; 0 when reached")


class TurnoutTotalsOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    election_code: str
    dpt: int
    voters: int
    percent: float | None
    target: float | None
    gap: int
    levels: list[str] = Field(description="The levels loaded: kecamatan, kelurahan, tps")


class TargetOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    percent: float | None = Field(description="The target in force")
    from_file: float | None = Field(description="The election file's `turnout_target`")
    set_by: str | None = Field(description="Who set the target in force; None: the file's")
    set_at: IsoDateTime | None = None


class TargetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    percent: float = Field(gt=0, le=100, examples=[82.9])


class TurnoutOut(BaseModel):
    election: str
    target: TargetOut
    totals: TurnoutTotalsOut | None = Field(description="None until a level is loaded")
    kecamatan: list[KecamatanTurnoutOut] = Field(description="Lowest turnout first")


class TurnoutImportRowError(BaseModel):
    row: int | None = Field(description="The line in the file (header = 1); None: the file")
    column: str | None
    code: str = Field(examples=["turnout.voters_exceed_dpt"])
    message: str


class TurnoutImportOut(BaseModel):
    rows: int
    valid: int
    errors: list[TurnoutImportRowError] = Field(
        description="The first 1,000 errors; `error_count` counts all"
    )
    error_count: int
    election: str
    level: str | None
    replaced: int = Field(description="Rows of the same level this import replaced")
    written: bool
    dry_run: bool
    partial: bool
    summary: str

    @classmethod
    def of(cls, report: ImportReport, lang: str) -> TurnoutImportOut:
        return cls.model_validate(report.as_dict(lang))


class TurnoutImportProblem(Problem):
    """The refusal of a whole file: the problem, and the row report that says why."""

    report: TurnoutImportOut | None = None
