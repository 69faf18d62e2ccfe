"""Cases: open from reports or as a Bawaslu finding, move through the workflow, record hearings,
documents and letters, recommend from the rulebook, and list with their deadlines.

Every write is one unit of work with its audit row. A refused transition changes nothing; only the
refusal itself is written to the audit log (in its own transaction).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select
from sqlalchemy.orm import Session

from netral.cases.deadlines import (
    DUE_SOON_DAYS,
    ClockStatus,
    clock_status,
    closing_record,
    event_day,
    extend_clock,
)
from netral.cases.documents import generate_letter
from netral.cases.events import EVENTS
from netral.cases.models import (
    Case,
    CaseAct,
    CaseAsn,
    CaseDocument,
    CaseReport,
    CaseTransition,
    Hearing,
)
from netral.cases.schemas import RecommendationIn, TransitionIn
from netral.cases.workflow import Transition, workflow
from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import WorkingCalendar, to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import unit_of_work, utcnow
from netral.core.errors import Conflict, NetralError, NotFound, Problem, ValidationFailed, problem
from netral.core.events import publish
from netral.core.models import User
from netral.core.security import Scope
from netral.core.sequences import public_number
from netral.core.storage import LocalEvidenceStore
from netral.registry import service as registry
from netral.reports import service as reports
from netral.rules import load_rulebook
from netral.rules.schema import Rulebook

FORWARD_TO = {
    "gakkumdu": "Sentra Gakkumdu (pidana pemilihan)",
    "dkpp": "DKPP (etik penyelenggara)",
    "lainnya": "Instansi lain",
}
DOCUMENT_KINDS = {
    "bap": "Berita acara klarifikasi (BAP)",
    "sk": "Surat keputusan PPK",
    "bukti_pelaksanaan": "Bukti pelaksanaan sanksi",
    "lainnya": "Dokumen lain",
}


def _p(code: str, field_name: str, msg_id: str, msg_en: str) -> Problem:
    return problem(code, msg_id, msg_en, field=field_name)


def actor_of(user: User) -> Actor:
    return Actor.of(user)


# ---------------------------------------------------------------- opening


def open_case(
    *,
    db_session: Session,
    scope: Scope,
    user: User,
    title: str,
    summary: str = "",
    origin: str = "laporan",
    region: str = "",
    report_numbers: Sequence[str] = (),
    asn_ids: Sequence[int] = (),
    acts: Sequence[str] = (),
    now: datetime | None = None,
) -> Case:
    """A case from reports (merged duplicates allowed) or a Bawaslu temuan; named ASN, acts."""
    now = now or utcnow()
    rulebook = load_rulebook()
    problems: list[Problem] = []
    linked: list[reports.ReportRef] = []
    for number in report_numbers:
        try:
            linked.append(reports.find_report(db_session=db_session, scope=scope, number=number))
        except NotFound:
            problems.append(
                _p(
                    "case.report_unknown",
                    "reports",
                    f"Laporan {number} tidak ditemukan.",
                    f"Report {number} not found.",
                )
            )
    taken = db_session.scalars(
        select(CaseReport.report_id).where(CaseReport.report_id.in_([r.id for r in linked]))
    ).all()
    for r in linked:
        if r.id in taken:
            problems.append(
                _p(
                    "case.report_taken",
                    "reports",
                    f"{r.number} sudah menjadi bagian kasus lain.",
                    f"{r.number} already belongs to another case.",
                )
            )
    region = region or (
        linked[0].region_code if linked else (scope.code if scope.kind == "region" else "")
    )
    if not region or not scope.covers(region) or region.count(".") != 1:
        problems.append(
            _p(
                "case.region",
                "region",
                "Sebutkan wilayah (kota/kabupaten) kasus.",
                "Name the case's region (kota/kabupaten).",
            )
        )
    if any(r.region_code != region for r in linked):
        problems.append(
            _p(
                "case.region_mismatch",
                "reports",
                "Semua laporan harus dari wilayah yang sama.",
                "All reports must be from the same region.",
            )
        )
    if origin == "laporan" and not linked:
        problems.append(
            _p(
                "case.no_report",
                "reports",
                "Kasus dari laporan memerlukan minimal satu laporan; "
                "pilih 'temuan' untuk temuan pengawasan.",
                "A case from reports needs at least one report; choose 'temuan' "
                "for Bawaslu's own finding.",
            )
        )
    people = list(registry.asn_by_ids(db_session=db_session, asn_ids=list(asn_ids)).values())
    for asn_id in set(asn_ids) - {a.id for a in people}:
        problems.append(
            _p(
                "case.asn_unknown",
                "asn_ids",
                f"ASN #{asn_id} tidak ditemukan.",
                f"ASN #{asn_id} not found.",
            )
        )
    for a in people:
        if a.region_code != region:
            problems.append(
                _p(
                    "case.asn_region",
                    "asn_ids",
                    f"{a.name} bukan ASN wilayah {region}.",
                    f"{a.name} is not an ASN of region {region}.",
                )
            )
    codes = {v.code for v in rulebook.violations}
    for code in acts:
        if code not in codes:
            problems.append(
                _p(
                    "case.act_unknown",
                    "acts",
                    f"Perbuatan '{code}' tidak ada di buku aturan.",
                    f"Act '{code}' is not in the rulebook.",
                )
            )
    if problems:
        raise ValidationFailed(*problems)

    actor = actor_of(user)
    today = to_wib_date(now)
    election_id = next((r.election_id for r in linked if r.election_id), None)
    case = Case(
        number=public_number(db_session, "KASUS", today.year),
        region_code=region,
        election_id=election_id,
        origin=origin,
        title=title.strip(),
        summary=summary.strip(),
        state=workflow().start,
        rulebook_version=rulebook.version,
        owner_user_id=user.id,
        opened_by=user.id,
        created_at=now,
        updated_at=now,
    )
    db_session.add(case)
    db_session.flush()
    for r in linked:
        case.reports.append(CaseReport(report_id=r.id))
        reports.forward_to_case(
            db_session=db_session, report_id=r.id, case_number=case.number, actor=actor
        )
    for a in people:
        case.asn.append(
            CaseAsn(
                asn_id=a.id,
                nip=a.nip,
                name=a.name,
                kind=a.kind,
                position=a.position,
                opd=a.opd,
            )
        )
    for code in dict.fromkeys(acts):
        case.acts.append(CaseAct(code=code))
    case.transitions.append(
        CaseTransition(
            code="buka",
            from_state="",
            to_state=case.state,
            actor_id=user.id,
            actor_name=user.username,
            role=user.role,
            reason=summary[:500],
            fields={"reports": [r.number for r in linked], "origin": origin},
            at=now,
        )
    )
    audit.record(
        db_session,
        actor=actor,
        action="case.opened",
        object_type="case",
        object_id=case.number,
        region_code=region,
        summary={
            "reports": [r.number for r in linked],
            "asn": [a.nip for a in people],
            "acts": list(acts),
            "origin": origin,
        },
    )
    return case


def get_case(*, db_session: Session, scope: Scope, number: str) -> Case:
    case = db_session.scalar(select(Case).where(Case.number == number.strip().upper()))
    if case is None or not scope.covers(case.region_code):
        raise NotFound(problem("case.not_found", "Kasus tidak ditemukan.", "Case not found."))
    return case


# ---------------------------------------------------------------- transitions


def _last_hearing(case: Case) -> date | None:
    held = [h.held_on for h in case.hearings if h.held_on]
    return max(held) if held else None


def recommendation_options(case: Case, rulebook: Rulebook | None = None) -> dict[str, Any]:
    """For the acts proven (or alleged, before a decision): both tracks, bases and confidence."""
    rb = rulebook or load_rulebook()
    proven = [a.code for a in case.acts if a.proven] or [a.code for a in case.acts]
    acts, ethics, levels, dismissals = [], set(), set(), set()
    criminal, conflicts, pppk_notes = [], [], []
    for code in proven:
        v = rb.violation(code)
        acts.append(
            {
                "code": v.code,
                "name_id": v.name.id,
                "name_en": v.name.en,
                "ethics": v.ethics,
                "discipline": list(v.discipline),
                "dismissal": v.dismissal,
                "confidence": v.confidence,
                "basis": [f"{b.source} {b.article or ''}".strip() for b in v.basis],
            }
        )
        if v.ethics:
            ethics.add(v.ethics)
        levels.update(v.discipline)
        if v.dismissal:
            dismissals.add(v.dismissal)
        if v.criminal:
            criminal.append(
                {
                    "act": v.code,
                    "article": v.criminal.article,
                    "penalty": v.criminal.penalty.id,
                    "forward_to": v.criminal.forward_to,
                }
            )
        if v.conflict:
            conflicts.append(
                {"act": v.code, "note_id": v.conflict.note.id, "note_en": v.conflict.note.en}
            )
        for app in v.applies_to:
            if app.asn == "PPPK" and not app.confirmed:
                pppk_notes.append(v.code)
    ethics_out = []
    for code in sorted(ethics):
        e = rb.ethics(code)
        ethics_out.append(
            {
                "code": e.code,
                "name_id": e.name.id,
                "name_en": e.name.en,
                "kinds": [
                    {"code": k.code, "name_id": k.name.id, "name_en": k.name.en} for k in e.kinds
                ],
                "basis": [f"{b.source} {b.article or ''}".strip() for b in e.basis],
                "confidence": e.confidence,
            }
        )
    levels_out = []
    for lvl in sorted((rb.level(c) for c in levels), key=lambda x: x.severity):
        levels_out.append(
            {
                "code": lvl.code,
                "name_id": lvl.name.id,
                "name_en": lvl.name.en,
                "penalties": [
                    {"code": p.code, "name_id": p.name.id, "name_en": p.name.en}
                    for p in lvl.penalties
                ],
                "basis": [f"{b.source} {b.article or ''}".strip() for b in lvl.basis],
                "confidence": lvl.confidence,
            }
        )
    kinds = {a.kind for a in case.asn}
    return {
        "acts": acts,
        "ethics": ethics_out,
        "discipline": levels_out,
        "dismissals": sorted(dismissals),
        "criminal": criminal,
        "conflicts": conflicts,
        "pppk_unconfirmed": sorted(set(pppk_notes)) if "PPPK" in kinds else [],
        "rulebook_version": rb.version,
    }


Check = Callable[[Case, TransitionIn, date, Rulebook], Problem | None]


def _need_reason(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if f.reason.strip():
        return None
    return _p("case.reason_required", "reason", "Alasan wajib diisi.", "A reason is required.")


def _need_hearing(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if any(h.held_on and h.minutes_document_id for h in case.hearings):
        return None
    return _p(
        "case.hearing_required",
        "hearings",
        "Belum ada klarifikasi yang dilaksanakan dengan berita acara (BAP) terunggah.",
        "No clarification hearing has been held with its minutes (BAP) uploaded.",
    )


def _need_decision_date(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if f.decision_date is None:
        return _p(
            "case.decision_date_required",
            "decision_date",
            "Tanggal putusan wajib diisi.",
            "The decision date is required.",
        )
    if f.decision_date > today:
        return _p(
            "case.decision_date_future",
            "decision_date",
            "Tanggal putusan tidak boleh di masa depan.",
            "The decision date cannot be in the future.",
        )
    last = _last_hearing(case)
    if last and f.decision_date < last:
        return _p(
            "case.decision_before_hearing",
            "decision_date",
            f"Tanggal putusan ({f.decision_date}) sebelum klarifikasi terakhir ({last}).",
            f"The decision date ({f.decision_date}) is before the last hearing ({last}).",
        )
    return None


def _need_proven_acts(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    codes = {v.code for v in rb.violations}
    bad = [c for c in f.proven_acts if c not in codes]
    if not f.proven_acts or bad:
        return _p(
            "case.proven_acts",
            "proven_acts",
            "Pilih perbuatan yang terbukti dari buku aturan"
            + (f" (tidak dikenal: {', '.join(bad)})." if bad else "."),
            "Choose the proven acts from the rulebook"
            + (f" (unknown: {', '.join(bad)})." if bad else "."),
        )
    return None


def _need_forward(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if f.forwarded_to in FORWARD_TO:
        return None
    return _p(
        "case.forwarded_to",
        "forwarded_to",
        f"Pilih tujuan penerusan: {', '.join(FORWARD_TO)}.",
        f"Choose where it is forwarded: {', '.join(FORWARD_TO)}.",
    )


def _need_recommendation(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    rec = f.recommendation
    if not case.asn:
        return _p(
            "case.recommendation_asn",
            "asn_ids",
            "Sebutkan ASN terlapor sebelum mengirim rekomendasi: surat rekomendasi menyebut namanya.",
            "Name the ASN concerned before sending the recommendation: its letter names them.",
        )
    opts = recommendation_options(case, rb)
    if rec is None or not (rec.ethics_kind or rec.discipline_level or rec.dismissal):
        return _p(
            "case.recommendation_required",
            "recommendation",
            "Pilih sanksi etik dan/atau tingkat hukuman disiplin yang direkomendasikan.",
            "Choose the ethics sanction and/or the discipline level recommended.",
        )
    kinds = {k["code"] for e in opts["ethics"] for k in e["kinds"]}
    if rec.ethics_kind and rec.ethics_kind not in kinds:
        return _p(
            "case.recommendation_ethics",
            "recommendation.ethics_kind",
            f"Sanksi etik '{rec.ethics_kind}' bukan pilihan untuk perbuatan ini.",
            f"Ethics sanction '{rec.ethics_kind}' is not an option for these acts.",
        )
    levels = {lvl["code"] for lvl in opts["discipline"]}
    if rec.discipline_level and rec.discipline_level not in levels:
        return _p(
            "case.recommendation_level",
            "recommendation.discipline_level",
            f"Tingkat '{rec.discipline_level}' bukan pilihan buku aturan untuk perbuatan ini "
            f"(pilihan: {', '.join(sorted(levels)) or '-'}).",
            f"Level '{rec.discipline_level}' is not a rulebook option for these acts "
            f"(options: {', '.join(sorted(levels)) or '-'}).",
        )
    if rec.dismissal and rec.dismissal not in opts["dismissals"]:
        return _p(
            "case.recommendation_dismissal",
            "recommendation.dismissal",
            "Pemberhentian bukan pilihan untuk perbuatan ini.",
            "Dismissal is not an option for these acts.",
        )
    return None


def _need_sk(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if not f.sk_number.strip():
        return _p(
            "case.sk_number", "sk_number", "Nomor SK wajib diisi.", "The SK number is required."
        )
    if f.sk_date is None:
        return _p("case.sk_date", "sk_date", "Tanggal SK wajib diisi.", "The SK date is required.")
    if f.sk_date > today:
        return _p(
            "case.sk_date_future",
            "sk_date",
            "Tanggal SK tidak boleh di masa depan.",
            "The SK date cannot be in the future.",
        )
    if case.recommended_on and f.sk_date < case.recommended_on:
        return _p(
            "case.sk_before_recommendation",
            "sk_date",
            "Tanggal SK sebelum tanggal rekomendasi.",
            "The SK date is before the recommendation.",
        )
    return None


def _need_level(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    levels = {lvl.code: lvl for lvl in rb.discipline_levels}
    others = {d.code for d in rb.dismissals} | {e.code for e in rb.ethics_sanctions}
    if f.sanction_level not in levels and f.sanction_level not in others:
        return _p(
            "case.level_unknown",
            "sanction_level",
            f"Tingkat hukuman '{f.sanction_level}' tidak ada di buku aturan "
            f"(ada: {', '.join(list(levels) + sorted(others))}).",
            f"Sanction level '{f.sanction_level}' is not in the rulebook "
            f"(known: {', '.join(list(levels) + sorted(others))}).",
        )
    if f.sanction_level in levels:
        penalties = {p.code for p in levels[f.sanction_level].penalties}
        if f.penalty not in penalties:
            return _p(
                "case.penalty_unknown",
                "penalty",
                f"Jenis hukuman '{f.penalty}' bukan bagian tingkat {f.sanction_level} "
                f"(pilihan: {', '.join(sorted(penalties))}).",
                f"Penalty '{f.penalty}' is not part of level {f.sanction_level} "
                f"(options: {', '.join(sorted(penalties))}).",
            )
    return None


def _need_carried_out(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if f.carried_out_on is None or f.carried_out_on > today:
        return _p(
            "case.carried_out_on",
            "carried_out_on",
            "Tanggal pelaksanaan wajib diisi dan tidak boleh di masa depan.",
            "The date carried out is required and cannot be in the future.",
        )
    if case.sk_date and f.carried_out_on < case.sk_date:
        return _p(
            "case.carried_out_before_sk",
            "carried_out_on",
            "Tanggal pelaksanaan sebelum tanggal SK.",
            "Carried out before the SK date.",
        )
    return None


def _need_proof(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if any(
        d.kind == "bukti_pelaksanaan" and (f.proof_document_id in (None, d.id))
        for d in case.documents
    ):
        return None
    return _p(
        "case.proof_required",
        "proof",
        "Unggah bukti pelaksanaan sanksi terlebih dahulu.",
        "Upload the proof that the sanction was carried out first.",
    )


REQUIREMENTS: dict[str, Check] = {
    "reason": _need_reason,
    "hearing_held": _need_hearing,
    "decision_date": _need_decision_date,
    "proven_acts": _need_proven_acts,
    "forwarded_to": _need_forward,
    "recommendation": _need_recommendation,
    "sk_number": _need_sk,
    "sk_date": lambda c, f, t, r: None,  # checked with sk_number
    "sanction_level": _need_level,
    "penalty": lambda c, f, t, r: None,  # checked with sanction_level
    "carried_out_on": _need_carried_out,
    "proof": _need_proof,
}


def _apply(case: Case, t: Transition, f: TransitionIn, today: date, rb: Rulebook) -> dict[str, Any]:
    """Write the transition's fields onto the case; returns what the timeline records."""
    out: dict[str, Any] = {}
    if t.code in ("terbukti", "tidak_terbukti", "bukan_netralitas"):
        case.decision, case.decision_date = t.code, f.decision_date
        out["decision_date"] = str(f.decision_date)
    if t.code == "terbukti":
        have = {a.code: a for a in case.acts}
        for code in f.proven_acts:
            if code not in have:
                case.acts.append(CaseAct(code=code, proven=True))
            else:
                have[code].proven = True
        for code, act in have.items():
            if code not in f.proven_acts:
                act.proven = False
        out["proven_acts"] = list(f.proven_acts)
    if t.code == "bukan_netralitas":
        case.forwarded_to = f.forwarded_to
        out["forwarded_to"] = f.forwarded_to
    if t.code == "rekomendasi" and f.recommendation is not None:
        case.recommendation = _recommendation_snapshot(case, f.recommendation, rb)
        case.recommended_on = today
        out["recommendation"] = case.recommendation["chosen"]
    if t.code == "putusan_ppk":
        case.sk_number, case.sk_date = f.sk_number.strip(), f.sk_date
        case.sanction_level, case.penalty = f.sanction_level, f.penalty
        out.update(
            sk_number=case.sk_number,
            sk_date=str(f.sk_date),
            level=f.sanction_level,
            penalty=f.penalty,
        )
    if t.code == "dilaksanakan":
        case.carried_out_on = f.carried_out_on
        out["carried_out_on"] = str(f.carried_out_on)
    if t.code == "buka_kembali":
        case.decision = case.decision_date = case.forwarded_to = None
    return out


