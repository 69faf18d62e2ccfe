"""Socialisation events: create and read them, record attendance (sheet or QR), coverage.

Coverage rule (issue 10): an OPD is *briefed* when at least one of its ASN attended at least one
event with the coverage topic (topics.yaml: `netralitas`). The head may send a delegate, and the
registry cannot tell a delegate from other staff, so whoever the OPD sent counts. A camat or
lurah is briefed when that person (the head of the kecamatan or kelurahan office in the
registry) attended such an event. Someone *missed every session* when they were invited to at
least one event that has started and attended none of those; for an OPD, "attended" again means
anyone it sent.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Literal

import yaml
from pydantic import ValidationError
from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from netral.briefings.models import Attendance, Briefing, BriefingOpd, BriefingTopic, Material
from netral.briefings.schemas import BriefingIn
from netral.briefings.sheet import Match, Plan, RowError, map_columns, match_rows, read_rows
from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import WIB
from netral.core.db import utcnow
from netral.core.errors import Conflict, Forbidden, NotFound, Problem, ValidationFailed, problem
from netral.core.security import Scope
from netral.core.storage import LocalEvidenceStore
from netral.registry import service as registry
from netral.registry.service import AsnRef

TOPICS_FILE = Path(__file__).with_name("topics.yaml")
# The rule of the module docstring, as pages and the API state it.
COVERAGE_RULE = {
    "id": "OPD dianggap sudah disosialisasi bila kepala OPD atau utusannya (siapa pun ASN OPD "
    "itu) hadir minimal sekali pada sosialisasi bertopik netralitas; camat dan lurah bila "
    "orangnya sendiri hadir. Tidak pernah hadir: diundang ke minimal satu acara yang sudah "
    "dimulai dan tidak hadir di satu pun.",
    "en": "An OPD counts as briefed when its head or a delegate (any ASN of that OPD) attended "
    "at least one briefing on neutrality; a camat or lurah when they attended in person. Missed "
    "every session: invited to at least one event that has started and attended none of them.",
}
MATERIAL_MAX_BYTES = 25 * 1024 * 1024
MATERIAL_KINDS = ("pdf", "image", "slides")
# after the end, the QR stays open this long unless the organiser sets the closing time
CHECKIN_GRACE = timedelta(minutes=30)


# ---------------------------------------------------------------- topics


@dataclass(frozen=True)
class Topic:
    id: str
    name_id: str
    name_en: str

    def name(self, lang: str = "id") -> str:
        return self.name_en if lang == "en" else self.name_id


@lru_cache(maxsize=1)
def _topic_data() -> tuple[str, tuple[Topic, ...]]:
    data: dict[str, Any] = yaml.safe_load(TOPICS_FILE.read_text(encoding="utf-8"))
    listed = tuple(Topic(t["id"], t["name"]["id"], t["name"]["en"]) for t in data["topics"])
    if data["coverage"] not in {t.id for t in listed}:
        raise ValueError(f"topics.yaml: coverage topic {data['coverage']!r} is not listed")
    return data["coverage"], listed


def topics() -> tuple[Topic, ...]:
    return _topic_data()[1]


def coverage_topic() -> str:
    """The topic whose attendance counts as briefed."""
    return _topic_data()[0]


def topic_names(lang: str = "id") -> dict[str, str]:
    return {t.id: t.name(lang) for t in topics()}


# ---------------------------------------------------------------- events


def read_briefing_in(data: dict[str, Any]) -> BriefingIn:
    """A form or JSON body as a BriefingIn, or a ValidationFailed naming each field."""
    try:
        return BriefingIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            *[
                problem(
                    "briefing.invalid",
                    f"Isian '{'.'.join(str(p) for p in e['loc'])}' tidak sah.",
                    f"The field '{'.'.join(str(p) for p in e['loc'])}' is not valid: {e['msg']}.",
                    field=".".join(str(p) for p in e["loc"]) or None,
                )
                for e in exc.errors()
            ]
        ) from None


def _check(db_session: Session, scope: Scope, data: BriefingIn) -> list[Problem]:
    problems = []
    if not scope.covers(data.region_code):
        problems.append(
            problem(
                "briefing.region",
                f"Wilayah {data.region_code} di luar cakupan Anda.",
                f"Region {data.region_code} is outside your scope.",
                field="region_code",
            )
        )
    if data.end <= data.start:
        problems.append(
            problem(
                "briefing.times",
                "Jam selesai harus setelah jam mulai.",
                "The end time must come after the start time.",
                field="end",
            )
        )
    if data.checkin_closes is not None and data.checkin_closes <= data.start:
        problems.append(
            problem(
                "briefing.checkin_closes",
                "Presensi QR harus ditutup setelah acara dimulai.",
                "QR check-in must close after the event starts.",
                field="checkin_closes",
            )
        )
    known = {t.id for t in topics()}
    unknown = [t for t in data.topics if t not in known]
    if unknown:
        problems.append(
            problem(
                "briefing.topic",
                f"Topik tidak dikenal: {', '.join(unknown)}. Pilihan: {', '.join(sorted(known))}.",
                f"Unknown topic: {', '.join(unknown)}. Choices: {', '.join(sorted(known))}.",
                field="topics",
            )
        )
    if data.audience_opd == "none" and not (data.camat or data.lurah):
        problems.append(
            problem(
                "briefing.audience",
                "Pilih peserta: OPD, camat, dan/atau lurah.",
                "Choose the audience: OPD, camat and/or lurah.",
                field="audience_opd",
            )
        )
    if data.audience_opd == "chosen":
        valid = {
            a.id
            for a in registry.agencies(db_session=db_session, scope=scope)
            if a.region_code == data.region_code
        }
        if not data.opd_ids or set(data.opd_ids) - valid:
            problems.append(
                problem(
                    "briefing.opd",
                    "Pilih OPD yang diundang (OPD di wilayah acara).",
                    "Choose the OPD invited (OPD of the event's region).",
                    field="opd_ids",
                )
            )
    return problems


def _apply(b: Briefing, data: BriefingIn) -> None:
    start = datetime.combine(data.day, data.start, tzinfo=WIB)
    end = datetime.combine(data.day, data.end, tzinfo=WIB)
    closes = (
        datetime.combine(data.day, data.checkin_closes, tzinfo=WIB)
        if data.checkin_closes is not None
        else end + CHECKIN_GRACE
    )
    b.title = data.title.strip()
    b.region_code = data.region_code
    b.starts_at, b.ends_at = start, end
    b.place = data.place.strip()
    b.organiser = data.organiser.strip()
    b.audience_opd = data.audience_opd
    b.audience_opd_people = data.audience_opd_people
    b.audience_camat, b.audience_lurah = data.camat, data.lurah
    b.checkin_opens_at = start - timedelta(minutes=data.checkin_lead_minutes)
    b.checkin_closes_at = closes
    b.topics = [BriefingTopic(topic=t) for t in dict.fromkeys(data.topics)]
    chosen = dict.fromkeys(data.opd_ids) if data.audience_opd == "chosen" else {}
    b.opds = [BriefingOpd(opd_id=i) for i in chosen]


def create_briefing(
    *, db_session: Session, scope: Scope, briefing_in: BriefingIn, actor: Actor
) -> Briefing:
    problems = _check(db_session, scope, briefing_in)
    if problems:
        raise ValidationFailed(*problems)
    b = Briefing(checkin_token=secrets.token_urlsafe(24), created_by=actor.id)
    _apply(b, briefing_in)
    db_session.add(b)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="briefing.create",
        object_type="briefing",
        object_id=b.id,
        region_code=b.region_code,
        summary={"title": b.title, "starts_at": b.starts_at.isoformat()},
    )
    return b


def update_briefing(
    *, db_session: Session, scope: Scope, briefing_id: int, briefing_in: BriefingIn, actor: Actor
) -> Briefing:
    b = get_briefing(db_session=db_session, scope=scope, briefing_id=briefing_id)
    problems = _check(db_session, scope, briefing_in)
    if problems:
        raise ValidationFailed(*problems)
    b.topics.clear()
    b.opds.clear()
    db_session.flush()  # the old rows go before the new ones take their keys
    _apply(b, briefing_in)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="briefing.update",
        object_type="briefing",
        object_id=b.id,
        region_code=b.region_code,
        summary={"title": b.title, "starts_at": b.starts_at.isoformat()},
    )
    return b


def briefing_in_of(b: Briefing) -> dict[str, Any]:
    """An event as the form's values (WIB)."""
    start, end = b.starts_at.astimezone(WIB), b.ends_at.astimezone(WIB)
    return {
        "title": b.title,
        "region_code": b.region_code,
        "day": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "place": b.place,
        "organiser": b.organiser,
        "audience_opd": b.audience_opd,
        "audience_opd_people": b.audience_opd_people,
        "opd_ids": [o.opd_id for o in b.opds],
        "camat": b.audience_camat,
        "lurah": b.audience_lurah,
        "topics": [t.topic for t in b.topics],
        "checkin_lead_minutes": int((b.starts_at - b.checkin_opens_at).total_seconds() // 60),
        "checkin_closes": b.checkin_closes_at.astimezone(WIB).strftime("%H:%M"),
    }


def _visible(scope: Scope, opd_id: int | None) -> list[Any]:
    """Scope, and for an OPD admin only the events their OPD is invited to."""
    where: list[Any] = [scope.clause(Briefing.region_code)]
    if opd_id is not None:
        where.append(
            or_(
                Briefing.audience_opd == "all",
                exists().where(
                    BriefingOpd.briefing_id == Briefing.id, BriefingOpd.opd_id == opd_id
                ),
            )
        )
    return where


def list_briefings(
    *, db_session: Session, scope: Scope, opd_id: int | None = None
) -> list[Briefing]:
    return list(
        db_session.scalars(
            select(Briefing).where(*_visible(scope, opd_id)).order_by(Briefing.starts_at.desc())
        )
    )


def upcoming(
    *,
    db_session: Session,
    scope: Scope,
    opd_id: int | None = None,
    now: datetime | None = None,
    limit: int = 3,
) -> list[Briefing]:
    """The next events in scope (for an OPD: those it is invited to), soonest first."""
    now = now or utcnow()
    return list(
        db_session.scalars(
            select(Briefing)
            .where(*_visible(scope, opd_id), Briefing.ends_at >= now)
            .order_by(Briefing.starts_at)
            .limit(limit)
        )
    )


@dataclass(frozen=True)
class AsnBriefing:
    """An event that invites an ASN's OPD, and whether they checked in."""

    briefing: Briefing
    attended: bool


def briefings_of_asn(
    *, db_session: Session, nip: str | None, now: datetime | None = None, limit: int = 5
) -> list[AsnBriefing]:
    """The events an ASN's OPD is invited to: the coming ones soonest first, then the latest
    past ones; empty when the login is bound to no ASN."""
    person = registry.asn_by_nips(db_session=db_session, nips=[nip]).get(nip) if nip else None
    if person is None:
        return []
    now = now or utcnow()
    invited = [
        Briefing.region_code == person.region_code,
        or_(
            Briefing.audience_opd == "all",
            exists().where(
                BriefingOpd.briefing_id == Briefing.id, BriefingOpd.opd_id == person.opd_id
            ),
        ),
    ]
    coming = list(
        db_session.scalars(
            select(Briefing)
            .where(*invited, Briefing.ends_at >= now)
            .order_by(Briefing.starts_at)
            .limit(limit)
        )
    )
    past = list(
        db_session.scalars(
            select(Briefing)
            .where(*invited, Briefing.ends_at < now)
            .order_by(Briefing.starts_at.desc())
            .limit(max(limit - len(coming), 1))
        )
    )
    ids = [b.id for b in coming + past]
    seen = set(
        db_session.scalars(
            select(Attendance.briefing_id).where(
                Attendance.asn_id == person.id, Attendance.briefing_id.in_(ids)
            )
        )
    )
    return [AsnBriefing(b, b.id in seen) for b in coming + past]


def get_briefing(
    *, db_session: Session, scope: Scope, briefing_id: int, opd_id: int | None = None
) -> Briefing:
    b = db_session.scalar(
        select(Briefing).where(Briefing.id == briefing_id, *_visible(scope, opd_id))
    )
    if b is None:
        raise NotFound(
            problem("briefing.not_found", "Sosialisasi tidak ditemukan.", "Briefing not found.")
        )
    return b


def attendance_counts(*, db_session: Session, briefing_ids: Sequence[int]) -> dict[int, int]:
    if not briefing_ids:
        return {}
    rows = db_session.execute(
        select(Attendance.briefing_id, func.count())
        .where(Attendance.briefing_id.in_(list(briefing_ids)))
        .group_by(Attendance.briefing_id)
    )
    return {i: int(n) for i, n in rows}


@dataclass(frozen=True)
class Attendee:
    nip: str
    name: str
    position: str
    opd: str
    source: str
    matched_by: str
    recorded_at: datetime


def attendees(
    *, db_session: Session, briefing: Briefing, opd_id: int | None = None
) -> list[Attendee]:
    """Who attended, by name; an OPD admin sees only their OPD's people."""
    where = [Attendance.briefing_id == briefing.id]
    if opd_id is not None:
        where.append(Attendance.opd_id == opd_id)
    rows = list(db_session.scalars(select(Attendance).where(*where)))
    people = registry.asn_by_ids(db_session=db_session, asn_ids=[a.asn_id for a in rows])
    out = [
        Attendee(p.nip, p.name, p.position, p.opd, a.source, a.matched_by, a.recorded_at)
        for a in rows
        if (p := people.get(a.asn_id)) is not None
    ]
    return sorted(out, key=lambda x: (x.opd, x.name))


# ---------------------------------------------------------------- materials


def add_material(
    *,
    db_session: Session,
    scope: Scope,
    briefing_id: int,
    store: LocalEvidenceStore,
    source: BinaryIO,
    filename: str,
    declared_type: str | None,
    actor: Actor,
) -> Material:
    """Keep a handout (PDF, slides, image) in the evidence store, checked by its bytes."""
    b = get_briefing(db_session=db_session, scope=scope, briefing_id=briefing_id)
    blob = store.put(
        source,
        filename=filename,
        declared_type=declared_type,
        max_bytes=MATERIAL_MAX_BYTES,
        # a handout is read as written (its text selectable, read aloud): no copy of pictures
        pdf_copy=False,
        allow_slides=True,
    )
    if blob.kind not in MATERIAL_KINDS:
        # the store keeps what it accepts; the sweep removes it once no row refers to it
        raise ValidationFailed(
            problem(
                "briefing.material_type",
                "Materi harus berupa PDF, PPTX, atau gambar (JPEG, PNG, WebP).",
                "Materials must be PDF, PPTX or images (JPEG, PNG, WebP).",
                field="file",
            )
        )
    m = Material(
        briefing_id=b.id,
        filename=(Path(filename).name or "materi")[:200],
        sha256=blob.sha256,
        derivative_sha256=blob.derivative_sha256,
        media_type=blob.derivative_media_type or blob.media_type,
        size=blob.size,
        uploaded_by=actor.id,
    )
    db_session.add(m)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="briefing.material",
        object_type="briefing",
        object_id=b.id,
        region_code=b.region_code,
        summary={"material": m.id, "sha256": blob.sha256, "size": blob.size},
    )
    return m


