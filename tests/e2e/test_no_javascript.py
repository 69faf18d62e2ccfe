"""With JavaScript off (an old phone, a locked-down office browser) the pages still read and the
report form still submits: htmx enhances, it never gates."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.demo import DEMO_PASSWORD

from support.browser import CHROMIUM
from support.evidence import photo_jpeg

pytestmark = [
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.slow,
]
TODAY = to_wib_date(utcnow())


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_public_form_status_page_and_staff_lists_work_without_javascript(
    season_server, browser, shots, tmp_path
):
    server = season_server
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(photo_jpeg(800, 600))
    citizen = browser.new_context(
        viewport={"width": 360, "height": 780}, is_mobile=True, java_script_enabled=False
    )
    page = citizen.new_page()
    page.goto(f"{server}/lapor")
    page.fill(
        "#description", "Lurah membagikan kalender bergambar calon nomor 2 di kantor kelurahan."
    )
    page.fill("#occurred_on", (TODAY - timedelta(days=2)).isoformat())
    page.fill("#known_on", (TODAY - timedelta(days=1)).isoformat())
    page.select_option("#kecamatan", "32.73.01")  # no htmx: the kelurahan stays optional
    page.set_input_files("#evidence", str(photo))
    page.check("#anonymous")
    page.screenshot(path=str(shots / "1-form-no-js-360.png"), full_page=True)
    page.click("button.primary")
    confirm = page.get_by_role("button", name="Ya, lanjutkan")
    if confirm.count():
        confirm.first.click()
    expect(page.locator("#receipt-number")).to_contain_text("LAP-")
    number = page.inner_text("#receipt-number").strip()
    code = page.inner_text("#receipt-code").strip()
    page.screenshot(path=str(shots / "2-receipt-no-js-360.png"), full_page=True)

    page.goto(f"{server}/lapor/cek")
    page.fill("#number", number)
    page.fill("#code", code)
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text(number)
    assert "Laporan diterima" in page.inner_text("main")
    page.screenshot(path=str(shots / "3-status-no-js-360.png"), full_page=True)
    citizen.close()

    staff = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = staff.new_page()
    page.goto(f"{server}/masuk")
    page.fill("#username", "bawaslu.bdg")
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/masuk" not in page.url
    for path, shows in (("/laporan", number), ("/kasus", "KASUS-2024-"), ("/asn", "NIP")):
        page.goto(f"{server}{path}")
        expect(page.locator("main h1")).to_be_visible()
        assert shows in page.inner_text("main"), path
        page.screenshot(
            path=str(shots / f"4-staff{path.replace('/', '-')}-no-js.png"), full_page=True
        )
    # the ASN list's search is a plain GET form: it filters without htmx
    page.goto(f"{server}/asn")
    before = page.locator("main table tbody tr").count()
    page.fill("#q", "zzzz-tidak-ada")
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert "q=zzzz-tidak-ada" in page.url
    assert page.locator("main table tbody tr").count() < max(before, 2)
    staff.close()
