"""Video and HEIC evidence end to end: a phone video filed with a report is screened in the
background, its findings show their second and the frame on the report page, and no page shows
the container's metadata; a damaged video is refused in Indonesian and nothing is written; a HEIC
photo gets a preview and is screened like any photo; a PDF is shown as a clean copy of its pages,
its original (author and all) only to those who may open originals; the demo has a video finding."""

from __future__ import annotations

import io
import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw
from sqlalchemy import func, select

from netral.app import create_app
from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.models import AuditEntry
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Evidence, Report

from support.evidence import VIDEO_LOCATION, heic_with_gps, video_clip
from support.web import login

TODAY = to_wib_date(utcnow())


@pytest.fixture
def live(settings, world, db):
    """The app with its in-process worker and no trained text model (a fresh clone)."""
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    app = create_app(settings.model_copy(update={"jobs": "inprocess"}))
    with TestClient(app) as client:
        yield app, client


def fields(**over):
    base = {
        "description": "Camat ikut acara warga, ada spanduk paslon, videonya beredar di grup.",
        "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
        "known_on": TODAY.isoformat(),
        "kecamatan": "32.73.01",
        "anonymous": "true",
    }
    base.update(over)
    return base


def wait_for_findings(client, number, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = client.get(f"/api/v1/reports/{number}/findings").json()
        if found["pending"] == 0 and found["evidence"]:
            return found
        time.sleep(0.5)
    raise AssertionError(f"screening of {number} did not finish in {seconds} s")


def banner_clip() -> bytes:
    hall = Image.new("RGB", (640, 360), (170, 185, 210))
    shown = hall.copy()
    d = ImageDraw.Draw(shown)
    d.rectangle((20, 30, 620, 130), fill=(200, 30, 40))
    d.text((40, 60), "COBLOS NO. 3 PASTI MENANG", fill=(255, 255, 255), font_size=40)
    return video_clip(".mov", [(hall, 2.0), (shown, 2.0), (hall, 1.0)], fps=5)


def test_a_video_report_shows_findings_with_their_second_and_frame(live, db):
    app, client = live
    clip = banner_clip()
    r = client.post(
        "/api/v1/reports",
        data=fields(),
        files=[("evidence", ("IMG_0042.MOV", clip, "video/quicktime"))],
    )
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    found = wait_for_findings(staff, number)
    items = [f for fs in found["evidence"].values() for f in fs]
    assert items[0]["kind"] == "video" and items[0]["label"] == "video_screened"
    hit = next(f for f in items if f["kind"] == "text")
    assert hit["label"] == "partisan" and hit["data"]["time_code"] == "00:02"
    assert hit["why"][0].startswith("detik 00:02") and hit["model"]
    frame = staff.get(f"/penyaringan/anotasi/{hit['data']['thumbnail_sha256']}")
    assert frame.status_code == 200 and frame.headers["content-type"] == "image/jpeg"
    assert (
        b"KameraHP" not in frame.content
        and len(Image.open(io.BytesIO(frame.content)).getexif()) == 0
    )
    page = staff.get(f"/laporan/{number}/penyaringan").text
    assert "detik 00:02" in page and hit["data"]["thumbnail_sha256"] in page
    # the report page shows the poster; the original (with its location) stays sealed
    detail = staff.get(f"/laporan/{number}").text
    assert VIDEO_LOCATION not in detail and "KameraHP" not in detail
    ev = db.get(Evidence, int(next(iter(found["evidence"]))))
    original, poster = ev.sha256, ev.derivative_sha256
    assert poster and poster in detail
    assert staff.get(f"/bukti/{original}").status_code == 404  # staff: sealed
    shown = staff.get(f"/bukti/{poster}")
    assert shown.status_code == 200 and b"KameraHP" not in shown.content
    commissioner = login(TestClient(app), "bawaslu_commissioner")
    assert commissioner.get(f"/bukti/{original}").content == clip  # chain of custody
    db.expire_all()
    viewed = db.scalars(
        select(AuditEntry.actor).where(AuditEntry.action == "evidence.original_viewed")
    ).all()
    assert viewed == ["bawaslu_commissioner"]  # the opening is on the record; the poster's isn't


def test_a_pdf_is_shown_as_its_pages_and_its_original_stays_sealed(live, db):
    import pypdfium2 as pdfium
    from weasyprint import HTML

    app, client = live
    pdf = HTML(
        string='<html><head><meta name="author" content="Pelapor Rahasia"></head><body>'
        "<p>Surat edaran dukungan paslon dari kantor kelurahan.</p></body></html>"
    ).write_pdf()
    r = client.post(
        "/api/v1/reports",
        data=fields(),
        files=[("evidence", ("surat.pdf", pdf, "application/pdf"))],
    )
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    ev = db.scalars(select(Evidence).join(Report).where(Report.number == number)).one()
    original, copy = ev.sha256, ev.derivative_sha256
    assert copy and copy != original
    detail = staff.get(f"/laporan/{number}").text
    assert f"/bukti/{copy}" in detail and f"/bukti/{original}" not in detail
    assert "salinan tanpa metadata" in detail
    assert staff.get(f"/bukti/{original}").status_code == 404  # staff: sealed
    shown = staff.get(f"/bukti/{copy}")
    assert shown.status_code == 200 and shown.headers["content-type"] == "application/pdf"
    assert not pdfium.PdfDocument(shown.content).get_metadata_dict()["Author"]
    commissioner = login(TestClient(app), "bawaslu_commissioner")
    assert commissioner.get(f"/bukti/{original}").content == pdf  # chain of custody
    db.expire_all()
    assert db.scalar(select(func.count()).where(AuditEntry.action == "evidence.original_viewed"))


def test_a_damaged_video_is_refused_in_indonesian_and_nothing_written(live, db):
    app, client = live
    clip = video_clip(".mp4")
    before = db.scalar(select(func.count()).select_from(Report))
    r = client.post(
        "/api/v1/reports",
        data=fields(),
        files=[("evidence", ("VID_rusak.mp4", clip[: len(clip) // 2], "video/mp4"))],
    )
    assert r.status_code == 422
    problem = r.json()
    assert "Video rusak" in str(problem) and "VID_rusak.mp4" in str(problem)
    assert db.scalar(select(func.count()).select_from(Report)) == before
    assert list((app.state.store.root / "tmp").iterdir()) == []


def test_a_heic_photo_is_previewed_and_screened(live):
    app, client = live
    photo = Image.new("RGB", (640, 480), (200, 200, 200))
    ImageDraw.Draw(photo).text((30, 200), "COBLOS NO. 3 PASTI MENANG", fill=(0, 0, 0), font_size=36)
    r = client.post(
        "/api/v1/reports",
        data=fields(),
        files=[("evidence", ("IMG_0007.HEIC", heic_with_gps(photo, orientation=1), "image/heic"))],
    )
    assert r.status_code == 201, r.text
    staff = login(TestClient(app), "bawaslu_staff")
    found = wait_for_findings(staff, r.json()["number"])
    kinds = {f["kind"]: f for fs in found["evidence"].values() for f in fs}
    assert {"gesture", "ocr"} <= set(kinds)
    assert "COBLOS" in kinds["ocr"]["data"]["text"]


def test_the_demo_has_a_video_finding_with_its_time_code(db, settings, tmp_path):
    from netral.core.storage import LocalEvidenceStore
    from netral.demo import DEMO_PASSWORD, load_demo, load_demo_reports
    from netral.rules import load_rulebook
    from netral.screening.pipeline import Screeners, screen_report

    app = create_app(settings)  # first: it wires the job queue the demo's reports are queued on
    load_demo(db_session=db, asn_count=60, second_region_asn=5)
    store = LocalEvidenceStore(settings.data_dir / "evidence")
    load_demo_reports(db_session=db, store=store)
    db.commit()
    report = db.scalar(
        select(Report).join(Evidence).where(Evidence.media_type == "video/mp4").limit(1)
    )
    assert report is not None
    screeners = Screeners(rulebook=load_rulebook(), models_dir=tmp_path)  # as shipped
    screen_report(db_session=db, report_id=report.id, store=store, screeners=screeners)
    db.commit()
    staff = login(TestClient(app), "bawaslu.bdg", DEMO_PASSWORD)
    found = staff.get(f"/api/v1/reports/{report.number}/findings").json()
    timed = [f for fs in found["evidence"].values() for f in fs if f["data"].get("time_code")]
    assert any(f["label"] == "partisan" and f["data"]["time_code"] == "00:04" for f in timed), timed
    page = staff.get(f"/laporan/{report.number}/penyaringan").text
    assert "detik 00:04" in page
