"""Reports through HTTP on both databases: a citizen files, follows, answers; staff read and act."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select

from netral.app import create_app
from netral.core.audit import Actor
from netral.core.models import AuditEntry
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import DuplicateSuggestion, Evidence, Report
from netral.screening.models import ScreeningTask

from support.evidence import jpeg_with_gps, minimal_pdf, photo_jpeg, png_bomb, prepare_pending
from support.web import csrf_from, login

TODAY = date.today()


@pytest.fixture
def election(db, world):
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()


@pytest.fixture
def public(app, election) -> TestClient:
    return TestClient(app)


def fields(**over):
    base = {
        "description": "Camat Sukasari berpose tiga jari di samping spanduk paslon 3 saat acara "
        "warga di balai RW.",
        "occurred_on": (TODAY - timedelta(days=2)).isoformat(),
        "known_on": (TODAY - timedelta(days=1)).isoformat(),
        "kecamatan": "32.73.01",
        "kelurahan": "32.73.01.1001",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "reported_name": "Asep Sunandar",
        "reported_position": "Camat Sukasari",
        "reporter_name": "Nina Marlina",
        "reporter_birth_place": "Bandung",
        "reporter_birth_date": "1990-05-17",
        "reporter_sex": "P",
        "reporter_occupation": "Wiraswasta",
        "reporter_address": "Jl. Setiabudi 12, Bandung",
        "reporter_phone": "081234567890",
        "reporter_email": "nina@example.com",
        "reporter_standing": "pemilih",  # UU 1/2015 art. 134(2): a voter may file a laporan
        "witnesses": "Ketua RW 05",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def file_(name, data, ctype="image/jpeg"):
    return ("evidence", (name, data, ctype))


def counts(db):
    db.expire_all()
    return tuple(
        db.scalar(select(func.count()).select_from(t)) for t in (Report, Evidence, ScreeningTask)
    )


def objects(settings):
    root = settings.data_dir / "evidence" / "objects"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_citizen_files_a_report_with_a_photo(public, db, settings):
    r = public.post(
        "/api/v1/reports",
        data=fields(),
        files=[file_("foto.jpg", jpeg_with_gps(Image.open(io.BytesIO(photo_jpeg(800, 600)))))],
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["number"] == f"LAP-{TODAY.year}-000001"
    assert len(body["receipt_code"].replace("-", "")) == 16
    assert body["kind"] == "laporan" and body["is_late"] is False
    report = db.scalar(select(Report))
    # identity sealed at rest, the receipt code stored only as a MAC
    assert b"Nina" not in report.reporter_enc and b"081234567890" not in report.reporter_enc
    assert body["receipt_code"].replace("-", "") not in report.receipt_mac
    assert report.rulebook_version and report.formal_check
    ev = db.scalar(select(Evidence))
    # acknowledged once the original and the row are kept; the clean copy is the job's work
    assert ev.preparing and ev.derivative_sha256 is None and ev.phash is None
    assert prepare_pending(db, settings.data_dir) == 1
    ev = db.scalar(select(Evidence))
    assert ev.derivative_sha256 and ev.derivative_sha256 != ev.sha256 and ev.phash
    shown = settings.data_dir / "evidence"
    derivative = next(shown.rglob(ev.derivative_sha256)).read_bytes()
    assert Image.open(io.BytesIO(derivative)).getexif() == {}
    assert b"Exif\x00\x00" not in derivative
    task = db.scalar(select(ScreeningTask))
    assert task.status == "pending" and task.report_id == report.id
    assert "report.received" in db.scalars(select(AuditEntry.action)).all()


def test_anonymous_reports_enter_as_initial_information(public, db):
    r = public.post("/api/v1/reports", data=fields(anonymous="true"))
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == "informasi_awal"
    report = db.scalar(select(Report))
    assert report.anonymous and report.reporter_enc is None
    identity = next(c for c in report.formal_check if c["code"] == "reporter_identity")
    assert identity["status"] == "kurang"


def test_a_late_report_is_kept_and_marked(public, db):
    r = public.post(
        "/api/v1/reports",
        data=fields(
            occurred_on=(TODAY - timedelta(days=30)).isoformat(),
            known_on=(TODAY - timedelta(days=20)).isoformat(),
        ),
    )
    assert r.status_code == 201
    assert r.json()["is_late"] is True
    report = db.scalar(select(Report))
    on_time = next(c for c in report.formal_check if c["code"] == "on_time")
    assert report.is_late and on_time["status"] == "terlambat"


BAD = {
    "truncated jpeg": ([file_("foto.jpg", photo_jpeg(400, 300)[:5000])], {}, "evidence.corrupt"),
    "png bomb": ([file_("bom.png", png_bomb(), "image/png")], {}, "evidence.bomb"),
    "exe as pdf": (
        [file_("bukti.pdf", b"MZ\x90\x00" + b"\x00" * 500, "application/pdf")],
        {},
        "evidence.type",
    ),
    "html as jpg": (
        [file_("foto.jpg", b"<!doctype html><html><script>x()</script></html>")],
        {},
        "evidence.type",
    ),
    "eleven files": (
        [file_(f"f{i}.pdf", minimal_pdf(), "application/pdf") for i in range(11)],
        {},
        "report.too_many_files",
    ),
    "known before it happened": (
        [],
        {
            "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
            "known_on": (TODAY - timedelta(days=3)).isoformat(),
        },
        "report.known_before_event",
    ),
    "future date": (
        [],
        {
            "occurred_on": (TODAY + timedelta(days=3)).isoformat(),
            "known_on": (TODAY + timedelta(days=3)).isoformat(),
        },
        "report.future_date",
    ),
    "unknown category": ([], {"category": "SKB-99"}, "report.category_unknown"),
    "malformed nip": ([], {"reported_nip": "1985031220100110"}, "nip.length"),
    "kelurahan outside kecamatan": ([], {"kelurahan": "32.73.02.1001"}, "report.wilayah_mismatch"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_clearly_and_stores_nothing(public, db, settings, case):
    files, over, code = BAD[case]
    before, blobs = counts(db), objects(settings)
    r = public.post("/api/v1/reports", data=fields(**over), files=files or None)
    assert 400 <= r.status_code < 500, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert code in {e["code"] for e in body["errors"]}, body
    assert all(e["message"] for e in body["errors"])
    assert counts(db) == before
    if case != "eleven files":
        assert objects(settings) == blobs


def test_a_30_mb_file_is_refused_without_storing_anything(public, db, settings):
    before = counts(db)
    big = b"\xff\xd8\xff\xe0" + b"\x00" * (30 * 1024 * 1024)
    r = public.post("/api/v1/reports", data=fields(), files=[file_("besar.jpg", big)])
    assert r.status_code == 422 and r.json()["code"] == "evidence.too_large"
    assert counts(db) == before and objects(settings) == []


def test_an_empty_form_names_the_missing_fields(public, db):
    r = public.post("/api/v1/reports", data={"x": "1"})
    assert r.status_code == 422
    missing = {e["field"] for e in r.json()["errors"]}
    assert {"description", "occurred_on", "known_on"} <= {m.split(".")[-1] for m in missing}
    assert counts(db) == (0, 0, 0)


def test_receipt_shows_status_questions_and_takes_answers_and_evidence(app, public, db):
    receipt = public.post("/api/v1/reports", data=fields()).json()
    number, code = receipt["number"], receipt["receipt_code"]
    staff = login(TestClient(app), "bawaslu_staff")
    token = csrf_from(staff.get("/").text)
    r = staff.post(
        f"/api/v1/reports/{number}/questions",
        json={"body": "Jam berapa acaranya?"},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200, r.text
    seen = public.post("/api/v1/receipts/lookup", json={"number": number, "code": code}).json()
    assert seen["status"] == "baru"
    assert [m["body"] for m in seen["messages"]] == ["Jam berapa acaranya?"]
    r = public.post(
        "/api/v1/receipts/reply",
        json={"number": number, "code": code, "body": "Sekitar pukul 10 pagi."},
    )
    assert r.status_code == 200 and r.json()["messages"][-1]["sender"] == "pelapor"
    r = public.post(
        "/api/v1/receipts/evidence",
        data={"number": number, "code": code},
        files=[file_("tambahan.pdf", minimal_pdf(), "application/pdf")],
    )
    assert r.status_code == 200 and r.json()["evidence_count"] == 1
    assert db.scalar(select(func.count()).select_from(ScreeningTask)) == 2


def test_a_wrong_receipt_code_is_refused_without_saying_which_half(public):
    receipt = public.post("/api/v1/reports", data=fields()).json()
    wrong = public.post(
        "/api/v1/receipts/lookup", json={"number": receipt["number"], "code": "0000-0000-0000-0000"}
    )
    unknown = public.post(
        "/api/v1/receipts/lookup",
        json={"number": "LAP-2024-999999", "code": receipt["receipt_code"]},
    )
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json()["detail"] == unknown.json()["detail"]
    shape = public.post("/api/v1/receipts/lookup", json={"number": "123", "code": "12ab"})
    assert shape.status_code == 422
    assert {e["code"] for e in shape.json()["errors"]} == {
        "receipt.number_shape",
        "receipt.code_shape",
    }


def test_receipt_guessing_is_rate_limited(settings, world, election, db):
    app = create_app(settings.model_copy(update={"receipt_lookups_per_minute": 5}))
    c = TestClient(app)
    codes = [
        c.post(
            "/api/v1/receipts/lookup", json={"number": "LAP-2024-000001", "code": f"{i:016d}"}
        ).status_code
        for i in range(8)
    ]
    assert codes[:5] == [404] * 5 and codes[5:] == [429] * 3
    assert (
        "Terlalu banyak permintaan"
        in c.post(
            "/api/v1/receipts/lookup", json={"number": "LAP-2024-000001", "code": "0" * 16}
        ).json()["detail"]
    )


def test_rate_limits_on_redis_are_one_count_across_processes(
    settings, world, election, db, redis_url
):
    """Two apps on one Redis stand for two web processes: a client's lookups add up over both."""
    shared = settings.model_copy(update={"receipt_lookups_per_minute": 4, "redis_url": redis_url})
    one, two = TestClient(create_app(shared)), TestClient(create_app(shared))
    codes = [
        c.post("/api/v1/receipts/lookup", json={"number": "LAP-2024-000001", "code": f"{i:016d}"})
        for i, c in enumerate([one, two, one, two, one, two])
    ]
    assert [r.status_code for r in codes] == [404] * 4 + [429] * 2
    assert 1 <= int(codes[-1].headers["Retry-After"]) <= 60


