"""The shape of rulebook.yaml: the law as data, checked field by field and across references."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
    """A text the rulebook rests on: `title` is its real, full name as a letter cites it."""

    id: SourceId
    title: NonEmpty
    short: NonEmpty
    law: bool = True
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


ElectionKind = Literal["pilkada", "pemilu"]
Liable = Literal["asn", "candidate", "regional_head", "anyone"]


class CriminalArticle(_Model):
    """An election crime (to Gakkumdu), forwarded in parallel with the neutrality tracks."""

    code: SnakeCode
    name: Text
    election: ElectionKind
    liable: Liable
    source: SourceId
    article: NonEmpty
    penalty: Text
    custody: Literal["penjara", "kurungan"]
    imprisonment_months: Range
    fine_idr: Range
    forward_to: Literal["gakkumdu"]
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence  # that the article fits the act
    penalty_confidence: Confidence  # the penalty figures
    note: Text | None = None


Track = Literal["ethics", "discipline"]


class CandidacyPhase(_Model):
    """Which sanction tracks an act gets in one phase of the candidacy (bakal calon / calon)."""

    code: Literal["bakal_calon", "calon"]
    name: Text
    tracks: list[Track] = Field(min_length=1)
    ethics: SnakeCode | None = None
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class Candidacy(_Model):
    """The track follows the act's date: before the pairs are fixed, on or after that date."""

    date_field: Literal["candidates_fixed_on"]
    violations: list[ViolationCode] = Field(min_length=1)
    before: CandidacyPhase
    on_or_after: CandidacyPhase
    note: Text | None = None


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
    # Codes of `criminal_articles`: forwarded to Gakkumdu in addition to, never instead of, the
    # ethics and discipline tracks.
    criminal: list[SnakeCode] = Field(default_factory=list)
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
    applies_to: list[Applicability] = Field(default_factory=list)
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


Finger = Literal["thumb", "index", "middle", "ring", "pinky"]


class PoseShape(_Model):
    """Fingers held straight for a pose, and what a person reads from them.

    `count` is the fingers a person counts (an OK sign's ring is not counted), by default as many
    as are held up; `number` the ballot number the shape signals, by default the pose's own.
    """

    fingers: list[Finger]
    count: int | None = Field(default=None, ge=0, le=5)
    number: int | None = Field(default=None, ge=0, le=10)

    @property
    def shown(self) -> int:
        return len(self.fingers) if self.count is None else self.count


class PoseCounting(_Model):
    """How the poses of two hands in one photo combine into one number."""

    two_hands_add: bool = False  # one person's open hand (5) and other hand (n) read as 5 + n
    note: Text | None = None
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


class Pose(_Model):
    """A photo pose; `by_operator` poses are not on the published list: an operator's switch."""

    code: SnakeCode
    name: Text
    number: int | None = Field(ge=0, le=10)
    shapes: list[PoseShape] = Field(default_factory=list)
    banned: bool
    by_operator: bool = False
    violation: ViolationCode | None = None
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class Requirement(_Model):
    code: SnakeCode
    name: Text
    form_fields: list[SnakeCode] = Field(default_factory=list)
    deadlines: list[SnakeCode] = Field(default_factory=list)


class StandingChoice(_Model):
    """One answer to 'who are you?' on the report form; `files_laporan` decides the kind."""

    code: SnakeCode
    name: Text
    files_laporan: bool


class Standing(_Model):
    """Who may file a laporan (UU 1/2015 art. 134(2)); anyone else gives informasi awal."""

    choices: list[StandingChoice] = Field(min_length=1)
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None

    def choice(self, code: str) -> StandingChoice | None:
        return next((c for c in self.choices if c.code == code), None)


class RejectionGround(_Model):
    """Why a report is not taken further, chosen by staff from this list: `name` is what staff
    pick, `public` what the reporter reads on the receipt (never the staff member's own note,
    which may name people)."""

    code: SnakeCode
    name: Text
    public: Text
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence


class ReportRequirements(_Model):
    formal: list[Requirement] = Field(min_length=1)
    material: list[Requirement] = Field(min_length=1)
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    standing: Standing
    rejection_grounds: list[RejectionGround] = Field(min_length=1)

    def rejection_ground(self, code: str) -> RejectionGround | None:
        return next((g for g in self.rejection_grounds if g.code == code), None)


class PropCategory(_Model):
    """A category of campaign-prop (APK) report: an election administrative matter, not an ASN act.

    Coded like the violations (`APK-01`) so a report's one `category` column holds either, and
    the inbox filters both the same way; the two lists never share a code.
    """

    code: ViolationCode
    name: Text
    description: Text
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class ForbiddenPlace(_Model):
    """A kind of place where campaign props and materials may not be put up."""

    code: SnakeCode
    name: Text
    examples: Text | None = None
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class PropRecipient(_Model):
    """Whom Bawaslu forwards a campaign-prop report to, and what it asks of them.

    The addressee's exact title is the office's (the letterhead's `recipients[code]`).
    """

    code: SnakeCode
    name: Text
    request: Text
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None


