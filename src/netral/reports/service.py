"""Report intake, receipts, the formal check, duplicates and the staff inbox.

Intake order, so that an acknowledged report is never lost: evidence files are streamed to the
evidence store and fsynced first; then the report, its evidence rows and the screening marker
(written by the screening domain's handler of ReportReceived) commit in one transaction; only
then is the receipt returned. A crash before the commit leaves orphan blobs, which the sweep
removes; a crash after it loses nothing.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, datetime, timedelta
from typing import Any, BinaryIO, NamedTuple

from sqlalchemy import (
    false,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, lazyload

from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import WIB, WorkingCalendar, to_wib_date
from netral.core.crypto import keyring
from netral.core.db import utcnow
from netral.core.errors import Conflict, NetralError, NotFound, Problem, ValidationFailed, problem
from netral.core.events import publish
from netral.core.models import AuditEntry
from netral.core.security import Scope
from netral.core.sequences import public_number
from netral.core.storage import Incoming, LocalEvidenceStore, StoredBlob
from netral.election import service as elections
from netral.election.service import ElectionRef
from netral.registry import service as registry
from netral.registry.nip import describe, nip_error
from netral.registry.service import AsnRef
from netral.reports import summary as day_counts
from netral.reports.events import EvidenceAdded, ReportReceived
from netral.reports.models import (
    DuplicateSuggestion,
    Evidence,
    Report,
    ReportForward,
    ReportMessage,
)
from netral.reports.schemas import ReporterIdentity, ReportIn
from netral.reports.summary import wib_day_start as wib_day_start
from netral.rules import load_rulebook
from netral.rules.schema import Rulebook

MAX_FILES = 10
# the form fields the rulebook's requirements name, as a person reads them (id, en)
FIELD_LABELS = {
    "reporter_name": ("nama", "name"),
    "reporter_birth_place": ("tempat lahir", "birth place"),
    "reporter_birth_date": ("tanggal lahir", "birth date"),
    "reporter_sex": ("jenis kelamin", "sex"),
    "reporter_occupation": ("pekerjaan", "occupation"),
    "reporter_nationality": ("kewarganegaraan", "nationality"),
    "reporter_address": ("alamat", "address"),
    "reporter_phone": ("telepon", "phone"),
    "reporter_email": ("email", "e-mail"),
    "reported_name": ("nama terlapor", "name of the person reported"),
    "reported_address": ("alamat/jabatan terlapor", "address/position of the person reported"),
    "reported_phone": ("telepon terlapor", "phone of the person reported"),
    "date_known": ("tanggal diketahui", "date known"),
    "filed_at": ("tanggal lapor", "date filed"),
    "event_date": ("tanggal kejadian", "date of the event"),
    "event_place": ("tempat kejadian", "place of the event"),
    "description": ("uraian", "description"),
    "witnesses": ("saksi", "witnesses"),
    "evidence": ("bukti", "evidence"),
    "reporter_signature": ("tanda tangan", "signature"),
    "reporter_id_card": ("kartu identitas", "identity card"),
    "reporter_standing": ("kedudukan pelapor", "reporter's standing"),
}
RECEIPT_DIGITS = 16
NUMBER_RE = re.compile(r"^LAP-\d{4}-\d{6}$")
STATUS_LABELS = {
    "baru": ("Diterima, menunggu pemeriksaan", "Received, awaiting review"),
    "diperiksa": ("Sedang diperiksa petugas", "Being reviewed by staff"),
    "diteruskan": ("Diteruskan untuk penanganan", "Forwarded for handling"),
    "ditolak": ("Tidak dapat ditindaklanjuti", "Cannot be taken further"),
    "digabung": ("Digabung dengan laporan lain", "Merged with another report"),
}
# What the reporter sees of a case built on the report (record_public_progress): public steps
# only, in words a citizen reads; never who did it. The case domain maps its workflow onto these.
PUBLIC_STAGES = {
    "registered": (
        "Diregistrasi dan ditangani sebagai perkara dugaan pelanggaran",
        "Registered and handled as a case of alleged violation",
    ),
    "not_registered": (
        "Tidak dapat diregistrasi sebagai perkara (syarat belum terpenuhi)",
        "Could not be registered as a case (requirements not met)",
    ),
    "plenary_violation": (
        "Rapat pleno Bawaslu memutuskan: terdapat pelanggaran netralitas ASN",
        "Bawaslu's plenary decided: there was a breach of ASN neutrality",
    ),
    "plenary_no_violation": (
        "Rapat pleno Bawaslu memutuskan: tidak terdapat pelanggaran",
        "Bawaslu's plenary decided: there was no violation",
    ),
    "forwarded_bkn": (
        "Diteruskan kepada BKN untuk rekomendasi sanksi",
        "Forwarded to BKN for a sanction recommendation",
    ),
    "bkn_recommended": (
        "BKN menyampaikan rekomendasi kepada Pejabat Pembina Kepegawaian (PPK)",
        "BKN sent its recommendation to the staffing authority (PPK)",
    ),
    "forwarded_gakkumdu": (
        "Diteruskan ke Sentra Gakkumdu (dugaan tindak pidana pemilihan)",
        "Forwarded to Sentra Gakkumdu (alleged election crime)",
    ),
    "sanction_decided": (
        "PPK menjatuhkan sanksi kepada ASN yang dilaporkan",
        "The PPK imposed a sanction on the civil servant reported",
    ),
    "not_proven": (
        "PPK menyatakan pelanggaran tidak terbukti",
        "The PPK found the breach not proven",
    ),
    "carried_out": ("Sanksi telah dilaksanakan", "The sanction has been carried out"),
    "closed": ("Penanganan selesai", "Handling closed"),
    # campaign props (forward_report): one stage per rulebook recipient, and one for any other
    "forwarded_satpol_pp": (
        "Diteruskan kepada Satuan Polisi Pamong Praja untuk penertiban alat peraga kampanye",
        "Forwarded to the municipal police (Satpol PP) to take the campaign props down",
    ),
    "forwarded_kpu": (
        "Diteruskan kepada KPU untuk ditindaklanjuti",
        "Forwarded to the election commission (KPU) for action",
    ),
    "forwarded_apk": (
        "Diteruskan kepada instansi yang berwenang untuk ditindaklanjuti",
        "Forwarded to the competent authority for action",
    ),
}
RECEIVED_LABEL = ("Laporan diterima", "Report received")
# the inbox's small state machine: from -> the states staff may move a report to
TRANSITIONS: dict[str, frozenset[str]] = {
    "baru": frozenset({"diperiksa", "ditolak", "digabung"}),
    "diperiksa": frozenset({"diteruskan", "ditolak", "digabung"}),
    "ditolak": frozenset({"diperiksa"}),
    "digabung": frozenset({"diperiksa"}),
    "diteruskan": frozenset(),
}
# Indonesia's extent with a margin (about 6°N to 11°S, 95°E to 141°E): a point outside it is a
# typo or a swapped pair, never a place in a region netral serves
LATITUDE_RANGE = (-11.5, 6.5)
LONGITUDE_RANGE = (94.5, 141.5)
PHOTO_DISTANCE = 8  # of 64 bits of pHash: near-identical photos (re-encoded, resized)
TEXT_SIMILARITY = 0.55
DUPLICATE_WINDOW_DAYS = 90


@dataclass(frozen=True)
class Upload:
    filename: str
    file: BinaryIO
    content_type: str | None = None


@dataclass(frozen=True)
class Receipt:
    report: Report
    code: str

    @property
    def formatted_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, RECEIPT_DIGITS, 4))


# ---------------------------------------------------------------- validation


def _p(code: str, field: str, msg_id: str, msg_en: str) -> Problem:
    return problem(code, msg_id, msg_en, field=field)


def validate_report(
    *, db_session: Session, form: ReportIn, rulebook: Rulebook, today: date, files: int
) -> tuple[str, ElectionRef | None, AsnRef | None, list[Problem]]:
    """Check a report against the law and the registry; returns its region, election, ASN."""
    problems: list[Problem] = []
    if len(form.description) < 20:
        problems.append(
            _p(
                "report.description_short",
                "description",
                "Uraikan kejadiannya (minimal 20 karakter): siapa, berbuat apa, kapan.",
                "Describe what happened (at least 20 characters): who, what, when.",
            )
        )
    if form.occurred_on > today:
        problems.append(
            _p(
                "report.future_date",
                "occurred_on",
                "Tanggal kejadian tidak boleh di masa depan.",
                "The date it happened cannot be in the future.",
            )
        )
    if form.known_on > today:
        problems.append(
            _p(
                "report.future_date",
                "known_on",
                "Tanggal diketahui tidak boleh di masa depan.",
                "The date it became known cannot be in the future.",
            )
        )
    if form.known_on < form.occurred_on:
        problems.append(
            _p(
                "report.known_before_event",
                "known_on",
                "Tanggal diketahui tidak boleh sebelum tanggal kejadian.",
                "The date it became known cannot be before the date it happened.",
            )
        )
    if form.subject == "apk":
        problems += prop_problems(rulebook=rulebook, form=form, files=files)
    elif form.category != "tidak_tahu" and form.category not in {
        v.code for v in rulebook.violations
    }:
        problems.append(
            _p(
                "report.category_unknown",
                "category",
                f"Kategori '{form.category}' tidak dikenal; pilih dari daftar atau 'tidak tahu'.",
                f"Unknown category '{form.category}'; pick one from the list or 'don't know'.",
            )
        )
    problems += point_problems(form.latitude, form.longitude)[1]
    for url in form.link_list():
        if not re.match(r"^https?://\S{3,}$", url):
            problems.append(
                _p(
                    "report.link",
                    "links",
                    f"Tautan '{url[:80]}' harus diawali http:// atau https://.",
                    f"The link '{url[:80]}' must start with http:// or https://.",
                )
            )
            break
    if files > MAX_FILES:
        problems.append(
            _p(
                "report.too_many_files",
                "evidence",
                f"Paling banyak {MAX_FILES} berkas bukti per laporan ({files} dikirim).",
                f"At most {MAX_FILES} evidence files per report ({files} sent).",
            )
        )
    if (
        not form.anonymous
        and form.reporter_email
        and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", form.reporter_email)
    ):
        problems.append(
            _p(
                "report.email",
                "reporter_email",
                "Alamat email tidak sah.",
                "Invalid e-mail address.",
            )
        )
    if not form.anonymous and form.reporter_birth_date and form.reporter_birth_date > today:
        problems.append(
            _p(
                "report.future_date",
                "reporter_birth_date",
                "Tanggal lahir tidak boleh di masa depan.",
                "The birth date cannot be in the future.",
            )
        )

    asn = None
    nip = form.reported_nip.replace(" ", "")
    if nip:
        code = nip_error(nip, today)
        if code:
            p = describe(code, form.reported_nip)
            problems.append(_p(code, "reported_nip", p.message_id, p.message_en))
        else:
            asn = registry.asn_by_nips(db_session=db_session, nips=[nip]).get(nip)

    region = form.region
    for field, code, level in (
        ("kecamatan", form.kecamatan, "kecamatan"),
        ("kelurahan", form.kelurahan, None),
    ):
        if not code:
            continue
        w = registry.get_place(db_session=db_session, code=code)
        ok = w is not None and (w.level == level if level else w.level in ("kelurahan", "desa"))
        if not ok:
            problems.append(
                _p(
                    "report.wilayah_unknown",
                    field,
                    f"Kode wilayah '{code}' tidak dikenal.",
                    f"Unknown region code '{code}'.",
                )
            )
        elif w is not None:
            region = region or w.region_code
            if w.region_code != region:
                problems.append(
                    _p(
                        "report.wilayah_mismatch",
                        field,
                        f"{w.name} tidak berada di wilayah {region}.",
                        f"{w.name} is not in region {region}.",
                    )
                )
    if form.kelurahan and form.kecamatan and not form.kelurahan.startswith(form.kecamatan + "."):
        problems.append(
            _p(
                "report.wilayah_mismatch",
                "kelurahan",
                "Kelurahan tidak berada di kecamatan yang dipilih.",
                "The kelurahan is not in the kecamatan chosen.",
            )
        )
    if not region and asn is not None:
        region = asn.region_code
    if not region:
        regions = elections.election_regions(db_session=db_session)
        if len(regions) == 1:
            region = regions[0]
    if form.subject == "apk" and not (form.kecamatan or form.latitude or form.longitude):
        problems.append(
            _p(
                "report.place_required",
                "kecamatan",
                "Pilih kecamatan tempat alat peraga itu, atau tandai titik lokasinya.",
                "Choose the kecamatan where the props are, or mark the point.",
            )
        )
    elif not region:
        problems.append(
            _p(
                "report.region",
                "kecamatan",
                "Pilih kecamatan tempat kejadian.",
                "Choose the kecamatan where it happened.",
            )
        )
    elif registry.get_place(db_session=db_session, code=region) is None:
        problems.append(
            _p(
                "report.region",
                "region",
                f"Wilayah '{region}' tidak dikenal.",
                f"Unknown region '{region}'.",
            )
        )
    election = (
        elections.latest_election_for(db_session=db_session, region_code=region) if region else None
    )
    return region, election, asn, problems


def point_problems(
    latitude: str, longitude: str
) -> tuple[tuple[float, float] | None, list[Problem]]:
    """The point picked on the form, or None when none was; a bad point is refused with why."""
    lat_text, lon_text = latitude.strip().replace(",", "."), longitude.strip().replace(",", ".")
    if not lat_text and not lon_text:
        return None, []
    if not lat_text or not lon_text:
        field = "longitude" if lat_text else "latitude"
        return None, [
            _p(
                "report.point_incomplete",
                field,
                "Isi lintang dan bujur keduanya, atau kosongkan keduanya.",
                "Fill in both latitude and longitude, or leave both empty.",
            )
        ]
    values: dict[str, float] = {}
    problems: list[Problem] = []
    for field, text, name_id, name_en in (
        ("latitude", lat_text, "Lintang", "Latitude"),
        ("longitude", lon_text, "Bujur", "Longitude"),
    ):
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if value != value or value in (float("inf"), float("-inf")):  # NaN or infinite
            problems.append(
                _p(
                    "report.point_number",
                    field,
                    f"{name_id} harus berupa angka desimal, mis. -6.9147.",
                    f"{name_en} must be a decimal number, e.g. -6.9147.",
                )
            )
        else:
            values[field] = value
    if problems:
        return None, problems
    lat, lon = values["latitude"], values["longitude"]
    inside = (
        LATITUDE_RANGE[0] <= lat <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= lon <= LONGITUDE_RANGE[1]
    )
    if not inside:
        swapped = (
            LATITUDE_RANGE[0] <= lon <= LATITUDE_RANGE[1]
            and LONGITUDE_RANGE[0] <= lat <= LONGITUDE_RANGE[1]
        )
        hint_id = " Lintang dan bujur tampaknya tertukar." if swapped else ""
        hint_en = " Latitude and longitude look swapped." if swapped else ""
        return None, [
            _p(
                "report.point_outside",
                "latitude",
                f"Titik ({lat}, {lon}) berada di luar wilayah Indonesia.{hint_id}",
                f"The point ({lat}, {lon}) lies outside Indonesia.{hint_en}",
            )
        ]
    return (round(lat, 6), round(lon, 6)), []


def prop_problems(*, rulebook: Rulebook, form: ReportIn, files: int) -> list[Problem]:
    """A campaign-prop report: a category and a kind of place from the rulebook, and a photo."""
    props = rulebook.campaign_props
    if props is None:
        return [
            _p(
                "report.apk_unavailable",
                "subject",
                "Buku aturan ini tidak memuat ketentuan alat peraga kampanye.",
                "This rulebook holds no rules on campaign props.",
            )
        ]
    problems: list[Problem] = []
    if form.category not in {c.code for c in props.categories}:
        listed = ", ".join(c.code for c in props.categories)
        problems.append(
            _p(
                "report.category_unknown",
                "category",
                f"Pilih jenis laporan alat peraga kampanye ({listed}).",
                f"Choose the kind of campaign-prop report ({listed}).",
            )
        )
    if form.place_kind not in {p.code for p in props.places}:
        problems.append(
            _p(
                "report.place_kind",
                "place_kind",
                "Pilih jenis tempat (kantor pemerintah, tempat pendidikan, tempat ibadah, "
                "fasilitas kesehatan).",
                "Choose the kind of place (government office, school, place of worship, "
                "health facility).",
            )
        )
    if files < 1:
        problems.append(
            _p(
                "report.photo_required",
                "evidence",
                "Lampirkan paling sedikit satu foto alat peraga atau bahan kampanye itu.",
                "Attach at least one photo of the campaign props or materials.",
            )
        )
    return problems


# ---------------------------------------------------------------- formal check


def filing_deadline(
    *, rulebook: Rulebook, calendar: WorkingCalendar, known_on: date, election_kind: str | None
) -> tuple[date, str]:
    step = "pemilu_report_filing" if election_kind == "pemilu" else "report_filing"
    d = rulebook.deadline(step)
    return calendar.add_days(known_on, d.days, d.kind), step


def formal_check(
    *,
    report: Report,
    identity: ReporterIdentity,
    evidence_count: int,
    rulebook: Rulebook,
    filed_on: date,
) -> list[dict[str, Any]]:
    """Syarat formil dan materiil, computed from the rulebook's list of requirements."""
    values: dict[str, Any] = {
        **{f"reporter_{k}": v for k, v in identity.model_dump().items()},
        "reported_name": report.reported_name or report.reported_nip,
        "reported_address": report.reported_address or report.reported_position,
        "reported_phone": report.reported_phone,
        "date_known": report.known_on,
        "filed_at": filed_on,
        "event_date": report.occurred_on,
        "event_place": report.place or report.kecamatan_code or report.latitude is not None,
        "description": report.description,
        "witnesses": report.witnesses,
        "evidence": evidence_count or report.links,
        # a signature can only be checked on paper, at the Bawaslu office
        "reporter_signature": None,
        "reporter_id_card": None,
    }
    out = []
    reqs = rulebook.report_requirements
    for group, items in (("formil", reqs.formal), ("materiil", reqs.material)):
        for req in items:
            missing = [f for f in req.form_fields if not values.get(f)]
            if req.code == "on_time":
                status = "terlambat" if report.is_late else "ok"
                # the page writes report.filing_due_on in its language; detail is for the API
                detail = f"batas {report.filing_due_on.isoformat()}"
                detail_en = f"due {report.filing_due_on.isoformat()}"
            elif req.code == "signature":
                status = "di_kantor"
                detail = "diperiksa saat pelapor menandatangani formulir di kantor Bawaslu"
                detail_en = "checked when the reporter signs the form at Bawaslu's office"
            elif req.code == "evidence":
                status = "ok" if len(missing) < len(req.form_fields) else "kurang"
                detail = detail_en = ""
            elif req.code == "reporter_standing":
                status, detail, detail_en = _standing_check(rulebook, identity.standing)
            else:
                status = "ok" if not missing else "kurang"
                detail = detail_en = ""
            out.append(
                {
                    "group": group,
                    "code": req.code,
                    "name_id": req.name.id,
                    "name_en": req.name.en,
                    "status": status,
                    "missing": missing,
                    "detail": detail,
                    "detail_en": detail_en,
                }
            )
    return out