def test_a_photo_being_prepared_breaks_no_page(app, public, db):
    """Between the receipt and the job: staff see the report, a placeholder where the photo
    goes, and the original (GPS and all) is not served, not even to whoever may open originals."""
    number = public.post(
        "/api/v1/reports",
        data=fields(),
        files=[file_("a.jpg", jpeg_with_gps(Image.open(io.BytesIO(photo_jpeg(320, 240)))))],
    ).json()["number"]
    ev = db.scalar(select(Evidence))
    assert ev.preparing
    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/laporan/{number}")
    assert page.status_code == 200 and "sedang disiapkan" in page.text
    assert f"/bukti/{ev.sha256}" not in page.text
    assert staff.get("/laporan").status_code == 200
    api = staff.get(f"/api/v1/reports/{number}").json()
    assert api["evidence"][0]["preparing"] is True and api["evidence"][0]["preview"] is None
    assert staff.get(f"/laporan/{number}/penyaringan").status_code == 200
    assert staff.get(f"/bukti/{ev.sha256}").status_code == 404
    prepare_pending(db, app.state.settings.data_dir)
    ev = db.scalar(select(Evidence))
    page = staff.get(f"/laporan/{number}").text
    assert "sedang disiapkan" not in page and f"/bukti/{ev.derivative_sha256}" in page
    shown = staff.get(f"/bukti/{ev.derivative_sha256}")
    assert shown.status_code == 200 and b"Exif" not in shown.content
    assert staff.get(f"/api/v1/reports/{number}").json()["evidence"][0]["preparing"] is False


