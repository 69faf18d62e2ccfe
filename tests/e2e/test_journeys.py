"""The season's story in Chromium, as its people click it, on the demo season (`netral demo`):

1. a citizen reports with a photo on a 360 px phone, keeps the receipt, later reads the outcome;
2. Bawaslu's staff triage the report, read the screening findings, open a case and take it up to
   the plenary; a commissioner records the plenary's decision; staff forward it to BKN; the PPK's
   office (BKPSDM) records BKN's recommendation, the PPK's decision and the proof it was carried out;
3. an ASN signs the neutrality pledge and the dashboards count it;
4. a user without the role is refused in words.

Screenshots land in test-artifacts/<test>/ (or $NETRAL_SCREENSHOTS) at 360 and 1280 px.
Where a transition asks to be confirmed ("Ya, lanjutkan"), the journey confirms it.
"""

from __future__ import annotations

import re
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from netral.core.calendar import to_wib_date
from netral.core.db import unit_of_work, utcnow
from netral.core.security import roles
from netral.core.storage import LocalEvidenceStore
from netral.dashboard.board import clear_cache
from netral.demo import DEMO_PASSWORD
from netral.registry.models import Asn
from netral.reports.models import Report
from netral.rules import load_rulebook
from netral.screening.pipeline import Screeners, screen_report

from support.evidence import minimal_pdf, photo_jpeg
from support.pledges import outbox_code

pytestmark = [
    pytest.mark.skipif(not shutil.which("/usr/bin/chromium"), reason="no Chromium"),
    pytest.mark.slow,
]
TODAY = to_wib_date(utcnow())
PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


def _confirm_if_asked(page: Page) -> None:
    """A confirmation step before an irreversible move, when the app asks for one."""
    yes = page.get_by_role("button", name="Ya, lanjutkan")
    if yes.count():
        with page.expect_navigation():
            yes.first.click()


class Desk:
    """One person at their own browser (own cookies), signed in with a demo login."""

    def __init__(self, browser: Any, server: str, username: str, shots: Path, viewport=DESKTOP):
        self.server, self.shots, self.username = server, shots, username
        self.context = browser.new_context(viewport=viewport, locale="id-ID")
        self.page: Page = self.context.new_page()
        self.page.goto(f"{server}/masuk")
        self.page.fill("#username", username)
        self.page.fill("#password", DEMO_PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        assert "/masuk" not in self.page.url, f"{username} could not sign in"

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)

    def open(self, path: str) -> Page:
        self.page.goto(f"{self.server}{path}")
        return self.page

    def act(self, code: str, state_label: str, **fields: str) -> None:
        """Open the action's form, fill it, submit (confirm if asked), see the case's new state."""
        page = self.page
        form = page.locator(f"form[action$='/transisi/{code}']")
        page.locator(f"details:has(form[action$='/transisi/{code}']) > summary").click()
        for name, value in fields.items():
            field = form.locator(f"[name={name}]")
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)
            else:
                field.fill(value)
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        _confirm_if_asked(page)
        expect(page.locator(".alert")).to_have_count(0)
        expect(page.locator("h1 .badge")).to_have_text(state_label)

    def upload(self, kind: str, tmp_path: Path, text: str) -> None:
        page = self.page
        f = tmp_path / f"{kind}.pdf"
        f.write_bytes(minimal_pdf(text))
        form = page.locator("form[action$='/dokumen']")
        form.locator("select[name=kind]").select_option(kind)
        form.locator("input[name=file]").set_input_files(str(f))
        before = page.locator("#dokumen li a").count()
        with page.expect_navigation():
            form.locator("button[type=submit]").click()
        expect(page.locator("#dokumen li a")).to_have_count(before + 1)