def _standing_check(rulebook: Rulebook, code: str) -> tuple[str, str, str]:
    """The formal check's line on standing: ok, missing, or a standing that cannot file; its
    detail in Indonesian and English."""
    choice = rulebook.report_requirements.standing.choice(code) if code else None
    if choice is None:
        return (
            "kurang",
            "tanpa kedudukan pelapor: dicatat sebagai informasi awal",
            "no reporter's standing: recorded as initial information",
        )
    if not choice.files_laporan:
        return (
            "tidak_memenuhi",
            f"{choice.name.id}: dicatat sebagai informasi awal",
            f"{choice.name.en}: recorded as initial information",
        )
    return "ok", choice.name.id, choice.name.en


def files_laporan(*, rulebook: Rulebook, standing: str) -> bool:
    """Whether a reporter of this standing may file a laporan (UU 1/2015 art. 134(2))."""
    choice = rulebook.report_requirements.standing.choice(standing) if standing else None
    return choice is not None and choice.files_laporan


def standing_problems(*, rulebook: Rulebook, form: ReportIn) -> list[Problem]:
    """An unknown standing is refused; an empty one is allowed and makes informasi awal."""
    code = form.reporter_standing
    choices = rulebook.report_requirements.standing.choices
    if not code or any(c.code == code for c in choices):
        return []
    listed = ", ".join(c.code for c in choices)
    return [
        _p(
            "report.standing_unknown",
            "reporter_standing",
            f"Kedudukan pelapor '{code[:40]}' tidak dikenal; pilih salah satu: {listed}.",
            f"Unknown reporter standing '{code[:40]}'; choose one of: {listed}.",
        )
    ]


