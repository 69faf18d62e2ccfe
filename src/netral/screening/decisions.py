"""Staff decisions on screening findings: confirm or reject, with a reason; each is a label.

A decision is advice about the advice: it never opens, moves or closes a case. Decisions on one
finding are kept as a history (the latest wins), audited, and read back as training labels:
a confirmed text finding labels its post with the finding's label, a rejected one with the label
its reason names (`decisions.yaml`), or not at all when the reason is about something else.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.errors import NotFound, ValidationFailed, problem
from netral.core.storage import LocalEvidenceStore
from netral.reports.service import ReportForScreening, screening_input
from netral.screening.models import ScreeningDecision, ScreeningFinding

REASONS_FILE = Path(__file__).with_name("decisions.yaml")
DECISIONS = ("confirm", "reject")
TEXT_LABELS = ("partisan", "political_neutral", "other")  # text.LABELS, without loading sklearn
PHOTO_LABELS = ("banned_pose", "allowed_pose", "no_gesture", "no_hands")
DECIDABLE_KINDS = frozenset({"text", "gesture", "identify", "hoax"})
# nothing to judge: the screener did not look (error, unreadable file, a video stored unscreened)
UNDECIDABLE_LABELS = frozenset({"error", "unreadable", "not_screened"})
MAX_NOTE = 1000
MAX_TEXT = 5_000  # text.MAX_CHARS: the model reads no more of a post
DECISIONS_SOURCE = "decisions"  # the group decision labels form in training and validation


@dataclass(frozen=True)
class Reason:
    code: str
    name_id: str
    name_en: str
    kinds: frozenset[str]
    text_label: str | None = None
    photo_label: str | None = None
    needs_note: bool = False

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id


@lru_cache(maxsize=1)
def reasons() -> dict[str, Reason]:
    """The reject reasons, validated: a wrong label or kind in the file stops start-up."""
    data: dict[str, Any] = yaml.safe_load(REASONS_FILE.read_text(encoding="utf-8"))
    out: dict[str, Reason] = {}
    for code, spec in data["reasons"].items():
        where = f"{REASONS_FILE.name}: reasons[{code}]"
        kinds = frozenset(spec["kinds"])
        if not kinds <= DECIDABLE_KINDS:
            raise ValueError(f"{where}.kinds: unknown {sorted(kinds - DECIDABLE_KINDS)}")
        if spec.get("text_label") not in (None, *TEXT_LABELS):
            raise ValueError(f"{where}.text_label: one of {TEXT_LABELS}")
        if spec.get("photo_label") not in (None, *PHOTO_LABELS):
            raise ValueError(f"{where}.photo_label: one of {PHOTO_LABELS}")
        out[code] = Reason(
            code,
            spec["id"],
            spec["en"],
            kinds,
            spec.get("text_label"),
            spec.get("photo_label"),
            bool(spec.get("needs_note", False)),
        )
    return out


def decidable(finding: ScreeningFinding) -> bool:
    return finding.kind in DECIDABLE_KINDS and finding.label not in UNDECIDABLE_LABELS


def _label_of(reason: Reason, kind: str) -> str | None:
    if kind == "text":
        return reason.text_label
    if kind == "gesture":
        return reason.photo_label
    return None


def reasons_for(finding: ScreeningFinding) -> list[Reason]:
    """The reasons a person may give for rejecting this finding (never "it is what it says")."""
    return [
        r
        for r in reasons().values()
        if finding.kind in r.kinds and _label_of(r, finding.kind) != finding.label
    ]


def training_label(finding: ScreeningFinding, decision: str, reason: Reason | None) -> str | None:
    """What the evidence is, as a label: the finding's own when confirmed, else the reason's."""
    if decision == "confirm":
        if finding.kind == "text":
            return finding.label if finding.label in TEXT_LABELS else None
        return finding.label
    return _label_of(reason, finding.kind) if reason is not None else None


def _invalid(code: str, message_id: str, message_en: str, field: str) -> ValidationFailed:
    return ValidationFailed(problem(f"screening.decision.{code}", message_id, message_en, field))


def get_finding(*, db_session: Session, report_id: int, finding_id: int) -> ScreeningFinding:
    finding = db_session.get(ScreeningFinding, finding_id)
    if finding is None or finding.report_id != report_id:
        raise NotFound(
            problem(
                "screening.finding_not_found",
                "Temuan penyaringan tidak ditemukan pada laporan ini.",
                "Screening finding not found in this report.",
            )
        )
    return finding


def finding_text(
    *,
    db_session: Session,
    finding: ScreeningFinding,
    report: ReportForScreening,
    store: LocalEvidenceStore | None,
) -> str | None:
    """The post a text finding judged: kept in the finding since decisions began, else found
    where the screening read it (the OCR of the same photo, the text file).

    None for the report's own description: the reporter's words, which may name the reporter,
    are not a post and never become training data.
    """
    if finding.kind != "text" or finding.evidence_id is None:
        return None
    kept = finding.data.get("text") if isinstance(finding.data, dict) else None
    if isinstance(kept, str) and kept:
        return kept[:MAX_TEXT]
    ocr = db_session.scalars(
        select(ScreeningFinding)
        .where(
            ScreeningFinding.evidence_id == finding.evidence_id,
            ScreeningFinding.kind == "ocr",
            ScreeningFinding.id < finding.id,
        )
        .order_by(ScreeningFinding.id.desc())
        .limit(1)
    ).first()
    if ocr is not None and ocr.data.get("text"):
        return str(ocr.data["text"])[:MAX_TEXT]
    ev = next((e for e in report.evidence if e.id == finding.evidence_id), None)
    if ev is not None and ev.kind == "text" and store is not None:
        try:
            with store.open(ev.sha256) as fh:
                return fh.read(200_000).decode("utf-8", "replace")[:MAX_TEXT]
        except Exception:  # a lost file: the decision is still kept, it just labels no post
            return None
    return None


def decide(
    *,
    db_session: Session,
    finding: ScreeningFinding,
    actor: Actor,
    decision: str,
    reason: str = "",
    note: str = "",
    store: LocalEvidenceStore | None = None,
) -> ScreeningDecision:
    """Record one person's verdict on a finding (audited). Bad input raises and writes nothing."""
    decision, reason, note = decision.strip(), reason.strip(), note.strip()
    if not decidable(finding):
        raise _invalid(
            "not_decidable",
            "Temuan ini tidak dapat dibenarkan atau ditolak (penyaring tidak menilai apa pun).",
            "This finding cannot be confirmed or rejected (the screener judged nothing).",
            "decision",
        )
    if decision not in DECISIONS:
        raise _invalid(
            "decision",
            "Pilih Benar atau Keliru.",
            "Choose Correct or Wrong.",
            "decision",
        )
    if len(note) > MAX_NOTE:
        raise _invalid(
            "note_too_long",
            f"Catatan paling banyak {MAX_NOTE} karakter.",
            f"The note may be at most {MAX_NOTE} characters.",
            "note",
        )
    chosen: Reason | None = None
    if decision == "reject":
        allowed = {r.code: r for r in reasons_for(finding)}
        if not reason:
            raise _invalid(
                "reason_required",
                "Temuan yang ditolak perlu alasan: pilih salah satu alasan.",
                "A rejected finding needs a reason: choose one.",
                "reason",
            )
        if reason not in allowed:
            raise _invalid(
                "reason_unknown",
                "Alasan itu tidak berlaku untuk temuan jenis ini.",
                "That reason does not apply to this kind of finding.",
                "reason",
            )
        chosen = allowed[reason]
        if chosen.needs_note and not note:
            raise _invalid(
                "note_required",
                "Alasan 'Lainnya' perlu ditulis di catatan.",
                "The reason 'Other' needs a note saying what it is.",
                "note",
            )
    elif reason:
        reason = ""  # a confirmation carries no reject reason; a note may say more
    report = screening_input(db_session=db_session, report_id=finding.report_id)
    if report is None:  # the finding's report is gone: nothing to decide on
        raise NotFound(problem("report.not_found", "Laporan tidak ditemukan.", "Report not found."))
    label = training_label(finding, decision, chosen)
    row = ScreeningDecision(
        finding_id=finding.id,
        report_id=finding.report_id,
        kind=finding.kind,
        finding_label=finding.label,
        model=finding.model,
        decision=decision,
        reason=reason,
        note=note,
        label=label,
        text=finding_text(db_session=db_session, finding=finding, report=report, store=store)
        if finding.kind == "text"
        else None,
        decided_by=actor.id,
    )
    db_session.add(row)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="screening.finding_decided",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
        # the note stays in the decision row: free text has no place in the append-only chain
        summary={
            "finding": finding.id,
            "kind": finding.kind,
            "finding_label": finding.label,
            "model": finding.model,
            "decision": decision,
            "reason": reason,
            "label": label,
        },
    )
    return row


