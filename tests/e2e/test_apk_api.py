"""Campaign-prop reports over HTTP: filed through the JSON API with a photo, filtered, forwarded
by Bawaslu only; refusals answer problem+json in both languages. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from netral.core.audit import Actor
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

from support.evidence import jpeg_with_gps
from support.web import csrf_from, login

TODAY = date.today()


@pytest.fixture
def public(app, db, world) -> TestClient:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    return TestClient(app)


def apk(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "subject": "apk",
        "category": "APK-02",
        "place_kind": "fasilitas_kesehatan",
        "description": "Stiker paslon nomor 4 ditempel di loket pendaftaran puskesmas.",
        "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
        "known_on": TODAY.isoformat(),
        "latitude": "-6.9214",
        "longitude": "107.6112",
        "anonymous": "true",
    }
    base.update(over)
    return base


PHOTO = {"evidence": ("loket.jpg", jpeg_with_gps(), "image/jpeg")}


def test_file_filter_and_forward_over_the_api(app, public) -> None:
    r = public.post("/api/v1/reports", data=apk(), files=PHOTO)
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    bad = public.post("/api/v1/reports", data=apk(latitude="107.6", longitude="-6.9"), files=PHOTO)
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert "report.point_outside" in bad.text

    staff = login(TestClient(app), "bawaslu_staff")
    h = {"X-CSRF-Token": csrf_from(staff.get("/").text)}
    listed = staff.get("/api/v1/reports?subject=apk&place_kind=fasilitas_kesehatan").json()
    assert [i["number"] for i in listed["items"]] == [number]
    item = listed["items"][0]
    assert (item["subject"], item["place_kind"], item["latitude"], item["longitude"]) == (
        "apk",
        "fasilitas_kesehatan",
        -6.9214,
        107.6112,
    )

    for role in ("bkpsdm", "ppk", "inspektorat"):
        other = login(TestClient(app), role)
        t = {"X-CSRF-Token": csrf_from(other.get("/").text)}
        refused = other.post(
            f"/api/v1/reports/{number}/forward", json={"recipient": "satpol_pp"}, headers=t
        )
        assert refused.status_code == 403

    wrong = staff.post(f"/api/v1/reports/{number}/forward", json={"recipient": "bpbd"}, headers=h)
    assert wrong.status_code == 422 and "report.forward_recipient" in wrong.text
    done = staff.post(f"/api/v1/reports/{number}/forward", json={"recipient": "kpu"}, headers=h)
    assert done.status_code == 201, done.text
    body = done.json()
    assert body["addressee"] == "Ketua Komisi Pemilihan Umum Kota Bandung"
    pdf = staff.get(body["letter"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    detail = staff.get(f"/api/v1/reports/{number}").json()
    assert detail["status"] == "diteruskan"
    assert [f["letter_number"] for f in detail["forwards"]] == [body["letter_number"]]
    # another region's staff neither see the report nor its letter
    kab = login(TestClient(app), "bawaslu_kab")
    assert kab.get(body["letter"]).status_code == 404


def test_an_asn_report_is_not_forwarded_with_the_apk_letter(app, public) -> None:
    r = public.post(
        "/api/v1/reports",
        data={
            "description": "Camat berpose tiga jari di samping spanduk paslon 3 di balai RW.",
            "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
            "known_on": TODAY.isoformat(),
            "kecamatan": "32.73.01",
            "anonymous": "true",
        },
    )
    number = r.json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    h = {"X-CSRF-Token": csrf_from(staff.get("/").text)}
    refused = staff.post(
        f"/api/v1/reports/{number}/forward",
        json={"recipient": "satpol_pp"},
        headers={**h, "Accept-Language": "en"},
    )
    assert refused.status_code == 409 and "report.forward_not_apk" in refused.text
    page = staff.get(f"/laporan/{number}").text
    assert "/teruskan" not in page  # the APK forward is not offered on an ASN report