class CampaignProps(_Model):
    """Where APK and campaign materials may not stand, and where such a report is forwarded."""

    categories: list[PropCategory] = Field(min_length=1)
    places: list[ForbiddenPlace] = Field(min_length=1)
    recipients: list[PropRecipient] = Field(min_length=1)
    basis: list[Basis] = Field(min_length=1)
    confidence: Confidence
    note: Text | None = None

    def category(self, code: str) -> PropCategory:
        return _find(self.categories, code, "prop_category", "kategori APK")

    def place(self, code: str) -> ForbiddenPlace:
        return _find(self.places, code, "place_kind", "jenis tempat")

    def recipient(self, code: str) -> PropRecipient:
        return _find(self.recipients, code, "recipient", "penerima")


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


class Cited(Protocol):
    """Anything naming a source and (maybe) an article: Basis, ConflictPosition, CriminalArticle."""

    @property
    def source(self) -> str: ...

    @property
    def article(self) -> str | None: ...


class Uncertain(NamedTuple):
    """A fact of the rulebook not read in an official text: where it is and its mark (N or K)."""

    section: str
    code: str
    confidence: Confidence


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
    pose_counting: PoseCounting | None = None
    criminal_articles: list[CriminalArticle] = Field(default_factory=list)
    candidacy: Candidacy | None = None
    report_requirements: ReportRequirements
    campaign_props: CampaignProps | None = None

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

    def criminal_article(self, code: str) -> CriminalArticle:
        return _find(self.criminal_articles, code, "criminal_article", "pasal pidana")

    def crimes_for(
        self, violation: Violation, election: ElectionKind | None = None
    ) -> list[CriminalArticle]:
        """The act's criminal articles (for one kind of election when given), in rulebook order."""
        crimes = [self.criminal_article(c) for c in violation.criminal]
        return [c for c in crimes if election is None or c.election == election]

    def cite(self, basis: Cited, *, short: bool = False) -> str:
        """The basis as a letter cites it: article, then the source's real name (never its id).

        cite(Basis(source="pp-94-2021", article="Pasal 5 huruf n angka 4")) ->
        "Pasal 5 huruf n angka 4 Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin
        Pegawai Negeri Sipil"; short=True gives "Pasal 5 huruf n angka 4 PP 94/2021".
        """
        src = self.source(basis.source)
        name = src.short if short else src.title
        return f"{basis.article} {name}" if basis.article else name

    def uncertain(self) -> list[Uncertain]:
        """Every fact still marked N or K (not read in an official text), K first."""
        facts: list[tuple[str, str, Confidence]] = [
            *(("violations", v.code, v.confidence) for v in self.violations),
            *(("criminal_articles", c.code, c.confidence) for c in self.criminal_articles),
            *(
                ("criminal_articles", f"{c.code}.penalty", c.penalty_confidence)
                for c in self.criminal_articles
            ),
            *(("ethics_sanctions", e.code, e.confidence) for e in self.ethics_sanctions),
            *(("discipline_levels", d.code, d.confidence) for d in self.discipline_levels),
            *(("dismissals", d.code, d.confidence) for d in self.dismissals),
            *(("deadlines", d.code, d.confidence) for d in self.deadlines),
            *(("poses", p.code, p.confidence) for p in self.poses),
            ("report_requirements", "-", self.report_requirements.confidence),
        ]
        if self.campaign_props is not None:
            props = self.campaign_props
            facts.append(("campaign_props", "-", props.confidence))
            facts += [("campaign_props.categories", c.code, c.confidence) for c in props.categories]
            facts += [("campaign_props.places", p.code, p.confidence) for p in props.places]
            facts += [("campaign_props.recipients", r.code, r.confidence) for r in props.recipients]
        if self.candidacy is not None:
            for phase in (self.candidacy.before, self.candidacy.on_or_after):
                facts.append(("candidacy", phase.code, phase.confidence))
        out = [Uncertain(*f) for f in facts if f[2] != "V"]
        return sorted(out, key=lambda u: u.confidence != "K")

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
    legal = {s.id for s in rb.sources if s.law}

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
        for j, a in enumerate(dm.applies_to):
            basis(("dismissals", i, "applies_to", j), a.basis)
        basis(("dismissals", i), dm.basis)
    crimes = unique("criminal_articles", (c.code for c in rb.criminal_articles))
    for i, c in enumerate(rb.criminal_articles):
        ref(("criminal_articles", i, "source"), c.source, source_order, "a source", "sumber")
        basis(("criminal_articles", i), c.basis)

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
        for j, crime in enumerate(v.criminal):
            ref(
                (*loc, "criminal", j),
                crime,
                sorted(crimes),
                "a criminal article",
                "pasal pidana",
            )
        for j, a in enumerate(v.applies_to):
            basis((*loc, "applies_to", j), a.basis)
        basis(loc, v.basis)
        if v.basis and not any(b.source in legal for b in v.basis):
            # An act rests on law: secondary sources may support it, never stand alone.
            issues.append(
                Issue(
                    (*loc, "basis"),
                    "an act needs at least one basis in law (not only secondary sources)",
                    "perbuatan harus punya paling sedikit satu dasar hukum (bukan hanya sumber sekunder)",
                )
            )

    for i, dl in enumerate(rb.deadlines):
        basis(("deadlines", i), dl.basis)
    shapes_seen: set[frozenset[str]] = set()
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
        if p.by_operator and p.note is None:
            issues.append(
                Issue(
                    ("poses", i, "note"),
                    "a pose switched on by the operator (not law) must say so in a note",
                    "pose pilihan operator (bukan hukum) harus dijelaskan dalam note",
                )
            )
        basis(("poses", i), p.basis)
        for j, shape in enumerate(p.shapes):
            fingers = frozenset(shape.fingers)
            if len(fingers) != len(shape.fingers) or fingers in shapes_seen:
                issues.append(
                    Issue(
                        ("poses", i, "shapes", j),
                        "a finger shape may name each finger once and belong to one pose only",
                        "bentuk jari hanya boleh menyebut tiap jari sekali dan milik satu pose",
                    )
                )
            shapes_seen.add(fingers)
    if rb.pose_counting is not None:
        basis(("pose_counting",), rb.pose_counting.basis)

    if rb.candidacy is not None:
        cand = rb.candidacy
        by_code = {v.code: v for v in rb.violations}
        for j, vcode in enumerate(cand.violations):
            ref(
                ("candidacy", "violations", j),
                vcode,
                sorted(violations),
                "a violation",
                "pelanggaran",
            )
            listed = by_code.get(vcode)
            if listed is None:
                continue
            for key, phase in (("before", cand.before), ("on_or_after", cand.on_or_after)):
                gives_ethics = "ethics" in phase.tracks and (listed.ethics or phase.ethics)
                gives_discipline = "discipline" in phase.tracks and (
                    listed.discipline or listed.dismissal
                )
                if not (gives_ethics or gives_discipline):
                    issues.append(
                        Issue(
                            ("candidacy", "violations", j),
                            f"{vcode} would have no sanction in phase {key!r}",
                            f"{vcode} tidak punya sanksi pada fase {key!r}",
                        )
                    )
        for key, phase in (("before", cand.before), ("on_or_after", cand.on_or_after)):
            if phase.ethics is not None:
                ref(
                    ("candidacy", key, "ethics"),
                    phase.ethics,
                    sorted(ethics),
                    "an ethics sanction",
                    "sanksi etik",
                )
            basis(("candidacy", key), phase.basis)

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
    standing_codes: set[str] = set()
    for i, choice in enumerate(req.standing.choices):
        if choice.code in standing_codes:
            issues.append(
                Issue(
                    ("report_requirements", "standing", "choices", i, "code"),
                    f"duplicate code {choice.code!r}",
                    f"code {choice.code!r} ganda",
                )
            )
        standing_codes.add(choice.code)
    if not any(ch.files_laporan for ch in req.standing.choices):
        issues.append(
            Issue(
                ("report_requirements", "standing", "choices"),
                "at least one standing must be allowed to file a laporan",
                "minimal satu kedudukan harus boleh menyampaikan laporan",
            )
        )
    basis(("report_requirements", "standing"), req.standing.basis)
    if rb.campaign_props is not None:
        issues += _check_props(rb.campaign_props, violations, basis)
    return issues


