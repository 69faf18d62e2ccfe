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
    "status_diberitahukan",
    "diteruskan_bkn",
    "rekomendasi_bkn",
    "pemeriksaan_ppk",
    "putusan_ppk",
    "ppk_tidak_terbukti",
    "disampaikan",
    "upaya_administratif",
    "keberatan_diputus",
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
    "pemberitahuan_status",
    "teruskan_bkn",
    "rekomendasi_bkn",
    "tim_pemeriksa",
    "putusan_ppk",
    "ppk_tidak_terbukti",
    "penyampaian",
    "keberatan",
    "putusan_keberatan",
    "dilaksanakan",
    "selesai",
    "hentikan",
    "buka_kembali",
    "teruskan_gakkumdu",
    "status_gakkumdu",
    "selesai_gakkumdu",
    "ppk_pengganti",
]
Decision = Literal["terbukti", "tidak_terbukti", "bukan_netralitas"]
CaseOrigin = Literal["laporan", "temuan"]  # from reports, or Bawaslu's own finding
HearingParty = Literal["pelapor", "terlapor", "saksi"]  # service.schedule_hearing


class TransitionIn(BaseModel):
    reason: str = Field(default="", max_length=5000)
    decision_date: date | None = None
    proven_acts: list[str] = []
    forwarded_to: str | None = None
    # the plenary (rapat pleno): the commissioners present, by name, and its minutes
    commissioners_present: list[str] = Field(default=[], max_length=9)
    plenary_minutes_document_id: RowId | None = None
    notified_on: date | None = None
    forwarded_on: date | None = Field(default=None, description="Forwarded to BKN on")
    # BKN's recommendation to the PPK (its letter uploaded as a `rekomendasi_bkn` document)
    bkn_number: str = Field(default="", max_length=80)
    bkn_date: date | None = None
    bkn_level: str | None = None
    bkn_document_id: RowId | None = None
    # the PPK's examination team (PP 94/2021), one "name, position" per member
    examination_team: list[str] = Field(default=[], max_length=20)
    examination_report_document_id: RowId | None = None
    sk_number: str = Field(default="", max_length=80)
    sk_date: date | None = None
    ethics_sanction: str | None = Field(default=None, description="Ethics track: tertutup | terbuka")
    sanction_level: str | None = Field(default=None, description="Discipline track level")
    penalty: str | None = None
    delivered_on: date | None = None
    objection_filed_on: date | None = None
    objection_decided_on: date | None = None
    carried_out_on: date | None = None
    proof_document_id: RowId | None = None
    gakkumdu_forwarded_on: date | None = None
    gakkumdu_reference: str = Field(default="", max_length=120)
    gakkumdu_status: str = Field(default="", max_length=2000)
    substitute_ppk: str = Field(default="", max_length=200, description="The authority above")
    acting_ppk: str = Field(default="", max_length=200, description="Who acts as PPK")


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
    attended: bool | None = Field(description="False: minutes of non-attendance were recorded")
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
    register_number: str | None = Field(description="Bawaslu's register number, once registered")
    state: CaseState
    state_label: str = Field(description="The state's name, in the language asked")
    tracks: dict[str, str] = Field(description="Parallel tracks and their states (pidana)")
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
    plenary_members: list[str]
    notified_on: date | None
    bkn_forwarded_on: date | None
    bkn_number: str | None
    bkn_date: date | None
    bkn_level: str | None
    examination_team: list[str]
    sk_number: str | None
    sk_date: date | None
    ethics_sanction: str | None
    sanction_level: str | None
    penalty: str | None
    delivered_on: date | None
    objection_filed_on: date | None
    objection_decided_on: date | None
    carried_out_on: date | None
    gakkumdu_forwarded_on: date | None
    gakkumdu_reference: str | None
    gakkumdu_status: str | None
    ppk_substitute: str | None
    ppk_acting: str | None
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
    register_number: str | None
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
    phase: str | None = Field(
        default=None, description="bakal_calon or calon when the act's date decided the track"
    )
    phase_basis: list[str] = []


class EthicsOption(NamedCode):
    kinds: list[NamedCode]
    basis: list[str]
    confidence: Confidence


class LevelOption(NamedCode):
    penalties: list[NamedCode]
    basis: list[str]
    confidence: Confidence


class CriminalOption(BaseModel):
    """An election crime forwarded to Gakkumdu in parallel with the neutrality tracks."""

    act: str
    code: str = ""
    article: str
    citation: str = Field(default="", description="The article with the law's real name")
    penalty: str
    forward_to: str
    election: str = ""
    liable: str = ""
    confidence: Confidence = "N"


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
