"""Each dashboard page in Chromium as its role, and the public page without login: the charts
render (SVG, no CSP violation), a chart's CSV downloads, and a screenshot lands in
$NETRAL_SCREENSHOTS (default: the test's tmp dir) for a person to look at."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from netral.dashboard.board import clear_public_cache

from support.browser import CHROMIUM
from support.season import seed_season
from support.web import PASSWORD

pytestmark = [
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.slow,
]


@pytest.fixture
def season(db, world):
    clear_public_cache()
    return seed_season(db, world.bandung_asn, world.kabbdg_asn)


def _watch_csp(page):
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return problems


def _sign_in(page, server, username):
    page.goto(f"{server}/masuk")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.parametrize(
    ("username", "audience"),
    [
        ("bawaslu_commissioner", "bawaslu"),
        ("bkpsdm", "kepegawaian"),
        ("bakesbangpol", "bakesbangpol"),
    ],
)
def test_dashboard_page_in_a_browser(browser, server, season, shots, username, audience):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    csp = _watch_csp(page)
    _sign_in(page, server, username)
    page.click("nav.menu a[href='/dasbor']")
    expect(page).to_have_url(f"{server}/dasbor/{audience}")
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 2
    assert (charts.first.locator(":scope > title").text_content() or "").strip()
    with page.expect_download() as dl:
        page.locator("a.csv").first.click()
    assert dl.value.suggested_filename.endswith(".csv")
    assert dl.value.path().read_bytes().decode("utf-8-sig").count("\n") >= 2
    page.screenshot(path=str(shots / f"dashboard-{audience}.png"), full_page=True)
    assert not csp, csp
    context.close()


def test_public_page_without_login(browser, server, season, shots):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    csp = _watch_csp(page)
    page.goto(f"{server}/transparansi")
    expect(page.locator("h1")).to_have_text("Transparansi pengawasan netralitas ASN")
    body = page.locator("main").inner_text()
    for name in ("Budi Santoso", "Siti Rahmawati", "Warga Pelapor", "LAP-", "KASUS-", "Dinas"):
        assert name not in body
    assert "< 5" in body
    page.screenshot(path=str(shots / "dashboard-public.png"), full_page=True)
    assert not csp, csp
    context.close()