def _check_props(
    props: CampaignProps,
    violations: set[str],
    basis: Callable[[Loc, Sequence[Basis]], None],
) -> list[Issue]:
    """Codes unique within each list, categories apart from the violations, bases known."""
    issues: list[Issue] = []
    for part, codes in (
        ("categories", [c.code for c in props.categories]),
        ("places", [p.code for p in props.places]),
        ("recipients", [r.code for r in props.recipients]),
    ):
        seen: set[str] = set()
        for i, code in enumerate(codes):
            if code in seen:
                issues.append(
                    Issue(
                        ("campaign_props", part, i, "code"),
                        f"duplicate code {code!r}",
                        f"code {code!r} ganda",
                    )
                )
            seen.add(code)
    for i, c in enumerate(props.categories):
        if c.code in violations:
            # one report column holds both: a shared code would make an APK report an ASN act
            issues.append(
                Issue(
                    ("campaign_props", "categories", i, "code"),
                    f"{c.code!r} is already a violation code",
                    f"{c.code!r} sudah dipakai sebagai kode pelanggaran",
                )
            )
        basis(("campaign_props", "categories", i), c.basis)
    for i, p in enumerate(props.places):
        basis(("campaign_props", "places", i), p.basis)
    for i, r in enumerate(props.recipients):
        basis(("campaign_props", "recipients", i), r.basis)
    basis(("campaign_props",), props.basis)
    return issues