def _fits(page: Page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    if scroll > width + 1:
        wide = page.evaluate(
            """w => [...document.querySelectorAll('main *')]
                .filter(e => e.getBoundingClientRect().right > w + 1)
                .slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' +
                                 Math.round(e.getBoundingClientRect().right))""",
            width,
        )
        raise AssertionError(f"{page.url} scrolls sideways at {width}px ({scroll}px): {wide}")


def citizen_reports(browser: Any, server: str, shots: Path, tmp_path: Path, nip: str = ""):
    """On a 360 px phone: the public form with a photo, then the receipt kept (number and code)."""
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(photo_jpeg(1200, 900))
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = ctx.new_page()
    page.goto(f"{server}/")
    page.screenshot(path=str(shots / "1-public-home-360.png"), full_page=True)
    page.goto(f"{server}/lapor")
    _fits(page, 360)
    page.fill(
        "#description",
        "Camat berpose tiga jari di samping spanduk calon nomor 3 di acara warga RW 05.",
    )
    page.fill("#occurred_on", (TODAY - timedelta(days=3)).isoformat())
    page.fill("#known_on", (TODAY - timedelta(days=2)).isoformat())
    page.select_option("#kecamatan", "32.73.01")
    expect(page.locator("#kelurahan option")).not_to_have_count(1)
    page.select_option("#kelurahan", "32.73.01.1002")
    if nip and page.locator("#reported_nip").count():
        page.fill("#reported_nip", nip)
    page.set_input_files("#evidence", str(photo))
    page.check("#anonymous")
    page.screenshot(path=str(shots / "2-report-form-filled-360.png"), full_page=True)
    _fits(page, 360)
    page.click("button.primary")
    _confirm_if_asked(page)
    expect(page.locator("#receipt-number")).to_contain_text("LAP-")
    _fits(page, 360)
    page.screenshot(path=str(shots / "3-receipt-360.png"), full_page=True)
    number = page.inner_text("#receipt-number").strip()
    code = page.inner_text("#receipt-code").strip()
    ctx.close()
    return number, code


def citizen_checks(
    browser: Any, server: str, shots: Path, number: str, code: str, name: str
) -> str:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="id-ID")
    page = ctx.new_page()
    page.goto(f"{server}/lapor/cek")
    page.fill("#number", number)
    page.fill("#code", code)
    page.click("button.primary")
    expect(page.locator("h1")).to_have_text(number)
    _fits(page, 360)
    page.screenshot(path=str(shots / f"{name}-360.png"), full_page=True)
    text = page.inner_text("main")
    ctx.close()
    return text