def get_material(
    *, db_session: Session, scope: Scope, briefing_id: int, material_id: int, opd_id: int | None
) -> Material:
    b = get_briefing(db_session=db_session, scope=scope, briefing_id=briefing_id, opd_id=opd_id)
    m = next((m for m in b.materials if m.id == material_id), None)
    if m is None:
        raise NotFound(
            problem("briefing.material_not_found", "Materi tidak ditemukan.", "Material not found.")
        )
    return m


# ---------------------------------------------------------------- attendance


@dataclass
class AttendanceReport:
    """What an import answers: the rows, their errors, the name matches waiting to be confirmed."""

    rows: int = 0
    valid: int = 0
    errors: list[RowError] = field(default_factory=list)
    to_confirm: list[Match] = field(default_factory=list)
    recorded: int = 0
    already: int = 0
    written: bool = False
    dry_run: bool = False

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": [e.as_dict(lang) for e in self.errors],
            "to_confirm": [
                {
                    "row": m.row,
                    "written_name": m.written_name,
                    "nip": m.asn.nip,
                    "name": m.asn.name,
                    "opd": m.asn.opd,
                }
                for m in self.to_confirm
            ],
            "recorded": self.recorded,
            "already": self.already,
            "written": self.written,
            "dry_run": self.dry_run,
        }


