"""The shape of rulebook.yaml: the law as data, checked field by field and across references."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Literal, NamedTuple, Protocol, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from netral.core.errors import NetralError, problem

Confidence = Literal["V", "N", "K"]
"""V: read in an official text; N: consistent in secondary sources; K: commonly quoted only."""

DayKind = Literal["calendar", "working"]
AsnType = Literal["PNS", "PPPK"]

SnakeCode = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ViolationCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]+-[0-9]{2}$")]
SourceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

Loc = tuple[str | int, ...]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Model):
    """The same words in Bahasa Indonesia and English."""

    id: NonEmpty
    en: NonEmpty

    def get(self, lang: str = "id") -> str:
        return self.en if lang == "en" else self.id


class Source(_Model):
    id: SourceId
    title: NonEmpty
    note: Text | None = None


class Basis(_Model):
    """Where a rule comes from; `article` is None where the article is not verified."""

    source: SourceId
    article: NonEmpty | None = None


class Applicability(_Model):
    asn: AsnType
    confirmed: bool
    basis: list[Basis] = Field(default_factory=list)
    note: Text | None = None


class Range(_Model):
    min: int = Field(ge=0)
    max: int = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self


class Criminal(_Model):
    source: SourceId
    article: NonEmpty
    penalty: Text
    imprisonment_months: Range
    fine_idr: Range
    forward_to: Literal["gakkumdu"]


class ConflictPosition(_Model):
    source: SourceId
    article: NonEmpty | None = None
    level: SnakeCode


class Conflict(_Model):
    """Two texts disagree; both positions are kept and a person decides."""

    note: Text
    positions: list[ConflictPosition] = Field(min_length=2)


class Violation(_Model):
    code: ViolationCode
    number: NonEmpty
    name: Text
    description: Text
    examples: list[Text] = Field(default_factory=list)
    ethics: SnakeCode | None
    discipline: list[SnakeCode]
    dismissal: SnakeCode | None = None
    conflict: Conflict | None = None
    criminal: Criminal | None = None
    applies_to: list[Applicability] = Field(min_length=1)
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class EthicsKind(_Model):
    code: SnakeCode
    name: Text


class EthicsSanction(_Model):
    code: SnakeCode
    name: Text
    kinds: list[EthicsKind] = Field(min_length=1)
    issued_by: Literal["ppk"]
    form: Literal["written"]
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


class Penalty(_Model):
    code: SnakeCode
    name: Text
    months: int | None = Field(default=None, gt=0)
    cut_percent: int | None = Field(default=None, gt=0, le=100)


class DisciplineLevel(_Model):
    code: SnakeCode
    severity: int = Field(gt=0)
    name: Text
    penalties: list[Penalty] = Field(min_length=1)
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


class Dismissal(_Model):
    code: SnakeCode
    name: Text
    description: Text
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


CountsFrom = Literal["event", "receipt"]
"""event: the day of the case event that starts the clock; receipt: the day the report came in."""


class Deadline(_Model):
    code: SnakeCode
    name: Text
    days: int = Field(gt=0)
    kind: DayKind
    extension_days: int | None = Field(default=None, gt=0)
    counts_from: CountsFrom = "event"
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class Pose(_Model):
    code: SnakeCode
    name: Text
    number: int | None = Field(ge=0, le=10)
    banned: bool
    violation: ViolationCode | None = None
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


class Requirement(_Model):
    code: SnakeCode
    name: Text
    form_fields: list[SnakeCode] = Field(default_factory=list)
    deadlines: list[SnakeCode] = Field(default_factory=list)


class ReportRequirements(_Model):
    formal: list[Requirement] = Field(min_length=1)
    material: list[Requirement] = Field(min_length=1)
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


class RulebookError(NetralError):
    """The rulebook file is invalid, or a code asked of it is not in it."""

    status = 422


class Issue(NamedTuple):
    """One broken reference: where (a Pydantic-style loc) and why, in both languages."""

    loc: Loc
    message_en: str
    message_id: str


class CrossReferenceError(ValueError):
    """Every broken reference in a rulebook; the loader turns each into a located message."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(f"{_plain_loc(i.loc)}: {i.message_en}" for i in self.issues))


