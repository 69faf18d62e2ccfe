"""Briefings over HTTP and in Chromium: pages, permissions, the sheet preview, QR check-in."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from netral.briefings.models import Attendance, Briefing
from netral.core.models import AuditEntry

from support.briefings import BUDI, make_event, seed_briefing_world
from support.web import PASSWORD, csrf_from


@pytest.fixture
def bw(db, world):
    return seed_briefing_world(db)


def test_organiser_creates_an_event_through_the_form(as_user, bw, db):
    c = as_user("bakesbangpol")
    page = c.get("/sosialisasi/baru")
    assert page.status_code == 200 and "Buat sosialisasi" in page.text
    form = {
        "csrf_token": csrf_from(page.text),
        "title": "Sosialisasi APK bagi Camat",
        "region_code": "32.73",
        "day": "2024-09-12",
        "start": "09:00",
        "end": "08:00",
        "place": "Pendopo",
        "organiser": "Bakesbangpol",
        "audience_opd": "none",
        "audience_opd_people": "heads",
        "camat": "1",
        "topics": ["netralitas", "apk"],
        "checkin_lead_minutes": "60",
    }
    bad = c.post("/sosialisasi", data=form)
    assert bad.status_code == 422 and "Jam selesai harus setelah jam mulai." in bad.text
    assert db.scalar(select(func.count()).select_from(Briefing)) == 0
    r = c.post("/sosialisasi", data={**form, "end": "12:00"}, follow_redirects=False)
    assert r.status_code == 303
    detail = c.get(r.headers["location"]).text
    assert "Sosialisasi APK bagi Camat" in detail and "Alat peraga kampanye (APK)" in detail
    assert "12 September 2024 09:00 WIB" in detail


def test_permissions_and_the_opd_admin_limit(as_user, bw, db):
    make_event(db, title="Untuk Disdik", audience_opd="chosen", opd_ids=[bw.disdik])
    make_event(db, title="Untuk Dishub", audience_opd="chosen", opd_ids=[bw.dishub])
    assert as_user("asn").get("/sosialisasi").status_code == 403
    assert as_user("bawaslu_staff").get("/sosialisasi/baru").status_code == 403
    page = as_user("opd_admin").get("/sosialisasi").text
    assert "Untuk Dishub" in page and "Untuk Disdik" not in page
    api = as_user("opd_admin").get("/api/v1/briefings/coverage").json()
    assert [o["opd_code"] for o in api["opd"]] == ["DISHUB"]
    assert len(as_user("bawaslu_staff").get("/api/v1/briefings").json()) == 2


def test_api_create_import_and_problem_rows(as_user, bw, db):
    c = as_user("bakesbangpol")
    h = {"X-CSRF-Token": csrf_from(c.get("/").text)}
    body = {
        "title": "Sosialisasi",
        "region_code": "32.73",
        "day": "2024-09-10",
        "start": "09:00",
        "end": "12:00",
        "place": "Aula",
        "audience_opd": "all",
        "topics": ["netralitas"],
    }
    r = c.post("/api/v1/briefings", json=body, headers=h)
    assert r.status_code == 201, r.text
    ev = r.json()["id"]
    sheet = f"nip,nama,jabatan,instansi\n{BUDI},Budi,,\n123,Rusak,,\n".encode()
    r = c.post(f"/api/v1/briefings/{ev}/attendance", files={"sheet": ("h.csv", sheet)}, headers=h)
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    errors = r.json()["errors"]
    assert errors[0]["code"] == "attendance.rows_invalid"
    assert (errors[1]["row"], errors[1]["field"], errors[1]["code"]) == (3, "nip", "nip.length")
    r = c.post(
        f"/api/v1/briefings/{ev}/attendance",
        files={"sheet": ("h.csv", sheet)},
        data={"partial": "true"},
        headers=h,
    )
    assert r.status_code == 200 and r.json()["recorded"] == 1
    assert [a["nip"] for a in c.get(f"/api/v1/briefings/{ev}/attendance").json()] == [BUDI]


def test_exports_are_scoped_and_audited(as_user, bw, db):
    ev = make_event(db, audience_opd="all", camat=True)
    db.add(
        Attendance(
            briefing_id=ev,
            asn_id=bw.camat[0].id,
            opd_id=bw.camat[0].opd_id,
            source="sheet",
            matched_by="nip",
        )
    )
    db.commit()
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    r = as_user("bkpsdm").get(f"/sosialisasi/{ev}/hadir.csv")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["NIP", "Nama"] and rows[1][0] == bw.camat[0].nip
    r = as_user("bkpsdm").get("/sosialisasi/cakupan/tidak-hadir.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    db.expire_all()
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.id > before)).all()
    assert {"briefing.export_attendance", "briefing.export_missed"} <= set(actions)
    assert as_user("bkpsdm").get(f"/sosialisasi/{ev}/hadir.pdf").status_code == 422


def _sign_in(page, server, username, goto):
    page.goto(f"{server}{goto}")
    assert "/masuk" in page.url
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}{goto}")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_organiser_uploads_a_sheet_previews_and_confirms(server, browser, shots, bw, db, tmp_path):
    ev = make_event(
        db,
        title="Sosialisasi Netralitas bagi Kepala OPD",
        audience_opd="all",
        topics=["netralitas", "apk"],
    )
    sheet = tmp_path / "daftar-hadir.csv"
    sheet.write_text(
        "nip,nama,jabatan,instansi\n"
        f"{bw.head_nip},Hendra Gunawan,Kepala Dinas Perhubungan,Dinas Perhubungan\n"
        ",Siti Rahmawati,Guru,Dinas Pendidikan\n"
        ",Agus Setiawan,,\n"
        "196001012000031999,Orang Asing,,\n",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, server, "bakesbangpol", f"/sosialisasi/{ev}")
    page.set_input_files("input[name=sheet]", str(sheet))
    page.click("text=Pratinjau")
    page.wait_for_selector("#by-name")
    assert "attendance.name_ambiguous" in page.inner_text("#errors")
    assert "attendance.nip_unknown" in page.inner_text("#errors")
    assert "Siti Rahmawati" in page.inner_text("#by-name")
    page.screenshot(path=str(shots / "briefing-sheet-preview.png"), full_page=True)
    page.check("input[name=name_row]")
    page.check("input[name=partial]")
    page.click("text=Simpan kehadiran")
    page.wait_for_url(f"{server}/sosialisasi/{ev}*")
    table = page.inner_text("#hadir")
    assert "Hendra Gunawan" in table and "Siti Rahmawati" in table and "Agus" not in table
    page.screenshot(path=str(shots / "briefing-detail.png"), full_page=True)
    page.goto(f"{server}/sosialisasi/{ev}/qr")
    assert page.locator("#qr svg").count() == 1
    page.screenshot(path=str(shots / "briefing-qr.png"), full_page=True)
    page.goto(f"{server}/sosialisasi/cakupan")
    page.screenshot(path=str(shots / "briefing-coverage.png"), full_page=True)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Attendance)) == 2


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_asn_checks_in_by_qr_once_and_not_after_closing(server, browser, shots, bw, db):
    open_ev = db.get(
        Briefing,
        make_event(
            db,
            days_from_now=1,
            checkin_lead_minutes=7 * 24 * 60,
            title="Sosialisasi Netralitas Dishub",
        ),
    )
    closed = db.get(
        Briefing, make_event(db, days_from_now=-2, title="Sosialisasi yang sudah lewat")
    )
    open_url, closed_url = (f"/sosialisasi/hadir/{b.checkin_token}" for b in (open_ev, closed))
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    _sign_in(page, server, "asn", open_url)
    page.screenshot(path=str(shots / "briefing-checkin-open.png"), full_page=True)
    page.click("button:has-text('Hadir')")
    page.wait_for_selector(".big-ok")
    assert "Kehadiran Anda tercatat." in page.inner_text("main")
    page.screenshot(path=str(shots / "briefing-checkin-done.png"), full_page=True)
    page.goto(f"{server}{open_url}")
    assert (
        "sudah tercatat" in page.inner_text("main")
        and page.locator("button:has-text('Hadir')").count() == 0
    )
    page.goto(f"{server}{closed_url}")
    assert "sudah ditutup" in page.inner_text("main")
    assert page.locator("button:has-text('Hadir')").count() == 0
    page.screenshot(path=str(shots / "briefing-checkin-closed.png"), full_page=True)
    db.expire_all()
    rows = db.scalars(select(Attendance)).all()
    assert [(a.briefing_id, a.source, a.matched_by) for a in rows] == [(open_ev.id, "qr", "login")]