def _screen(engine, settings, number: str, db) -> None:
    """What the job worker does after a report is filed (the test runs jobs off): screen it."""
    report_id = db.scalar(select(Report.id).where(Report.number == number))
    with unit_of_work(engine) as session:
        screen_report(
            db_session=session,
            report_id=report_id,
            store=LocalEvidenceStore(settings.data_dir / "evidence"),
            screeners=Screeners(rulebook=load_rulebook(), models_dir=settings.data_dir / "models"),
            force=True,
        )


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_citizen_reports_at_360px_keeps_the_receipt_and_later_reads_the_outcome(
    season_server, browser, shots, tmp_path
):
    server = season_server
    number, code = citizen_reports(browser, server, shots, tmp_path)
    before = citizen_checks(browser, server, shots, number, code, "4-status-filed")
    assert "1 berkas bukti" in before

    # staff triage it: not for Bawaslu, with the reason the citizen will read
    staff = Desk(browser, server, "bawaslu.bdg", shots)
    page = staff.open("/laporan")
    page.locator("a", has_text=number).first.click()
    page.wait_for_load_state()
    expect(page.locator("h1")).to_contain_text(number)
    form = page.locator(f"form[action='/laporan/{number}/status']")
    options = form.locator("select[name=status] option").evaluate_all(
        "os => os.map(o => [o.value, o.textContent])"
    )
    assert ["ditolak", "ditolak"] in options, options  # a word, not a code, shown beside it
    form.locator("select[name=status]").select_option("ditolak")
    form.locator("select[name=ground]").select_option("luar_wilayah")
    form.locator("input[name=reason]").fill("Peristiwa terjadi di luar wilayah Kota Bandung.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    _confirm_if_asked(page)
    expect(page.locator("h1 .badge").first).to_have_text("ditolak")
    staff.shot("5-staff-triaged-1280")
    staff.context.close()

    after = citizen_checks(browser, server, shots, number, code, "6-status-outcome")
    assert after != before
    assert "Tidak dapat ditindaklanjuti" in after, after  # the outcome, in the reporter's words
    # and why, in the rulebook's words; never the note staff typed
    assert "Sampaikan laporan kepada Bawaslu di wilayah tempat peristiwa terjadi" in after, after
    assert "Kota Bandung." not in after
    assert "ditolak" not in after  # never the staff's state name


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_report_becomes_a_case_decided_in_plenary_forwarded_to_bkn_and_sanctioned(
    season_server, browser, shots, tmp_path, db, engine, settings
):
    server = season_server
    asn = db.scalars(select(Asn).where(Asn.nip.is_not(None)).order_by(Asn.id)).first()
    assert asn is not None
    number, code = citizen_reports(browser, server, shots, tmp_path, nip=asn.nip)
    _screen(engine, settings, number, db)

    # staff: the report and its findings, then a case from it
    staff = Desk(browser, server, "bawaslu.bdg", shots)
    page = staff.open(f"/laporan/{number}")
    expect(page.locator("#penyaringan")).to_be_visible()
    expect(page.locator("#penyaringan")).to_contain_text("Penyaringan otomatis")
    staff.shot("1-report-with-findings-1280")
    page.locator("a", has_text="Buka kasus dari laporan ini").first.click()
    page.wait_for_load_state()
    expect(page.locator("#reports")).to_have_value(number)
    page.fill("#title", "Pose tiga jari camat")
    page.fill("#nips", asn.nip)
    page.check("input[name=acts][value='SKB-07']")
    with page.expect_navigation():
        page.click("form[action='/kasus'] button.primary")
    _confirm_if_asked(page)
    expect(page.locator("h1 .badge")).to_have_text("Diterima")
    case = page.url.rsplit("/", 1)[-1]
    staff.act("registrasi", "Diregistrasi")
    staff.act("klarifikasi", "Klarifikasi")
    heard = TODAY  # everything on the day the report came in: no step dated before it
    schedule = page.locator("form[action$='/klarifikasi']")
    schedule.locator("select[name=party]").select_option("terlapor")
    schedule.locator("input[name=name]").fill(asn.name)
    schedule.locator("input[name=position]").fill("Camat")
    schedule.locator("input[name=scheduled_at]").fill(f"{heard.isoformat()}T08:00")
    with page.expect_navigation():
        schedule.locator("button[type=submit]").click()
    minutes = tmp_path / "bap.pdf"
    minutes.write_bytes(minimal_pdf("Berita acara klarifikasi"))
    held = page.locator("form[action*='/klarifikasi/']")
    held.locator("input[name=held_on]").fill(heard.isoformat())
    held.locator("input[name=minutes]").set_input_files(str(minutes))
    held.locator("select[name=attended]").select_option("1")
    with page.expect_navigation():
        held.locator("button[type=submit]").click()
    staff.act("kajian", "Kajian")
    staff.upload("risalah_pleno", tmp_path, "Risalah rapat pleno")
    staff.shot("2-case-in-study-1280")

    # a commissioner records the plenary's decision
    chief = Desk(browser, server, "komisioner.bdg", shots)
    chief.open(f"/kasus/{case}")
    chief.act(
        "terbukti",
        "Terbukti (putusan pleno)",
        decision_date=TODAY.isoformat(),
        commissioners_present="Ketua A\nAnggota B\nAnggota C",
        reason="Foto pose tiga jari di samping spanduk paslon 3",
    )
    chief.shot("3-plenary-decided-1280")
    chief.context.close()

    # staff notify and forward to BKN: the forward letter appears among the documents
    staff.open(f"/kasus/{case}")
    staff.act("pemberitahuan_status", "Status diberitahukan", notified_on=TODAY.isoformat())
    staff.act("teruskan_bkn", "Diteruskan ke BKN", forwarded_on=TODAY.isoformat())
    expect(page.locator("#dokumen li", has_text="BKN").first).to_be_visible()
    staff.shot("4-forwarded-to-bkn-1280")

    # the PPK's office: BKN's recommendation, the examination, the decision, the proof
    office = Desk(browser, server, "bkpsdm.bdg", shots)
    office.open(f"/kasus/{case}")
    office.upload("rekomendasi_bkn", tmp_path, "Rekomendasi BKN")
    office.act("rekomendasi_bkn", "Rekomendasi BKN diterima", bkn_number="B-77/BKN/2024",
               bkn_date=TODAY.isoformat(), bkn_level="berat")  # fmt: skip
    ppk = Desk(browser, server, "ppk.bdg", shots)
    ppage = ppk.open(f"/kasus/{case}")
    ppk.act("tim_pemeriksa", "Pemeriksaan oleh tim PPK",
            examination_team="Atasan langsung\nInspektorat\nBKPSDM")  # fmt: skip
    ppk.upload("bap_pemeriksaan", tmp_path, "BAP tim pemeriksa")
    penalty = ppage.locator(
        "form[action$='/transisi/putusan_ppk'] select[name=penalty] optgroup option"
    ).first.get_attribute("value")
    assert penalty
    ppk.act("putusan_ppk", "Putusan PPK (sanksi)", sk_number="800/7/2024",
            sk_date=TODAY.isoformat(), sanction_level="berat", penalty=penalty)  # fmt: skip
    ppk.act("penyampaian", "Putusan disampaikan ke ASN", delivered_on=TODAY.isoformat())
    ppk.upload("bukti_pelaksanaan", tmp_path, "Bukti pelaksanaan")
    ppk.act("dilaksanakan", "Sanksi dilaksanakan", carried_out_on=TODAY.isoformat())
    ppk.shot("5-sanction-carried-out-1280")
    timeline = ppage.inner_text("#linimasa")
    assert "teruskan_bkn" not in timeline and "putusan_ppk" not in timeline
    for desk in (staff, office, ppk):
        desk.context.close()

    # the citizen reads how far it went, in words
    outcome = citizen_checks(browser, server, shots, number, code, "6-citizen-reads-outcome")
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", outcome), outcome


def _pledge_figure(page: Page) -> str:
    """The pledge section of a dashboard, its period stretched to today (the demo season is 2024)."""
    page.fill("input[name=to]", TODAY.isoformat())
    with page.expect_navigation():
        page.locator("form:has(input[name=to]) button[type=submit]").click()
    return " ".join(page.locator("#ikrar").first.inner_text().split())


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_an_asn_signs_the_pledge_and_the_dashboards_count_it(
    season_server, browser, shots, settings
):
    server = season_server
    # BKPSDM's dashboard covers the whole city (a small demo may place the ASN login in any OPD)
    office = Desk(browser, server, "bkpsdm.bdg", shots)
    office.open("/dasbor/kepegawaian")
    before = _pledge_figure(office.page)
    office.shot("1-bkpsdm-dashboard-before-1280")

    asn = Desk(browser, server, "asn.demo", shots, viewport=PHONE)
    page = asn.open("/ikrar")
    _fits(page, 360)
    asn.shot("2-asn-pledge-page-360")
    nip = re.search(r"NIP (\d[\d ]+\d)", page.inner_text("main"))
    assert nip, page.inner_text("main")
    page.click("#minta-kode")
    expect(page.locator("p.notice")).to_contain_text("@")
    page.fill("#nip", nip.group(1).replace(" ", ""))
    page.fill("#code", outbox_code(settings))
    page.click("#tandatangani")
    expect(page.locator(".ok-box")).to_contain_text("Anda sudah menandatangani pada")
    _fits(page, 360)
    asn.shot("3-asn-signed-360")
    asn.context.close()

    clear_cache()  # the staff dashboards say their figures may be a minute old: the minute passes
    office.open("/dasbor/kepegawaian")
    after = _pledge_figure(office.page)
    office.shot("4-bkpsdm-dashboard-after-1280")
    signed = [int(n) for n in re.findall(r"(\d+) dari \d+ ASN", before + " " + after)]
    assert len(signed) == 2 and signed[1] == signed[0] + 1, (before, after)
    office.context.close()

    for username, key in (("opd.dishub", "opd"), ("komisioner.bdg", "bawaslu")):
        desk = Desk(browser, server, username, shots)
        desk.open(f"/dasbor/{key}")
        assert desk.page.locator("svg[role=img]").count() >= 1
        desk.shot(f"5-dashboard-{key}-1280")
        desk.context.close()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_user_without_the_role_is_refused_in_words(season_server, browser, shots):
    permission_names = {p for role in roles().values() for p in role.permissions}
    asn = Desk(browser, season_server, "asn.demo", shots)
    for path in ("/kasus", "/laporan", "/asn"):
        response = asn.page.goto(f"{season_server}{path}")
        assert response is not None and response.status == 403, (path, response and response.status)
        assert asn.page.inner_text("main h1") == "Akses ditolak"
        text = asn.page.inner_text("main")
        assert "Peran Anda: ASN" in text, text  # the reason, in a sentence
        assert not any(p in text for p in permission_names), text
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), text
    asn.shot("refused-1280")
    asn.context.close()