def _recommendation_snapshot(case: Case, rec: RecommendationIn, rb: Rulebook) -> dict[str, Any]:
    opts = recommendation_options(case, rb)
    return {"chosen": rec.model_dump(), "options": opts, "rulebook_version": rb.version}


def _record_refusal(db_session: Session, actor: Actor, case: Case, code: str, exc: NetralError) -> None:
    """A refused transition is on the record although the command that asked for it fails:
    its audit row is a unit of work of its own, after the command's has rolled back."""
    state, number, region = case.state, case.number, case.region_code
    db_session.rollback()
    bind = db_session.get_bind()
    with unit_of_work(bind if isinstance(bind, Engine) else bind.engine) as own:
        audit.record(
            own,
            actor=actor,
            action="case.transition_refused",
            object_type="case",
            object_id=number,
            region_code=region,
            summary={"transition": code, "state": state, "errors": [p.code for p in exc.problems]},
        )


def transition(
    *,
    db_session: Session,
    case: Case,
    code: str,
    user: User,
    fields: TransitionIn | None = None,
    store: LocalEvidenceStore | None = None,
    now: datetime | None = None,
) -> Case:
    """Move a case along the workflow, or refuse with every reason and change nothing.

    The transition, its audit row, the events it publishes and the letters `workflow.yaml`
    declares beside it are written in the caller's unit of work: all commit, or none.
    """
    fields = fields or TransitionIn()
    now = now or utcnow()
    today = to_wib_date(now)
    rb = load_rulebook()
    actor = actor_of(user)
    try:
        t = workflow().check(case.state, code, user.role)
        problems = [p for req in t.requires if (p := REQUIREMENTS[req](case, fields, today, rb))]
        if problems:
            raise ValidationFailed(*problems)
    except NetralError as exc:
        _record_refusal(db_session, actor, case, code, exc)
        raise
    before = case.state
    recorded = _apply(case, t, fields, today, rb)
    event = None
    if t.event:
        # the event is dated by the day it happened (a decision's date, the SK's date), so a
        # decision keyed in late neither moves the next clock nor hides a late decision
        event_type = EVENTS[t.event]
        event = event_type(case.id, event_day(event_type, fields, today))
        closing = closing_record(case, t.event, event.on)
        if closing is not None:
            recorded["clock"] = closing
    case.state, case.updated_at = t.target, now
    case.transitions.append(
        CaseTransition(
            code=t.code,
            from_state=before,
            to_state=t.target,
            actor_id=user.id,
            actor_name=user.username,
            role=user.role,
            reason=fields.reason.strip(),
            fields=recorded,
            at=now,
        )
    )
    audit.record(
        db_session,
        actor=actor,
        action="case.transition",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={
            "transition": t.code,
            "from": before,
            "to": t.target,
            "reason": fields.reason.strip()[:500],
            **recorded,
        },
    )
    db_session.flush()
    if event is not None:
        publish(db_session, event)
    if t.letters and store is None:
        raise ValueError(f"transition {t.code} makes letters {t.letters}: pass the store")
    for kind in t.letters:
        assert store is not None
        generate_letter(db_session=db_session, store=store, case=case, user=user, kind=kind)
    return case