def history(*, db_session: Session, finding_id: int) -> list[ScreeningDecision]:
    """Every decision on a finding, newest first (the first is the one that counts)."""
    return list(
        db_session.scalars(
            select(ScreeningDecision)
            .where(ScreeningDecision.finding_id == finding_id)
            .order_by(ScreeningDecision.id.desc())
        )
    )


def latest_by_finding(
    *, db_session: Session, finding_ids: Sequence[int]
) -> dict[int, ScreeningDecision]:
    out: dict[int, ScreeningDecision] = {}
    if not finding_ids:
        return out
    rows = db_session.scalars(
        select(ScreeningDecision)
        .where(ScreeningDecision.finding_id.in_(list(finding_ids)))
        .order_by(ScreeningDecision.id)
    )
    for d in rows:
        out[d.finding_id] = d  # ascending: the last one written wins
    return out


def _latest_decisions(db_session: Session, kind: str | None = None) -> Iterator[ScreeningDecision]:
    query = select(ScreeningDecision).order_by(ScreeningDecision.id)
    if kind is not None:
        query = query.where(ScreeningDecision.kind == kind)
    latest: dict[int, ScreeningDecision] = {}
    for d in db_session.scalars(query):
        latest[d.finding_id] = d
    yield from sorted(latest.values(), key=lambda d: d.id)


