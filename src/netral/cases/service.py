"""Cases: open from reports or as a Bawaslu finding, move through the workflow, record hearings,
documents and letters, recommend from the rulebook, and list with their deadlines.

Every write is one unit of work with its audit row. A refused transition changes nothing; only the
refusal itself is written to the audit log (in its own transaction).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, false, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import Session, object_session

from netral.cases.deadlines import (
    DUE_SOON_DAYS,
    ClockStatus,
    clock_status,
    closing_record,
    extend_clock,
)
from netral.cases.documents import generate_letter
from netral.cases.events import EVENTS
from netral.cases.letters import Letterhead
from netral.cases.models import (
    Case,
    CaseAct,
    CaseAsn,
    CaseDocument,
    CaseReport,
    CaseTransition,
    Hearing,
    Notification,
)
from netral.cases.schemas import TransitionIn
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
from netral.core.sequences import next_value, public_number
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore
from netral.election import service as elections
from netral.registry import service as registry
from netral.reports import service as reports
from netral.rules import load_rulebook, tracks_for
from netral.rules.schema import ElectionKind, Rulebook

FORWARD_TO = {
    "gakkumdu": "Sentra Gakkumdu (pidana pemilihan)",
    "dkpp": "DKPP (etik penyelenggara)",
    "lainnya": "Instansi lain",
}
FORWARD_TO_EN = {
    "gakkumdu": "Sentra Gakkumdu (election crimes)",
    "dkpp": "DKPP (ethics of election officials)",
    "lainnya": "Another agency",
}
DOCUMENT_KINDS = {
    "bap": "Berita acara klarifikasi (BAP)",
    "ba_ketidakhadiran": "Berita acara ketidakhadiran klarifikasi",
    "kajian": "Kajian dugaan pelanggaran",
    "risalah_pleno": "Berita acara / risalah rapat pleno",
    "rekomendasi_bkn": "Surat rekomendasi BKN",
    "bap_pemeriksaan": "Berita acara pemeriksaan (BAP) tim pemeriksa PPK",
    "sk": "Surat keputusan PPK",
    "tanda_terima_sk": "Tanda terima penyampaian SK",
    "bukti_pelaksanaan": "Bukti pelaksanaan sanksi",
    "lainnya": "Dokumen lain",
}
DOCUMENT_KINDS_EN = {
    "bap": "Clarification minutes (BAP)",
    "ba_ketidakhadiran": "Minutes of non-attendance",
    "kajian": "Study of the alleged violation",
    "risalah_pleno": "Plenary minutes",
    "rekomendasi_bkn": "BKN's recommendation letter",
    "bap_pemeriksaan": "The PPK examination team's report (BAP)",
    "sk": "The PPK's decree",
    "tanda_terima_sk": "Receipt of the decree's delivery",
    "bukti_pelaksanaan": "Proof the sanction was carried out",
    "lainnya": "Other document",
}
ROMAN_MONTHS = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


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
    if len(title.strip()) < 5:  # as the API's CaseIn: a case is found again by its title
        problems.append(
            _p(
                "case.title",
                "title",
                "Isi judul perkara (minimal 5 karakter).",
                "Give the case a title (at least 5 characters).",
            )
        )
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
    found = registry.asn_by_ids(db_session=db_session, asn_ids=list(asn_ids)).values()
    # an ASN of another region answers exactly as an id nobody has: the message names no one
    # and does not tell which ids exist outside the user's region
    people = [a for a in found if a.region_code == region]
    for asn_id in sorted(set(asn_ids) - {a.id for a in people}):
        problems.append(
            _p(
                "case.asn_unknown",
                "asn_ids",
                f"ASN #{asn_id} tidak ditemukan di wilayah {region}.",
                f"ASN #{asn_id} not found in region {region}.",
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


def recommendation_options(
    case: Case,
    rulebook: Rulebook | None = None,
    *,
    act_date: date | None = None,
    candidates_fixed_on: date | None = None,
    election_kind: ElectionKind | None = None,
) -> dict[str, Any]:
    """For the acts proven (or alleged, before a decision): both tracks, bases and confidence.

    With the act's date and the election's `candidates_fixed_on`, the rulebook's bakal calon /
    calon rule picks the track; without them every track of the act is offered. Criminal articles
    come in addition to the ethics and discipline tracks, never instead of them.
    """
    rb = rulebook or load_rulebook()
    proven = [a.code for a in case.acts if a.proven] or [a.code for a in case.acts]
    acts, ethics, levels, dismissals = [], set(), set(), set()
    criminal, conflicts, pppk_notes = [], [], []
    for code in proven:
        v = rb.violation(code)
        tracks = tracks_for(rb, v, act_date, candidates_fixed_on)
        acts.append(
            {
                "code": v.code,
                "name_id": v.name.id,
                "name_en": v.name.en,
                "ethics": tracks.ethics,
                "discipline": list(tracks.discipline),
                "dismissal": tracks.dismissal,
                "confidence": v.confidence,
                "basis": [rb.cite(b, short=True) for b in v.basis],
                "phase": tracks.phase.code if tracks.phase else None,
                "phase_basis": (
                    [rb.cite(b, short=True) for b in tracks.phase.basis] if tracks.phase else []
                ),
            }
        )
        if tracks.ethics:
            ethics.add(tracks.ethics)
        levels.update(tracks.discipline)
        if tracks.dismissal:
            dismissals.add(tracks.dismissal)
        for crime in rb.crimes_for(v, election_kind):
            criminal.append(
                {
                    "act": v.code,
                    "code": crime.code,
                    "article": crime.article,
                    "citation": rb.cite(crime),
                    "penalty": crime.penalty.id,
                    "forward_to": crime.forward_to,
                    "election": crime.election,
                    "liable": crime.liable,
                    "confidence": crime.confidence,
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
                "basis": [rb.cite(b, short=True) for b in e.basis],
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
                "basis": [rb.cite(b, short=True) for b in lvl.basis],
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
    # a hearing held, or minutes that the person invited did not come: a refusal never blocks
    if any(h.held_on and h.minutes_document_id for h in case.hearings):
        return None
    return _p(
        "case.hearing_required",
        "hearings",
        "Belum ada klarifikasi yang dilaksanakan (atau berita acara ketidakhadiran) dengan "
        "berita acara terunggah.",
        "No clarification hearing held (or minutes of non-attendance) with its minutes uploaded.",
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
    # what the decision cannot precede, in the order it is checked; each day read only when needed
    for code, day_of, what_id, what_en in (
        ("case.decision_before_hearing", _last_hearing, "klarifikasi terakhir", "the last hearing"),
        ("case.decision_before_report", received_on, "laporan diterima", "the report was received"),
    ):
        earliest = day_of(case)
        if earliest and f.decision_date < earliest:
            return _p(
                code,
                "decision_date",
                f"Tanggal putusan ({f.decision_date}) sebelum {what_id} ({earliest}).",
                f"The decision date ({f.decision_date}) is before {what_en} ({earliest}).",
            )
    return None


def _document(case: Case, kind: str, chosen: int | None) -> CaseDocument | None:
    """The chosen document of `kind`, or the latest one uploaded."""
    docs = [d for d in case.documents if d.kind == kind and chosen in (None, d.id)]
    return docs[-1] if docs else None


def _need_document(kind: str, field_name: str, attr: str) -> Check:
    def check(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
        if _document(case, kind, getattr(f, attr)) is not None:
            return None
        return _p(
            f"case.{kind}_required",
            field_name,
            f"Unggah dokumen '{DOCUMENT_KINDS[kind]}' terlebih dahulu.",
            f"Upload the document '{DOCUMENT_KINDS_EN[kind]}' first.",
        )

    return check


def _need_date(attr: str, label_id: str, label_en: str, *after: tuple[str, str, str]) -> Check:
    """A date that is given, not in the future, and not before the case's earlier dates."""

    def check(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
        value: date | None = getattr(f, attr)
        if value is None or value > today:
            return _p(
                f"case.{attr}",
                attr,
                f"{label_id} wajib diisi dan tidak boleh di masa depan.",
                f"{label_en} is required and cannot be in the future.",
            )
        for earlier_attr, earlier_id, earlier_en in after:
            earlier: date | None = getattr(case, earlier_attr)
            if earlier is not None and value < earlier:
                return _p(
                    f"case.{attr}_too_early",
                    attr,
                    f"{label_id} ({value}) sebelum {earlier_id} ({earlier}).",
                    f"{label_en} ({value}) is before {earlier_en} ({earlier}).",
                )
        return None

    return check


def _need_plenary(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    names = [n.strip() for n in f.commissioners_present if n.strip()]
    if not names:
        return _p(
            "case.plenary_members",
            "commissioners_present",
            "Sebutkan nama anggota Bawaslu yang hadir dalam rapat pleno.",
            "Name the Bawaslu members present at the plenary.",
        )
    return _need_document("risalah_pleno", "plenary_minutes", "plenary_minutes_document_id")(
        case, f, today, rb
    )


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


def _need_asn(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if case.asn:
        return None
    return _p(
        "case.forward_asn",
        "asn_ids",
        "Sebutkan ASN terlapor sebelum meneruskan ke BKN: surat penerusan menyebut namanya.",
        "Name the ASN concerned before forwarding to BKN: the letter names them.",
    )


def _level_codes(rb: Rulebook) -> list[str]:
    return [lvl.code for lvl in rb.discipline_levels] + sorted(
        {d.code for d in rb.dismissals} | {e.code for e in rb.ethics_sanctions}
    )


def bkn_levels(rb: Rulebook | None = None) -> list[str]:
    """The levels BKN may recommend: discipline levels, dismissals, ethics sanctions."""
    return _level_codes(rb or load_rulebook())


def _need_bkn(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if not f.bkn_number.strip():
        return _p(
            "case.bkn_number",
            "bkn_number",
            "Nomor surat rekomendasi BKN wajib diisi.",
            "The number of BKN's recommendation is required.",
        )
    dated = _need_date(
        "bkn_date",
        "Tanggal rekomendasi BKN",
        "BKN's recommendation date",
        ("bkn_forwarded_on", "tanggal penerusan ke BKN", "the forward to BKN"),
    )(case, f, today, rb)
    if dated:
        return dated
    levels = _level_codes(rb)
    if f.bkn_level not in levels:
        return _p(
            "case.bkn_level",
            "bkn_level",
            f"Tingkat sanksi yang direkomendasikan BKN: {', '.join(levels)}.",
            f"The sanction level BKN recommends: {', '.join(levels)}.",
        )
    return _need_document("rekomendasi_bkn", "bkn_document", "bkn_document_id")(case, f, today, rb)


def _need_team(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if [m for m in f.examination_team if m.strip()]:
        return None
    return _p(
        "case.examination_team",
        "examination_team",
        "Sebutkan anggota tim pemeriksa (nama, jabatan), satu per baris.",
        "Name the examination team's members (name, position), one per line.",
    )


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
    if case.bkn_date and f.sk_date < case.bkn_date:
        return _p(
            "case.sk_before_recommendation",
            "sk_date",
            "Tanggal SK sebelum tanggal rekomendasi BKN.",
            "The SK date is before BKN's recommendation.",
        )
    return None


def received_on(case: Case) -> date | None:
    """The day (WIB) Bawaslu received the earliest report the case is built on: no step of the
    case can have happened before it. None for a case with no linked report."""
    db_session = object_session(case)
    if db_session is None or not case.reports:
        return None
    refs = reports.report_refs(db_session=db_session, ids=[r.report_id for r in case.reports])
    return min((to_wib_date(r.created_at) for r in refs), default=None)


def law_context(case: Case) -> dict[str, Any]:
    """What the track turns on: the act's date (the earliest linked report's), the election's
    kind and the day its candidate pairs were fixed (bakal calon / calon, DOMAIN.md)."""
    db_session = object_session(case)
    if db_session is None:
        return {}
    refs = reports.report_refs(db_session=db_session, ids=[r.report_id for r in case.reports])
    act_date = min((r.occurred_on for r in refs if r.occurred_on), default=None)
    facts = elections.election_facts(db_session, case.election_id) if case.election_id else None
    return {
        "act_date": act_date,
        "candidates_fixed_on": facts.candidates_fixed_on if facts else None,
        "election_kind": facts.kind if facts and facts.kind in ("pilkada", "pemilu") else None,
    }


def _need_sanction(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    """A sanction on each track the proven acts carry: ethics and/or discipline."""
    opts = recommendation_options(case, rb, **law_context(case))
    kinds = {k["code"] for e in opts["ethics"] for k in e["kinds"]}
    if kinds and f.ethics_sanction not in kinds:
        return _p(
            "case.ethics_sanction",
            "ethics_sanction",
            f"Perbuatan ini melanggar kode etik: pilih sanksi moral ({', '.join(sorted(kinds))}).",
            f"These acts breach the code of ethics: choose the moral sanction "
            f"({', '.join(sorted(kinds))}).",
        )
    if not kinds and f.ethics_sanction:
        return _p(
            "case.ethics_sanction",
            "ethics_sanction",
            "Perbuatan ini tidak berada di jalur etik.",
            "These acts are not on the ethics track.",
        )
    if not (opts["discipline"] or opts["dismissals"]) and not f.sanction_level:
        return None
    levels = {lvl.code: lvl for lvl in rb.discipline_levels}
    others = {d.code for d in rb.dismissals}
    if f.sanction_level not in levels and f.sanction_level not in others:
        known = list(levels) + sorted(others)
        return _p(
            "case.level_unknown",
            "sanction_level",
            f"Tingkat hukuman disiplin '{f.sanction_level}' tidak ada di buku aturan "
            f"(ada: {', '.join(known)}).",
            f"Discipline level '{f.sanction_level}' is not in the rulebook "
            f"(known: {', '.join(known)}).",
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


def _need_gakkumdu(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if not f.gakkumdu_reference.strip():
        return _p(
            "case.gakkumdu_reference",
            "gakkumdu_reference",
            "Nomor surat penerusan ke Sentra Gakkumdu wajib diisi.",
            "The reference of the forward to Sentra Gakkumdu is required.",
        )
    return _need_date(
        "gakkumdu_forwarded_on",
        "Tanggal penerusan ke Gakkumdu",
        "The date forwarded to Gakkumdu",
        ("registered_on", "tanggal registrasi", "registration"),
    )(case, f, today, rb)


def _need_gakkumdu_status(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if f.gakkumdu_status.strip():
        return None
    return _p(
        "case.gakkumdu_status",
        "gakkumdu_status",
        "Tuliskan status penanganan di Sentra Gakkumdu.",
        "Write the status of the case at Sentra Gakkumdu.",
    )


def _need_substitute(case: Case, f: TransitionIn, today: date, rb: Rulebook) -> Problem | None:
    if f.substitute_ppk.strip() and f.acting_ppk.strip():
        return None
    return _p(
        "case.substitute_ppk",
        "substitute_ppk",
        "Sebutkan pejabat di atas PPK (mis. Menteri Dalam Negeri untuk Pj Wali Kota) dan siapa "
        "yang bertindak sebagai PPK.",
        "Name the authority above the PPK (e.g. the Minister of Home Affairs for a Pj mayor) "
        "and who acts as PPK.",
    )


REQUIREMENTS: dict[str, Check] = {
    "reason": _need_reason,
    "clarification_done": _need_hearing,
    "decision_date": _need_decision_date,
    "plenary": _need_plenary,
    "proven_acts": _need_proven_acts,
    "forwarded_to": _need_forward,
    "notified_on": _need_date(
        "notified_on",
        "Tanggal pemberitahuan status",
        "The status notice date",
        ("decision_date", "tanggal putusan pleno", "the plenary decision"),
    ),
    "asn_named": _need_asn,
    "forwarded_on": _need_date(
        "forwarded_on",
        "Tanggal penerusan ke BKN",
        "The date forwarded to BKN",
        ("decision_date", "tanggal putusan pleno", "the plenary decision"),
    ),
    "bkn_recommendation": _need_bkn,
    "examination_team": _need_team,
    "examination_report": _need_document(
        "bap_pemeriksaan", "examination_report", "examination_report_document_id"
    ),
    "sk_number": _need_sk,
    "ppk_sanction": _need_sanction,
    "delivered_on": _need_date(
        "delivered_on",
        "Tanggal penyampaian",
        "The delivery date",
        ("sk_date", "tanggal SK", "the SK"),
    ),
    "objection_filed_on": _need_date(
        "objection_filed_on",
        "Tanggal keberatan",
        "The objection date",
        ("delivered_on", "tanggal penyampaian", "the delivery"),
    ),
    "objection_decided_on": _need_date(
        "objection_decided_on",
        "Tanggal putusan keberatan",
        "The objection decision date",
        ("objection_filed_on", "tanggal keberatan", "the objection"),
    ),
    "carried_out_on": _need_date(
        "carried_out_on",
        "Tanggal pelaksanaan",
        "The date carried out",
        ("sk_date", "tanggal SK", "the SK date"),
    ),
    "proof": _need_document("bukti_pelaksanaan", "proof", "proof_document_id"),
    "gakkumdu_forward": _need_gakkumdu,
    "gakkumdu_status": _need_gakkumdu_status,
    "substitute_ppk": _need_substitute,
}


def _apply(case: Case, t: Transition, f: TransitionIn, today: date, rb: Rulebook) -> dict[str, Any]:
    """Write what each requirement of the transition carries onto the case; returns what the
    timeline records."""
    out: dict[str, Any] = {}
    req = set(t.requires)
    if "plenary" in req:
        minutes = _document(case, "risalah_pleno", f.plenary_minutes_document_id)
        case.decision, case.decision_date = t.code, f.decision_date
        case.plenary_members = [n.strip() for n in f.commissioners_present if n.strip()]
        case.plenary_minutes_id = minutes.id if minutes else None
        out.update(
            decision_date=str(f.decision_date),
            commissioners_present=case.plenary_members,
            plenary_minutes=case.plenary_minutes_id,
        )
    if "proven_acts" in req:
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
    if "forwarded_to" in req:
        case.forwarded_to = f.forwarded_to
        out["forwarded_to"] = f.forwarded_to
    if "notified_on" in req:
        case.notified_on = f.notified_on
        out["notified_on"] = str(f.notified_on)
    if "forwarded_on" in req:
        case.bkn_forwarded_on = f.forwarded_on
        out["forwarded_on"] = str(f.forwarded_on)
    if "bkn_recommendation" in req:
        doc = _document(case, "rekomendasi_bkn", f.bkn_document_id)
        case.bkn_number, case.bkn_date = f.bkn_number.strip(), f.bkn_date
        case.bkn_level, case.bkn_document_id = f.bkn_level, doc.id if doc else None
        out.update(
            bkn_number=case.bkn_number,
            bkn_date=str(f.bkn_date),
            bkn_level=f.bkn_level,
            bkn_document=case.bkn_document_id,
        )
    if "examination_team" in req:
        case.examination_team = [m.strip() for m in f.examination_team if m.strip()]
        out["examination_team"] = case.examination_team
    if "examination_report" in req:
        doc = _document(case, "bap_pemeriksaan", f.examination_report_document_id)
        case.examination_report_id = doc.id if doc else None
        out["examination_report"] = case.examination_report_id
    if "sk_number" in req:
        case.sk_number, case.sk_date = f.sk_number.strip(), f.sk_date
        out.update(sk_number=case.sk_number, sk_date=str(f.sk_date))
    if "ppk_sanction" in req:
        case.ethics_sanction = f.ethics_sanction
        case.sanction_level, case.penalty = f.sanction_level, f.penalty
        out.update(ethics=f.ethics_sanction, level=f.sanction_level, penalty=f.penalty)
    for attr in ("delivered_on", "objection_filed_on", "objection_decided_on", "carried_out_on"):
        if attr in req:
            setattr(case, attr, getattr(f, attr))
            out[attr] = str(getattr(f, attr))
    if "gakkumdu_forward" in req:
        case.gakkumdu_forwarded_on = f.gakkumdu_forwarded_on
        case.gakkumdu_reference = f.gakkumdu_reference.strip()
        out.update(
            gakkumdu_forwarded_on=str(f.gakkumdu_forwarded_on),
            gakkumdu_reference=case.gakkumdu_reference,
        )
    if "gakkumdu_status" in req:
        case.gakkumdu_status = f.gakkumdu_status.strip()
        out["gakkumdu_status"] = case.gakkumdu_status
    if "substitute_ppk" in req:
        case.ppk_substitute, case.ppk_acting = f.substitute_ppk.strip(), f.acting_ppk.strip()
        out.update(substitute_ppk=case.ppk_substitute, acting_ppk=case.ppk_acting)
    if t.track is not None:
        # a new dict: the JSON column notices reassignment, not mutation
        case.tracks = {**(case.tracks or {}), t.track.name: t.track.target}
        out["track"] = {t.track.name: t.track.target}
    if t.code == "buka_kembali":
        case.decision = case.decision_date = case.forwarded_to = None
    return out


def _register_number(db_session: Session, case: Case, today: date) -> str:
    """Bawaslu's register number from the configured pattern, numbered per origin and year."""
    origin = "LP" if case.origin == "laporan" else "TM"
    seq = next_value(db_session, f"REG-{origin}-{today.year}")
    return get_settings().case_register_pattern.format(
        seq=seq,
        origin=origin,
        month=today.month,
        month_roman=ROMAN_MONTHS[today.month],
        year=today.year,
    )


def _notify(db_session: Session, case: Case, t: Transition) -> None:
    """In-app notices to the roles the transition names, in the transition's unit of work."""
    if not t.notify:
        return
    text = f"{case.register_number or case.number}: {t.notice_id} / {t.notice_en}"
    users = db_session.scalars(
        select(User).where(User.role.in_(t.notify), User.is_active.is_(True))
    )
    for u in users:
        if Scope.of(u).covers(case.region_code):
            db_session.add(
                Notification(user_id=u.id, case_id=case.id, body=text, mail_pending=bool(u.email))
            )


def _record_refusal(
    db_session: Session, actor: Actor, case: Case, code: str, exc: NetralError
) -> None:
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


def check_transition(
    *,
    case: Case,
    code: str,
    user: User,
    fields: TransitionIn | None = None,
    now: datetime | None = None,
) -> Transition:
    """The step if it may be taken now, or every reason it may not; writes nothing (a page asks
    for confirmation only of a step that would be taken)."""
    fields = fields or TransitionIn()
    today = to_wib_date(now or utcnow())
    rb = load_rulebook()
    wf = workflow()
    t = wf.check(case.state, code, user.role)
    wf.check_track(t, dict(case.tracks or {}))
    problems = [p for req in t.requires if (p := REQUIREMENTS[req](case, fields, today, rb))]
    if problems:
        raise ValidationFailed(*problems)
    return t


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
        t = check_transition(case=case, code=code, user=user, fields=fields, now=now)
    except NetralError as exc:
        _record_refusal(db_session, actor, case, code, exc)
        raise
    before = case.state
    target = t.target or before
    recorded = _apply(case, t, fields, today, rb)
    event = None
    if t.event:
        # the event is dated by the day it happened (the field the workflow names: a decision's
        # date, BKN's date, the SK's date), so a decision keyed in late neither moves the next
        # clock nor hides a late decision
        event_type = EVENTS[t.event]
        happened: date | None = getattr(fields, t.event_on) if t.event_on else None
        event = event_type(case.id, happened or today)
        closing = closing_record(case, t.event, event.on)
        if closing is not None:
            recorded["clock"] = closing
    if t.register_number and case.register_number is None:
        case.register_number, case.registered_on = _register_number(db_session, case, today), today
        recorded["register_number"] = case.register_number
    case.state, case.updated_at = target, now
    case.transitions.append(
        CaseTransition(
            code=t.code,
            from_state=before,
            to_state=target,
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
            "to": target,
            "reason": fields.reason.strip()[:500],
            **recorded,
        },
    )
    db_session.flush()
    if event is not None:
        publish(db_session, event)
    _notify(db_session, case, t)
    if t.public_stage is not None:  # the reporter follows the case through the receipt
        for linked in case.reports:
            reports.record_public_progress(
                db_session=db_session,
                report_id=linked.report_id,
                stage=t.public_stage,
                on_date=event.on if event is not None else today,
            )
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
    # a staff member's own document, opened whole by those who read the case: no copy
    blob = store.put(
        upload.file, filename=upload.filename, declared_type=upload.content_type, pdf_copy=False
    )
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
    scheduled_at: datetime | None,
    place: str,
) -> Hearing:
    """A hearing and its invitation letter; every problem with the form is named at once.
    `scheduled_at` is None when the form's time was missing or could not be read."""
    if case.state not in ("registrasi", "klarifikasi", "kajian"):
        raise Conflict(
            _p(
                "case.hearing_state",
                "state",
                "Klarifikasi hanya dijadwalkan setelah registrasi dan sebelum putusan.",
                "Hearings are scheduled after registration and before the decision.",
            )
        )
    problems = []
    if party not in ("pelapor", "terlapor", "saksi"):
        problems.append(
            _p(
                "case.hearing_party",
                "party",
                "Pihak: pelapor, terlapor atau saksi.",
                "Party: pelapor, terlapor or saksi.",
            )
        )
    if not name.strip():
        problems.append(
            _p("case.hearing_name", "name", "Nama wajib diisi.", "The name is required.")
        )
    if scheduled_at is None:
        problems.append(
            _p(
                "case.hearing_time",
                "scheduled_at",
                "Isi waktu klarifikasi: tanggal dan jam (WIB).",
                "Give the hearing's time: date and hour (WIB).",
            )
        )
    received = received_on(case)
    if scheduled_at is not None and received is not None and to_wib_date(scheduled_at) < received:
        problems.append(
            _p(
                "case.hearing_before_report",
                "scheduled_at",
                f"Klarifikasi tidak dapat dijadwalkan sebelum laporan diterima "
                f"({received:%d-%m-%Y}).",
                f"A hearing cannot be scheduled before the report was received "
                f"({received:%d-%m-%Y}).",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    assert scheduled_at is not None
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
    attended: bool = True,
    now: datetime | None = None,
) -> Hearing:
    """The hearing held with its minutes (BAP) or, when the person did not come, the minutes of
    non-attendance: either lets the study go on, so a refusal to come never blocks a case."""
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
    scheduled_on = to_wib_date(hearing.scheduled_at)
    if held_on < scheduled_on:
        raise ValidationFailed(
            _p(
                "case.hearing_before_schedule",
                "held_on",
                f"Klarifikasi ini dijadwalkan {scheduled_on:%d-%m-%Y}: tanggal pelaksanaannya "
                "tidak boleh sebelum jadwal. Bila klarifikasi dimajukan, jadwalkan ulang dahulu.",
                f"This hearing is scheduled for {scheduled_on:%d-%m-%Y}: it cannot have been held "
                "before then. If it was brought forward, schedule it again first.",
            )
        )
    doc = add_document(
        db_session=db_session,
        store=store,
        case=case,
        user=user,
        kind="bap" if attended else "ba_ketidakhadiran",
        title=(
            f"BAP klarifikasi {hearing.name}"
            if attended
            else f"Berita acara ketidakhadiran {hearing.name}"
        ),
        upload=minutes,
    )
    hearing.held_on, hearing.minutes_document_id = held_on, doc.id
    hearing.attended = attended
    audit.record(
        db_session,
        actor=actor_of(user),
        action="case.hearing_held" if attended else "case.hearing_not_attended",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={"hearing": hearing.id, "held_on": str(held_on), "attended": attended},
    )
    return hearing


# ---------------------------------------------------------------- listing


# what waits on whom, by name: the home pages count these and link to the list filtered by them
QUEUES: dict[str, tuple[str, ...]] = {
    "pleno": ("kajian",),  # the study is done: the plenary decides
    "putusan_ppk": ("rekomendasi_bkn", "pemeriksaan_ppk"),  # BKN recommended: the PPK decides
    "penyampaian": ("putusan_ppk",),  # decided: the SK is to be delivered
    "bukti": ("disampaikan", "upaya_administratif", "keberatan_diputus"),  # proof it was done
}


@dataclass(frozen=True)
class CaseFilter:
    state: str = ""
    deadline: str = ""  # overdue | today (due today or overdue) | due_soon | on_time | none
    owner_id: int | None = None
    q: str = ""
    asn_id: int | None = None
    queue: str = ""  # a QUEUES name
    turn_of: str = ""  # a role: the cases whose next step is that role's


@dataclass
class CaseRow:
    case: Case
    clock: ClockStatus | None = None


# the case list's sort keys (column, "-" for descending); any other key: the default, by deadline
CASE_SORTS: dict[str, tuple[Any, ...]] = {
    "deadline": (Case.deadline_due.is_(None), Case.deadline_due, Case.id.desc()),
    "-deadline": (Case.deadline_due.is_(None), Case.deadline_due.desc(), Case.id.desc()),
    "number": (Case.number.asc(),),
    "-number": (Case.number.desc(),),
    "title": (Case.title.asc(), Case.id.asc()),
    "-title": (Case.title.desc(), Case.id.desc()),
    "state": (Case.state.asc(), Case.id.asc()),
    "-state": (Case.state.desc(), Case.id.desc()),
}


def list_cases(
    *,
    db_session: Session,
    scope: Scope,
    filters: CaseFilter,
    today: date | None = None,
    page: int = 1,
    per_page: int = 25,
    calendar: WorkingCalendar | None = None,
    sort: str = "",
) -> tuple[list[CaseRow], int]:
    today = today or to_wib_date(utcnow())
    calendar = calendar or calendar_for(db_session)
    where = case_where(scope=scope, filters=filters, today=today, calendar=calendar)
    total = db_session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    rows = db_session.scalars(
        select(Case)
        .where(*where)
        .order_by(*CASE_SORTS.get(sort, CASE_SORTS["deadline"]))
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    )
    return [CaseRow(c, clock_status(c, today, calendar)) for c in rows], total


def count_filtered(
    *, db_session: Session, scope: Scope, filters: CaseFilter, today: date | None = None
) -> int:
    """How many cases the list would show for these filters (one COUNT, no rows)."""
    today = today or to_wib_date(utcnow())
    where = case_where(scope=scope, filters=filters, today=today, calendar=calendar_for(db_session))
    return db_session.scalar(select(func.count()).select_from(Case).where(*where)) or 0


def case_where(
    *, scope: Scope, filters: CaseFilter, today: date, calendar: WorkingCalendar
) -> list[Any]:
    """The case list's filters as WHERE clauses: the page and the exports read the same rows."""
    where: list[Any] = [scope.clause(Case.region_code)]
    if filters.state:
        where.append(Case.state == filters.state)
    if filters.owner_id:
        where.append(Case.owner_user_id == filters.owner_id)
    if filters.queue:
        where.append(Case.state.in_(QUEUES.get(filters.queue, ())))
    if filters.turn_of:
        where.append(Case.state.in_(sorted(workflow().waiting_on(filters.turn_of))))
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
    elif filters.deadline == "today":
        where.append(Case.deadline_due <= today)
    elif filters.deadline == "due_soon":
        where += [Case.deadline_due >= today, due_soon]
    elif filters.deadline == "on_time":
        where += [Case.deadline_due >= today, ~due_soon]
    elif filters.deadline == "none":
        where.append(Case.deadline_due.is_(None))
    return where


def upload_from_bytes(name: str, data: bytes, content_type: str) -> reports.Upload:
    return reports.Upload(name, io.BytesIO(data), content_type)


# ================================================================ aggregates for the dashboard
# GROUP BY queries the dashboard composes (dashboard/ never reads this domain's tables). Every
# count is over the cases *opened* in a window of WIB days, in the caller's scope, optionally one
# region; "today" decides what is overdue. Added at the end of the file on purpose.

# What the public sees of a case's state: coarse stages, never a step that names a person.
# Every workflow state belongs to exactly one stage (tests/unit/cases/test_public_stages.py).
PUBLIC_CASE_STAGES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    (
        "bawaslu",
        "Ditangani Bawaslu",
        "Handled by Bawaslu",
        ("diterima", "registrasi", "klarifikasi", "kajian"),
    ),
    (
        "diputus_bawaslu",
        "Diputus pleno Bawaslu",
        "Decided by Bawaslu's plenary",
        ("terbukti", "status_diberitahukan"),
    ),
    ("bkn", "Di BKN", "At BKN", ("diteruskan_bkn",)),
    # carried out stays inside the PPK's stage: the public sanctions figure counts it already,
    # and two tables that differ by one stage would let a small count be subtracted out
    (
        "ppk",
        "Di PPK (putusan dan pelaksanaan sanksi)",
        "With the PPK (decision and sanction)",
        (
            "rekomendasi_bkn",
            "pemeriksaan_ppk",
            "putusan_ppk",
            "disampaikan",
            "upaya_administratif",
            "keberatan_diputus",
            "dilaksanakan",
        ),
    ),
    (
        "tidak_terbukti",
        "Tidak terbukti / bukan netralitas",
        "Not proven / not neutrality",
        ("tidak_terbukti", "bukan_netralitas", "ppk_tidak_terbukti"),
    ),
    (
        "selesai",
        "Selesai / dihentikan",
        "Closed / stopped",
        ("selesai", "dihentikan", "tidak_diregistrasi"),
    ),
)


@dataclass(frozen=True)
class CaseWindow:
    """Which cases an aggregate counts: opened from..until (WIB days, both included)."""

    scope: Scope
    since: date | None = None
    until: date | None = None
    region_code: str | None = None
    # the one grouped scan the aggregates share (case_breakdown); a new window counts afresh
    memo: dict[str, Any] = dataclass_field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


@dataclass(frozen=True)
class StateTally:
    state: str
    label_id: str
    label_en: str
    n: int


@dataclass(frozen=True)
class ClockTally:
    """Running clocks of one rulebook step: still on time, and past their due day."""

    step: str
    on_time: int
    overdue: int


@dataclass(frozen=True)
class FollowUp:
    """BKN's recommendations to the PPK and what became of them (the number that matters: in
    Pilkada 2020 about half were never carried out, DOMAIN.md)."""

    issued: int
    carried_out: int
    not_proven: int  # the PPK decided the breach was not proven
    stopped: int
    pending: int  # no decision yet, or decided and not carried out
    pending_overdue: int


@dataclass(frozen=True)
class SanctionTally:
    """Sanctions the PPK decided, per track (disiplin | etik) and level or kind."""

    track: str
    code: str
    decided: int
    carried_out: int


@dataclass(frozen=True)
class OpdSanctionTally:
    opd: str  # the OPD as the case recorded it when it named the ASN
    decided: int
    carried_out: int


@dataclass(frozen=True)
class PpkQueue:
    awaiting_decision: int
    awaiting_decision_overdue: int
    awaiting_delivery: int
    awaiting_delivery_overdue: int
    awaiting_execution: int


def case_window_where(window: CaseWindow) -> list[Any]:
    if window.region_code:
        # one region: plain equality (an index range scan), never wider than the scope
        covered = window.scope.covers(window.region_code)
        where: list[Any] = [Case.region_code == window.region_code if covered else false()]
    else:
        where = [window.scope.clause(Case.region_code)]
    if window.since is not None:
        where.append(Case.created_at >= reports.wib_day_start(window.since))
    if window.until is not None:
        where.append(Case.created_at < reports.wib_day_start(window.until + timedelta(days=1)))
    return where


def _sum(cond: Any) -> Any:
    return func.coalesce(func.sum(when((cond, 1), else_=0)), 0)


@dataclass(frozen=True)
class CaseBreakdown:
    """The cases of a window counted every way the dashboard shows them, from one scan."""

    total: int
    by_state: dict[str, int]
    clocks: list[ClockTally]
    follow_up: FollowUp
    levels: list[SanctionTally]
    queue: PpkQueue


def case_breakdown(*, db_session: Session, window: CaseWindow, today: date) -> CaseBreakdown:
    """Per state, per running clock, per sanction level and kind, BKN's recommendations and the
    PPK's queue from ONE pass over the window's index entries: the cases are grouped by the few
    columns every figure is a function of (a few hundred groups at most, the state deciding most
    of the rest), and the figures are added up from those groups here. Remembered on the window
    for this `today`."""
    memo_key = f"breakdown:{today.isoformat()}"
    hit = window.memo.get(memo_key)
    if isinstance(hit, CaseBreakdown):
        return hit
    shape = (
        Case.state,
        Case.deadline_step,
        Case.deadline_due < today,  # NULL: no clock running
        Case.sanction_level,
        Case.ethics_sanction,
        Case.carried_out_on.is_not(None),
        Case.bkn_date.is_not(None),
        Case.sk_number.is_not(None),
    )
    rows = db_session.execute(
        select(*shape, func.count()).where(*case_window_where(window)).group_by(*shape)
    ).all()
    total = 0
    by_state: dict[str, int] = {}
    clocks: dict[str | None, list[int]] = {}
    follow = [0] * 6  # issued, carried out, not proven, stopped, pending, pending overdue
    levels: dict[tuple[str, str], list[int]] = {}
    queue = [0] * 5
    for state, step, late_value, level, ethics, carried, bkn, decided, count in rows:
        n = int(count)
        late = late_value is not None and bool(late_value)
        total += n
        by_state[state] = by_state.get(state, 0) + n
        if late_value is not None:
            clocks.setdefault(step, [0, 0])[1 if late else 0] += n
        # the same tests the single-figure queries made, row group by row group
        not_proven = not carried and (
            state == "ppk_tidak_terbukti" or (decided and level is None and ethics is None)
        )
        if bkn:
            pending = not carried and not not_proven and state != "dihentikan"
            stopped = not carried and not not_proven and state == "dihentikan"
            for i, hit_ in enumerate(
                (True, carried, not_proven, stopped, pending, pending and late)
            ):
                follow[i] += n if hit_ else 0
        if decided:
            for track, code in (("disiplin", level), ("etik", ethics)):
                if code is not None:
                    tally = levels.setdefault((track, code), [0, 0])
                    tally[0] += n
                    tally[1] += n if carried else 0
        deciding = state in ("rekomendasi_bkn", "pemeriksaan_ppk")
        delivering = state == "putusan_ppk"
        executing = state in ("disampaikan", "upaya_administratif", "keberatan_diputus")
        for i, hit_ in enumerate(
            (deciding, deciding and late, delivering, delivering and late, executing)
        ):
            queue[i] += n if hit_ else 0
    found = CaseBreakdown(
        total=total,
        by_state=by_state,
        clocks=[
            ClockTally(str(step), on_time, overdue)
            for step, (on_time, overdue) in sorted(
                clocks.items(), key=lambda kv: (kv[0] is None, kv[0] or "")
            )
        ],
        follow_up=FollowUp(*follow),
        levels=[
            SanctionTally(track, code, decided_n, carried_n)
            for (track, code), (decided_n, carried_n) in sorted(
                levels.items(), key=lambda kv: (kv[0][0] != "disiplin", kv[0][1])
            )
        ],
        queue=PpkQueue(*queue),
    )
    window.memo[memo_key] = found
    return found


def _any_breakdown(db_session: Session, window: CaseWindow) -> CaseBreakdown:
    """The window's breakdown for whichever day it was made: states and sanctions do not depend
    on what is overdue."""
    made = next((b for b in window.memo.values() if isinstance(b, CaseBreakdown)), None)
    return made or case_breakdown(db_session=db_session, window=window, today=to_wib_date(utcnow()))


def count_cases(*, db_session: Session, window: CaseWindow) -> int:
    return (
        db_session.scalar(select(func.count()).select_from(Case).where(*case_window_where(window)))
        or 0
    )


def cases_by_state(*, db_session: Session, window: CaseWindow) -> list[StateTally]:
    """Per workflow state, in the workflow's order, with its names (states with none left out)."""
    counts = _any_breakdown(db_session, window).by_state
    wf = workflow()
    order = list(wf.states) + sorted(set(counts) - set(wf.states))
    return [
        StateTally(s, wf.state_label(s, "id"), wf.state_label(s, "en"), int(counts[s]))
        for s in order
        if counts.get(s)
    ]


def cases_by_public_stage(*, db_session: Session, window: CaseWindow) -> list[StateTally]:
    """Per public stage (PUBLIC_CASE_STAGES), every stage listed, zeros included."""
    counts = {t.state: t.n for t in cases_by_state(db_session=db_session, window=window)}
    return [
        StateTally(code, label_id, label_en, sum(counts.get(s, 0) for s in states))
        for code, label_id, label_en, states in PUBLIC_CASE_STAGES
    ]


def clocks_by_step(*, db_session: Session, window: CaseWindow, today: date) -> list[ClockTally]:
    """The legal clocks running now, per step: on time (due today or later) and overdue."""
    return case_breakdown(db_session=db_session, window=window, today=today).clocks


def recommendation_follow_up(*, db_session: Session, window: CaseWindow, today: date) -> FollowUp:
    return case_breakdown(db_session=db_session, window=window, today=today).follow_up


def sanctions_by_level(*, db_session: Session, window: CaseWindow) -> list[SanctionTally]:
    """Discipline sanctions per level and ethics sanctions per kind, decided and carried out."""
    return _any_breakdown(db_session, window).levels


def sanctions_by_opd(*, db_session: Session, window: CaseWindow) -> list[OpdSanctionTally]:
    """Cases with a sanction decided, per OPD of the ASN they name (a case naming ASN of two OPD
    counts once in each)."""
    carried = Case.carried_out_on.is_not(None)
    decided = or_(Case.sanction_level.is_not(None), Case.ethics_sanction.is_not(None))
    rows = db_session.execute(
        select(CaseAsn.opd, func.count(func.distinct(Case.id)), _sum(carried))
        .join(CaseAsn, CaseAsn.case_id == Case.id)
        .where(*case_window_where(window), Case.sk_number.is_not(None), decided)
        .group_by(CaseAsn.opd)
        .order_by(func.count(func.distinct(Case.id)).desc(), CaseAsn.opd)
    )
    return [OpdSanctionTally(str(opd), int(n), int(c)) for opd, n, c in rows]


def ppk_queue(*, db_session: Session, window: CaseWindow, today: date) -> PpkQueue:
    """What waits on the PPK's office now: decisions, deliveries, executions, and the overdue."""
    return case_breakdown(db_session=db_session, window=window, today=today).queue


def office_letterhead() -> Letterhead:
    """This deployment's kop surat (NETRAL_LETTERHEAD_FILE), for documents other domains print."""
    return Letterhead.load(get_settings().letterhead_file)


# ---------------------------------------------------------------- the lists, as files


@dataclass(frozen=True)
class CaseExportRow:
    number: str
    register_number: str | None
    opened_at: datetime
    origin: str
    title: str
    state: str
    state_label: str
    asn: str  # "name (NIP), ..." as the case recorded them
    opd: str
    acts: str
    deadline_step: str | None
    deadline_due: date | None
    overdue: bool
    decision_date: date | None
    bkn_number: str | None
    bkn_date: date | None
    bkn_level: str | None
    sk_number: str | None
    sk_date: date | None
    ethics_sanction: str | None
    sanction_level: str | None
    penalty: str | None
    delivered_on: date | None
    carried_out_on: date | None


def export_cases(
    *,
    db_session: Session,
    scope: Scope,
    filters: CaseFilter,
    sanctions_only: bool = False,
    today: date | None = None,
    lang: str = "id",
    batch: int = 2000,
) -> Iterator[CaseExportRow]:
    """The case list's rows for these filters (the sanctions list: cases with the PPK's decree),
    oldest first, streamed in batches (the ASN and acts of each batch read in one query each)."""
    today = today or to_wib_date(utcnow())
    where = case_where(scope=scope, filters=filters, today=today, calendar=calendar_for(db_session))
    if sanctions_only:
        where.append(Case.sk_number.is_not(None))
    cols = (
        Case.id, Case.number, Case.register_number, Case.created_at, Case.origin, Case.title,
        Case.state, Case.deadline_step, Case.deadline_due, Case.decision_date, Case.bkn_number,
        Case.bkn_date, Case.bkn_level, Case.sk_number, Case.sk_date, Case.ethics_sanction,
        Case.sanction_level, Case.penalty, Case.delivered_on, Case.carried_out_on,
    )  # fmt: skip
    wf = workflow()
    stmt = select(*cols).where(*where).order_by(Case.id).execution_options(yield_per=batch)
    for part in db_session.execute(stmt).partitions(batch):
        ids = [r.id for r in part]
        people: dict[int, list[tuple[str, str, str]]] = {}
        for cid, name, nip, opd in db_session.execute(
            select(CaseAsn.case_id, CaseAsn.name, CaseAsn.nip, CaseAsn.opd)
            .where(CaseAsn.case_id.in_(ids))
            .order_by(CaseAsn.id)
        ):
            people.setdefault(cid, []).append((name, nip, opd))
        acts: dict[int, list[str]] = {}
        for cid, code, proven in db_session.execute(
            select(CaseAct.case_id, CaseAct.code, CaseAct.proven)
            .where(CaseAct.case_id.in_(ids))
            .order_by(CaseAct.code)
        ):
            acts.setdefault(cid, []).append(code + (" (terbukti)" if proven else ""))
        for r in part:
            who = people.get(r.id, [])
            yield CaseExportRow(
                number=r.number,
                register_number=r.register_number,
                opened_at=r.created_at,
                origin=r.origin,
                title=r.title,
                state=r.state,
                state_label=wf.state_label(r.state, lang),
                asn=", ".join(f"{n} ({nip})" for n, nip, _ in who),
                opd=", ".join(dict.fromkeys(o for _, _, o in who)),
                acts=", ".join(acts.get(r.id, [])),
                deadline_step=r.deadline_step,
                deadline_due=r.deadline_due,
                overdue=r.deadline_due is not None and r.deadline_due < today,
                decision_date=r.decision_date,
                bkn_number=r.bkn_number,
                bkn_date=r.bkn_date,
                bkn_level=r.bkn_level,
                sk_number=r.sk_number,
                sk_date=r.sk_date,
                ethics_sanction=r.ethics_sanction,
                sanction_level=r.sanction_level,
                penalty=r.penalty,
                delivered_on=r.delivered_on,
                carried_out_on=r.carried_out_on,
            )


# ================================================================ one search and the case's chain


@dataclass(frozen=True)
class CaseHit:
    """A case as the one search lists it."""

    number: str
    register_number: str | None
    title: str
    state: str
    state_id: str  # the state's name in Indonesian and in English
    state_en: str
    asn_names: tuple[str, ...]


def search_cases(
    *, db_session: Session, scope: Scope, term: str, limit: int = 20
) -> tuple[list[CaseHit], int]:
    """Cases in scope by number (or register number), title, or a named ASN's NIP or name."""
    term = term.strip()
    digits = term.replace(" ", "")
    if len(term) < 2:
        return [], 0
    named = (
        CaseAsn.nip.startswith(digits, autoescape=True)
        if digits.isdigit()
        else CaseAsn.name.icontains(term, autoescape=True)
    )
    match = or_(
        Case.number.icontains(term, autoescape=True),
        Case.register_number.icontains(term, autoescape=True),
        Case.title.icontains(term, autoescape=True),
        Case.id.in_(select(CaseAsn.case_id).where(named))
        if not digits.isdigit() or len(digits) >= registry.NIP_PREFIX_MIN
        else false(),
    )
    where = [scope.clause(Case.region_code), match]
    total = db_session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    rows = db_session.scalars(select(Case).where(*where).order_by(Case.id.desc()).limit(limit))
    return [
        CaseHit(
            c.number,
            c.register_number,
            c.title,
            c.state,
            workflow().state_label(c.state, "id"),
            workflow().state_label(c.state, "en"),
            tuple(a.name for a in c.asn),
        )
        for c in rows
    ], total


@dataclass(frozen=True)
class ChainStep:
    code: str
    label_id: str
    label_en: str
    status: str  # done | current | todo | stopped


# Where a case stands on its way from report to carried-out sanction (SKB 2024; PP 94/2021).
CASE_CHAIN: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("laporan", "Laporan atau temuan diterima", "Report or finding received", ("diterima",)),
    ("kajian", "Kajian dan pleno Bawaslu", "Bawaslu's study and plenary",
     ("registrasi", "klarifikasi", "kajian", "terbukti", "status_diberitahukan")),
    ("bkn", "Rekomendasi BKN", "BKN's recommendation", ("diteruskan_bkn",)),
    ("ppk", "Putusan PPK", "PPK's decision",
     ("rekomendasi_bkn", "pemeriksaan_ppk", "putusan_ppk", "disampaikan", "upaya_administratif",
      "keberatan_diputus")),
    ("dilaksanakan", "Sanksi dilaksanakan", "Sanction carried out", ("dilaksanakan",)),
)
# states where the way ends early, and the step at which it ended
CHAIN_STOPS = {
    "tidak_diregistrasi": "laporan",
    "tidak_terbukti": "kajian",
    "bukan_netralitas": "kajian",
    "ppk_tidak_terbukti": "ppk",
}


def case_chain(case: Case) -> list[ChainStep]:
    """Each step of the chain marked done, current, still to come, or where the case stopped."""
    codes = [code for code, *_ in CASE_CHAIN]
    stop = CHAIN_STOPS.get(case.state)
    finished = case.carried_out_on is not None and case.state in ("dilaksanakan", "selesai")
    if stop is None and not finished and case.state in ("selesai", "dihentikan"):
        # closed or stopped early: the furthest step its recorded dates show it reached
        reached = [
            ("ppk", case.bkn_number),
            ("bkn", case.bkn_forwarded_on),
            ("kajian", case.register_number),
        ]
        stop = next((step for step, seen in reached if seen), "laporan")
    at = "dilaksanakan" if finished else stop
    if at is None:
        at = next((code for code, _, _, states in CASE_CHAIN if case.state in states), "laporan")
    here = codes.index(at)
    out = []
    for i, (code, label_id, label_en, _states) in enumerate(CASE_CHAIN):
        if i < here or (finished and i == here):
            status = "done"
        elif i == here:
            status = "stopped" if stop else "current"
        else:
            status = "todo"
        out.append(ChainStep(code, label_id, label_en, status))
    return out


def case_number_of_report(*, db_session: Session, scope: Scope, report_id: int) -> str | None:
    """The case a report became (a report joins at most one case), if the caller's scope has it."""
    case = db_session.scalar(
        select(Case).join(CaseReport, CaseReport.case_id == Case.id).where(
            CaseReport.report_id == report_id, scope.clause(Case.region_code)
        )
    )
    return case.number if case is not None else None