def extend_deadline(*, db_session: Session, case: Case, user: User, reason: str) -> date:
    if not reason.strip():
        raise ValidationFailed(
            _p(
                "case.reason_required",
                "reason",
                "Alasan perpanjangan wajib diisi.",
                "A reason is required.",
            )
        )
    due = extend_clock(case, calendar_for(db_session))
    audit.record(
        db_session,
        actor=actor_of(user),
        action="case.deadline_extended",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={"step": case.deadline_step, "due": str(due), "reason": reason[:500]},
    )
    case.transitions.append(
        CaseTransition(
            code="perpanjang",
            from_state=case.state,
            to_state=case.state,
            actor_id=user.id,
            actor_name=user.username,
            role=user.role,
            reason=reason.strip(),
            fields={"step": case.deadline_step, "due": str(due)},
        )
    )
    return due


# ---------------------------------------------------------------- hearings and documents


def add_document(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    case: Case,
    user: User,
    kind: str,
    title: str,
    upload: reports.Upload,
) -> CaseDocument:
    if kind not in DOCUMENT_KINDS:
        raise ValidationFailed(
            _p(
                "case.document_kind",
                "kind",
                f"Jenis dokumen: {', '.join(DOCUMENT_KINDS)}.",
                f"Document kinds: {', '.join(DOCUMENT_KINDS)}.",
            )
        )
    blob = store.put(upload.file, filename=upload.filename, declared_type=upload.content_type)
    doc = CaseDocument(
        kind=kind,
        title=title.strip() or DOCUMENT_KINDS[kind],
        sha256=blob.sha256,
        media_type=blob.media_type,
        created_by=user.id,
    )
    case.documents.append(doc)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor_of(user),
        action="case.document_added",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={"kind": kind, "sha256": blob.sha256},
    )
    return doc