class AttendanceRefused(ValidationFailed):
    """The sheet had errors and --partial was not chosen: nothing was written."""

    def __init__(self, report: AttendanceReport) -> None:
        self.report = report
        n = len(report.errors)
        super().__init__(
            problem(
                "attendance.rows_invalid",
                f"{n} kesalahan pada {report.rows} baris; tidak ada yang disimpan. Perbaiki "
                "daftar hadirnya, atau simpan baris yang sah saja (--partial).",
                f"{n} errors in {report.rows} rows; nothing was saved. Fix the sign-in sheet, "
                "or keep only the valid rows (--partial).",
            )
        )


def plan_sheet(
    *,
    db_session: Session,
    scope: Scope,
    briefing_id: int,
    path: Path,
    mapping: dict[str, str] | None = None,
) -> Plan:
    """Read a sign-in sheet and match every row to the registry; writes nothing."""
    b = get_briefing(db_session=db_session, scope=scope, briefing_id=briefing_id)
    headers, raw = registry.read_sheet(path)
    rows = read_rows(raw, map_columns(headers, mapping))
    nips = [r.nip for r in rows if r.nip]
    by_nip = {
        nip: a
        for nip, a in registry.asn_by_nips(db_session=db_session, nips=nips).items()
        if a.region_code == b.region_code
    }
    return match_rows(
        rows,
        by_nip=by_nip,
        people=lambda: registry.asn_by_name_keys(db_session=db_session, region_code=b.region_code),
        nip_problem=registry.nip_problem,
    )