# ---------------------------------------------------------------- duplicates


def _shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def find_duplicates(
    *,
    db_session: Session,
    region_code: str,
    description: str,
    phashes: Sequence[str],
    exclude_id: int | None = None,
    before_id: int | None = None,
    now: datetime | None = None,
) -> list[tuple[int, str, float, str]]:
    """(other report id, basis, score, why) for recent reports in the same region that look alike.

    `before_id`: only reports filed before that one (the job that checks a report after it was
    filed must not pair it with a later one, which gets its own check against this one)."""
    since = (now or utcnow()) - timedelta(days=DUPLICATE_WINDOW_DAYS)
    found: dict[int, tuple[int, str, float, str]] = {}
    earlier = [] if before_id is None else [Report.id < before_id]
    if phashes:
        mine = [int(h, 16) for h in phashes]
        rows = db_session.execute(
            select(Evidence.report_id, Evidence.phash, Report.number)
            .join(Report, Report.id == Evidence.report_id)
            .where(
                Report.region_code == region_code,
                Report.created_at >= since,
                Evidence.phash.is_not(None),
                *earlier,
            )
            .order_by(Report.id.desc())
            .limit(5000)
        )
        for rid, ph, number in rows:
            if rid == exclude_id or ph is None:
                continue
            dist = min(bin(m ^ int(ph, 16)).count("1") for m in mine)
            if dist <= PHOTO_DISTANCE:
                score = 1 - dist / 64
                if rid not in found or found[rid][2] < score:
                    found[rid] = (
                        rid,
                        "foto",
                        score,
                        f"foto hampir sama dengan bukti {number} (beda {dist}/64 bit)",
                    )
    me = _shingles(description)
    rows2 = db_session.execute(
        select(Report.id, Report.description, Report.number)
        .where(Report.region_code == region_code, Report.created_at >= since, *earlier)
        .order_by(Report.id.desc())
        .limit(500)
    )
    for rid, text, number in rows2:
        if rid == exclude_id or rid in found:
            continue
        score = _jaccard(me, _shingles(text))
        if score >= TEXT_SIMILARITY:
            found[rid] = (rid, "teks", score, f"uraian {round(score * 100)}% sama dengan {number}")
    return sorted(found.values(), key=lambda t: -t[2])[:5]


# ---------------------------------------------------------------- intake


def _incoming(uploads: Sequence[Upload]) -> list[Incoming]:
    return [Incoming(up.file, up.filename, up.content_type, i) for i, up in enumerate(uploads)]


def _store_all(
    store: LocalEvidenceStore, uploads: Sequence[Upload], *, defer_derivative: bool = False
) -> list[tuple[Upload, StoredBlob]]:
    """Every file of a report is kept, or none is (a refused file leaves no orphan behind)."""
    blobs = store.put_all(_incoming(uploads), defer_derivative=defer_derivative)
    return list(zip(uploads, blobs, strict=True))


def report_problems(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    rulebook: Rulebook,
    form: ReportIn,
    uploads: Sequence[Upload] = (),
    today: date,
) -> list[Problem]:
    """Everything wrong with a report at once: the law's and the registry's checks, and each
    refused file with its reason. Nothing is written, no file kept."""
    uploads = [u for u in uploads if u.filename or u.content_type]
    *_, problems = validate_report(
        db_session=db_session, form=form, rulebook=rulebook, today=today, files=len(uploads)
    )
    problems += standing_problems(rulebook=rulebook, form=form)
    return problems + store.check_all(_incoming(uploads))


def new_receipt_code() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def receipt_mac(number: str, code: str) -> str:
    return keyring().mac(f"receipt:{number}:{code}")


def submit_report(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    rulebook: Rulebook,
    calendar: WorkingCalendar,
    form: ReportIn,
    uploads: Sequence[Upload] = (),
    channel: str = "publik",
    staff: Actor | None = None,
    now: datetime | None = None,
) -> Receipt:
    """Validate, store evidence, commit the report with its screening marker, return the receipt.

    Photos are checked here (type, size, a full decode) and kept as sent; their metadata-free
    copies, perceptual hashes and the duplicate check come after the commit, in the screening
    job (`prepare_evidence`), so a busy hour is not paid for in the reporter's request.
    `now` is the moment of filing (default: the clock); the demo and tests replay a season with it.
    """
    now = now or utcnow()
    today = to_wib_date(now)
    uploads = [u for u in uploads if u.filename or u.content_type]
    region, election, asn, problems = validate_report(
        db_session=db_session, form=form, rulebook=rulebook, today=today, files=len(uploads)
    )
    problems += standing_problems(rulebook=rulebook, form=form)
    if problems:
        # the files are checked as well (none is kept): every refusal is named at once
        problems += store.check_all(_incoming(uploads))
        raise ValidationFailed(*problems)
    stored = _store_all(store, uploads, defer_derivative=True)
    if form.subject == "apk" and not any(blob.kind == "image" for _, blob in stored):
        # the files are in the store but no row names them: the orphan sweep removes them
        raise ValidationFailed(
            _p(
                "report.photo_required",
                "evidence",
                "Lampirkan paling sedikit satu foto (JPEG, PNG, WebP atau HEIC) alat peraga itu.",
                "Attach at least one photo (JPEG, PNG, WebP or HEIC) of the campaign props.",
            )
        )
    point, _ = point_problems(form.latitude, form.longitude)

    identity = form.identity()
    anonymous = form.anonymous or identity.is_empty()
    if anonymous:
        identity = ReporterIdentity()  # nothing of an anonymous reporter is kept, standing neither
    due, _ = filing_deadline(
        rulebook=rulebook,
        calendar=calendar,
        known_on=form.known_on,
        election_kind=election.kind if election else None,
    )
    try:
        number = public_number(db_session, "LAP", today.year)
        code = new_receipt_code()
        report = Report(
            number=number,
            region_code=region,
            election_id=election.id if election else None,
            kind="laporan",
            channel=channel,
            status="baru",
            anonymous=anonymous,
            reporter_enc=None
            if anonymous
            else keyring().encrypt(identity.model_dump_json(), number.encode()),
            receipt_mac=receipt_mac(number, code),
            staff_user_id=staff.id if staff else None,
            reported_name=form.reported_name,
            reported_nip=form.reported_nip.replace(" ", ""),
            reported_position=form.reported_position,
            reported_address=form.reported_address,
            reported_phone=form.reported_phone,
            reported_asn_id=asn.id if asn else None,
            reported_opd_id=(asn.opd_id or None) if asn else None,
            description=form.description,
            place=form.place,
            kecamatan_code=form.kecamatan or None,
            kelurahan_code=form.kelurahan or None,
            occurred_on=form.occurred_on,
            known_on=form.known_on,
            witnesses=form.witnesses,
            category=None if form.category == "tidak_tahu" else form.category,
            subject=form.subject,
            place_kind=form.place_kind or None,
            latitude=point[0] if point else None,
            longitude=point[1] if point else None,
            links=form.link_list(),
            rulebook_version=rulebook.version,
            filing_due_on=due,
            is_late=today > due,
            created_at=now,
            updated_at=now,
        )
        report.formal_check = formal_check(
            report=report,
            identity=identity,
            evidence_count=len(stored),
            rulebook=rulebook,
            filed_on=today,
        )
        # A formal laporan needs a reporter who can be reached and named; the rest of the identity
        # (and the signature) is completed at the Bawaslu office, so the check lists it as missing
        # without demoting the report. Anonymous: initial information, a possible temuan.
        reachable = bool(identity.name and (identity.phone or identity.email or identity.address))
        # and one who may file: a voter, a registered monitor or a participant (the rulebook's
        # report_requirements.standing, UU 1/2015 art. 134(2)); anyone else is informasi awal
        standing = files_laporan(rulebook=rulebook, standing=identity.standing)
        report.kind = "laporan" if (reachable and standing and not anonymous) else "informasi_awal"
        db_session.add(report)
        db_session.flush()
        for up, blob in stored:
            db_session.add(_evidence_row(report.id, up, blob, "pelapor" if not staff else "staf"))
        db_session.flush()
        publish(db_session, ReportReceived(report.id, number, region))
        audit.record(
            db_session,
            actor=staff or Actor(None, "publik", "publik"),
            action="report.received",
            object_type="report",
            object_id=number,
            region_code=region,
            summary={
                "kind": report.kind,
                "channel": channel,
                "files": len(stored),
                "late": report.is_late,
                "anonymous": anonymous,
                "subject": form.subject,
            },
        )
    except BaseException:
        db_session.rollback()  # a half-built report never reaches the caller's commit
        raise
    return Receipt(report, code)


