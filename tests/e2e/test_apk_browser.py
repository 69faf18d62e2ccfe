"""Campaign props in a real browser: a resident reports a banner at a school from a 360px phone
(the point from "Gunakan lokasi saya", a photo), staff find it in the inbox and forward it to
Satpol PP; the letter is a PDF that names the rule. Screenshots go to $NETRAL_SCREENSHOTS."""

from __future__ import annotations

import shutil
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from support.browser import CHROMIUM
from support.pdf import pdf_text
from support.web import PASSWORD

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_resident_reports_a_banner_at_a_school_and_staff_forward_it(
    server, browser, shots, world, db, tmp_path
):
    from netral.core.audit import Actor
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

    from support.evidence import photo_jpeg

    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    photo = tmp_path / "spanduk.jpg"
    photo.write_bytes(photo_jpeg(800, 600))
    today = date.today()

    phone = browser.new_context(
        viewport={"width": 360, "height": 780},
        is_mobile=True,
        geolocation={"latitude": -6.885120, "longitude": 107.597310},
        permissions=["geolocation"],
    )
    page = phone.new_page()
    page.goto(f"{server}/lapor")
    page.click("a[href='/lapor/apk']")
    expect(page.locator("h1")).to_contain_text("alat peraga kampanye")
    # nothing is asked of the browser before the button is pressed
    expect(page.locator("#latitude")).to_have_value("")
    page.click("button[data-geolocate]")
    expect(page.locator("#latitude")).to_have_value("-6.885120")
    expect(page.locator("#longitude")).to_have_value("107.597310")
    expect(page.locator("#geo-status")).to_contain_text("Lokasi terisi")
    page.fill("#description", "Spanduk paslon nomor 2 diikat di pagar depan SD, menghadap jalan.")
    page.fill("#occurred_on", (today - timedelta(days=1)).isoformat())
    page.fill("#known_on", today.isoformat())
    page.select_option("#place_kind", "tempat_pendidikan")
    page.select_option("#category", "APK-01")
    page.fill("#place", "Pagar SD Negeri (contoh)")
    page.check("#anonymous")

    # first without the photo: refused in Indonesian, what was typed is kept
    page.click("button.primary")
    expect(page.locator("#evidence-error")).to_contain_text("paling sedikit satu foto")
    expect(page.locator("#latitude")).to_have_value("-6.885120")
    page.set_input_files("#evidence", str(photo))
    page.screenshot(path=str(shots / "apk-form-phone-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("button.primary")
    expect(page.locator("#receipt-number")).to_contain_text("LAP-")
    number = page.inner_text("#receipt-number")
    page.screenshot(path=str(shots / "apk-receipt-phone-360.png"), full_page=True)
    phone.close()

    desk = browser.new_page(viewport={"width": 1280, "height": 900})
    desk.goto(f"{server}/laporan?subject=apk")
    desk.fill("#username", "bawaslu_staff")
    desk.fill("#password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_url(f"{server}/laporan")  # the sign-in returns to the path
    desk.goto(f"{server}/laporan?subject=apk")
    expect(desk.locator("table.data tbody tr")).to_have_count(1)
    desk.click(f"a[href='/laporan/{number}']")
    expect(desk.locator(".apk-rule")).to_contain_text("tempat pendidikan")
    expect(desk.locator("dd.mono").filter(has_text="-6.885120")).to_have_count(1)
    desk.select_option("select[name=recipient]", "satpol_pp")
    desk.click("#penerusan button[type=submit]")
    # a forward cannot be taken back: asked again on a page of its own
    expect(desk.locator("h1")).to_contain_text("lanjutkan?")
    desk.get_by_role("button", name="Ya, lanjutkan").click()
    expect(desk.locator("#penerusan")).to_contain_text("Satuan Polisi Pamong Praja")
    expect(desk.locator("h1 .badge").first).to_have_text("diteruskan")
    desk.screenshot(path=str(shots / "apk-detail-forwarded.png"), full_page=True)
    href = desk.locator("#penerusan a").first.get_attribute("href")
    letter = desk.request.get(f"{server}{href}")
    assert letter.status == 200 and letter.headers["content-type"] == "application/pdf"
    text = " ".join(pdf_text(letter.body()).split())
    assert "Penerusan Laporan Alat Peraga Kampanye" in text
    assert number in text and "Tempat pendidikan" in text
    (shots / "apk-letter.pdf").write_bytes(letter.body())