def record_attendance(
    *,
    db_session: Session,
    briefing: Briefing,
    entries: Sequence[tuple[AsnRef, str, int | None]],
    source: Literal["sheet", "qr"],
    actor: Actor,
) -> tuple[int, int]:
    """Record (person, matched_by, sheet row) entries; returns (recorded, already there)."""
    have = set(
        db_session.scalars(
            select(Attendance.asn_id).where(
                Attendance.briefing_id == briefing.id,
                Attendance.asn_id.in_([a.id for a, _, _ in entries]),
            )
        )
    )
    recorded = 0
    for asn, by, row in entries:
        if asn.id in have:
            continue
        have.add(asn.id)
        db_session.add(
            Attendance(
                briefing_id=briefing.id,
                asn_id=asn.id,
                opd_id=asn.opd_id,
                source=source,
                matched_by=by,
                sheet_row=row,
                recorded_by=actor.id,
            )
        )
        recorded += 1
    db_session.flush()
    return recorded, len(entries) - recorded


def import_attendance(
    *,
    db_session: Session,
    scope: Scope,
    briefing_id: int,
    path: Path,
    actor: Actor,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    partial: bool = False,
    confirm_names: bool = False,
) -> AttendanceReport:
    """Attendance from a sign-in sheet: all or nothing unless `partial`; re-import is idempotent.

    Rows matched by NIP are recorded; rows matched only by name are recorded when
    `confirm_names`, else listed in `to_confirm` for the organiser.
    """
    b = get_briefing(db_session=db_session, scope=scope, briefing_id=briefing_id)
    plan = plan_sheet(
        db_session=db_session, scope=scope, briefing_id=briefing_id, path=path, mapping=mapping
    )
    report = AttendanceReport(
        rows=plan.rows, valid=len(plan.matches), errors=plan.errors, dry_run=dry_run
    )
    accepted = plan.by_nip + (plan.by_name if confirm_names else [])
    if not confirm_names:
        report.to_confirm = plan.by_name
    if plan.errors and not partial:
        raise AttendanceRefused(report)
    if dry_run:
        have = set(
            db_session.scalars(select(Attendance.asn_id).where(Attendance.briefing_id == b.id))
        )
        report.already = sum(1 for m in accepted if m.asn.id in have)
        report.recorded = len(accepted) - report.already
        return report
    report.recorded, report.already = record_attendance(
        db_session=db_session,
        briefing=b,
        entries=[(m.asn, m.by, m.row) for m in accepted],
        source="sheet",
        actor=actor,
    )
    report.written = True
    audit.record(
        db_session,
        actor=actor,
        action="briefing.attendance_import",
        object_type="briefing",
        object_id=b.id,
        region_code=b.region_code,
        summary={
            "file": path.name,
            "rows": report.rows,
            "recorded": report.recorded,
            "already": report.already,
            "errors": len(report.errors),
            "names_confirmed": confirm_names,
        },
    )
    return report