def test_staff_inbox_filters_and_sees_duplicates(app, public, db):
    photo = photo_jpeg(640, 480)
    first = public.post("/api/v1/reports", data=fields(), files=[file_("a.jpg", photo)]).json()
    second = public.post(
        "/api/v1/reports",
        data=fields(
            anonymous="true",
            description=(
                "Ada camat yang foto pose tiga jari dekat spanduk calon, fotonya beredar di grup WA."
            ),
        ),
        files=[file_("b.jpg", photo)],
    ).json()
    public.post(
        "/api/v1/reports",
        data=fields(
            occurred_on=(TODAY - timedelta(days=30)).isoformat(),
            known_on=(TODAY - timedelta(days=20)).isoformat(),
            kecamatan="32.73.02",
            kelurahan=None,
            category="tidak_tahu",
            description="Lurah membagikan stiker calon nomor 2 kepada warga di posyandu.",
        ),
    )
    staff = login(TestClient(app), "bawaslu_staff")
    prepare_pending(db, app.state.settings.data_dir)  # what the worker does after each commit
    listing = staff.get("/api/v1/reports").json()
    assert listing["total"] == 3
    assert [i["number"] for i in staff.get("/api/v1/reports?late=true").json()["items"]] == [
        f"LAP-{TODAY.year}-000003"
    ]
    assert (
        staff.get("/api/v1/reports?anonymous=true").json()["items"][0]["number"] == second["number"]
    )
    assert staff.get("/api/v1/reports?category=tidak_tahu").json()["total"] == 1
    assert staff.get("/api/v1/reports?kecamatan=32.73.02").json()["total"] == 1
    detail = staff.get(f"/api/v1/reports/{second['number']}").json()
    assert [d["other"] for d in detail["duplicates"]] == [first["number"]]
    assert detail["duplicates"][0]["basis"] == "foto"
    page = staff.get(f"/laporan/{second['number']}").text
    assert "Mungkin sama dengan" in page and first["number"] in page
    assert db.scalar(select(func.count()).select_from(DuplicateSuggestion)) == 1


