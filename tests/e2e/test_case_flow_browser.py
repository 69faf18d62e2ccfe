"""The 2024 case flow in a real browser (Debian Chromium through Playwright), as its users click it:
a citizen reports, Bawaslu registers, clarifies, studies and decides in plenary, forwards to BKN,
BKPSDM records BKN's recommendation, the PPK examines, decides and carries out, Bawaslu closes.

The forward-to-BKN letter is read back from its PDF. The final page's screenshot lands in
$NETRAL_SCREENSHOTS (default: the test's tmp dir).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Page, expect

import netral.cases
from netral.cases.pages import CONFIRM
from netral.cases.workflow import workflow
from netral.core.calendar import MONTHS_ID, to_wib_date
from netral.core.db import utcnow

from support.browser import CHROMIUM
from support.evidence import minimal_pdf, photo_jpeg
from support.pdf import pdf_text
from support.web import PASSWORD

pytestmark = [
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}"),
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="no pdftotext"),
    pytest.mark.slow,
]
TODAY = to_wib_date(utcnow())
# the packaged letterhead: who signs is configuration, never the signed-in user
LETTERHEAD = Path(netral.cases.__file__).parent / "templates" / "letters" / "letterhead.yaml"



def _long_id(d: date) -> str:
    return f"{d.day} {MONTHS_ID[d.month]} {d.year}"


class Desk:
    """One person at their own browser (own cookies), signed in under their role."""

    def __init__(self, browser, server: str, username: str) -> None:
        self.server = server
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page: Page = self.context.new_page()
        self.page.goto(f"{server}/masuk")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()
        assert "/masuk" not in self.page.url, f"{username} could not sign in"

    def open(self, case: str) -> Page:
        self.page.goto(f"{self.server}/kasus/{case}")
        expect(self.page.locator("h1 .badge")).to_be_visible()
        return self.page

    def act(self, code: str, state_label: str, **fields: str) -> None:
        """Open the action's form, fill it as generated from `requires`, submit, see the state."""
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
        if code in CONFIRM:  # a step that cannot be undone is asked again on a page of its own
            expect(page.locator("h1")).to_contain_text(": lanjutkan?")
            with page.expect_navigation():
                page.get_by_role("button", name="Ya, lanjutkan").click()
        expect(page.locator(".alert, .error-summary")).to_have_count(0)
        expect(page.locator("h1 .badge")).to_have_text(state_label)

    def upload(self, kind: str, tmp_path: Path, text: str) -> None:
        """The "Dokumen dan surat" form: a kind and a file."""
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


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_a_case_walks_the_2024_flow_in_the_browser(server, browser, shots, world, db, tmp_path):
    from netral.core.audit import Actor
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()

    # 1. a citizen reports on /lapor
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(photo_jpeg(800, 600))
    citizen = browser.new_page(viewport={"width": 1280, "height": 900})
    citizen.goto(f"{server}/lapor")
    citizen.fill(
        "#description", "Camat Sukasari berpose tiga jari di samping spanduk paslon 3 di balai RW."
    )
    citizen.fill("#occurred_on", (TODAY - timedelta(days=3)).isoformat())
    citizen.fill("#known_on", (TODAY - timedelta(days=2)).isoformat())
    citizen.select_option("#kecamatan", "32.73.01")
    expect(citizen.locator("#kelurahan option")).not_to_have_count(1)
    citizen.select_option("#kelurahan", "32.73.01.1002")
    citizen.fill("#reported_nip", "198503122010011003")
    citizen.set_input_files("#evidence", str(photo))
    citizen.check("#anonymous")
    citizen.click("button.primary")
    expect(citizen.locator("#receipt-number")).to_contain_text("LAP-")
    report = citizen.inner_text("#receipt-number").strip()
    # received the day it became known: the steps below are dated by the day they happened, in
    # the past, and none may be dated before the report was received
    from sqlalchemy import update

    from netral.reports.models import Report

    db.execute(
        update(Report).where(Report.number == report).values(created_at=utcnow() - timedelta(days=3))
    )
    db.commit()

    # 2. staff open a case from it
    staff = Desk(browser, server, "bawaslu_staff")
    page = staff.page
    page.goto(f"{server}/kasus/baru?laporan={report}")
    expect(page.locator("#reports")).to_have_value(report)
    page.fill("#title", "Pose tiga jari camat")
    page.fill("#nips", "198503122010011003")
    page.check("input[name=acts][value='SKB-07']")
    with page.expect_navigation():
        page.click("form[action='/kasus'] button.primary")
    expect(page.locator("h1 .badge")).to_have_text("Diterima")
    case = page.url.rsplit("/", 1)[-1]
    assert case.startswith(f"KASUS-{TODAY.year}-")

    staff.act("registrasi", "Diregistrasi")
    register = page.inner_text("h1 .mono").strip()
    assert "/Reg/LP/" in register
    staff.act("klarifikasi", "Klarifikasi")

    # a hearing scheduled (the invitation letter is made), then recorded held with its minutes
    heard = TODAY - timedelta(days=3)
    schedule = page.locator("form[action$='/klarifikasi']")
    schedule.locator("select[name=party]").select_option("terlapor")
    schedule.locator("input[name=name]").fill("Budi Santoso")
    schedule.locator("input[name=position]").fill("Camat Sukasari")
    schedule.locator("input[name=scheduled_at]").fill(f"{heard.isoformat()}T10:00")
    with page.expect_navigation():
        schedule.locator("button[type=submit]").click()
    expect(page.locator("#klarifikasi tbody")).to_contain_text("Budi Santoso")
    minutes = tmp_path / "bap.pdf"
    minutes.write_bytes(minimal_pdf("Berita acara klarifikasi"))
    held = page.locator("form[action*='/klarifikasi/']")
    held.locator("input[name=held_on]").fill(heard.isoformat())
    held.locator("input[name=minutes]").set_input_files(str(minutes))
    held.locator("select[name=attended]").select_option("1")
    with page.expect_navigation():
        held.locator("button[type=submit]").click()
    expect(page.locator("#klarifikasi a", has_text="berita acara")).to_be_visible()

    staff.act("kajian", "Kajian")

    # the plenary decides: its minutes uploaded first, the commissioners present named
    decided_on = TODAY - timedelta(days=2)
    staff.upload("risalah_pleno", tmp_path, "Risalah rapat pleno")
    assert page.locator(
        "form[action$='/transisi/terbukti'] input[name=proven_acts][value='SKB-07']"
    ).is_checked()
    staff.act(
        "terbukti",
        "Terbukti (putusan pleno)",
        decision_date=decided_on.isoformat(),
        commissioners_present="Ketua A\nAnggota B\nAnggota C",
        reason="Foto pose tiga jari di samping spanduk paslon 3",
    )
    expect(page.locator("#rekomendasi")).to_contain_text("Ketua A, Anggota B, Anggota C")
    staff.act(
        "pemberitahuan_status",
        "Status diberitahukan",
        notified_on=(TODAY - timedelta(days=2)).isoformat(),
    )
    forwarded_on = TODAY - timedelta(days=1)
    staff.act("teruskan_bkn", "Diteruskan ke BKN", forwarded_on=forwarded_on.isoformat())
    letter_link = page.locator("#dokumen li", has_text="BKN").locator("a").first
    expect(letter_link).to_be_visible()
    letter_href = letter_link.get_attribute("href")
    assert letter_href and letter_href.startswith("/kasus/dokumen/")

    # BKPSDM records BKN's recommendation, its letter uploaded first
    bkpsdm = Desk(browser, server, "bkpsdm")
    bkpsdm.open(case)
    bkpsdm.upload("rekomendasi_bkn", tmp_path, "Rekomendasi BKN")
    bkpsdm.act(
        "rekomendasi_bkn",
        "Rekomendasi BKN diterima",
        bkn_number="B-123/BKN/2024",
        bkn_date=(TODAY - timedelta(days=1)).isoformat(),
        bkn_level="berat",
    )

    # the PPK: team, BAP, decision, delivery, carried out (with proof)
    ppk = Desk(browser, server, "ppk")
    ppage = ppk.open(case)
    ppk.act(
        "tim_pemeriksa",
        "Pemeriksaan oleh tim PPK",
        examination_team="Atasan langsung\nInspektorat\nBKPSDM",
    )
    ppk.upload("bap_pemeriksaan", tmp_path, "BAP tim pemeriksa")
    decision = ppage.locator("form[action$='/transisi/putusan_ppk']")
    levels = decision.locator("select[name=sanction_level] option").evaluate_all(
        "os => os.map(o => o.value).filter(v => v)"
    )
    assert levels == ["berat"]
    penalty = decision.locator("select[name=penalty] optgroup option").first.get_attribute("value")
    assert penalty
    ppk.act(
        "putusan_ppk",
        "Putusan PPK (sanksi)",
        sk_number="800/1/2024",
        sk_date=TODAY.isoformat(),
        sanction_level="berat",
        penalty=penalty,
    )
    expect(ppage.locator("#rekomendasi")).to_contain_text("800/1/2024")
    ppk.act("penyampaian", "Putusan disampaikan ke ASN", delivered_on=TODAY.isoformat())
    # the ASN objects (PP 79/2021); the objection is decided, then the sanction carried out
    ppk.act("keberatan", "Keberatan / banding administratif",
            objection_filed_on=TODAY.isoformat(), reason="Keberatan dari ASN")
    ppk.act("putusan_keberatan", "Keberatan / banding diputus",
            objection_decided_on=TODAY.isoformat(), reason="Keberatan ditolak")
    ppk.upload("bukti_pelaksanaan", tmp_path, "Bukti pelaksanaan")
    ppk.act("dilaksanakan", "Sanksi dilaksanakan", carried_out_on=TODAY.isoformat())

    # Bawaslu closes
    staff.open(case)
    staff.act("selesai", "Selesai", reason="Sanksi dilaksanakan")
    timeline = page.inner_text("#linimasa")
    # each step by its name in words (workflow.yaml), never by its code
    for code in ("registrasi", "kajian", "terbukti", "teruskan_bkn", "rekomendasi_bkn",
                 "tim_pemeriksa", "putusan_ppk", "penyampaian", "keberatan", "putusan_keberatan",
                 "dilaksanakan", "selesai"):
        assert workflow().transitions[code].label_id in timeline, code
    assert "teruskan_bkn" not in timeline and "putusan_ppk" not in timeline

    # 3. the forward-to-BKN letter, downloaded from the case page's link, read back
    def letter(href: str | None) -> str:
        """A letter the case page links to, downloaded as its user would, as laid-out text."""
        assert href and href.startswith("/kasus/dokumen/"), href
        got = staff.context.request.get(f"{server}{href}")
        assert got.ok and got.body().startswith(b"%PDF"), href
        return pdf_text(got.body())

    text = letter(letter_href)
    (shots / "penerusan-bkn.txt").write_text(text)
    flat = " ".join(text.split())
    signatory = yaml.safe_load(LETTERHEAD.read_text())["signatory"]["name"]
    assert signatory in flat
    assert "Uji bawaslu_staff" not in flat  # never the user who pressed the button
    # the plenary's day, in the body; the letter itself is dated the day it is forwarded
    assert f"rapat pleno Bawaslu Kota Bandung tanggal {_long_id(decided_on)}" in flat
    assert f"Bandung, {_long_id(forwarded_on)}" in flat
    # law by its real name: the UU in the considerations, the SKB (a table cell: words wrap)
    assert "Undang-Undang Nomor 10 Tahun 2016 tentang" in flat
    assert "Keputusan Bersama" in flat and "Menteri Pendayagunaan Aparatur Negara" in flat
    for internal in ("pp-94-2021", "skb-2022", "uu-10-2016"):
        assert internal not in flat.lower(), internal
    from netral import __version__

    assert f"netral {__version__}" not in flat.lower() and __version__ not in flat
    assert register in flat
    assert "Budi Santoso" in flat and "19850312 201001 1 003" in flat

    # the invitation to the hearing, from the hearing's own link: capacity, basis, register
    invitation = page.locator("a", has_text="undangan").first.get_attribute("href")
    inv_text = " ".join(letter(invitation).split())
    assert signatory in inv_text and "Uji bawaslu_staff" not in inv_text
    assert "terlapor" in inv_text.lower() and register in inv_text
    assert "Undang-Undang Nomor 10 Tahun 2016" in inv_text
    for internal in ("pp-94-2021", "skb-2022", "uu-10-2016"):
        assert internal not in inv_text.lower(), internal
    assert __version__ not in inv_text

    # the two letters made from their buttons: the receipt and the status notice
    for button, title in (("Tanda terima laporan", "Tanda terima laporan"),
                          ("Pemberitahuan status", "Pemberitahuan status laporan")):
        page.get_by_role("button", name=f"Buat surat: {button}").click()
        page.wait_for_load_state()
        link = page.locator("#dokumen li", has_text=title).locator("a").first
        body = " ".join(letter(link.get_attribute("href")).split())
        assert signatory in body and "Uji bawaslu_staff" not in body, title
        assert __version__ not in body and "pp-94-2021" not in body.lower(), title
        assert report in body, title  # the report's number; the reporter is never named

    # 4. the final case page, for a person to look at
    page.screenshot(path=str(shots / "case-closed-desktop.png"), full_page=True)
    for desk in (staff, bkpsdm, ppk):
        desk.context.close()