def confirm_rows(
    *,
    db_session: Session,
    scope: Scope,
    briefing_id: int,
    entries: Sequence[tuple[int, str, int | None]],
    actor: Actor,
) -> tuple[int, int]:
    """Record what the organiser confirmed on the preview page: (asn id, matched_by, row)."""
    b = get_briefing(db_session=db_session, scope=scope, briefing_id=briefing_id)
    people = registry.asn_by_ids(db_session=db_session, asn_ids=[i for i, _, _ in entries])
    missing = [
        i for i, _, _ in entries if i not in people or people[i].region_code != b.region_code
    ]
    if missing:
        raise ValidationFailed(
            problem(
                "attendance.asn_unknown",
                "Sebagian peserta tidak ada di registri wilayah acara; unggah ulang daftar hadir.",
                "Some attendees are not in the event region's registry; upload the sheet again.",
                field="asn",
            )
        )
    by_ok = [(people[i], by if by in ("nip", "name") else "name", row) for i, by, row in entries]
    recorded, already = record_attendance(
        db_session=db_session, briefing=b, entries=by_ok, source="sheet", actor=actor
    )
    audit.record(
        db_session,
        actor=actor,
        action="briefing.attendance_import",
        object_type="briefing",
        object_id=b.id,
        region_code=b.region_code,
        summary={"recorded": recorded, "already": already, "via": "page"},
    )
    return recorded, already


# ---------------------------------------------------------------- QR check-in

CheckinState = Literal["not_open", "open", "closed"]


def checkin_state(briefing: Briefing, now: datetime | None = None) -> CheckinState:
    now = now or utcnow()
    if now < briefing.checkin_opens_at:
        return "not_open"
    if now >= briefing.checkin_closes_at:
        return "closed"
    return "open"


def briefing_by_token(*, db_session: Session, token: str) -> Briefing:
    b = db_session.scalar(select(Briefing).where(Briefing.checkin_token == token))
    if b is None:
        raise NotFound(
            problem(
                "briefing.checkin_unknown",
                "Kode presensi tidak dikenal. Pindai ulang kode QR di lokasi acara.",
                "Unknown check-in code. Scan the QR code at the event again.",
            )
        )
    return b


@dataclass(frozen=True)
class CheckIn:
    briefing: Briefing
    attendee: AsnRef
    already: bool


def _when(at: datetime) -> str:
    return at.astimezone(WIB).strftime("%d-%m-%Y %H:%M WIB")


def check_in(
    *,
    db_session: Session,
    token: str,
    nip: str | None,
    actor: Actor,
    now: datetime | None = None,
) -> CheckIn:
    """An ASN says "Hadir" through the event's QR code, inside its check-in window, once."""
    b = briefing_by_token(db_session=db_session, token=token)
    state = checkin_state(b, now)
    if state == "closed":
        raise Conflict(
            problem(
                "briefing.checkin_closed",
                f"Presensi untuk acara ini sudah ditutup ({_when(b.checkin_closes_at)}). "
                "Kehadiran tidak dicatat; hubungi panitia bila Anda hadir.",
                f"Check-in for this event closed at {_when(b.checkin_closes_at)}. Nothing was "
                "recorded; ask the organiser if you attended.",
            )
        )
    if state == "not_open":
        raise Conflict(
            problem(
                "briefing.checkin_not_open",
                f"Presensi belum dibuka; dibuka {_when(b.checkin_opens_at)}.",
                f"Check-in is not open yet; it opens at {_when(b.checkin_opens_at)}.",
            )
        )
    person = registry.asn_by_nips(db_session=db_session, nips=[nip]).get(nip) if nip else None
    if person is None or person.region_code != b.region_code:
        raise Forbidden(
            problem(
                "briefing.checkin_not_asn",
                "Akun Anda tidak terhubung dengan ASN di wilayah acara ini, jadi kehadiran tidak "
                "bisa dicatat. Hubungi admin OPD Anda.",
                "Your account is not linked to an ASN of this event's region, so attendance "
                "cannot be recorded. Ask your OPD administrator.",
            )
        )
    recorded, _ = record_attendance(
        db_session=db_session,
        briefing=b,
        entries=[(person, "login", None)],
        source="qr",
        actor=actor,
    )
    if recorded:
        audit.record(
            db_session,
            actor=actor,
            action="briefing.checkin",
            object_type="briefing",
            object_id=b.id,
            region_code=b.region_code,
            summary={"asn": person.id},
        )
    return CheckIn(b, person, already=not recorded)


