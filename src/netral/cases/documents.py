"""Letters generated from a case, numbered, stored as case documents (and so, in the evidence
store, content-addressed). The reporter's name goes into a letter only for a role that may open
the identity, and that opening is audited like any other."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from netral.cases.letters import (
    LETTER_KINDS,
    Letterhead,
    LetterKind,
    LetterNumbering,
    cite,
    cite_all,
    letter_kind,
    render_pdf,
)
from netral.cases.models import Case, CaseDocument, Hearing
from netral.cases.workflow import workflow
from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.errors import Forbidden, ValidationFailed, problem
from netral.core.models import User
from netral.core.security import has_permission
from netral.core.sequences import next_value
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore
from netral.reports import service as reports
from netral.rules import load_rulebook
from netral.rules.schema import Rulebook

TITLES = {
    "tanda_terima": "Tanda terima laporan",
    "undangan_klarifikasi": "Undangan klarifikasi",
    "pemberitahuan_status": "Pemberitahuan status laporan",
    "rekomendasi": "Surat rekomendasi kepada BKN dan PPK",
    "penerusan_bkn": "Penerusan dugaan pelanggaran netralitas ASN kepada BKN",
    "penerusan_apk": "Penerusan laporan alat peraga kampanye",
}
# letters made from a report rather than a case (cases.forwards): never generated on a case
REPORT_LETTERS = frozenset({"penerusan_apk"})
# Bawaslu's letters are issued only by those holding this permission (core/roles.yaml)
ISSUE_PERMISSION = "cases.issue_letters"


def _register_number(case: Case) -> str:
    """The number a letter cites for the case: Bawaslu's register number once the case has one."""
    # the workflow rewrite (issue #9) adds a register number in Bawaslu's format; until it lands
    # the case number stands in
    return str(getattr(case, "register_number", None) or case.number)


def _first_report(db_session: Session, case: Case) -> reports.ReportRef | None:
    if not case.reports:
        return None
    found = reports.report_refs(db_session=db_session, ids=[case.reports[0].report_id])
    return found[0] if found else None


def _reporter_name(
    db_session: Session, user: User, report: reports.ReportRef
) -> tuple[str | None, bool]:
    """(name, anonymous): the name only for a role that may open the identity (audited)."""
    if report.anonymous:
        return None, True
    if not has_permission(user, "reports.identity"):
        return None, False
    name = reports.reveal_identity_of(
        db_session=db_session, report_id=report.id, actor=Actor.of(user)
    ).name
    return (name or None), False


def _status_date(case: Case) -> date | None:
    """The date of the decision recorded on the case (the plenary's), else of its last step."""
    if case.decision_date is not None:
        return case.decision_date
    if case.transitions:
        return to_wib_date(case.transitions[-1].at)
    return None


def _no_decision() -> ValidationFailed:
    return ValidationFailed(
        problem(
            "letters.no_decision",
            "Tanggal keputusan rapat pleno belum dicatat pada kasus ini.",
            "The plenary decision's date is not recorded on this case.",
            field="decision_date",
        )
    )


def _acting_ppk(case: Case) -> str | None:
    if not case.ppk_substitute:
        return None
    acting = f" ({case.ppk_acting})" if case.ppk_acting else ""
    return f"{case.ppk_substitute}{acting} selaku Pejabat Pembina Kepegawaian pengganti"


def _asn(case: Case) -> list[dict[str, Any]]:
    return [
        {"name": a.name, "nip": a.nip, "position": a.position, "opd": a.opd, "kind": a.kind}
        for a in case.asn
    ]


def _acts(case: Case, rb: Rulebook) -> tuple[list[dict[str, Any]], str | None, Any]:
    """The proven acts with their law cited by name; the SKB/PP 94 conflict; the criminal one."""
    acts, conflict, crimes = [], None, {}
    for code in [a.code for a in case.acts if a.proven]:
        v = rb.violation(code)
        acts.append({"code": v.code, "name": v.name.id, "basis": cite_all(v.basis)})
        if v.conflict:
            conflict = v.conflict.note.id
        crimes.update({c.code: c for c in rb.crimes_for(v)})
    return acts, conflict, list(crimes.values()) or None


def _criminal(crimes: Any) -> dict[str, Any] | None:
    """The criminal articles the proven acts also carry: to Gakkumdu, in parallel."""
    if not crimes:
        return None
    article = "; ".join(c for c in (cite(x.source, x.article) for x in crimes) if c)
    return {"article": article, "forward_to": "Sentra Gakkumdu"}