def prepare_evidence(
    *, db_session: Session, store: LocalEvidenceStore, report_id: int, duplicates: bool
) -> int:
    """The intake's second half, run by the screening job before it screens: each photo's
    metadata-free copy and perceptual hash, then (with `duplicates`, the report's first run)
    the reports it may repeat. Returns the copies made. Staff see the photo only from here on."""
    report = db_session.get(Report, report_id)
    if report is None:
        return 0
    made = 0
    for ev in report.evidence:
        if not ev.preparing or not store.exists(ev.sha256):
            continue
        blob = store.derive(ev.sha256, ev.media_type)
        ev.derivative_sha256, ev.phash = blob.derivative_sha256, blob.phash
        ev.width, ev.height = blob.width, blob.height
        made += 1
    db_session.flush()
    already = db_session.scalar(
        select(func.count())
        .select_from(DuplicateSuggestion)
        .where(DuplicateSuggestion.report_id == report.id)
    )
    if duplicates and not already:
        for other_id, basis, score, why in find_duplicates(
            db_session=db_session,
            region_code=report.region_code,
            description=report.description,
            phashes=[e.phash for e in report.evidence if e.phash],
            before_id=report.id,
            now=report.created_at,
        ):
            db_session.add(
                DuplicateSuggestion(
                    report_id=report.id, other_id=other_id, basis=basis, score=score, why=why
                )
            )
        db_session.flush()
    return made


def _evidence_row(report_id: int, up: Upload, blob: StoredBlob, added_by: str) -> Evidence:
    return Evidence(
        report_id=report_id,
        sha256=blob.sha256,
        derivative_sha256=blob.derivative_sha256,
        media_type=blob.media_type,
        kind=blob.kind,
        size=blob.size,
        width=blob.width,
        height=blob.height,
        phash=blob.phash,
        filename=(up.filename or "")[-200:],
        added_by=added_by,
    )


# ---------------------------------------------------------------- the reporter's side


class ReceiptRefused(NetralError):
    status = 404