def has_checked_in(*, db_session: Session, briefing: Briefing, nip: str | None) -> bool:
    person = registry.asn_by_nips(db_session=db_session, nips=[nip]).get(nip) if nip else None
    if person is None:
        return False
    return (
        db_session.scalar(
            select(Attendance.id).where(
                Attendance.briefing_id == briefing.id, Attendance.asn_id == person.id
            )
        )
        is not None
    )


# ---------------------------------------------------------------- coverage (dashboard API)


@dataclass(frozen=True)
class OpdBriefingCoverage:
    """invited: events the OPD was invited to; attended: those it sent someone to."""

    opd_id: int
    opd_code: str
    opd: str
    invited: int
    attended: int
    briefed: bool


@dataclass(frozen=True)
class AreaBriefingCoverage:
    kecamatan_code: str
    kecamatan: str
    camat_briefed: bool
    lurah: int
    lurah_briefed: int


@dataclass(frozen=True)
class BriefingTotals:
    events: int
    attendances: int
    opd: int
    opd_briefed: int
    camat: int
    camat_briefed: int
    lurah: int
    lurah_briefed: int
    missed_all: int


@dataclass(frozen=True)
class Missed:
    kind: Literal["opd", "camat", "lurah"]
    office: str
    kecamatan: str
    nip: str | None
    name: str | None
    invited: int


def _briefed_topic() -> Any:
    return exists().where(
        BriefingTopic.briefing_id == Attendance.briefing_id,
        BriefingTopic.topic == coverage_topic(),
    )


class BriefingWindow:
    """The briefing figures of one scope at one moment. Each query runs once per window however
    many sections read it: the dashboard keeps one per page, as it keeps one report window."""

    def __init__(self, db_session: Session, scope: Scope, now: datetime | None = None) -> None:
        self.db_session = db_session
        self.scope = scope
        self.now = now or utcnow()

    @cached_property
    def agencies(self) -> list[Any]:
        return list(registry.agencies(db_session=self.db_session, scope=self.scope))

    @cached_property
    def opd(self) -> tuple[Any, dict[int, int], set[int], Any]:
        return _opd_figures(self.db_session, self.scope, self.now)

    @cached_property
    def area(
        self,
    ) -> tuple[list[registry.AreaOffice], set[int], dict[str, tuple[int, int]], dict[int, int]]:
        return _area_figures(self.db_session, self.scope, self.now)


def coverage_by_opd(
    *,
    db_session: Session,
    scope: Scope,
    opd_id: int | None = None,
    now: datetime | None = None,
    window: BriefingWindow | None = None,
) -> list[OpdBriefingCoverage]:
    """Per OPD in scope: events it was invited to, events it attended, briefed or not."""
    w = window or BriefingWindow(db_session, scope, now)
    opds = [o for o in w.agencies if opd_id is None or o.id == opd_id]
    invited, attended, briefed, _missed = w.opd
    return [
        OpdBriefingCoverage(
            o.id,
            o.code,
            o.name,
            invited(o.id, o.region_code),
            attended.get(o.id, 0),
            o.id in briefed,
        )
        for o in opds
    ]


