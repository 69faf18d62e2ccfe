"""Campaign-prop (APK) reports: filed with a place kind, a point and a photo, forwarded with a
letter in the same unit of work; refused input leaves nothing behind. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.cases.forwards import forward_prop_report
from netral.core.closures import calendar_for
from netral.core.errors import Conflict, NetralError, ValidationFailed
from netral.core.models import AuditEntry, User
from netral.core.security import Scope
from netral.core.sequences import next_value
from netral.core.storage import LocalEvidenceStore
from netral.reports import service as reports
from netral.reports.models import Report, ReportForward
from netral.reports.schemas import ReportIn
from netral.rules import load_rulebook

from support.evidence import jpeg_with_gps, minimal_pdf
from support.pdf import pdf_text

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="poppler-utils (pdftotext) not installed",
)
SCOPE = Scope("region", "32.73")
TODAY = date.today()


@pytest.fixture
def store(tmp_path: Path) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence")


def apk_form(**over: Any) -> ReportIn:
    data: dict[str, Any] = {
        "subject": "apk",
        "category": "APK-01",
        "place_kind": "tempat_pendidikan",
        "description": "Spanduk paslon nomor 2 diikat di pagar depan SD, menghadap jalan raya.",
        "occurred_on": TODAY - timedelta(days=1),
        "known_on": TODAY,
        "kecamatan": "32.73.01",
        "place": "Pagar SD Negeri (contoh)",
        "latitude": "-6.8893",
        "longitude": "107.5966",
        "anonymous": True,
    }
    data.update(over)
    return ReportIn.model_validate(data)


def photo() -> reports.Upload:
    return reports.Upload("IMG_1.jpg", io.BytesIO(jpeg_with_gps()), "image/jpeg")


def file(db: Session, store: LocalEvidenceStore, form: ReportIn, uploads: list[Any]) -> Report:
    receipt = reports.submit_report(
        db_session=db,
        store=store,
        rulebook=load_rulebook(),
        calendar=calendar_for(db),
        form=form,
        uploads=uploads,
    )
    db.commit()
    return receipt.report


def counts(db: Session) -> tuple[int, int, int]:
    return (
        db.scalar(select(func.count()).select_from(Report)) or 0,
        db.scalar(select(func.count()).select_from(ReportForward)) or 0,
        db.scalar(select(func.count()).select_from(AuditEntry)) or 0,
    )


def test_an_apk_report_keeps_its_place_kind_point_and_photo(
    db: Session, store: LocalEvidenceStore, staff: User
) -> None:
    report = file(db, store, apk_form(), [photo()])
    assert (report.subject, report.category, report.place_kind) == (
        "apk",
        "APK-01",
        "tempat_pendidikan",
    )
    assert (report.latitude, report.longitude) == (-6.8893, 107.5966)
    assert report.kind == "informasi_awal"  # anonymous, as any report
    assert report.reporter_enc is None
    assert report.evidence[0].preparing  # kept as sent; its clean copy is the job's
    reports.prepare_evidence(db_session=db, store=store, report_id=report.id, duplicates=True)
    db.commit()
    assert report.evidence[0].derivative_sha256  # the EXIF-stripped copy exists
    assert not report.evidence[0].preparing
    ref = reports.find_report(db_session=db, scope=SCOPE, number=report.number)
    assert (ref.subject, ref.place_kind, ref.latitude, ref.longitude) == (
        "apk",
        "tempat_pendidikan",
        -6.8893,
        107.5966,
    )
    rows, total = reports.inbox(
        db_session=db, scope=SCOPE, filters=reports.InboxFilter(subject="apk")
    )
    assert total == 1 and rows[0].number == report.number
    _, none = reports.inbox(
        db_session=db, scope=SCOPE, filters=reports.InboxFilter(place_kind="tempat_ibadah")
    )
    assert none == 0


def test_a_point_alone_places_the_report_in_the_election_region(
    db: Session, store: LocalEvidenceStore, staff: User
) -> None:
    from netral.core.audit import Actor
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    report = file(db, store, apk_form(kecamatan="", place=""), [photo()])
    assert report.region_code == "32.73" and report.kecamatan_code is None


@pytest.mark.parametrize(
    ("over", "uploads", "codes"),
    [
        ({}, [], {"report.photo_required"}),
        ({"place_kind": ""}, ["photo"], {"report.place_kind"}),
        ({"place_kind": "pasar"}, ["photo"], {"report.place_kind"}),
        ({"category": "SKB-01"}, ["photo"], {"report.category_unknown"}),
        ({"latitude": "48.85", "longitude": "2.35"}, ["photo"], {"report.point_outside"}),
        ({"longitude": ""}, ["photo"], {"report.point_incomplete"}),
        ({"kecamatan": "", "latitude": "", "longitude": ""}, ["photo"], {"report.place_required"}),
        ({}, ["pdf"], {"report.photo_required"}),  # a PDF is evidence, but not a photo
    ],
)
def test_refused_apk_input_changes_nothing(
    db: Session,
    store: LocalEvidenceStore,
    staff: User,
    over: dict[str, Any],
    uploads: list[str],
    codes: set[str],
) -> None:
    before = counts(db)
    files = [
        photo()
        if u == "photo"
        else reports.Upload("a.pdf", io.BytesIO(minimal_pdf()), "application/pdf")
        for u in uploads
    ]
    with pytest.raises(ValidationFailed) as err:
        file(db, store, apk_form(**over), files)
    db.rollback()
    assert {p.code for p in err.value.problems} == codes
    assert all(p.message_id and p.message_en for p in err.value.problems)
    assert counts(db) == before


def test_forward_to_satpol_pp_makes_the_letter_in_the_same_unit_of_work(
    db: Session, store: LocalEvidenceStore, staff: User
) -> None:
    report = file(db, store, apk_form(), [photo()])
    done = forward_prop_report(
        db_session=db,
        store=store,
        scope=SCOPE,
        number=report.number,
        recipient="satpol_pp",
        user=staff,
        rulebook=load_rulebook(),
    )
    db.commit()
    db.refresh(report)
    assert report.status == "diteruskan"
    assert [(f.recipient, f.letter_number) for f in report.forwards] == [
        ("satpol_pp", done.letter_number)
    ]
    assert done.addressee == "Kepala Satuan Polisi Pamong Praja Kota Bandung"
    stages = [p.stage for p in reports.public_progress(db_session=db, report=report)]
    assert stages[-1] == "forwarded_satpol_pp"
    actions = set(
        db.scalars(select(AuditEntry.action).where(AuditEntry.object_id == report.number))
    )
    assert {"report.forwarded", "report.status", "report.progress"} <= actions

    pdf = store.read(done.letter_sha256)
    text = " ".join(pdf_text(pdf).split())
    assert "Penerusan Laporan Alat Peraga Kampanye" in text
    assert "Kepala Satuan Polisi Pamong Praja Kota Bandung" in text
    assert report.number in text
    assert "Tempat pendidikan" in text
    assert "-6.889300, 107.596600" in text
    # the rule from the rulebook, the law by its name (never an internal id)
    assert "Peraturan Komisi Pemilihan Umum Nomor 13 Tahun 2024" in text
    assert "Pasal 69 huruf i Undang-Undang Nomor 10 Tahun 2016" in text
    assert "pkpu-13-2024" not in text and "uu-10-2016" not in text
    assert "menertibkan" in text
    # the photo in the letter is the EXIF-stripped copy: the original's GPS/camera never goes in
    assert b"KameraHP" not in pdf and b"Pelapor Rahasia" not in pdf

    # a second forward, to KPU: its own letter; the same recipient twice is refused
    kpu = forward_prop_report(
        db_session=db,
        store=store,
        scope=SCOPE,
        number=report.number,
        recipient="kpu",
        user=staff,
        rulebook=load_rulebook(),
    )
    db.commit()
    assert kpu.letter_number != done.letter_number
    with pytest.raises(Conflict) as err:
        forward_prop_report(
            db_session=db,
            store=store,
            scope=SCOPE,
            number=report.number,
            recipient="kpu",
            user=staff,
            rulebook=load_rulebook(),
        )
    assert err.value.problems[0].code == "report.forward_twice"


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("asn_report", "report.forward_not_apk"),
        ("unknown_recipient", "report.forward_recipient"),
        ("refused_report", "report.forward_status"),
        ("not_issuer", "letters.not_issuer"),
        ("other_region", "report.not_found"),
    ],
)
def test_a_refused_forward_writes_nothing(
    db: Session, store: LocalEvidenceStore, staff: User, case: str, code: str
) -> None:
    from netral.core.audit import Actor

    if case == "asn_report":
        form = ReportIn.model_validate(
            {
                "description": "Camat berpose tiga jari di samping spanduk paslon 3 di balai RW.",
                "occurred_on": TODAY - timedelta(days=1),
                "known_on": TODAY,
                "kecamatan": "32.73.01",
                "anonymous": True,
            }
        )
        report = file(db, store, form, [])
    else:
        report = file(db, store, apk_form(), [photo()])
    if case == "refused_report":
        reports.change_status(
            db_session=db, report=report, actor=Actor.of(staff), to="ditolak", reason="uji",
            ground="syarat_materiil",
        )
        db.commit()
    user = staff
    if case == "not_issuer":
        user = db.scalar(select(User).where(User.username == "bkpsdm"))
    if case == "other_region":
        user = db.scalar(select(User).where(User.username == "bawaslu_kab"))
    before = counts(db)
    with pytest.raises(NetralError) as err:
        forward_prop_report(
            db_session=db,
            store=store,
            scope=Scope("region", "32.04") if case == "other_region" else SCOPE,
            number=report.number,
            recipient="bpbd" if case == "unknown_recipient" else "satpol_pp",
            user=user,
            rulebook=load_rulebook(),
        )
    db.rollback()
    assert err.value.problems[0].code == code
    assert counts(db) == before
    # no letter number was drawn: the next letter of the year is still the first
    assert next_value(db, f"SURAT-{TODAY.year}") == 1
    db.rollback()
    db.refresh(report)
    assert report.forwards == []