def schedule_hearing(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    case: Case,
    user: User,
    party: str,
    name: str,
    position: str,
    scheduled_at: datetime,
    place: str,
) -> Hearing:
    if party not in ("pelapor", "terlapor", "saksi"):
        raise ValidationFailed(
            _p(
                "case.hearing_party",
                "party",
                "Pihak: pelapor, terlapor atau saksi.",
                "Party: pelapor, terlapor or saksi.",
            )
        )
    if case.state not in ("registrasi", "klarifikasi", "kajian"):
        raise Conflict(
            _p(
                "case.hearing_state",
                "state",
                "Klarifikasi hanya dijadwalkan setelah registrasi dan sebelum putusan.",
                "Hearings are scheduled after registration and before the decision.",
            )
        )
    if not name.strip():
        raise ValidationFailed(
            _p("case.hearing_name", "name", "Nama wajib diisi.", "The name is required.")
        )
    hearing = Hearing(
        party=party,
        name=name.strip(),
        position=position.strip(),
        scheduled_at=scheduled_at,
        place=place.strip(),
    )
    case.hearings.append(hearing)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor_of(user),
        action="case.hearing_scheduled",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={"party": party, "at": scheduled_at.isoformat()},
    )
    # the invitation is part of scheduling: a hearing never exists without its letter
    generate_letter(
        db_session=db_session,
        store=store,
        case=case,
        user=user,
        kind="undangan_klarifikasi",
        hearing=hearing,
    )
    return hearing


