"""What a transition may carry, and what the API answers about a case."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from netral.cases.deadlines import ClockState
from netral.core.db import RowId
from netral.core.security import RoleCode
from netral.rules.schema import AsnType, Confidence, CountsFrom, DayKind
from netral.web.fields import IsoDateTime

# workflow.yaml is data: a test holds these two to its states and transitions
CaseState = Literal[
    "diterima",
    "registrasi",
    "tidak_diregistrasi",
    "klarifikasi",
    "kajian",
    "terbukti",
    "tidak_terbukti",
    "bukan_netralitas",
    "rekomendasi",
    "putusan_ppk",
    "dilaksanakan",
    "selesai",
    "dihentikan",
]
TransitionCode = Literal[
    "registrasi",
    "tolak_registrasi",
    "klarifikasi",
    "kajian",
    "terbukti",
    "tidak_terbukti",
    "bukan_netralitas",
    "rekomendasi",
    "putusan_ppk",
    "dilaksanakan",
    "selesai",
    "hentikan",
    "buka_kembali",
]
Decision = Literal["terbukti", "tidak_terbukti", "bukan_netralitas"]
CaseOrigin = Literal["laporan", "temuan"]  # from reports, or Bawaslu's own finding
HearingParty = Literal["pelapor", "terlapor", "saksi"]  # service.schedule_hearing


class RecommendationIn(BaseModel):
    """The commissioner's choice among the rulebook's options for the proven acts."""

    ethics_kind: str | None = Field(default=None, description="e.g. tertutup | terbuka")
    discipline_level: str | None = Field(default=None, description="ringan | sedang | berat")
    dismissal: str | None = Field(default=None, description="ptdh, for party membership")
    criminal_forward: bool = False
    note: str = Field(default="", max_length=2000)


class TransitionIn(BaseModel):
    reason: str = Field(default="", max_length=5000)
    decision_date: date | None = None
    proven_acts: list[str] = []
    forwarded_to: str | None = None
    recommendation: RecommendationIn | None = None
    sk_number: str = Field(default="", max_length=80)
    sk_date: date | None = None
    sanction_level: str | None = None
    penalty: str | None = None
    carried_out_on: date | None = None
    proof_document_id: RowId | None = None


class CaseOpenIn(BaseModel):
    title: str = Field(min_length=5, max_length=300)
    summary: str = Field(default="", max_length=10_000)
    origin: CaseOrigin = "laporan"
    region: str = Field(default="", max_length=20)
    reports: list[str] = []
    asn_ids: list[RowId] = []
    acts: list[str] = []


# ---------------------------------------------------------------- what the API answers


class CaseAsnOut(BaseModel):
    """An ASN concerned, as recorded when the case named them."""

    asn_id: int
    nip: str
    name: str
    kind: AsnType
    position: str
    opd: str


class CaseActOut(BaseModel):
    code: str = Field(description="A rulebook violation code")
    proven: bool | None = Field(description="None until the plenary decides")


class DeadlineOut(BaseModel):
    step: str | None = Field(description="The rulebook deadline step running")
    name: str | None = Field(default=None, description="The step's name, in the language asked")
    start: date | None = Field(description="The day counting starts from (not itself counted)")
    counts_from: CountsFrom | None = Field(
        default=None, description="event: the day of the event; receipt: the report's receipt"
    )
    due: date
    days_left: int = Field(description="Negative once overdue; counted in the step's kind of days")
    status: ClockState
    kind: DayKind
    extended: bool
    basis: list[str] = Field(default=[], description="The step's legal basis, as people read it")
    confidence: Confidence | None = None


class ClosedDeadlineOut(BaseModel):
    """A clock as the event that closed it left it (the assessment, closed by the decision)."""

    step: str
    due: date = Field(description="The due date, with the extension if one was recorded")
    kind: DayKind
    extended: bool = Field(description="Whether an extension was recorded before it closed")
    closed_on: date = Field(description="The event's own date (e.g. the decision date)")
    days_late: int = Field(description="Days after the due date; 0 or less when on time")
    late: bool


class TimelineEntryOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    code: str = Field(description="A transition code, or `buka` (opened), `perpanjang` (extended)")
    from_: CaseState | Literal[""] = Field(alias="from", description="Empty when the case opened")
    to: CaseState
    actor: str
    role: RoleCode
    at: IsoDateTime
    reason: str
    fields: dict[str, Any] = Field(description="What the transition recorded (dates, acts, SK)")


class HearingOut(BaseModel):
    id: int
    party: HearingParty
    name: str
    scheduled_at: IsoDateTime
    place: str
    held_on: date | None
    minutes_document_id: int | None


class CaseDocumentOut(BaseModel):
    id: int
    kind: str = Field(description="A letter kind, or bap | sk | bukti_pelaksanaan | lainnya")
    title: str
    number: str | None
    sha256: str
    media_type: str


class CaseOut(BaseModel):
    number: str
    region_code: str
    origin: CaseOrigin
    title: str
    summary: str
    state: CaseState
    state_label: str = Field(description="The state's name, in the language asked")
    rulebook_version: str
    asn: list[CaseAsnOut]
    acts: list[CaseActOut]
    reports: list[int] = Field(description="Ids of the reports the case came from")
    deadline: DeadlineOut | None
    decision: Decision | None
    decision_date: date | None
    decided_late: bool = Field(
        default=False, description="The decision came after the assessment's due date"
    )
    decided_days_late: int | None = Field(
        default=None, description="How many days after the due date, when decided late"
    )
    decision_deadline: ClosedDeadlineOut | None = Field(
        default=None, description="The assessment clock as the decision closed it"
    )
    forwarded_to: str | None
    recommendation: dict[str, Any] | None = Field(
        description="The commissioner's choice and the options it was chosen from, as recorded "
        "(chosen, options, rulebook_version)"
    )
    recommendation_number: str | None
    sk_number: str | None
    sk_date: date | None
    sanction_level: str | None
    penalty: str | None
    carried_out_on: date | None
    timeline: list[TimelineEntryOut]
    hearings: list[HearingOut]
    documents: list[CaseDocumentOut]
    actions: list[TransitionCode] = Field(
        description="The transitions the signed-in user's role may make from here"
    )


class CaseDeadlineBrief(BaseModel):
    step: str | None
    due: date
    days_left: int
    status: ClockState


class CaseListItem(BaseModel):
    number: str
    title: str
    state: CaseState
    region_code: str
    asn: list[str] = Field(description="Names of the ASN concerned")
    deadline: CaseDeadlineBrief | None


class CasePage(BaseModel):
    total: int
    page: int
    items: list[CaseListItem]


class DocumentAddedOut(BaseModel):
    id: int
    kind: str
    sha256: str


class NotificationOut(BaseModel):
    id: int
    case_id: int | None
    body: str
    created_at: IsoDateTime
    read: bool


# the rulebook's options for the acts of a case (service.recommendation_options)


class NamedCode(BaseModel):
    code: str
    name_id: str
    name_en: str


class ActOption(NamedCode):
    ethics: str | None = Field(description="The ethics sanction code, if the act carries one")
    discipline: list[str] = Field(description="Discipline levels the act allows")
    dismissal: str | None
    confidence: Confidence
    basis: list[str]


class EthicsOption(NamedCode):
    kinds: list[NamedCode]
    basis: list[str]
    confidence: Confidence


class LevelOption(NamedCode):
    penalties: list[NamedCode]
    basis: list[str]
    confidence: Confidence


class CriminalOption(BaseModel):
    act: str
    article: str
    penalty: str
    forward_to: str


class ConflictNote(BaseModel):
    act: str
    note_id: str
    note_en: str


class RecommendationOptionsOut(BaseModel):
    """Both sanction tracks for the acts, with their legal bases and confidence."""

    acts: list[ActOption]
    ethics: list[EthicsOption]
    discipline: list[LevelOption]
    dismissals: list[str]
    criminal: list[CriminalOption]
    conflicts: list[ConflictNote]
    pppk_unconfirmed: list[str] = Field(
        description="Acts whose application to PPPK staff the rulebook has not confirmed"
    )
    rulebook_version: str
