"""The pages in a real browser (Debian Chromium through Playwright): sign in, search, read.

Screenshots land in $NETRAL_SCREENSHOTS (default: the test's tmp dir) for a person to look at.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from support.browser import CHROMIUM
from support.web import PASSWORD

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")



def _sign_in(page, server, username):
    page.goto(f"{server}/asn")
    assert "/masuk" in page.url
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/asn")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_sign_in_search_and_open_an_asn_on_desktop(server, browser, shots, world):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, server, "bawaslu_staff")
    page.fill("#q", "budi")
    expect(page.locator("#asn-rows")).not_to_contain_text("Siti")  # htmx swapped the rows
    assert "Budi Santoso" in page.inner_text("#asn-rows")
    assert "q=budi" in page.url  # htmx pushed the search into the address bar
    page.screenshot(path=str(shots / "asn-list-desktop.png"), full_page=True)
    page.click("text=Budi Santoso")
    page.wait_for_url(f"{server}/asn/*")
    assert "19850312 201001 1 003" in page.inner_text("main")
    page.screenshot(path=str(shots / "asn-detail-desktop.png"), full_page=True)
    page.goto(f"{server}/aturan")
    assert "SKB-07" in page.inner_text("main")
    page.screenshot(path=str(shots / "rulebook-desktop.png"), full_page=True)
    page.goto(f"{server}/opd")
    page.screenshot(path=str(shots / "opd-desktop.png"), full_page=True)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_pages_fit_a_phone_and_speak_english_on_request(server, browser, shots, world):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{server}/masuk")
    page.screenshot(path=str(shots / "login-phone.png"), full_page=True)
    _sign_in(page, server, "bawaslu_staff")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the ASN list scrolls sideways on a phone ({width}px)"
    page.screenshot(path=str(shots / "asn-list-phone.png"), full_page=True)
    page.click("a.lang")
    expect(page.locator("main h1")).to_have_text("ASN list")
    page.screenshot(path=str(shots / "asn-list-phone-en.png"), full_page=True)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_citizen_reports_from_a_phone_and_follows_with_the_receipt(
    server, browser, shots, world, db, tmp_path
):
    from netral.core.audit import Actor
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

    from support.evidence import photo_jpeg

    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(photo_jpeg(800, 600))
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{server}/lapor")
    page.fill(
        "#description", "Camat berpose tiga jari di samping spanduk calon nomor 3 di acara warga."
    )
    page.fill("#occurred_on", "2024-10-08")
    page.fill("#known_on", "2024-10-08")
    page.select_option("#kecamatan", "32.73.01")
    expect(page.locator("#kelurahan option")).not_to_have_count(1)  # htmx loaded the kelurahan
    page.select_option("#kelurahan", "32.73.01.1002")
    page.set_input_files("#evidence", str(photo))
    page.check("#anonymous")
    page.screenshot(path=str(shots / "report-form-filled-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("button.primary")
    expect(page.locator("#receipt-number")).to_contain_text("LAP-")
    number = page.inner_text("#receipt-number")
    code = page.inner_text("#receipt-code")
    page.screenshot(path=str(shots / "report-receipt-phone.png"), full_page=True)
    page.goto(f"{server}/lapor/cek")
    page.fill("#number", number)
    page.fill("#code", code)
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text(number)
    assert "1 berkas bukti" in page.inner_text("main")
    page.fill("#body", "Acaranya sekitar pukul 10 pagi.")
    page.click("form[action='/lapor/status/balas'] button")
    expect(page.locator(".msg-pelapor")).to_contain_text("pukul 10 pagi")
    page.screenshot(path=str(shots / "report-status-phone.png"), full_page=True)
