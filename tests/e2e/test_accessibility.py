"""axe-core in Chromium on the main pages of each role: no serious or critical WCAG 2 A/AA finding
at 1280 px, nor on the public pages at 360 px (the citizen's phone)."""

from __future__ import annotations

import re
import shutil
from typing import Any

import pytest

from netral.demo import DEMO_PASSWORD

from support.axe import blocking, describe
from support.browser import CHROMIUM
from support.evidence import photo_jpeg

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")

ROLES = ["bawaslu.bdg", "komisioner.bdg", "bkpsdm.bdg", "inspektorat.bdg", "ppk.bdg",
         "kesbangpol.bdg", "opd.dishub", "asn.demo", "admin"]  # fmt: skip
STAFF_PAGES = ["/laporan", "/kasus", "/asn", "/ikrar", "/sosialisasi", "/dasbor", "/aturan",
               "/partisipasi"]  # fmt: skip

# beyond each role's home: the page that role works on most
ROLE_PAGES = {
    "asn.demo": ["/ikrar"],
    "opd.dishub": ["/dasbor/opd"],
    "bkpsdm.bdg": ["/dasbor/kepegawaian", "/ikrar/kampanye"],
    "komisioner.bdg": ["/dasbor/bawaslu", "/pemilihan", "/opd"],
    "kesbangpol.bdg": ["/dasbor/bakesbangpol", "/sosialisasi/cakupan"],
}


def _sign_in(page: Any, server: str, username: str) -> None:
    page.goto(f"{server}/masuk")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/masuk" not in page.url, username


def _check(page: Any, url: str, found: dict[str, str], *, label: str = "") -> None:
    page.goto(url) if url else None
    page.wait_for_load_state()
    bad = blocking(page)
    if bad:
        found[f"{label or page.url}"] = describe(bad)


def _first_link(page: Any, server: str, list_path: str, pattern: str) -> str:
    page.goto(f"{server}{list_path}")
    hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
    link = next((h for h in hrefs if re.fullmatch(pattern, h.split("?")[0])), None)
    assert link, f"no link like {pattern} on {list_path}"
    return f"{server}{link}"


def file_a_report(page: Any, server: str, photo_path: str) -> tuple[str, str]:
    """The public form as a citizen fills it: a photo, a place, anonymous. Ends on the receipt."""
    page.goto(f"{server}/lapor")
    page.fill(
        "#description", "Camat berpose tiga jari di samping spanduk calon nomor 3 di acara warga."
    )
    page.fill("#occurred_on", "2024-10-08")
    page.fill("#known_on", "2024-10-08")
    page.select_option("#kecamatan", "32.73.01")
    page.wait_for_function("document.querySelectorAll('#kelurahan option').length > 1")
    page.select_option("#kelurahan", "32.73.01.1002")
    page.set_input_files("#evidence", photo_path)
    if page.locator("#anonymous").count():
        page.check("#anonymous")
    page.click("button.primary")
    page.wait_for_selector("#receipt-number")
    return page.inner_text("#receipt-number"), page.inner_text("#receipt-code")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_no_serious_accessibility_finding_on_the_main_pages(season_server, browser, tmp_path):
    server = season_server
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(photo_jpeg(800, 600))
    found: dict[str, str] = {}
    for width in (1280, 360):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        for path in ("/", "/lapor", "/lapor/cek", "/masuk", "/transparansi", "/lapor?lang=en",
                     "/?lang=id"):  # fmt: skip
            _check(page, f"{server}{path}", found, label=f"{width}px {path}")
        number, code = file_a_report(page, server, str(photo))
        _check(page, "", found, label=f"{width}px receipt")
        page.goto(f"{server}/lapor/cek")
        page.fill("#number", number)
        page.fill("#code", code)
        page.click("button.primary")
        page.wait_for_load_state()
        _check(page, "", found, label=f"{width}px /lapor/status")
        ctx.close()
    for username in ROLES:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        _sign_in(page, server, username)
        _check(page, f"{server}/", found, label=f"{username} home")
        for path in ROLE_PAGES.get(username, ()):
            _check(page, f"{server}{path}", found, label=f"{username} {path}")
        if username == "asn.demo":  # the refusal a user without the role reads
            _check(page, f"{server}/kasus", found, label=f"{username} /kasus (refused)")
        if username == "bawaslu.bdg":
            for path in STAFF_PAGES:
                _check(page, f"{server}{path}", found, label=f"{username} {path}")
            details = [
                _first_link(page, server, "/laporan", r"/laporan/LAP-[\d-]+"),
                _first_link(page, server, "/kasus", r"/kasus/KASUS-[\d-]+"),
                _first_link(page, server, "/asn", r"/asn/\d+"),
            ]
            for url in details:
                _check(page, url, found, label=f"{username} {url.removeprefix(server)}")
        ctx.close()
    assert not found, "\n".join(f"{where}:\n{what}" for where, what in found.items())