def _opd_figures(
    db_session: Session, scope: Scope, now: datetime | None
) -> tuple[Any, dict[int, int], set[int], Any]:
    """GROUP BY queries over events and attendance; the callables look the results up."""
    now = now or utcnow()
    in_scope = scope.clause(Briefing.region_code)
    # events open to every OPD of a region: (region, past?) -> count
    all_rows = db_session.execute(
        select(
            Briefing.region_code,
            func.count(),
            func.sum(case((Briefing.starts_at <= now, 1), else_=0)),
        )
        .where(in_scope, Briefing.audience_opd == "all")
        .group_by(Briefing.region_code)
    ).all()
    open_all = {r: (int(n), int(p or 0)) for r, n, p in all_rows}
    chosen_rows = db_session.execute(
        select(
            BriefingOpd.opd_id,
            func.count(),
            func.sum(case((Briefing.starts_at <= now, 1), else_=0)),
        )
        .join(Briefing, Briefing.id == BriefingOpd.briefing_id)
        .where(in_scope, Briefing.audience_opd == "chosen")
        .group_by(BriefingOpd.opd_id)
    ).all()
    chosen = {i: (int(n), int(p or 0)) for i, n, p in chosen_rows}
    invited_to_event = or_(
        Briefing.audience_opd == "all",
        exists().where(
            BriefingOpd.briefing_id == Briefing.id, BriefingOpd.opd_id == Attendance.opd_id
        ),
    )
    att_rows = db_session.execute(
        select(
            Attendance.opd_id,
            func.count(func.distinct(Attendance.briefing_id)),
            func.count(func.distinct(case((Briefing.starts_at <= now, Attendance.briefing_id)))),
        )
        .join(Briefing, Briefing.id == Attendance.briefing_id)
        .where(in_scope, invited_to_event)
        .group_by(Attendance.opd_id)
    ).all()
    attended = {i: int(n) for i, n, _ in att_rows}
    attended_past = {i: int(p) for i, _, p in att_rows}
    briefed = set(
        db_session.scalars(
            select(Attendance.opd_id)
            .join(Briefing, Briefing.id == Attendance.briefing_id)
            .where(in_scope, _briefed_topic())
            .distinct()
        )
    )

    def invited(opd: int, region: str) -> int:
        return open_all.get(region, (0, 0))[0] + chosen.get(opd, (0, 0))[0]

    def missed(opd: int, region: str) -> int:
        """Past invitations when the OPD attended none of them, else 0."""
        past = open_all.get(region, (0, 0))[1] + chosen.get(opd, (0, 0))[1]
        return past if past and not attended_past.get(opd) else 0

    return invited, attended, briefed, missed


def _area_figures(
    db_session: Session, scope: Scope, now: datetime | None
) -> tuple[list[registry.AreaOffice], set[int], dict[str, tuple[int, int]], dict[int, int]]:
    """The area offices; which heads are briefed; past camat/lurah events per region; and for
    each head the past events of their audience they attended."""
    now = now or utcnow()
    offices = registry.area_offices(db_session=db_session, scope=scope)
    heads = [o.head_id for o in offices if o.head_id is not None]
    in_scope = scope.clause(Briefing.region_code)
    briefed: set[int] = set()
    attended_past: dict[int, int] = {}
    if heads:
        briefed = set(
            db_session.scalars(
                select(Attendance.asn_id)
                .join(Briefing, Briefing.id == Attendance.briefing_id)
                .where(in_scope, Attendance.asn_id.in_(heads), _briefed_topic())
                .distinct()
            )
        )
        attended_past = {
            i: int(n)
            for i, n in db_session.execute(
                select(Attendance.asn_id, func.count())
                .join(Briefing, Briefing.id == Attendance.briefing_id)
                .where(
                    in_scope,
                    Attendance.asn_id.in_(heads),
                    Briefing.starts_at <= now,
                    or_(Briefing.audience_camat, Briefing.audience_lurah),
                )
                .group_by(Attendance.asn_id)
            )
        }
    past = {
        r: (int(c or 0), int(lu or 0))
        for r, c, lu in db_session.execute(
            select(
                Briefing.region_code,
                func.sum(case((Briefing.audience_camat, 1), else_=0)),
                func.sum(case((Briefing.audience_lurah, 1), else_=0)),
            )
            .where(in_scope, Briefing.starts_at <= now)
            .group_by(Briefing.region_code)
        )
    }
    return offices, briefed, past, attended_past


def coverage_by_kecamatan(
    *,
    db_session: Session,
    scope: Scope,
    opd_id: int | None = None,
    now: datetime | None = None,
    window: BriefingWindow | None = None,
) -> list[AreaBriefingCoverage]:
    """Per kecamatan: camat briefed or not, lurah briefed n of m; least covered first."""
    offices, briefed, _past, _att = (window or BriefingWindow(db_session, scope, now)).area
    if opd_id is not None:
        mine = {o.kecamatan_code for o in offices if o.office_id == opd_id}
        offices = [o for o in offices if o.kecamatan_code in mine]
    camat: dict[str, bool] = {}
    names: dict[str, str] = {}
    lurah: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in offices:
        names[o.kecamatan_code] = o.kecamatan
        if o.kind == "kecamatan":
            camat[o.kecamatan_code] = o.head_id in briefed
        else:
            lurah[o.kecamatan_code][0] += 1
            lurah[o.kecamatan_code][1] += o.head_id in briefed
    out = [
        AreaBriefingCoverage(
            code, names[code], camat.get(code, False), lurah[code][0], lurah[code][1]
        )
        for code in names
    ]
    return sorted(
        out,
        key=lambda a: (
            a.camat_briefed,
            a.lurah_briefed / a.lurah if a.lurah else 1.0,
            a.kecamatan,
        ),
    )


