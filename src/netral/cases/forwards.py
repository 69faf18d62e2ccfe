"""Forwarding a campaign-prop (APK) report with a letter: to the city's Satpol PP or to KPU.

The forward belongs to the report (reports.service records it, moves the report to "diteruskan"
and tells the reporter); the letter lives here because every Bawaslu letter does. A report of
this kind is an election administrative matter, not an ASN-neutrality act: no case is opened.
Everything (the letter's number, its PDF in the evidence store, the forward, the audit rows)
is written in the caller's unit of work.
"""

from __future__ import annotations

import base64
import io
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from netral.cases.documents import ISSUE_PERMISSION
from netral.cases.letters import (
    Letterhead,
    LetterNumbering,
    cite,
    cite_all,
    letter_kind,
    render_pdf,
)
from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.errors import Forbidden, problem
from netral.core.models import User
from netral.core.security import Scope, has_permission
from netral.core.sequences import next_value
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore
from netral.registry import service as registry
from netral.reports import service as reports
from netral.rules.schema import CampaignProps, Rulebook

KIND = "penerusan_apk"


def _photo_uri(store: LocalEvidenceStore, sha256: str | None) -> str | None:
    """The EXIF-stripped copy inlined as a data: URI (WeasyPrint may fetch nothing else)."""
    if sha256 is None:
        return None
    with store.open(sha256) as fh:
        data = fh.read()
    if data.startswith(b"\x89PNG"):
        mime = "image/png"
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        mime = "image/webp"
    else:
        mime = "image/jpeg"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _location(db_session: Session, report: reports.ReportRef) -> str:
    """ "Pagar SDN 045, Kelurahan Sukawarna, Kecamatan Sukajadi" as far as the report says it."""
    codes = [c for c in (report.kelurahan_code, report.kecamatan_code) if c]
    names = {p.code: p for p in registry.places(db_session=db_session, codes=codes)}
    parts = [report.place.strip()] if report.place.strip() else []
    if report.kelurahan_code in names:
        parts.append(f"Kelurahan {names[report.kelurahan_code].name}")
    if report.kecamatan_code in names:
        parts.append(f"Kecamatan {names[report.kecamatan_code].name}")
    if not parts and report.latitude is not None:
        parts.append("pada titik koordinat di bawah ini")
    return ", ".join(parts) or "–"


def _rule(props: CampaignProps, place_kind: str) -> dict[str, Any]:
    """The rule the props break: the forbidden place, the law by its name, any doubt said."""
    place = props.place(place_kind)
    note = None
    if place.confidence == "K":
        note = "nomor pasal belum dicocokkan dengan teks resmi"
    return {
        "name": f"larangan memasang alat peraga dan bahan kampanye di {place.name.id.lower()}",
        "basis": cite_all(place.basis) or cite_all(props.basis),
        "confidence_note": note,
    }


def letter_context(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    report: reports.ReportRef,
    recipient: str,
    letterhead: Letterhead,
    rulebook: Rulebook,
) -> dict[str, Any]:
    """What the letter says of the report; signed as the letterhead says, never by the user."""
    props = rulebook.campaign_props
    assert props is not None  # reports.forward_problems refused a rulebook without them
    spec = letter_kind(KIND)
    target = props.recipient(recipient)
    addressee = letterhead.recipients.get(recipient) or target.name.id
    photo = reports.letter_photo(db_session=db_session, report_id=report.id)
    category = props.category(report.category).name.id if report.category else "–"
    point = None
    if report.latitude is not None and report.longitude is not None:
        point = f"{report.latitude:.6f}, {report.longitude:.6f}"
    return {
        "signatory": letterhead.signed_by.as_context(),
        "basis": [c for b in spec.basis if (c := cite(b[0], b[1], full=True))],
        "tembusan": spec.copies(letterhead),
        "addressees": [addressee],
        "lampiran": [
            {"name": name, "count": report.evidence_count if count == "evidence" else count}
            for name, count in spec.attachments
        ],
        "report_number": report.number,
        "received_at": report.created_at,
        "occurred_on": report.known_on or report.occurred_on,
        "category": category,
        "place_kind": props.place(report.place_kind).name.id if report.place_kind else "–",
        "location": _location(db_session, report),
        "point": point,
        "rule": _rule(props, report.place_kind) if report.place_kind else None,
        "request": target.request.id,
        "summary": report.description,
        "reported_name": report.reported_name,
        "photo": _photo_uri(store, photo),
    }


def forward_prop_report(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    scope: Scope,
    number: str,
    recipient: str,
    user: User,
    rulebook: Rulebook,
    on: date | None = None,
) -> reports.ForwardRef:
    """Forward a campaign-prop report to `recipient` with a letter made and kept in one go.

    `on` is the day it goes out (default today, WIB); the demo replays a season with it.
    """
    if not has_permission(user, ISSUE_PERMISSION):
        raise Forbidden(
            problem(
                "letters.not_issuer",
                "Surat penerusan hanya dapat diterbitkan oleh pengguna Bawaslu.",
                "Forwarding letters can only be issued by Bawaslu users.",
                field="recipient",
            )
        )
    report = reports.find_report(db_session=db_session, scope=scope, number=number)
    # refused before a letter number is drawn: a refusal leaves no gap and no orphan PDF
    reports.forward_problems(
        db_session=db_session, report_id=report.id, recipient=recipient, rulebook=rulebook
    )
    settings = get_settings()
    office = settings.letterhead_file
    letterhead = Letterhead.load(office)
    context = letter_context(
        db_session=db_session,
        store=store,
        report=report,
        recipient=recipient,
        letterhead=letterhead,
        rulebook=rulebook,
    )
    when = on or to_wib_date(utcnow())
    seq = next_value(db_session, f"SURAT-{when.year}")
    letter_number = LetterNumbering.load(office).format(seq=seq, kind=KIND, when=when)
    pdf = render_pdf(
        KIND,
        context,
        letterhead=letterhead,
        number=letter_number,
        when=when,
        templates_dir=settings.letter_templates_dir,
    )
    blob = store.put(
        io.BytesIO(pdf), filename=f"{KIND}.pdf", declared_type="application/pdf", pdf_copy=False
    )
    return reports.record_forward(
        db_session=db_session,
        report_id=report.id,
        recipient=recipient,
        addressee=context["addressees"][0],
        letter_number=letter_number,
        letter_sha256=blob.sha256,
        on_date=when,
        actor=Actor.of(user),
        rulebook=rulebook,
    )