def record_hearing(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    case: Case,
    user: User,
    hearing_id: int,
    held_on: date,
    minutes: reports.Upload,
    now: datetime | None = None,
) -> Hearing:
    hearing = next((h for h in case.hearings if h.id == hearing_id), None)
    if hearing is None:
        raise NotFound(
            problem("case.hearing_not_found", "Klarifikasi tidak ditemukan.", "Hearing not found.")
        )
    today = to_wib_date(now or utcnow())
    if held_on > today:
        raise ValidationFailed(
            _p(
                "case.hearing_future",
                "held_on",
                "Tanggal klarifikasi tidak boleh di masa depan.",
                "The hearing date cannot be in the future.",
            )
        )
    doc = add_document(
        db_session=db_session,
        store=store,
        case=case,
        user=user,
        kind="bap",
        title=f"BAP klarifikasi {hearing.name}",
        upload=minutes,
    )
    hearing.held_on, hearing.minutes_document_id = held_on, doc.id
    audit.record(
        db_session,
        actor=actor_of(user),
        action="case.hearing_held",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={"hearing": hearing.id, "held_on": str(held_on)},
    )
    return hearing


# ---------------------------------------------------------------- listing


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""
    deadline: str = ""  # overdue | due_soon | on_time | none
    owner_id: int | None = None
    q: str = ""
    asn_id: int | None = None


