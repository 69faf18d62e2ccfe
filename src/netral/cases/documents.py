"""Letters generated from a case, numbered, stored as case documents (and so, in the evidence
store, content-addressed). The reporter's name goes into a letter only for a role that may open
the identity, and that opening is audited like any other."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from netral.cases.letters import LETTER_KINDS, Letterhead, LetterNumbering, render_pdf
from netral.cases.models import Case, CaseDocument, Hearing
from netral.cases.workflow import workflow
from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.errors import ValidationFailed, problem
from netral.core.models import User
from netral.core.security import has_permission
from netral.core.sequences import next_value
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore
from netral.reports import service as reports
from netral.rules import load_rulebook

TITLES = {
    "tanda_terima": "Tanda terima laporan",
    "undangan_klarifikasi": "Undangan klarifikasi",
    "pemberitahuan_status": "Pemberitahuan status laporan",
    "rekomendasi": "Surat rekomendasi kepada BKN dan PPK",
    "penerusan_bkn": "Surat penerusan ke BKN",
}


def _signatory(user: User, letterhead: Letterhead) -> dict[str, str]:
    return {"name": user.full_name, "title": f"Ketua {letterhead.name}"}


def _first_report(db_session: Session, case: Case) -> reports.ReportRef | None:
    if not case.reports:
        return None
    found = reports.report_refs(db_session=db_session, ids=[case.reports[0].report_id])
    return found[0] if found else None


def letter_context(
    *,
    db_session: Session,
    case: Case,
    user: User,
    kind: str,
    letterhead: Letterhead,
    hearing: Hearing | None = None,
    today: date,
) -> dict[str, Any]:
    rb = load_rulebook()
    if kind == "undangan_klarifikasi":
        hearing = hearing or (case.hearings[-1] if case.hearings else None)
        if hearing is None:
            raise ValidationFailed(
                problem(
                    "letters.no_hearing",
                    "Jadwalkan klarifikasi dulu.",
                    "Schedule a hearing first.",
                    field="hearing",
                )
            )
        return {
            "case_number": case.number,
            "addressee_name": hearing.name,
            "addressee_position": hearing.position,
            "hearing_at": hearing.scheduled_at,
            "place": hearing.place,
            "matter": case.title,
            "contact_officer": user.full_name,
            "signatory": _signatory(user, letterhead),
        }
    report = _first_report(db_session, case)
    if kind in ("tanda_terima", "pemberitahuan_status") and report is None:
        raise ValidationFailed(
            problem(
                "letters.no_report",
                "Kasus ini tidak berasal dari laporan.",
                "This case does not come from a report.",
                field="kind",
            )
        )
    if kind == "tanda_terima":
        assert report is not None
        name = "Anonim" if report.anonymous else "Pelapor"
        if not report.anonymous and has_permission(user, "reports.identity"):
            name = reports.reveal_identity_of(
                db_session=db_session, report_id=report.id, actor=Actor.of(user)
            ).name
        return {
            "report_number": report.number,
            "received_at": report.created_at,
            "reporter_name": name or "Pelapor",
            "reported_name": report.reported_name,
            "reported_position": report.reported_position,
            "summary": report.description,
            "evidence_count": report.evidence_count,
            "filing_due_on": report.filing_due_on,
            "is_late": report.is_late,
            "signatory": _signatory(user, letterhead),
        }
    if kind == "pemberitahuan_status":
        assert report is not None
        last = case.transitions[-1] if case.transitions else None
        return {
            "report_number": report.number,
            "case_number": case.number,
            "status_label": workflow().state_label(case.state),
            "reason": (last.reason if last and last.reason else case.title),
            "decided_on": today,
            "signatory": _signatory(user, letterhead),
        }
    if kind == "penerusan_bkn":  # minimal, from the workflow branch
        forwarded = [rb.violation(a.code) for a in case.acts if a.proven] or [
            rb.violation(a.code) for a in case.acts
        ]
        return {
            "case_number": case.number,
            "register_number": case.register_number or case.number,
            "asn": [
                {"name": a.name, "nip": a.nip, "position": a.position, "opd": a.opd}
                for a in case.asn
            ],
            "acts": [
                {
                    "code": v.code,
                    "name": v.name.id,
                    "basis": "; ".join(f"{b.source} {b.article or ''}".strip() for b in v.basis),
                }
                for v in forwarded
            ],
            "decided_on": case.decision_date or today,
            "signatory": _signatory(user, letterhead),
            "tembusan": [case.ppk_acting or "Wali Kota selaku Pejabat Pembina Kepegawaian"],
        }
    # rekomendasi
    chosen = (case.recommendation or {}).get("chosen") or {}
    proven = [a.code for a in case.acts if a.proven]
    acts = []
    conflict, criminal = None, None
    for code in proven:
        v = rb.violation(code)
        acts.append(
            {
                "code": v.code,
                "name": v.name.id,
                "basis": "; ".join(f"{b.source} {b.article or ''}".strip() for b in v.basis),
            }
        )
        if v.conflict:
            conflict = v.conflict.note.id
        if v.criminal and chosen.get("criminal_forward"):
            criminal = {"article": v.criminal.article, "forward_to": "Sentra Gakkumdu"}
    ethics = None
    if chosen.get("ethics_kind"):
        e = next(
            (x for x in rb.ethics_sanctions for k in x.kinds if k.code == chosen["ethics_kind"]),
            None,
        )
        if e is not None:
            kind_name = next(k.name.id for k in e.kinds if k.code == chosen["ethics_kind"])
            ethics = {
                "name": e.name.id,
                "kind": kind_name,
                "basis": "; ".join(f"{b.source} {b.article or ''}".strip() for b in e.basis),
            }
    discipline = None
    if chosen.get("discipline_level"):
        lvl = rb.level(chosen["discipline_level"])
        discipline = {
            "level_name": lvl.name.id,
            "penalties": [p.name.id for p in lvl.penalties],
            "basis": "; ".join(f"{b.source} {b.article or ''}".strip() for b in lvl.basis),
        }
    return {
        "case_number": case.number,
        "asn": [
            {"name": a.name, "nip": a.nip, "position": a.position, "opd": a.opd, "kind": a.kind}
            for a in case.asn
        ],
        "acts": acts,
        "ethics": ethics,
        "discipline": discipline,
        "criminal": criminal,
        "conflict_note": conflict,
        "rulebook_version": case.rulebook_version,
        "follow_up_due": case.deadline_due or today,
        "addressees": [
            "Kepala Badan Kepegawaian Negara",
            "Wali Kota selaku Pejabat Pembina Kepegawaian",
        ],
        "signatory": _signatory(user, letterhead),
        "tembusan": ["Ketua Bawaslu Provinsi", "Inspektorat Daerah", "Kepala BKPSDM"],
    }


def generate_letter(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    case: Case,
    user: User,
    kind: str,
    hearing: Hearing | None = None,
) -> CaseDocument:
    if kind not in LETTER_KINDS:
        raise ValidationFailed(
            problem(
                "letters.unknown_kind",
                f"Jenis surat: {', '.join(LETTER_KINDS)}.",
                f"Letter kinds: {', '.join(LETTER_KINDS)}.",
                field="kind",
            )
        )
    today = to_wib_date(utcnow())
    office = get_settings().letterhead_file
    letterhead = Letterhead.load(office)
    context = letter_context(
        db_session=db_session,
        case=case,
        user=user,
        kind=kind,
        letterhead=letterhead,
        hearing=hearing,
        today=today,
    )
    seq = next_value(db_session, f"SURAT-{today.year}")
    number = LetterNumbering.load(office).format(seq=seq, kind=kind, when=today)
    pdf = render_pdf(kind, context, letterhead=letterhead, number=number, when=today)
    blob = store.put(io.BytesIO(pdf), filename=f"{kind}.pdf", declared_type="application/pdf")
    doc = CaseDocument(
        kind=kind,
        title=TITLES[kind],
        number=number,
        sha256=blob.sha256,
        media_type="application/pdf",
        created_by=user.id,
    )
    case.documents.append(doc)
    db_session.flush()
    if hearing is not None:
        hearing.invitation_document_id = doc.id
    if kind == "rekomendasi":
        case.recommendation_number = number
    audit.record(
        db_session,
        actor=Actor.of(user),
        action="case.letter",
        object_type="case",
        object_id=case.number,
        region_code=case.region_code,
        summary={"kind": kind, "number": number},
    )
    return doc
