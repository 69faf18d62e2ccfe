"""The home page per role over HTTP (SQLite and PostgreSQL): what each person must do today, how
many, and a link straight to the filtered list that holds exactly those; the public's way in;
the favicon; a refusal that names who may."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.models import AuditEntry
from netral.core.security import Scope
from netral.pledges import service as pledges
from netral.registry.models import Asn
from netral.reports.models import ReportMessage

from support.briefings import BUDI, make_event, seed_briefing_world
from support.browser import CHROMIUM
from support.pledges import campaign_in
from support.season import add_case, add_report
from support.web import PASSWORD, csrf_from

NOW = datetime.now(UTC)
TODAY = to_wib_date(NOW)


def _item(html: str, kind: str) -> str:
    """The text of one work item of the home page, tags stripped."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", _raw(html, kind))).strip()


def _href(html: str, kind: str) -> str:
    m = re.search(r'class="button primary-link" href="([^"]+)"', _raw(html, kind))
    assert m, f"no action link in {kind}"
    return m.group(1).replace("&amp;", "&")


def _raw(html: str, kind: str) -> str:
    m = re.search(rf'data-kind="{kind}">(.*?)(?=<li class="todo-item|</section>)', html, re.S)
    assert m, f"no {kind} item on the page"
    return m.group(1)


def _numbers(html: str, prefix: str) -> set[str]:
    return set(re.findall(rf'href="/{prefix}/([A-Z]+-\d{{4}}-\d+)"', html))


@pytest.fixture
def desk(db, world):
    """Reports and cases in every state a home page counts, and some it must not."""
    at = NOW - timedelta(hours=3)
    new = [add_report(db, received=at) for _ in range(2)]
    add_report(db, received=at, region="32.04", kecamatan=None)  # out of scope
    reviewed = add_report(db, received=at, status="diperiksa")
    answered = add_report(db, received=at, status="diperiksa")
    for sender in ("staf", "pelapor", "sistem"):  # a progress line after the answer still waits
        db.add(ReportMessage(report_id=answered.id, sender=sender, body="?"))
        db.flush()
    for sender in ("staf", "pelapor", "staf"):  # staff wrote back: nothing waits
        db.add(ReportMessage(report_id=reviewed.id, sender=sender, body="?"))
        db.flush()
    opened = NOW - timedelta(days=10)
    cases = {
        "study_late": add_case(db, opened=opened, state="kajian",
                               deadline=("bawaslu_assessment", TODAY - timedelta(days=1))),
        "due_today": add_case(db, opened=opened, state="registrasi",
                              deadline=("bawaslu_assessment", TODAY)),
        "not_yet": add_case(db, opened=opened, state="klarifikasi",
                            deadline=("bawaslu_assessment", TODAY + timedelta(days=10))),
        "bkn": add_case(db, opened=opened, state="rekomendasi_bkn", bkn_date=TODAY,
                        deadline=("ppk_follow_up", TODAY - timedelta(days=2))),
        "examining": add_case(db, opened=opened, state="pemeriksaan_ppk", bkn_date=TODAY,
                              deadline=("ppk_follow_up", TODAY + timedelta(days=5))),
        "delivered": add_case(db, opened=opened, state="disampaikan", bkn_date=TODAY,
                              sk=("SK-1", "sedang", None)),
        "other_region": add_case(db, opened=opened, state="kajian", region="32.04",
                                 deadline=("bawaslu_assessment", TODAY - timedelta(days=1))),
    }  # fmt: skip
    db.commit()
    return {"new": [r.number for r in new], "answered": answered.number,
            "cases": {k: c.number for k, c in cases.items()}}  # fmt: skip


def test_the_public_home_offers_reporting_and_the_status_check(client):
    page = client.get("/")
    assert page.status_code == 200
    assert 'href="/lapor"' in page.text and 'href="/lapor/cek"' in page.text
    assert ">Laporkan<" in page.text and "Cek status laporan" in page.text
    en = client.get("/?lang=en").text
    assert ">Report<" in en and "Check a report's status" in en
    # the icon ships in the package and the pages link it; no CDN
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO directory
    assert client.get("/static/favicon.svg").status_code == 200
    assert 'href="/favicon.ico"' in page.text and 'href="/static/favicon.svg"' in page.text


def test_staff_see_new_reports_answers_and_their_cases_due_with_links_to_exactly_those(
    as_user, desk
):
    staff = as_user("bawaslu_staff")
    home = staff.get("/").text
    assert "Cakupan Anda: Kota Bandung" in home and "32.73" not in home
    assert "Kota Bandung" in home.split("<main")[0]  # the top bar names the scope too
    assert "2 laporan baru menunggu pemeriksaan" in _item(home, "new_reports")
    assert "1 laporan: pelapor sudah menjawab" in _item(home, "replies")
    due = _item(home, "cases_due")
    assert "2 kasus menunggu langkah Anda" in due and "1 di antaranya sudah lewat tenggat" in due
    assert "plenary" not in home.split('class="todo"')[1].split("</ul>")[0]

    inbox = staff.get(_href(home, "new_reports")).text
    assert _numbers(inbox, "laporan") == set(desk["new"])
    assert _numbers(staff.get(_href(home, "replies")).text, "laporan") == {desk["answered"]}
    cases = staff.get(_href(home, "cases_due")).text
    c = desk["cases"]
    assert _numbers(cases, "kasus") == {c["study_late"], c["due_today"]}

    en = staff.get("/?lang=en").text
    assert "New reports awaiting review: 2." in _item(en, "new_reports")