@dataclass
class CaseRow:
    case: Case
    clock: ClockStatus | None = None


def list_cases(
    *,
    db_session: Session,
    scope: Scope,
    filters: CaseFilter,
    today: date | None = None,
    page: int = 1,
    per_page: int = 25,
    calendar: WorkingCalendar | None = None,
) -> tuple[list[CaseRow], int]:
    today = today or to_wib_date(utcnow())
    calendar = calendar or calendar_for(db_session)
    where: list[Any] = [scope.clause(Case.region_code)]
    if filters.state:
        where.append(Case.state == filters.state)
    if filters.owner_id:
        where.append(Case.owner_user_id == filters.owner_id)
    if filters.asn_id:
        where.append(Case.id.in_(select(CaseAsn.case_id).where(CaseAsn.asn_id == filters.asn_id)))
    if filters.q:
        term = f"%{filters.q.strip()}%"
        where.append(
            or_(
                Case.number.ilike(term),
                Case.title.ilike(term),
                Case.id.in_(
                    select(CaseAsn.case_id).where(
                        or_(CaseAsn.name.ilike(term), CaseAsn.nip.ilike(term))
                    )
                ),
            )
        )
    # the same windows clock_status() uses, in SQL, so counts and pages agree with the column
    soon_calendar = today + timedelta(days=DUE_SOON_DAYS)
    soon_working = calendar.add_days(today, DUE_SOON_DAYS, "working")
    due_soon = or_(
        and_(Case.deadline_kind == "working", Case.deadline_due <= soon_working),
        and_(Case.deadline_kind != "working", Case.deadline_due <= soon_calendar),
    )
    if filters.deadline == "overdue":
        where.append(Case.deadline_due < today)
    elif filters.deadline == "due_soon":
        where += [Case.deadline_due >= today, due_soon]
    elif filters.deadline == "on_time":
        where += [Case.deadline_due >= today, ~due_soon]
    elif filters.deadline == "none":
        where.append(Case.deadline_due.is_(None))
    total = db_session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    rows = db_session.scalars(
        select(Case)
        .where(*where)
        .order_by(Case.deadline_due.is_(None), Case.deadline_due, Case.id.desc())
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    return [CaseRow(c, clock_status(c, today, calendar)) for c in rows], total


def documents_store_bytes(store: LocalEvidenceStore, sha256: str) -> bytes:
    with store.open(sha256) as fh:
        data: bytes = fh.read()
    return data


def upload_from_bytes(name: str, data: bytes, content_type: str) -> reports.Upload:
    return reports.Upload(name, io.BytesIO(data), content_type)