def missed_all(
    *,
    db_session: Session,
    scope: Scope,
    opd_id: int | None = None,
    now: datetime | None = None,
    window: BriefingWindow | None = None,
) -> list[Missed]:
    """OPD, camat and lurah invited to at least one event that has started who attended none."""
    out: list[Missed] = []
    w = window or BriefingWindow(db_session, scope, now)
    _inv, _att, _br, opd_missed = w.opd
    for o in w.agencies:
        if opd_id is not None and o.id != opd_id:
            continue
        n = opd_missed(o.id, o.region_code)
        if n:
            out.append(Missed("opd", o.name, "", None, None, n))
    offices, _briefed, past, attended_past = w.area
    for a in offices:
        if a.head_id is None or (opd_id is not None and a.office_id != opd_id):
            continue
        camat_events, lurah_events = past.get(a.region_code, (0, 0))
        invited = camat_events if a.kind == "kecamatan" else lurah_events
        if invited and not attended_past.get(a.head_id):
            kind: Literal["camat", "lurah"] = "camat" if a.kind == "kecamatan" else "lurah"
            office = f"{'Kecamatan' if kind == 'camat' else 'Kelurahan'} {a.name}"
            out.append(Missed(kind, office, a.kecamatan, a.head_nip, a.head_name, invited))
    return out


def totals(
    *,
    db_session: Session,
    scope: Scope,
    opd_id: int | None = None,
    now: datetime | None = None,
    window: BriefingWindow | None = None,
) -> BriefingTotals:
    w = window or BriefingWindow(db_session, scope, now)
    opd = coverage_by_opd(db_session=db_session, scope=scope, opd_id=opd_id, window=w)
    area = coverage_by_kecamatan(db_session=db_session, scope=scope, opd_id=opd_id, window=w)
    events = db_session.scalar(
        select(func.count()).select_from(Briefing).where(*_visible(scope, opd_id))
    )
    att = (
        select(func.count())
        .select_from(Attendance)
        .join(Briefing, Briefing.id == Attendance.briefing_id)
        .where(*_visible(scope, opd_id))
    )
    if opd_id is not None:
        att = att.where(Attendance.opd_id == opd_id)
    return BriefingTotals(
        events=int(events or 0),
        attendances=int(db_session.scalar(att) or 0),
        opd=len(opd),
        opd_briefed=sum(o.briefed for o in opd),
        camat=len(area),
        camat_briefed=sum(a.camat_briefed for a in area),
        lurah=sum(a.lurah for a in area),
        lurah_briefed=sum(a.lurah_briefed for a in area),
        missed_all=len(missed_all(db_session=db_session, scope=scope, opd_id=opd_id, window=w)),
    )


# ---------------------------------------------------------------- exports

ATTENDANCE_HEADERS = ("NIP", "Nama", "Jabatan", "OPD", "Sumber", "Dicocokkan lewat", "Waktu (WIB)")
MISSED_HEADERS = ("Jenis", "Kantor", "Kecamatan", "NIP", "Nama", "Undangan")


def attendance_rows(
    *, db_session: Session, briefing: Briefing, opd_id: int | None, actor: Actor, fmt: str
) -> list[tuple[Any, ...]]:
    """The attendance list as export rows; the export is audited here, in the caller's unit."""
    rows = [
        (
            a.nip,
            a.name,
            a.position,
            a.opd,
            a.source,
            a.matched_by,
            a.recorded_at.astimezone(WIB).replace(tzinfo=None),
        )
        for a in attendees(db_session=db_session, briefing=briefing, opd_id=opd_id)
    ]
    audit.record(
        db_session,
        actor=actor,
        action="briefing.export_attendance",
        object_type="briefing",
        object_id=briefing.id,
        region_code=briefing.region_code,
        summary={"rows": len(rows), "format": fmt, "opd_id": opd_id},
    )
    return rows


def missed_rows(
    *, db_session: Session, scope: Scope, opd_id: int | None, actor: Actor, fmt: str
) -> list[tuple[Any, ...]]:
    rows = [
        (m.kind, m.office, m.kecamatan, m.nip or "", m.name or "", m.invited)
        for m in missed_all(db_session=db_session, scope=scope, opd_id=opd_id)
    ]
    audit.record(
        db_session,
        actor=actor,
        action="briefing.export_missed",
        object_type="briefing",
        object_id="missed",
        region_code=scope.code,
        summary={"rows": len(rows), "format": fmt, "opd_id": opd_id},
    )
    return rows


def subject_data(*, db_session: Session, asn_id: int) -> list[dict[str, Any]]:
    """Every briefing this ASN is recorded at, for their own export."""
    rows = db_session.execute(
        select(Attendance, Briefing.title, Briefing.starts_at)
        .join(Briefing, Briefing.id == Attendance.briefing_id)
        .where(Attendance.asn_id == asn_id)
        .order_by(Briefing.starts_at)
    ).all()
    return [
        {
            "briefing": title,
            "held_at": starts.isoformat() if starts else None,
            "recorded_from": a.source,
            "matched_by": a.matched_by,
            "recorded_at": a.recorded_at.isoformat(),
        }
        for a, title, starts in rows
    ]