def test_a_commissioner_sees_the_plenary_decisions_waiting(as_user, desk):
    commissioner = as_user("bawaslu_commissioner")
    home = commissioner.get("/").text
    item = _item(home, "plenary")
    assert "1 kasus selesai dikaji dan menunggu putusan rapat pleno" in item
    assert "1 di antaranya sudah lewat tenggat" in item
    listed = commissioner.get(_href(home, "plenary")).text
    assert _numbers(listed, "kasus") == {desk["cases"]["study_late"]}
    assert "Menunggu putusan pleno" in listed  # the list says which queue it shows


def test_the_ppk_sees_recommendations_to_decide_and_sanctions_awaiting_proof(as_user, desk):
    ppk = as_user("ppk")
    home = ppk.get("/").text
    decide = _item(home, "ppk_decision")
    assert "2 rekomendasi BKN menunggu putusan PPK" in decide
    assert "1 di antaranya sudah lewat tenggat" in decide
    assert "1 sanksi sudah disampaikan" in _item(home, "ppk_proof")
    assert "Tidak ada putusan PPK yang menunggu disampaikan" in _item(home, "ppk_delivery")
    # what has work in it comes first; what is done after
    assert home.index('data-kind="ppk_proof"') < home.index('data-kind="ppk_delivery"')
    c = desk["cases"]
    assert _numbers(ppk.get(_href(home, "ppk_decision")).text, "kasus") == {
        c["bkn"],
        c["examining"],
    }
    assert _numbers(ppk.get(_href(home, "ppk_proof")).text, "kasus") == {c["delivered"]}
    # the list's export carries the same queue
    listed = ppk.get(_href(home, "ppk_decision")).text
    form = {"csrf_token": csrf_from(listed), "fmt": "csv", "antrean": "putusan_ppk"}
    exported = ppk.post("/ekspor/kasus", data=form).content.decode("utf-8-sig")
    assert {c["bkn"], c["examining"]} == set(re.findall(r"KASUS-\d{4}-\d+", exported))
    # none of Bawaslu's work on the PPK's page
    assert 'data-kind="new_reports"' not in home and 'data-kind="plenary"' not in home


def test_empty_work_lists_say_what_to_do_next(as_user, world):
    home = as_user("bawaslu_staff").get("/").text
    assert "Tidak ada laporan baru." in _item(home, "new_reports")
    assert 'href="/laporan?status=diperiksa"' in home
    assert "Tidak ada kasus yang jatuh tempo hari ini" in _item(home, "cases_due")
    ppk = as_user("ppk").get("/").text
    assert "Tidak ada rekomendasi BKN yang menunggu putusan" in _item(ppk, "ppk_decision")


@pytest.fixture
def unit(db, world):
    """Briefing world (ASN login = Budi of Dinas Perhubungan, OPD admin of that OPD), a pledge
    campaign nobody signed, one past and one coming briefing open to every OPD."""
    bw = seed_briefing_world(db)
    pledges.create_campaign(db_session=db, campaign_in=campaign_in(), actor=Actor.system())
    db.commit()
    past = make_event(
        db, days_from_now=-5, title="Sosialisasi gelombang I", audience_opd_people="staff"
    )
    coming = make_event(db, days_from_now=3, title="Sosialisasi gelombang II")
    return {"world": bw, "past": past, "coming": coming}


def test_an_asn_sees_a_sign_button_then_their_signed_pledge_and_their_briefings(db, as_user, unit):
    asn = as_user("asn")
    home = asn.get("/").text
    pledge = _item(home, "own_pledge")
    assert "Anda belum menandatangani ikrar “Ikrar Netralitas ASN Pilkada 2024”" in pledge
    assert _href(home, "own_pledge") == "/ikrar" and "Tandatangani ikrar" in pledge
    talks = _item(home, "own_briefings")
    assert "Sosialisasi gelombang I" in talks and "Anda tidak tercatat hadir" in talks
    assert "Sosialisasi gelombang II" in talks and "Akan datang" in talks

    campaign = pledges.get_campaign(db_session=db, scope=Scope("national"))
    budi = db.scalar(select(Asn).where(Asn.nip == BUDI))
    pledges.bulk_sign(db_session=db, campaign=campaign, rows=[
        pledges.BulkSignature(budi.id, BUDI, "online", NOW)])  # fmt: skip
    db.commit()
    signed = _item(asn.get("/").text, "own_pledge")
    assert "Anda sudah menandatangani ikrar" in signed and "Tandatangani ikrar" not in signed


def test_an_asn_login_bound_to_no_nip_is_told_whom_to_ask(db, as_user, world):
    home = as_user("asn").get("/").text
    assert "belum terhubung dengan data ASN (NIP)" in _item(home, "own_pledge")