def _plain_loc(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


_T = TypeVar("_T", bound=_Coded)


class Rulebook(_Model):
    version: NonEmpty
    effective_from: date
    sources: list[Source] = Field(min_length=1)
    violations: list[Violation] = Field(min_length=1)
    ethics_sanctions: list[EthicsSanction] = Field(min_length=1)
    discipline_levels: list[DisciplineLevel] = Field(min_length=1)
    dismissals: list[Dismissal] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(min_length=1)
    poses: list[Pose] = Field(default_factory=list)
    report_requirements: ReportRequirements

    @model_validator(mode="after")
    def _cross_references(self) -> Rulebook:
        issues = _check_references(self)
        if issues:
            raise CrossReferenceError(issues)
        return self

    def violation(self, code: str) -> Violation:
        return _find(self.violations, code, "violation", "pelanggaran")

    def deadline(self, code: str) -> Deadline:
        return _find(self.deadlines, code, "step", "tahapan")

    def pose(self, code: str) -> Pose:
        return _find(self.poses, code, "pose", "pose")

    def level(self, code: str) -> DisciplineLevel:
        return _find(self.discipline_levels, code, "level", "tingkat hukuman disiplin")

    def ethics(self, code: str) -> EthicsSanction:
        return _find(self.ethics_sanctions, code, "ethics", "sanksi etik")

    def dismissal(self, code: str) -> Dismissal:
        return _find(self.dismissals, code, "dismissal", "pemberhentian")

    def source(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        valid = ", ".join(s.id for s in self.sources)
        raise RulebookError(
            problem(
                "rules.unknown_source",
                f"Sumber {source_id!r} tidak ada di rulebook (yang ada: {valid})",
                f"Unknown source {source_id!r} (valid: {valid})",
                field="source",
                valid=[s.id for s in self.sources],
            )
        )


def _find(items: Sequence[_T], code: str, what: str, what_id: str) -> _T:
    for item in items:
        if item.code == code:
            return item
    valid = [i.code for i in items]
    listed = ", ".join(valid)
    raise RulebookError(
        problem(
            f"rules.unknown_{what}",
            f"{what_id.capitalize()} {code!r} tidak ada di rulebook (yang ada: {listed})",
            f"Unknown {what} {code!r} (valid: {listed})",
            field=what,
            valid=valid,
        )
    )


def _check_references(rb: Rulebook) -> list[Issue]:
    issues: list[Issue] = []

    def unique(section: str, codes: Iterable[str], field: str = "code") -> set[str]:
        seen: set[str] = set()
        for i, code in enumerate(codes):
            if code in seen:
                issues.append(
                    Issue(
                        (section, i, field),
                        f"duplicate {field} {code!r}",
                        f"{field} {code!r} ganda",
                    )
                )
            seen.add(code)
        return seen

    unique("sources", (s.id for s in rb.sources), "id")
    violations = unique("violations", (v.code for v in rb.violations))
    ethics = unique("ethics_sanctions", (e.code for e in rb.ethics_sanctions))
    unique("discipline_levels", (d.code for d in rb.discipline_levels))
    dismissals = unique("dismissals", (d.code for d in rb.dismissals))
    deadlines = unique("deadlines", (d.code for d in rb.deadlines))
    unique("poses", (p.code for p in rb.poses))
    req = rb.report_requirements
    requirement_parts = (("formal", req.formal), ("material", req.material))
    seen_requirements: set[str] = set()
    for part, items in requirement_parts:
        for i, r in enumerate(items):
            if r.code in seen_requirements:
                issues.append(
                    Issue(
                        ("report_requirements", part, i, "code"),
                        f"duplicate code {r.code!r}",
                        f"code {r.code!r} ganda",
                    )
                )
            seen_requirements.add(r.code)

    def ref(loc: Loc, value: str, known: Iterable[str], what_en: str, what_id: str) -> None:
        names = list(known)
        if value not in names:
            listed = ", ".join(names) or "-"
            issues.append(
                Issue(
                    loc,
                    f"{value!r} is not {what_en} ({listed})",
                    f"{value!r} bukan {what_id} ({listed})",
                )
            )

    level_order = [d.code for d in rb.discipline_levels]
    source_order = [s.id for s in rb.sources]

    def basis(loc: Loc, items: Sequence[Basis]) -> None:
        for j, b in enumerate(items):
            ref((*loc, "basis", j, "source"), b.source, source_order, "a source", "sumber")

    for i, d in enumerate(rb.discipline_levels):
        if i and d.severity <= rb.discipline_levels[i - 1].severity:
            issues.append(
                Issue(
                    ("discipline_levels", i, "severity"),
                    "levels must be listed from least to most severe",
                    "tingkat harus diurutkan dari yang paling ringan",
                )
            )
        basis(("discipline_levels", i), d.basis)
    for i, e in enumerate(rb.ethics_sanctions):
        basis(("ethics_sanctions", i), e.basis)
    for i, dm in enumerate(rb.dismissals):
        basis(("dismissals", i), dm.basis)

    for i, v in enumerate(rb.violations):
        loc: Loc = ("violations", i)
        if v.ethics is not None:
            ref((*loc, "ethics"), v.ethics, sorted(ethics), "an ethics sanction", "sanksi etik")
        for j, lvl in enumerate(v.discipline):
            ref(
                (*loc, "discipline", j),
                lvl,
                level_order,
                "a discipline level",
                "tingkat hukuman disiplin",
            )
        if v.dismissal is not None:
            ref(
                (*loc, "dismissal"), v.dismissal, sorted(dismissals), "a dismissal", "pemberhentian"
            )
        if v.ethics is None and not v.discipline and v.dismissal is None:
            issues.append(
                Issue(
                    loc,
                    "a violation needs an ethics, discipline or dismissal sanction",
                    "pelanggaran harus punya sanksi etik, disiplin atau pemberhentian",
                )
            )
        if v.conflict is not None:
            for j, pos in enumerate(v.conflict.positions):
                ploc: Loc = (*loc, "conflict", "positions", j)
                ref((*ploc, "source"), pos.source, source_order, "a source", "sumber")
                ref(
                    (*ploc, "level"),
                    pos.level,
                    v.discipline,
                    "in this violation's discipline",
                    "tingkat disiplin pelanggaran ini",
                )
        if v.criminal is not None:
            ref((*loc, "criminal", "source"), v.criminal.source, source_order, "a source", "sumber")
        for j, a in enumerate(v.applies_to):
            basis((*loc, "applies_to", j), a.basis)
        basis(loc, v.basis)

    for i, dl in enumerate(rb.deadlines):
        basis(("deadlines", i), dl.basis)
    for i, p in enumerate(rb.poses):
        if p.violation is not None:
            ref(
                ("poses", i, "violation"),
                p.violation,
                sorted(violations),
                "a violation",
                "pelanggaran",
            )
        elif p.banned:
            issues.append(
                Issue(
                    ("poses", i, "violation"),
                    "a banned pose must name its violation",
                    "pose terlarang harus menyebut pelanggarannya",
                )
            )
        basis(("poses", i), p.basis)

    for part, items in requirement_parts:
        for i, r in enumerate(items):
            for j, dcode in enumerate(r.deadlines):
                ref(
                    ("report_requirements", part, i, "deadlines", j),
                    dcode,
                    sorted(deadlines),
                    "a deadline",
                    "tenggat",
                )
    basis(("report_requirements",), req.basis)
    return issues