def test_identity_is_shown_only_to_bawaslu_and_every_view_is_audited(app, public, db):
    number = public.post("/api/v1/reports", data=fields()).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    token = csrf_from(staff.get("/").text)
    page = staff.get(f"/laporan/{number}").text
    assert "Nina Marlina" not in page  # sealed until someone opens it, on purpose
    r = staff.post(f"/api/v1/reports/{number}/identity", headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["name"] == "Nina Marlina"
    views = db.scalars(select(AuditEntry).where(AuditEntry.action == "report.identity_viewed"))
    assert [(v.actor, v.object_id) for v in views] == [("bawaslu_staff", number)]
    for role in ("bkpsdm", "ppk", "opd_admin", "asn", "inspektorat"):
        other = login(TestClient(app), role)
        t = csrf_from(other.get("/").text)
        assert (
            other.post(
                f"/api/v1/reports/{number}/identity", headers={"X-CSRF-Token": t}
            ).status_code
            == 403
        )
        assert "Nina" not in json.dumps(other.get(f"/api/v1/reports/{number}").json())


def test_status_moves_through_the_inbox_states_only(app, public, db):
    number = public.post("/api/v1/reports", data=fields()).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    h = {"X-CSRF-Token": csrf_from(staff.get("/").text)}
    bad = staff.post(f"/api/v1/reports/{number}/status", json={"status": "diteruskan"}, headers=h)
    assert bad.status_code == 409 and bad.json()["code"] == "report.transition"
    no_reason = staff.post(
        f"/api/v1/reports/{number}/status", json={"status": "ditolak"}, headers=h
    )
    assert no_reason.status_code == 422
    ok = staff.post(f"/api/v1/reports/{number}/status", json={"status": "diperiksa"}, headers=h)
    assert ok.status_code == 200 and ok.json()["status"] == "diperiksa"
    ok = staff.post(f"/api/v1/reports/{number}/status", json={"status": "diteruskan"}, headers=h)
    assert ok.json()["status"] == "diteruskan"


def test_the_public_form_highlights_the_field_at_fault(public):
    page = public.get("/lapor")
    assert page.status_code == 200 and "Sukasari" in page.text
    r = public.post(
        "/lapor",
        data={
            **fields(known_on=(TODAY - timedelta(days=5)).isoformat()),
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 422
    assert 'id="known_on" name="known_on" aria-invalid="true"' in r.text
    assert "Tanggal diketahui tidak boleh sebelum tanggal kejadian" in r.text
    assert 'value="Balai RW 05"' in r.text  # what was typed is kept


def test_the_public_form_files_and_the_receipt_page_opens_it(public, db):
    page = public.get("/lapor")
    r = public.post(
        "/lapor",
        data={**fields(), "csrf_token": csrf_from(page.text)},
        files=[file_("foto.jpg", photo_jpeg(300, 200))],
    )
    assert r.status_code == 201, r.text[:2000]
    assert r.headers["cache-control"] == "no-store"
    number = r.text.split('id="receipt-number">')[1].split("<")[0]
    code = r.text.split('id="receipt-code">')[1].split("<")[0]
    look = public.get("/lapor/cek")
    r = public.post(
        "/lapor/cek", data={"number": number, "code": code, "csrf_token": csrf_from(look.text)}
    )
    assert r.status_code == 200 and number in r.text and "menunggu pemeriksaan" in r.text


def test_the_sweep_removes_orphans_and_keeps_evidence(public, db, settings):
    import os
    import time

    from netral.core.storage import LocalEvidenceStore, sweep

    public.post("/api/v1/reports", data=fields(), files=[file_("a.jpg", photo_jpeg(200, 150))])
    prepare_pending(db, settings.data_dir)
    store = LocalEvidenceStore(settings.data_dir / "evidence")
    orphan = store.put(io.BytesIO(minimal_pdf("yatim")), filename="x.pdf")
    old = time.time() - 7200
    for p in (settings.data_dir / "evidence" / "objects").rglob("*"):
        if p.is_file():
            os.utime(p, (old, old))
    removed = sweep(db_session=db, store=store)
    assert sorted(removed) == sorted(orphan.object_hashes)  # the PDF and its clean copy
    ev = db.scalar(select(Evidence))
    assert store.exists(ev.sha256) and store.exists(ev.derivative_sha256)


@pytest.mark.parametrize("where", ["/api/v1/reports", "/lapor"])
def test_a_refused_file_takes_the_valid_ones_before_it_down_too(public, db, settings, where):
    """Two good photos (GPS included) then a refused file: the report is refused and no byte of
    the two good ones stays on disk, in the objects or the temp folder."""
    before = counts(db)
    files = [
        file_("satu.jpg", jpeg_with_gps(Image.new("RGB", (320, 240), (10, 120, 200)))),
        file_("dua.jpg", jpeg_with_gps(Image.new("RGB", (300, 200), (200, 120, 10)))),
        file_("tiga.jpg", b"<!doctype html><html><script>x()</script></html>"),
    ]
    data = fields()
    if where == "/lapor":
        from support.web import csrf_from

        data["csrf_token"] = csrf_from(public.get("/lapor").text)
    r = public.post(where, data=data, files=files)
    assert r.status_code == 422, r.text[:300]
    assert counts(db) == before
    assert objects(settings) == []
    tmp = settings.data_dir / "evidence" / "tmp"
    assert not tmp.exists() or list(tmp.iterdir()) == []


def test_the_status_form_has_no_default_and_refuses_in_words(app, public, db):
    """Merging must be chosen, never fallen into: the form starts on "choose", lists the moves
    in the order a report makes them, and a refused move names the states, not their codes."""
    number = public.post("/api/v1/reports", data=fields()).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/laporan/{number}").text
    form = page[page.index('<select id="status" name="status"') :]
    form = form[: form.index("</select>")]
    assert "selected disabled" in form and form.index("diperiksa") < form.index("digabung")
    token = csrf_from(page)
    empty = staff.post(f"/laporan/{number}/status", data={"status": "", "csrf_token": token})
    assert empty.status_code == 422 and "Pilih status baru." in empty.text
    wrong = staff.post(
        f"/laporan/{number}/status", data={"status": "diteruskan", "csrf_token": token}
    )
    assert wrong.status_code == 409
    assert "Diterima, menunggu pemeriksaan" in wrong.text
    assert "Diteruskan untuk penanganan" in wrong.text
    assert db.scalar(select(Report.status).where(Report.number == number)) == "baru"