def test_an_opd_admin_sees_who_in_their_unit_has_not_signed_and_the_next_briefing(
    db, as_user, unit
):
    admin = as_user("opd_admin")
    home = admin.get("/").text
    pledge = _item(home, "unit_pledge")
    dishub = unit["world"].dishub
    headcount = db.query(Asn).filter(Asn.opd_id == dishub).count()
    assert f"{headcount} ASN di OPD Anda belum menandatangani" in pledge
    link = _href(home, "unit_pledge")
    assert link == f"/ikrar/kampanye/ikrar-pilkada-2024?opd={dishub}#belum"
    assert BUDI in admin.get(link).text  # the list of who has not signed, Budi on it
    nxt = _item(home, "unit_briefing")
    assert "Sosialisasi gelombang II" in nxt
    assert _href(home, "unit_briefing") == f"/sosialisasi/{unit['coming']}"


def test_an_opd_admin_bound_to_no_opd_is_told_so(db, as_user, world):
    home = as_user("opd_admin").get("/").text
    assert "belum terhubung dengan OPD" in _item(home, "unit_pledge")


def test_bkpsdm_and_bakesbangpol_see_the_coverage_gaps(db, as_user, unit):
    for username in ("bkpsdm", "bakesbangpol"):
        home = as_user(username).get("/").text
        gap = _item(home, "pledge_gap")
        assert "OPD belum lengkap menandatangani ikrar" in gap and "Terendah:" in gap
        assert _href(home, "pledge_gap").startswith("/ikrar/kampanye/ikrar-pilkada-2024?opd=")
        # the past event was open to every OPD, but nobody checked in: every OPD is a gap
        assert "belum pernah mengikuti sosialisasi" in _item(home, "briefing_gap")
        assert "camatnya belum mengikuti sosialisasi" in _item(home, "area_gap")
        assert _href(home, "area_gap") == "/sosialisasi/cakupan#kecamatan"


def test_the_admin_has_no_report_menu_and_the_refusal_names_who_may(as_user, world):
    admin = as_user("admin")
    home = admin.get("/").text
    assert 'href="/laporan"' not in home
    refused = admin.get("/laporan")
    assert refused.status_code == 403
    assert (
        "Hanya Staf Bawaslu atau Komisioner Bawaslu yang berwenang melihat kotak masuk laporan."
        in refused.text
    )
    assert "Peran Anda: Administrator" in refused.text
    assert "reports.read" not in refused.text
    en = admin.get("/laporan?lang=en").text
    assert "Only Bawaslu staff or Bawaslu commissioner may view the report inbox." in en


def test_staff_home_lists_the_report_menu(as_user, world):
    assert 'href="/laporan"' in as_user("bawaslu_staff").get("/").text


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_in_chromium_an_asn_goes_from_the_home_page_to_signing_at_360_px(
    server, browser, shots, unit
):
    page = browser.new_page(viewport={"width": 360, "height": 780})
    page.goto(f"{server}/")
    expect(page.get_by_role("link", name="Laporkan", exact=True)).to_be_visible()
    page.screenshot(path=str(shots / "home-public-360.png"), full_page=True)
    page.get_by_role("link", name="Masuk").click()
    page.fill("#username", "asn")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/")
    expect(page.get_by_text("Cakupan Anda: Kota Bandung")).to_be_visible()
    page.screenshot(path=str(shots / "home-asn-360.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the home page scrolls sideways at 360 px ({width} px wide)"
    page.get_by_role("link", name="Tandatangani ikrar").click()
    page.wait_for_url(f"{server}/ikrar")
    expect(page.get_by_text("Ikrar Netralitas ASN Pilkada 2024").first).to_be_visible()
    page.close()


def test_an_asn_sees_and_downloads_what_the_system_holds_about_them(db, as_user, unit):
    campaign = pledges.get_campaign(db_session=db, scope=Scope("national"))
    budi = db.scalar(select(Asn).where(Asn.nip == BUDI))
    pledges.bulk_sign(db_session=db, campaign=campaign, rows=[
        pledges.BulkSignature(budi.id, BUDI, "paper", NOW)])  # fmt: skip
    db.commit()
    asn = as_user("asn")
    assert 'href="/data-saya"' in asn.get("/").text
    page = asn.get("/data-saya").text
    assert budi.name in page and BUDI in page and "Ikrar Netralitas ASN Pilkada 2024" in page
    assert "lembar kertas" in page  # the signing method in words
    download = asn.get("/data-saya.json")
    assert download.headers["content-disposition"].startswith("attachment")
    held = download.json()
    assert held["asn"]["nip"] == BUDI and held["account"]["username"] == "asn"
    assert [p["method"] for p in held["pledges"]] == ["paper"]
    assert "asn.own_data_exported" in db.scalars(select(AuditEntry.action)).all()
    staff = as_user("bawaslu_staff").get("/data-saya", headers={"Accept": "text/html"})
    assert staff.status_code == 403 and "self.export" not in staff.text