@dataclass(frozen=True)
class TextLabel:
    text: str
    label: str
    model: str  # the version of the model whose finding it judged


def text_labels(*, db_session: Session) -> list[TextLabel]:
    """The posts staff decisions label: the latest decision per finding, and per post the latest
    among its findings (a re-screened post is judged once, as its latest reader saw it)."""
    by_text: dict[str, TextLabel] = {}
    for d in _latest_decisions(db_session, "text"):
        if d.label in TEXT_LABELS and d.text and d.text.strip():
            by_text[d.text] = TextLabel(d.text, d.label, d.model)
    return list(by_text.values())


EXPORT_COLUMNS = (
    "decided_on",
    "kind",
    "finding_label",
    "decision",
    "reason",
    "label",
    "model",
    "evidence_sha256",
    "number_shown",
    "text",
)


def export_csv(*, db_session: Session, out: TextIO, kind: str | None = None) -> int:
    """The latest decision per finding as CSV rows, for a labelled set. Nobody is named: not the
    reporter, not the person who decided; a photo is named by its EXIF-stripped copy."""
    from netral.core.calendar import to_wib_date

    writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    latest = list(_latest_decisions(db_session, kind))
    ids = [d.finding_id for d in latest]
    findings = {
        f.id: f
        for f in db_session.scalars(select(ScreeningFinding).where(ScreeningFinding.id.in_(ids)))
    }
    shas: dict[int, str] = {}
    for report_id in sorted({d.report_id for d in latest}):
        report = screening_input(db_session=db_session, report_id=report_id)
        for ev in report.evidence if report is not None else ():
            # the copy shown to staff: EXIF (place, device) stripped from photos
            shas[ev.id] = ev.derivative_sha256 or ev.sha256
    for d in latest:
        f = findings.get(d.finding_id)
        number = f.data.get("number_shown") if f is not None and d.kind == "gesture" else None
        ev_id = f.evidence_id if f is not None else None
        writer.writerow(
            {
                "decided_on": to_wib_date(d.decided_at).isoformat(),
                "kind": d.kind,
                "finding_label": d.finding_label,
                "decision": d.decision,
                "reason": d.reason,
                "label": d.label or "",
                "model": d.model,
                "evidence_sha256": shas.get(ev_id, "") if ev_id is not None else "",
                "number_shown": "" if number is None else number,
                "text": d.text or "",
            }
        )
    return len(latest)