def _attachments(spec: LetterKind, evidence: int) -> list[dict[str, Any]]:
    return [
        {"name": name, "count": evidence if count == "evidence" else count}
        for name, count in spec.attachments
    ]


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
    """What the letter of `kind` says about `case`; signed as the letterhead says, never by `user`."""
    rb = load_rulebook()
    spec = letter_kind(kind)
    common: dict[str, Any] = {
        "signatory": letterhead.signed_by.as_context(),
        "basis": [c for b in spec.basis if (c := cite(b[0], b[1], full=True))],
        # a substitute PPK (the person reported is the PPK) takes the PPK's copy
        "tembusan": spec.copies(letterhead, _acting_ppk(case)),
    }
    if spec.to:
        common["addressees"] = spec.addressees(letterhead)
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
        return common | {
            "case_number": _register_number(case),
            "addressee_name": hearing.name,
            "addressee_position": hearing.position,
            "capacity": hearing.party,
            "hearing_at": hearing.scheduled_at,
            "place": hearing.place,
            "matter": case.title,
            "contact_officer": letterhead.contact,
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
        name, anonymous = _reporter_name(db_session, user, report)
        return common | {
            "report_number": report.number,
            "received_at": report.created_at,
            "reporter_name": "Anonim" if anonymous else name,
            "reported_name": report.reported_name,
            "reported_position": report.reported_position,
            "summary": report.description,
            "evidence_count": report.evidence_count,
            "filing_due_on": report.filing_due_on,
            "is_late": report.is_late,
        }
    if kind == "pemberitahuan_status":
        assert report is not None
        name, anonymous = _reporter_name(db_session, user, report)
        last = case.transitions[-1] if case.transitions else None
        return common | {
            "report_number": report.number,
            "case_number": _register_number(case),
            "reporter_name": name,
            "anonymous": anonymous,
            "status_label": workflow().state_label(case.state),
            "reason": (last.reason if last and last.reason else case.title),
            "decided_on": _status_date(case),
        }
    evidence = sum(
        r.evidence_count
        for r in reports.report_refs(db_session=db_session, ids=[r.report_id for r in case.reports])
    )
    acts, conflict, criminal_rule = _acts(case, rb)
    # a letter on the decision carries the plenary's date, never the day it is printed
    decided_on = case.decision_date
    if decided_on is None:
        raise _no_decision()
    base = common | {
        "case_number": _register_number(case),
        "asn": _asn(case),
        "acts": acts,
        "decided_on": decided_on,
        "lampiran": _attachments(spec, evidence),
    }
    if kind == "penerusan_bkn":
        # an act that is also a crime goes to Gakkumdu in parallel (DOMAIN.md, the process)
        return base | {"criminal": _criminal(criminal_rule)}
    # rekomendasi
    chosen = (case.recommendation or {}).get("chosen") or {}
    criminal = _criminal(criminal_rule) if chosen.get("criminal_forward") else None
    ethics = None
    if chosen.get("ethics_kind"):
        e = next(
            (x for x in rb.ethics_sanctions for k in x.kinds if k.code == chosen["ethics_kind"]),
            None,
        )
        if e is not None:
            kind_name = next(k.name.id for k in e.kinds if k.code == chosen["ethics_kind"])
            ethics = {"name": e.name.id, "kind": kind_name, "basis": cite_all(e.basis)}
    discipline = None
    if chosen.get("discipline_level"):
        lvl = rb.level(chosen["discipline_level"])
        discipline = {
            "level_name": lvl.name.id,
            "penalties": [p.name.id for p in lvl.penalties],
            "basis": cite_all(lvl.basis),
        }
    return base | {
        "ethics": ethics,
        "discipline": discipline,
        "criminal": criminal,
        "conflict_note": conflict,
        "follow_up_due": case.deadline_due or today,
    }


def _letter_date(kind: str, case: Case, context: dict[str, Any], today: date) -> date:
    """The date a letter carries: the decision's, the report's receipt, or the day of issue."""
    dated = letter_kind(kind).date
    if dated == "decision":
        value = context.get("decided_on")
        if value is None:
            raise _no_decision()
        assert isinstance(value, date)
        return value
    if dated == "receipt":
        return to_wib_date(context["received_at"])
    if dated == "forwarded":  # signed the day it goes out; the body names the plenary's date
        return case.bkn_forwarded_on or today
    return today


def _refuse_non_issuer(user: User, letterhead: Letterhead) -> None:
    if not has_permission(user, ISSUE_PERMISSION):
        raise Forbidden(
            problem(
                "letters.not_issuer",
                f"Surat {letterhead.name} hanya dapat diterbitkan oleh pengguna Bawaslu.",
                f"Letters of {letterhead.name} can only be issued by Bawaslu users.",
                field="kind",
            )
        )


def generate_letter(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    case: Case,
    user: User,
    kind: str,
    hearing: Hearing | None = None,
) -> CaseDocument:
    if kind not in LETTER_KINDS or kind in REPORT_LETTERS:
        kinds = ", ".join(k for k in LETTER_KINDS if k not in REPORT_LETTERS)
        raise ValidationFailed(
            problem(
                "letters.unknown_kind",
                f"Jenis surat: {kinds}.",
                f"Letter kinds: {kinds}.",
                field="kind",
            )
        )
    today = to_wib_date(utcnow())
    settings = get_settings()
    office = settings.letterhead_file
    letterhead = Letterhead.load(office)
    _refuse_non_issuer(user, letterhead)
    context = letter_context(
        db_session=db_session,
        case=case,
        user=user,
        kind=kind,
        letterhead=letterhead,
        hearing=hearing,
        today=today,
    )
    when = _letter_date(kind, case, context, today)
    seq = next_value(db_session, f"SURAT-{when.year}")
    number = LetterNumbering.load(office).format(seq=seq, kind=kind, when=when)
    pdf = render_pdf(
        kind,
        context,
        letterhead=letterhead,
        number=number,
        when=when,
        templates_dir=settings.letter_templates_dir,
    )
    blob = store.put(
        io.BytesIO(pdf), filename=f"{kind}.pdf", declared_type="application/pdf", pdf_copy=False
    )
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