def normalise_receipt(number: str, code: str) -> tuple[str, str]:
    number = number.strip().upper()
    digits = re.sub(r"[\s\-]", "", code)
    problems = []
    if not NUMBER_RE.match(number):
        problems.append(
            _p(
                "receipt.number_shape",
                "number",
                "Nomor laporan berbentuk LAP-2024-000123.",
                "A report number looks like LAP-2024-000123.",
            )
        )
    if not (digits.isdigit() and len(digits) == RECEIPT_DIGITS):
        problems.append(
            _p(
                "receipt.code_shape",
                "code",
                f"Kode tanda terima terdiri dari {RECEIPT_DIGITS} angka.",
                f"A receipt code has {RECEIPT_DIGITS} digits.",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    return number, digits


def open_receipt(*, db_session: Session, number: str, code: str) -> Report:
    """The report a receipt opens, or one refusal that does not say which half was wrong."""
    number, code = normalise_receipt(number, code)
    # the reporter's page never shows the forwarding letters: not loaded unless asked for
    report = db_session.scalar(
        select(Report).where(Report.number == number).options(lazyload(Report.forwards))
    )
    expected = report.receipt_mac if report else "0" * 64
    if not hmac.compare_digest(expected, receipt_mac(number, code)) or report is None:
        raise ReceiptRefused(
            problem(
                "receipt.refused",
                "Nomor laporan atau kode tanda terima tidak cocok.",
                "The report number or receipt code does not match.",
                field="code",
            )
        )
    return report


def reporter_reply(*, db_session: Session, report: Report, body: str) -> ReportMessage:
    body = body.strip()
    if not body:
        raise ValidationFailed(
            _p("message.empty", "body", "Pesan kosong.", "The message is empty.")
        )
    msg = ReportMessage(report_id=report.id, sender="pelapor", body=body[:5000])
    db_session.add(msg)
    report.updated_at = utcnow()
    audit.record(
        db_session,
        actor=Actor(None, "pelapor", "publik"),
        action="report.reply",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
    )
    return msg


def conversation(report: Report) -> list[ReportMessage]:
    """The questions and answers between staff and the reporter, without the progress lines."""
    return [m for m in report.messages if m.sender != "sistem"]


@dataclass(frozen=True)
class ProgressLine:
    """One step the reporter sees: a status change of the report or a public step of its case."""

    on: date
    stage: str
    label_id: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_id


def record_public_progress(
    *, db_session: Session, report_id: int, stage: str, on_date: date
) -> None:
    """Tell the reporter, through the receipt, that the report's case reached a public stage.

    Called by the domain that handles the case (reports knows nothing of cases); `on_date` is
    the date of the step itself (the plenary's, the decree's), not of its recording. Recording
    the same stage on the same date again changes nothing.
    """
    if stage not in PUBLIC_STAGES:
        raise ValidationFailed(
            _p(
                "report.progress_stage",
                "stage",
                f"Tahap '{stage[:40]}' tidak dikenal; pilih: {', '.join(PUBLIC_STAGES)}.",
                f"Unknown stage '{stage[:40]}'; choose one of: {', '.join(PUBLIC_STAGES)}.",
            )
        )
    report = db_session.get(Report, report_id)
    if report is None:
        raise NotFound(problem("report.not_found", "Laporan tidak ditemukan.", "Report not found."))
    # stored as a "sistem" message: the line needs no table of its own, and its body is data
    # (stage and date), worded only when shown, so nothing a staff member typed reaches it
    body = json.dumps({"stage": stage, "on": on_date.isoformat()}, sort_keys=True)
    if any(m.sender == "sistem" and m.body == body for m in report.messages):
        return
    db_session.add(ReportMessage(report_id=report.id, sender="sistem", body=body))
    report.updated_at = utcnow()
    audit.record(
        db_session,
        actor=Actor.system(),
        action="report.progress",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
        summary={"stage": stage, "on": on_date.isoformat()},
    )
    db_session.flush()
    db_session.expire(report, ["messages"])


def public_progress(*, db_session: Session, report: Report) -> list[ProgressLine]:
    """What the reporter sees happen, oldest first: received, each status change, each stage."""
    lines: list[tuple[date, datetime, ProgressLine]] = []
    received = ProgressLine(to_wib_date(report.created_at), "baru", *RECEIVED_LABEL)
    lines.append((received.on, report.created_at, received))
    changes = db_session.execute(
        select(AuditEntry.at, AuditEntry.summary)
        .where(
            AuditEntry.action == "report.status",
            AuditEntry.object_type == "report",
            AuditEntry.object_id == report.number,
        )
        .order_by(AuditEntry.id)
    )
    grounds = load_rulebook().report_requirements
    for at, summary in changes:
        to = (summary or {}).get("to")
        if to not in STATUS_LABELS:
            continue
        # the status, and for a report not taken further the ground's public wording from the
        # rulebook; never the staff member's reason, which may name people
        label_id, label_en = STATUS_LABELS[to]
        ground = grounds.rejection_ground(str((summary or {}).get("ground", "")))
        if to == "ditolak" and ground is not None:
            label_id = f"{label_id}: {ground.public.id}"
            label_en = f"{label_en}: {ground.public.en}"
        line = ProgressLine(to_wib_date(at), to, label_id, label_en)
        lines.append((line.on, at, line))
    for m in report.messages:
        if m.sender != "sistem":
            continue
        try:
            data = json.loads(m.body)
            stage, on = str(data["stage"]), date.fromisoformat(data["on"])
        except (ValueError, KeyError, TypeError):
            continue
        if stage in PUBLIC_STAGES:
            lines.append((on, m.created_at, ProgressLine(on, stage, *PUBLIC_STAGES[stage])))
    lines.sort(key=lambda t: (t[0], t[1]))
    return [line for _, _, line in lines]


def add_evidence(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    report: Report,
    uploads: Sequence[Upload],
    actor: Actor | None = None,
) -> list[Evidence]:
    uploads = [u for u in uploads if u.filename or u.content_type]
    if not uploads:
        raise ValidationFailed(
            _p("evidence.none", "evidence", "Pilih berkas bukti.", "Choose an evidence file.")
        )
    if len(report.evidence) + len(uploads) > MAX_FILES:
        raise ValidationFailed(
            _p(
                "report.too_many_files",
                "evidence",
                f"Paling banyak {MAX_FILES} berkas bukti per laporan.",
                f"At most {MAX_FILES} evidence files per report.",
            )
        )
    stored = _store_all(store, uploads)
    rows = []
    try:
        for up, blob in stored:
            row = _evidence_row(report.id, up, blob, "staf" if actor else "pelapor")
            db_session.add(row)
            db_session.flush()
            publish(db_session, EvidenceAdded(report.id, row.id))
            rows.append(row)
        audit.record(
            db_session,
            actor=actor or Actor(None, "pelapor", "publik"),
            action="report.evidence_added",
            object_type="report",
            object_id=report.number,
            region_code=report.region_code,
            summary={"files": [r.sha256 for r in rows]},
        )
    except BaseException:
        db_session.rollback()
        raise
    return rows


# ---------------------------------------------------------------- the staff inbox


@dataclass(frozen=True)
class InboxFilter:
    status: str = ""
    category: str = ""
    kecamatan: str = ""
    opd_id: int | None = None
    late: bool | None = None
    anonymous: bool | None = None
    q: str = ""
    sort: str = "-created"
    subject: str = ""
    place_kind: str = ""
    replied: bool | None = None  # True: the reporter answered and staff have not written since


SORTS: dict[str, Any] = {
    "-created": Report.created_at.desc(),
    "created": Report.created_at.asc(),
    "due": Report.filing_due_on.asc(),
    "number": Report.number.asc(),
    "-number": Report.number.desc(),
    "-due": Report.filing_due_on.desc(),
}


def inbox(
    *,
    db_session: Session,
    scope: Scope,
    filters: InboxFilter,
    page: int = 1,
    per_page: int = 25,
) -> tuple[list[Report], int]:
    where = inbox_where(scope=scope, filters=filters)
    total = db_session.scalar(select(func.count()).select_from(Report).where(*where)) or 0
    rows = list(
        db_session.scalars(
            select(Report)
            .where(*where)
            .order_by(SORTS.get(filters.sort, SORTS["-created"]))
            .offset((max(page, 1) - 1) * per_page)
            .limit(per_page)
        )
    )
    return rows, total


def _replied_ids() -> Any:
    """Reports whose conversation ends with the reporter's answer: a question waiting on staff."""
    last = (
        select(ReportMessage.report_id, func.max(ReportMessage.id).label("last_id"))
        .where(ReportMessage.sender != "sistem")
        .group_by(ReportMessage.report_id)
        .subquery()
    )
    return (
        select(ReportMessage.report_id)
        .join(last, ReportMessage.id == last.c.last_id)
        .where(ReportMessage.sender == "pelapor")
    )


def count_inbox(*, db_session: Session, scope: Scope, filters: InboxFilter) -> int:
    """How many reports the inbox would list for these filters (one COUNT, no rows)."""
    where = inbox_where(scope=scope, filters=filters)
    return db_session.scalar(select(func.count()).select_from(Report).where(*where)) or 0


def inbox_where(*, scope: Scope, filters: InboxFilter) -> list[Any]:
    """The inbox's filters as WHERE clauses: the page and the export read the same rows."""
    where: list[Any] = [scope.clause(Report.region_code)]
    if filters.status:
        where.append(Report.status == filters.status)
    if filters.category:
        where.append(
            Report.category.is_(None)
            if filters.category == "tidak_tahu"
            else Report.category == filters.category
        )
    if filters.kecamatan:
        where.append(Report.kecamatan_code == filters.kecamatan)
    if filters.subject:
        where.append(Report.subject == filters.subject)
    if filters.place_kind:
        where.append(Report.place_kind == filters.place_kind)
    if filters.opd_id:
        where.append(Report.reported_asn_id.in_(registry.asn_ids_in_opd(filters.opd_id)))
    if filters.replied:
        where.append(Report.id.in_(_replied_ids()))
    if filters.late is not None:
        where.append(Report.is_late.is_(filters.late))
    if filters.anonymous is not None:
        where.append(Report.anonymous.is_(filters.anonymous))
    if filters.q:
        term = f"%{filters.q.strip()}%"
        where.append(
            or_(
                Report.number.ilike(term),
                Report.reported_name.ilike(term),
                Report.description.ilike(term),
                Report.place.ilike(term),
            )
        )
    return where


def get_report(*, db_session: Session, scope: Scope, number: str) -> Report:
    report = db_session.scalar(select(Report).where(Report.number == number.strip().upper()))
    if report is None or not scope.covers(report.region_code):
        raise NotFound(problem("report.not_found", "Laporan tidak ditemukan.", "Report not found."))
    return report


def open_suggestions(*, db_session: Session, report: Report) -> list[DuplicateSuggestion]:
    return list(
        db_session.scalars(
            select(DuplicateSuggestion)
            .where(
                DuplicateSuggestion.report_id == report.id, DuplicateSuggestion.status == "terbuka"
            )
            .order_by(DuplicateSuggestion.score.desc())
        )
    )


def reveal_identity(*, db_session: Session, report: Report, actor: Actor) -> ReporterIdentity:
    """Open the sealed identity; every opening is written to the audit log."""
    audit.record(
        db_session,
        actor=actor,
        action="report.identity_viewed",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
    )
    db_session.flush()  # the opening is on the record before the identity leaves the service
    if report.reporter_enc is None:
        return ReporterIdentity()
    data = json.loads(keyring().decrypt(report.reporter_enc, report.number.encode()))
    return ReporterIdentity.model_validate(data)


def ask_reporter(*, db_session: Session, report: Report, actor: Actor, body: str) -> ReportMessage:
    body = body.strip()
    if not body:
        raise ValidationFailed(
            _p("message.empty", "body", "Pertanyaan kosong.", "The question is empty.")
        )
    msg = ReportMessage(
        report_id=report.id, sender="staf", author_user_id=actor.id, body=body[:5000]
    )
    db_session.add(msg)
    audit.record(
        db_session,
        actor=actor,
        action="report.question",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
    )
    return msg


def rejection_grounds() -> list[tuple[str, str, str]]:
    """The grounds staff choose from when a report is not taken further: (code, id, en)."""
    rb = load_rulebook()
    return [(g.code, g.name.id, g.name.en) for g in rb.report_requirements.rejection_grounds]


def check_status_change(
    *,
    report: Report,
    to: str,
    reason: str = "",
    duplicate_of: Report | None = None,
    ground: str = "",
) -> None:
    """Refuse a status change that may not be made, naming the field at fault; writes nothing."""
    allowed = TRANSITIONS.get(report.status, frozenset())
    if not to.strip():
        raise ValidationFailed(
            _p("report.status_required", "status", "Pilih status baru.", "Choose the new status.")
        )
    if to not in allowed:

        def named(codes: Iterable[str], lang: int) -> str:
            return ", ".join(f"'{STATUS_LABELS.get(c, (c, c))[lang]}'" for c in codes)

        ordered = [c for c in STATUS_LABELS if c in allowed]
        raise Conflict(
            problem(
                "report.transition",
                f"Status {named([report.status], 0)} tidak bisa diubah menjadi {named([to], 0)}. "
                f"Yang bisa: {named(ordered, 0) or 'tidak ada'}.",
                f"Status {named([report.status], 1)} cannot change to {named([to], 1)}. "
                f"Allowed: {named(ordered, 1) or 'none'}.",
                field="status",
            )
        )
    if to == "ditolak":
        problems = []
        if load_rulebook().report_requirements.rejection_ground(ground) is None:
            names = [g[1] for g in rejection_grounds()]
            problems.append(
                _p(
                    "report.ground_required",
                    "ground",
                    "Pilih dasar penolakan yang akan dibaca pelapor: " + "; ".join(names) + ".",
                    "Choose the ground the reporter will read: "
                    + "; ".join(g[2] for g in rejection_grounds())
                    + ".",
                )
            )
        if not reason.strip():
            problems.append(
                _p(
                    "report.reason_required",
                    "reason",
                    "Alasan penolakan wajib diisi.",
                    "A reason is required.",
                )
            )
        if problems:
            raise ValidationFailed(*problems)
    if to == "digabung" and (duplicate_of is None or duplicate_of.id == report.id):
        raise ValidationFailed(
            _p(
                "report.duplicate_target",
                "duplicate_of",
                "Pilih laporan lain sebagai laporan utama.",
                "Choose another report as the main one.",
            )
        )


def change_status(
    *,
    db_session: Session,
    report: Report,
    actor: Actor,
    to: str,
    reason: str = "",
    duplicate_of: Report | None = None,
    ground: str = "",
) -> Report:
    """Change a report's status. A report not taken further carries a ground from the rulebook:
    the reporter reads its public wording; the staff member's `reason` stays internal."""
    check_status_change(
        report=report, to=to, reason=reason, duplicate_of=duplicate_of, ground=ground
    )
    if to == "digabung" and duplicate_of is not None:
        report.duplicate_of_id = duplicate_of.id
    before = report.status
    report.status, report.status_reason, report.updated_at = to, reason.strip(), utcnow()
    audit.record(
        db_session,
        actor=actor,
        action="report.status",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
        summary={
            "from": before,
            "to": to,
            "reason": reason.strip()[:300],
            "duplicate_of": duplicate_of.number if duplicate_of else None,
            **({"ground": ground} if to == "ditolak" else {}),
        },
    )
    return report


def decide_duplicate(
    *, db_session: Session, report: Report, suggestion_id: int, actor: Actor, merge: bool
) -> DuplicateSuggestion:
    s = db_session.get(DuplicateSuggestion, suggestion_id)
    if s is None or s.report_id != report.id:
        raise NotFound(
            problem(
                "duplicate.not_found",
                "Saran duplikat tidak ditemukan.",
                "Duplicate suggestion not found.",
            )
        )
    s.status, s.decided_by = ("digabung" if merge else "ditolak"), actor.id
    if merge:
        change_status(
            db_session=db_session,
            report=report,
            actor=actor,
            to="digabung",
            reason=f"sama dengan {s.other.number}",
            duplicate_of=s.other,
        )
    else:
        audit.record(
            db_session,
            actor=actor,
            action="report.duplicate_dismissed",
            object_type="report",
            object_id=report.number,
            region_code=report.region_code,
            summary={"other": s.other.number},
        )
    return s


@dataclass(frozen=True)
class ReportRef:
    """What another domain (cases, letters) may know of a report; never the reporter."""

    id: int
    number: str
    region_code: str
    status: str
    election_id: int | None
    anonymous: bool
    reported_asn_id: int | None
    reported_name: str
    reported_position: str
    description: str
    category: str | None
    occurred_on: date | None  # the act's date: which sanction track applies turns on it
    created_at: datetime
    evidence_count: int
    filing_due_on: date | None
    is_late: bool
    # where it happened; for campaign props also the kind of place and the point (the export's)
    subject: str = "asn"
    place: str = ""
    kecamatan_code: str | None = None
    kelurahan_code: str | None = None
    place_kind: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    known_on: date | None = None


def _ref(r: Report) -> ReportRef:
    return ReportRef(
        id=r.id,
        number=r.number,
        region_code=r.region_code,
        status=r.status,
        election_id=r.election_id,
        anonymous=r.anonymous,
        reported_asn_id=r.reported_asn_id,
        reported_name=r.reported_name,
        reported_position=r.reported_position,
        description=r.description,
        category=r.category,
        occurred_on=r.occurred_on,
        created_at=r.created_at,
        evidence_count=len(r.evidence),
        filing_due_on=r.filing_due_on,
        is_late=r.is_late,
        subject=r.subject,
        place=r.place,
        kecamatan_code=r.kecamatan_code,
        kelurahan_code=r.kelurahan_code,
        place_kind=r.place_kind,
        latitude=r.latitude,
        longitude=r.longitude,
        known_on=r.known_on,
    )


def find_report(*, db_session: Session, scope: Scope, number: str) -> ReportRef:
    """A report in the caller's scope by its public number; NotFound otherwise."""
    return _ref(get_report(db_session=db_session, scope=scope, number=number))


def report_refs(*, db_session: Session, ids: Sequence[int]) -> list[ReportRef]:
    """Reports by id, in the order given (ids that no longer exist are left out)."""
    rows = {r.id: r for r in db_session.scalars(select(Report).where(Report.id.in_(list(ids))))}
    return [_ref(rows[i]) for i in ids if i in rows]


def reveal_identity_of(*, db_session: Session, report_id: int, actor: Actor) -> ReporterIdentity:
    """`reveal_identity` for a caller that holds a report's id (audited all the same)."""
    report = db_session.get(Report, report_id)
    if report is None:
        raise NotFound(problem("report.not_found", "Laporan tidak ditemukan.", "Report not found."))
    return reveal_identity(db_session=db_session, report=report, actor=actor)


def forward_to_case(*, db_session: Session, report_id: int, case_number: str, actor: Actor) -> None:
    """The report becomes (part of) a case: examined, then forwarded, each step audited."""
    report = db_session.get(Report, report_id)
    if report is None:
        raise NotFound(problem("report.not_found", "Laporan tidak ditemukan.", "Report not found."))
    if report.status == "baru":
        change_status(db_session=db_session, report=report, actor=actor, to="diperiksa")
    if report.status == "diperiksa":
        change_status(
            db_session=db_session,
            report=report,
            actor=actor,
            to="diteruskan",
            reason=f"menjadi {case_number}",
        )


# ---------------------------------------------------------------- campaign props: forwarding

# a report that was refused or merged is not forwarded; its main report is
FORWARDABLE = frozenset({"baru", "diperiksa", "diteruskan"})


@dataclass(frozen=True)
class ForwardRef:
    """A forward as another domain sees it: to whom, with which letter, on which day."""

    id: int
    report_number: str
    recipient: str
    addressee: str
    letter_number: str
    letter_sha256: str
    forwarded_on: date


def forward_problems(
    *, db_session: Session, report_id: int, recipient: str, rulebook: Rulebook
) -> None:
    """Refuse a forward that cannot be made (before any letter is drawn up); None when it can."""
    report = db_session.get(Report, report_id)
    if report is None:
        raise NotFound(problem("report.not_found", "Laporan tidak ditemukan.", "Report not found."))
    if report.subject != "apk":
        raise Conflict(
            problem(
                "report.forward_not_apk",
                "Hanya laporan alat peraga kampanye yang diteruskan dengan surat ini; laporan "
                "netralitas ASN ditangani sebagai kasus.",
                "Only campaign-prop reports are forwarded with this letter; ASN-neutrality "
                "reports are handled as cases.",
                field="recipient",
            )
        )
    props = rulebook.campaign_props
    codes = [r.code for r in props.recipients] if props else []
    if recipient not in codes:
        raise ValidationFailed(
            _p(
                "report.forward_recipient",
                "recipient",
                f"Pilih penerima: {', '.join(codes) or '-'}.",
                f"Choose a recipient: {', '.join(codes) or '-'}.",
            )
        )
    if report.status not in FORWARDABLE:
        raise Conflict(
            problem(
                "report.forward_status",
                f"Laporan berstatus '{report.status}' tidak dapat diteruskan.",
                f"A report with status '{report.status}' cannot be forwarded.",
                field="recipient",
            )
        )
    if any(f.recipient == recipient for f in report.forwards):
        raise Conflict(
            problem(
                "report.forward_twice",
                "Laporan ini sudah diteruskan kepada penerima tersebut.",
                "This report was already forwarded to that recipient.",
                field="recipient",
            )
        )


def letter_photo(*, db_session: Session, report_id: int) -> str | None:
    """The EXIF-stripped copy of the report's first photo, for a letter; never the original."""
    return db_session.scalar(
        select(Evidence.derivative_sha256)
        .where(
            Evidence.report_id == report_id,
            Evidence.kind == "image",
            Evidence.derivative_sha256.is_not(None),
        )
        .order_by(Evidence.id)
        .limit(1)
    )


def record_forward(
    *,
    db_session: Session,
    report_id: int,
    recipient: str,
    addressee: str,
    letter_number: str,
    letter_sha256: str,
    on_date: date,
    actor: Actor,
    rulebook: Rulebook,
) -> ForwardRef:
    """The report was forwarded with a letter: its status, the reporter's progress, the record."""
    forward_problems(
        db_session=db_session, report_id=report_id, recipient=recipient, rulebook=rulebook
    )
    report = db_session.get(Report, report_id)
    assert report is not None  # forward_problems refused a missing one
    if report.status == "baru":
        change_status(db_session=db_session, report=report, actor=actor, to="diperiksa")
    if report.status == "diperiksa":
        change_status(
            db_session=db_session,
            report=report,
            actor=actor,
            to="diteruskan",
            reason=f"diteruskan kepada {addressee}",
        )
    row = ReportForward(
        report_id=report.id,
        recipient=recipient,
        addressee=addressee[:300],
        letter_number=letter_number,
        letter_sha256=letter_sha256,
        forwarded_on=on_date,
        created_by=actor.id,
    )
    db_session.add(row)
    audit.record(
        db_session,
        actor=actor,
        action="report.forwarded",
        object_type="report",
        object_id=report.number,
        region_code=report.region_code,
        summary={"recipient": recipient, "letter": letter_number, "on": on_date.isoformat()},
    )
    db_session.flush()
    stage = f"forwarded_{recipient}"
    record_public_progress(
        db_session=db_session,
        report_id=report.id,
        stage=stage if stage in PUBLIC_STAGES else "forwarded_apk",
        on_date=on_date,
    )
    db_session.expire(report, ["forwards"])
    return ForwardRef(
        id=row.id,
        report_number=report.number,
        recipient=row.recipient,
        addressee=row.addressee,
        letter_number=row.letter_number,
        letter_sha256=row.letter_sha256,
        forwarded_on=row.forwarded_on,
    )


def forward_letter(
    *, db_session: Session, scope: Scope, number: str, forward_id: int
) -> ReportForward:
    """One forward of a report in the caller's scope (for its letter); NotFound otherwise."""
    report = get_report(db_session=db_session, scope=scope, number=number)
    row = next((f for f in report.forwards if f.id == forward_id), None)
    if row is None:
        raise NotFound(
            problem("report.forward_not_found", "Surat tidak ditemukan.", "Letter not found.")
        )
    return row


def report_ids_since(*, db_session: Session, since: datetime) -> list[int]:
    """Ids of the reports filed at or after `since`, oldest first (for re-screening)."""
    return list(
        db_session.scalars(select(Report.id).where(Report.created_at >= since).order_by(Report.id))
    )


# ---------------------------------------------------------------- what screening reads


@dataclass(frozen=True)
class EvidenceRef:
    """One evidence file as screening needs it: its stored blobs and its kind."""

    id: int
    kind: str  # image | text | pdf | video
    sha256: str
    derivative_sha256: str | None
    media_type: str


@dataclass(frozen=True)
class ReportForScreening:
    """A report as screening reads it: the texts, the region, the election, the evidence."""

    id: int
    number: str
    region_code: str
    election_id: int | None
    occurred_on: date
    description: str
    reported_name: str
    reported_position: str
    evidence: tuple[EvidenceRef, ...]


def screening_input(*, db_session: Session, report_id: int) -> ReportForScreening | None:
    """What screening needs of one report (evidence oldest first), or None if there is none."""
    report = db_session.get(Report, report_id)
    if report is None:
        return None
    return ReportForScreening(
        id=report.id,
        number=report.number,
        region_code=report.region_code,
        election_id=report.election_id,
        occurred_on=report.occurred_on,
        description=report.description,
        reported_name=report.reported_name,
        reported_position=report.reported_position,
        evidence=tuple(
            EvidenceRef(
                id=e.id,
                kind=e.kind,
                sha256=e.sha256,
                derivative_sha256=e.derivative_sha256,
                media_type=e.media_type,
            )
            for e in report.evidence  # the relationship is ordered by id
        ),
    )


def report_regions(*, db_session: Session, report_ids: Sequence[int]) -> dict[int, str]:
    """The region code of each report given (unknown ids are left out)."""
    if not report_ids:
        return {}
    rows = db_session.execute(
        select(Report.id, Report.region_code).where(Report.id.in_(list(report_ids)))
    )
    return {report_id: region for report_id, region in rows}


@dataclass(frozen=True)
class ScannedPost:
    """A public post by a registered ASN that a bulk scan flagged (`netral scan posts`)."""

    asn: AsnRef
    platform: str
    handle: str
    posted_at: datetime | None  # aware; None when the dump gave no readable time
    text: str
    link: str = ""


def scanned_post_description(post: ScannedPost) -> str:
    when = f", {post.posted_at.astimezone(WIB):%Y-%m-%d %H:%M} WIB" if post.posted_at else ""
    return (
        f"Temuan pemindaian unggahan publik: {post.platform} @{post.handle}{when}.\n\n{post.text}"
    )


def file_scanned_posts(
    *,
    db_session: Session,
    rulebook: Rulebook,
    calendar: WorkingCalendar,
    posts: Sequence[ScannedPost],
    actor: Actor,
    now: datetime | None = None,
) -> list[int | None]:
    """One initial-information report per flagged post (channel `pindai`), for staff to review.

    A bulk scan is Bawaslu's own supervision, not a citizen's report: the record has no reporter
    and is `informasi_awal` (a possible temuan) about the ASN whose account posted it. Staff turn
    it into a case as any report. The scan has screened the post already and writes its own
    findings, so no screening is queued. A post filed before (same ASN, same description) is not
    filed again: its slot in the answer is None. Flushes; the caller commits.
    """
    now = now or utcnow()
    today = to_wib_date(now)
    descriptions = [scanned_post_description(p) for p in posts]
    known: set[tuple[int, str]] = set()
    asn_ids = sorted({p.asn.id for p in posts})
    for i in range(0, len(asn_ids), 500):
        known |= {
            (asn_id, d)
            for asn_id, d in db_session.execute(
                select(Report.reported_asn_id, Report.description).where(
                    Report.channel == "pindai", Report.reported_asn_id.in_(asn_ids[i : i + 500])
                )
            )
            if asn_id is not None
        }
    due, _ = filing_deadline(
        rulebook=rulebook, calendar=calendar, known_on=today, election_kind=None
    )
    out: list[int | None] = []  # an index into `filed` until the rows have their ids
    filed: list[tuple[Report, str]] = []
    with db_session.no_autoflush:  # the numbers' queries would flush each report alone
        for post, description in zip(posts, descriptions, strict=True):
            if (post.asn.id, description) in known:
                out.append(None)
                continue
            known.add((post.asn.id, description))
            occurred = to_wib_date(post.posted_at) if post.posted_at else today
            number = public_number(db_session, "LAP", today.year)
            report = Report(
                number=number,
                region_code=post.asn.region_code,
                election_id=None,
                kind="informasi_awal",
                channel="pindai",
                status="baru",
                anonymous=True,
                reporter_enc=None,
                # no reporter, so no receipt: a code nobody is given opens nothing
                receipt_mac=receipt_mac(number, new_receipt_code()),
                staff_user_id=actor.id,
                reported_name=post.asn.name,
                reported_nip=post.asn.nip,
                reported_position=post.asn.position,
                reported_asn_id=post.asn.id,
                reported_opd_id=post.asn.opd_id or None,
                description=description,
                place=f"{post.platform} @{post.handle}",
                occurred_on=min(occurred, today),
                known_on=today,
                category=None,
                subject="asn",
                links=[post.link] if post.link else [],
                rulebook_version=rulebook.version,
                filing_due_on=due,
                is_late=False,
                created_at=now,
                updated_at=now,
            )
            report.formal_check = formal_check(
                report=report,
                identity=ReporterIdentity(),
                evidence_count=0,
                rulebook=rulebook,
                filed_on=today,
            )
            db_session.add(report)
            filed.append((report, post.platform))
            out.append(len(filed) - 1)
    db_session.flush()  # one batch of inserts, not one round trip a report
    for report, platform in filed:
        audit.record(
            db_session,
            actor=actor,
            action="report.received",
            object_type="report",
            object_id=report.number,
            region_code=report.region_code,
            summary={"kind": report.kind, "channel": "pindai", "platform": platform},
        )
    return [None if i is None else filed[i][0].id for i in out]


# ================================================================ aggregates for the dashboard
# GROUP BY queries the dashboard composes (dashboard/ never reads this domain's tables). Every
# count is over the reports *received* in a window of WIB days, in the caller's scope, optionally
# one region. Added at the end of the file on purpose: the listing and intake above stay as they
# were.


@dataclass(frozen=True)
class ReportWindow:
    """Which reports an aggregate counts: received from..until (WIB days, both included).

    A window remembers the one grouped scan its aggregates share (`report_breakdown`), so a
    dashboard page that asks for five groupings reads the reports once: make a new window to
    count again after writing reports."""

    scope: Scope
    since: date | None = None
    until: date | None = None
    region_code: str | None = None
    memo: dict[str, Any] = dataclass_field(
        default_factory=dict, compare=False, hash=False, repr=False
    )


@dataclass(frozen=True)
class Tally:
    """One group and its count; `key` None is the group of rows without a value."""

    key: str | None
    n: int


@dataclass(frozen=True)
class ReportBreakdown:
    """The reports of a window counted every way the dashboard shows them, from one scan."""

    total: int
    by_day: list[Tally]
    by_category: list[Tally]
    by_kecamatan: list[Tally]
    by_status: list[Tally]
    by_opd: list[Tally]  # the reported ASN's OPD id as text; reports naming no ASN left out
    by_subject: list[Tally]  # 'asn' or 'apk'
    by_place_kind: list[Tally]  # campaign-prop reports only; None: no kind of place given


def window_region(window: ReportWindow) -> Callable[[Any], Any]:
    """The window's region filter for any region_code column: one region by plain equality (an
    index range scan), never wider than the scope; else the scope."""
    if window.region_code:
        if not window.scope.covers(window.region_code):
            return lambda column: false()
        code = window.region_code
        return lambda column: column == code
    return window.scope.clause


def window_where(window: ReportWindow) -> list[Any]:
    where: list[Any] = [window_region(window)(Report.region_code)]
    if window.since is not None:
        where.append(Report.created_at >= wib_day_start(window.since))
    if window.until is not None:
        where.append(Report.created_at < wib_day_start(window.until + timedelta(days=1)))
    return where


def _tally(rows: list[tuple[Any, int]]) -> list[Tally]:
    out = [Tally(None if k is None else str(k), int(n)) for k, n in rows]
    return sorted(out, key=lambda t: (t.key is not None, t.key or ""))  # NULL first, as before


def report_breakdown(*, db_session: Session, window: ReportWindow) -> ReportBreakdown:
    """Total, per WIB day, category, kecamatan, status and reported OPD of the window, from the
    kept day counts and the changed days' reports (`summary.breakdown`); remembered on the
    window, so a page's sections share one read."""
    hit = window.memo.get("breakdown")
    if isinstance(hit, ReportBreakdown):
        return hit
    groups = day_counts.breakdown(
        db_session,
        region=window_region(window),
        since=window.since,
        until=window.until,
        report_where=window_where(window),
    )
    day, category, kecamatan, status, opd, subject, kinds = (
        _tally(list(g.items())) for g in groups
    )
    found = ReportBreakdown(
        sum(t.n for t in day),
        day,
        category,
        kecamatan,
        status,
        [t for t in opd if t.key is not None],
        subject,
        [t for t in kinds if t.key != day_counts.NOT_A_PROP],
    )
    window.memo["breakdown"] = found
    return found


def count_reports(*, db_session: Session, window: ReportWindow) -> int:
    return report_breakdown(db_session=db_session, window=window).total


def reports_by_day(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    """Reports received per WIB day (days without a report are absent)."""
    return report_breakdown(db_session=db_session, window=window).by_day


def reports_by_category(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    """Per rulebook violation code; None: the reporter did not know the category."""
    return report_breakdown(db_session=db_session, window=window).by_category


def reports_by_kecamatan(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    """Per kecamatan code of the place of the act; None: no kecamatan given."""
    return report_breakdown(db_session=db_session, window=window).by_kecamatan


def reports_by_status(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    return report_breakdown(db_session=db_session, window=window).by_status


def reports_by_reported_opd(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    """Per OPD (id, as text) of the ASN the report names, as kept on the report when it named
    them; reports naming no registered ASN are left out."""
    return report_breakdown(db_session=db_session, window=window).by_opd


# ---------------------------------------------------------------- the list, as a file


class ReportExportRow(NamedTuple):
    """One report as the export writes it: never the reporter's contact, nor the reported
    person's address or phone; the reporter's name only when asked for and allowed. A named
    tuple, not a dataclass: an export builds 100,000 of them and this is ~3x cheaper."""

    number: str
    received_at: datetime
    kind: str
    channel: str
    status: str
    category: str | None
    kecamatan_code: str | None
    kelurahan_code: str | None
    place: str
    occurred_on: date
    known_on: date
    filing_due_on: date
    is_late: bool
    anonymous: bool
    reported_name: str
    reported_nip: str
    reported_position: str
    description: str
    evidence_count: int
    reporter_name: str | None


def export_reports(
    *, db_session: Session, scope: Scope, filters: InboxFilter, with_identity: bool = False
) -> Iterator[ReportExportRow]:
    """The inbox's rows for these filters, oldest first, streamed (no relationship loaded)."""
    where = inbox_where(scope=scope, filters=filters)
    evidence_count = select(func.count()).where(Evidence.report_id == Report.id).scalar_subquery()
    stmt = (
        select(
            Report.number,
            Report.created_at,
            Report.kind,
            Report.channel,
            Report.status,
            Report.category,
            Report.kecamatan_code,
            Report.kelurahan_code,
            Report.place,
            Report.occurred_on,
            Report.known_on,
            Report.filing_due_on,
            Report.is_late,
            Report.anonymous,
            Report.reported_name,
            Report.reported_nip,
            Report.reported_position,
            Report.description,
            evidence_count,
            Report.reporter_enc,
        )
        .where(*where)
        .order_by(Report.id)
        # on the statement, not the connection: the export's audit row follows on the same one
        .execution_options(stream_results=True, yield_per=2000)
    )
    ring = keyring() if with_identity else None
    # Core rows streamed from a server-side cursor: the ORM's row loading doubled the time
    for row in db_session.connection().execute(stmt):
        name: str | None = None
        if ring is not None:
            name = ""
            if row.reporter_enc is not None:
                data = json.loads(ring.decrypt(row.reporter_enc, row.number.encode()))
                name = str(data.get("name") or "")
        yield ReportExportRow._make((*row[:18], int(row[18] or 0), name))


# ---------------------------------------------------------------- aggregates: subject and place
# (the dashboard's ASN-versus-APK figures; self-contained, so the aggregates above may change)


def reports_by_subject(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    """Per subject: 'asn' (an ASN's conduct) or 'apk' (campaign props at a forbidden place)."""
    return report_breakdown(db_session=db_session, window=window).by_subject


def prop_reports_by_place_kind(*, db_session: Session, window: ReportWindow) -> list[Tally]:
    """Campaign-prop reports per kind of place (rulebook code); None: no kind given."""
    return report_breakdown(db_session=db_session, window=window).by_place_kind


# ---------------------------------------------------------------- retention

# a report that ends here without a case: once its last change is older than the retention,
# its personal data go (reports that became a case follow the case's closing instead)
CLOSED_WITHOUT_CASE = ("ditolak", "digabung", "diteruskan")


def reports_closed_before(
    *, db_session: Session, before: datetime, excluding: Any = None
) -> list[int]:
    """Reports closed without a case (`CLOSED_WITHOUT_CASE`), last changed before `before`,
    whose personal data are still kept; `excluding` a subquery of report ids (those in cases)."""
    where = [
        Report.status.in_(CLOSED_WITHOUT_CASE),
        Report.updated_at < before,
        Report.personal_data_deleted_on.is_(None),
    ]
    if excluding is not None:
        where.append(Report.id.not_in(excluding))
    return list(db_session.scalars(select(Report.id).where(*where).order_by(Report.id)))


def delete_personal_data(
    *, db_session: Session, report_ids: Sequence[int], actor: Actor, today: date, reason: str
) -> int:
    """Delete each report's sealed reporter identity and mark its evidence originals deleted
    (the files go after the commit: `remove_deleted_originals`); one audit row per report, with
    counts only. Returns the reports changed; a report done before is left as it is."""
    changed = 0
    for report in db_session.scalars(
        select(Report).where(
            Report.id.in_(list(report_ids)), Report.personal_data_deleted_on.is_(None)
        )
    ):
        originals = [e for e in report.evidence if e.original_deleted_on is None]
        for e in originals:
            e.original_deleted_on = today
        had_identity = report.reporter_enc is not None
        report.reporter_enc = None
        report.personal_data_deleted_on = today
        audit.record(
            db_session,
            actor=actor,
            action="report.personal_data_deleted",
            object_type="report",
            object_id=report.number,
            region_code=report.region_code,
            summary={"identity": had_identity, "originals": len(originals), "reason": reason},
        )
        changed += 1
    db_session.flush()
    return changed


def remove_deleted_originals(*, db_session: Session, store: LocalEvidenceStore) -> int:
    """Remove the files of originals marked deleted that no kept row still names (an object may
    be shared: the same photo in two reports, or another row's derivative). Run after the
    marking committed; idempotent, so a run cut short is finished by the next."""
    kept = select(Evidence.sha256).where(Evidence.original_deleted_on.is_(None))
    derivatives = select(Evidence.derivative_sha256).where(Evidence.derivative_sha256.is_not(None))
    gone = db_session.scalars(
        select(Evidence.sha256)
        .where(
            Evidence.original_deleted_on.is_not(None),
            Evidence.sha256.not_in(kept),
            Evidence.sha256.not_in(derivatives),
        )
        .distinct()
    ).all()
    removed = 0
    for sha256 in gone:
        if store.exists(sha256):
            store.path(sha256).unlink(missing_ok=True)
            removed += 1
    return removed


def search_reports(
    *, db_session: Session, scope: Scope, term: str, limit: int = 20
) -> tuple[list[ReportRef], int]:
    """Reports in scope by their number, or the reported ASN's NIP (8 digits or more).

    Never by anything the reporter gave about themselves: their identity is sealed, and a search
    that matched it would tell who reported whom.
    """
    term = term.strip()
    digits = term.replace(" ", "")
    if len(term) < 2:
        return [], 0
    match = Report.number.icontains(term, autoescape=True)
    if digits.isdigit() and len(digits) >= registry.NIP_PREFIX_MIN:
        match = or_(match, Report.reported_nip.startswith(digits, autoescape=True))
    where = [scope.clause(Report.region_code), match]
    total = db_session.scalar(select(func.count()).select_from(Report).where(*where)) or 0
    rows = db_session.scalars(
        select(Report)
        .where(*where)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    )
    return [_ref(r) for r in rows], total
