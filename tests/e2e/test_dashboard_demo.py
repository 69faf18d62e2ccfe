"""The demo season on every dashboard (SQLite and PostgreSQL): each role's page shows the pledge,
briefing and turnout figures the domain services compute for the same rows; the public page has
them with no name and no small count; the season PDF prints the dashboards' numbers; and each page
in Chromium at 1280 and 360 px, screenshotted for a person to look at."""

from __future__ import annotations

import csv
import io
import re
import shutil
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi.testclient import TestClient

from netral.app import create_app
from netral.briefings import service as briefings
from netral.core.security import Scope
from netral.dashboard.board import clear_public_cache
from netral.dashboard.filters import context, read_filters
from netral.dashboard.season import sections as season_sections
from netral.dashboard.sections import percent_text
from netral.demo import DEMO_PASSWORD
from netral.pledges import service as pledges
from netral.rules import load_rulebook
from netral.turnout import service as turnout

from support.browser import ARGS, CHROMIUM
from support.demo_season import CITY, load_demo_season
from support.pdf import pdf_text
from support.server import free_port
from support.web import login

BANDUNG = Scope("region", CITY)


@pytest.fixture
def demo_app(db, settings):
    clear_public_cache()
    app = create_app(settings)  # first: it wires the job queue the demo's reports are queued on
    load_demo_season(db, settings.data_dir, asn=300)
    return app


def _as(app, username: str) -> TestClient:
    return login(TestClient(app), username, DEMO_PASSWORD)


def _text(html: str) -> str:
    """The page's words, tags out and spaces squeezed, so figures can be found in sentences."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&lt;", "<").split())


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _figures(db):
    election = read_filters(db_session=db, scope=BANDUNG).season.code
    campaign = pledges.get_campaign(db_session=db, scope=BANDUNG)
    return {
        "pledges": pledges.campaign_coverage(db_session=db, scope=BANDUNG, campaign=campaign),
        "pledge_totals": pledges.totals(db_session=db, scope=BANDUNG),
        "briefings": briefings.totals(db_session=db, scope=BANDUNG),
        "turnout": turnout.totals(db_session=db, scope=BANDUNG, election_code=election),
        "kecamatan": turnout.by_kecamatan(db_session=db, scope=BANDUNG, election_code=election),
        "missed": briefings.missed_all(db_session=db, scope=BANDUNG),
    }


def test_every_dashboard_shows_the_demo_seasons_figures(demo_app, db):
    want = _figures(db)
    lowest = want["pledges"][0]
    assert lowest.opd == "Dinas Perhubungan" and lowest.percent < 90
    p, b, t = want["pledge_totals"], want["briefings"], want["turnout"]

    page = _text(_as(demo_app, "bkpsdm.bdg").get("/dasbor/kepegawaian").text)
    assert f"{p.signed} dari {p.asn} ASN ({percent_text(p.percent)}) telah berikrar" in page
    assert f"Terendah: Dinas Perhubungan ({percent_text(lowest.percent)})" in page
    assert f"{b.opd_briefed} / {b.opd} OPD tersosialisasi" in page
    assert "Menunggu putusan PPK" in page  # the sanctions sections are still there

    page = _text(_as(demo_app, "kesbangpol.bdg").get("/dasbor/bakesbangpol").text)
    assert f"{b.camat_briefed} dari 30 camat dan {b.lurah_briefed} dari 151 lurah" in page
    assert f"{b.missed_all} Tidak hadir di semua sesi" in page
    assert f"Daftar {b.missed_all} yang tidak hadir di semua sesi" in page
    assert "Data kehadiran sosialisasi belum tersedia" not in page  # the placeholder is gone

    bawaslu = _as(demo_app, "komisioner.bdg")
    page = _text(bawaslu.get("/dasbor/bawaslu").text)
    assert f"Partisipasi {percent_text(t.percent)}" in page and "82,9%" in page
    assert want["kecamatan"][0].name in page
    assert "3 Laporan APK di tempat terlarang" in page and "5 Laporan netralitas ASN" in page
    rows = _csv(bawaslu.get("/dasbor/bawaslu/unduh/turnout_by_kecamatan/per_kecamatan.csv").content)
    assert rows[0] == [
        "Kecamatan",
        "DPT",
        "Pengguna hak pilih",
        "%",
        "Kurang dari target (pemilih)",
    ]
    assert [(r[0], int(r[1]), int(r[2]), int(r[4])) for r in rows[1:]] == [
        (k.name, k.dpt, k.voters, k.gap) for k in want["kecamatan"]
    ]

    # an OPD admin: their own OPD's pledges and briefings, no other OPD
    dishub = _as(demo_app, "opd.dishub")
    r = dishub.get("/dasbor", follow_redirects=False)
    assert r.headers["location"] == "/dasbor/opd"
    page = _text(dishub.get("/dasbor/opd").text)
    assert f"{lowest.signed} dari {lowest.asn} ASN" in page and "Dinas Perhubungan" in page
    assert "Dinas Pendidikan" not in page and "Kecamatan Coblong" not in page
    rows = _csv(dishub.get("/dasbor/opd/unduh/pledge_coverage/per_unit.csv").content)
    assert sum(int(r[1]) for r in rows[1:]) == lowest.asn
    assert dishub.get("/dasbor/kepegawaian").status_code == 403

    rows = _csv(
        _as(demo_app, "bkpsdm.bdg")
        .get("/dasbor/kepegawaian/unduh/pledge_coverage/per_opd.csv")
        .content
    )
    assert rows[1][:4] == ["Dinas Perhubungan", str(lowest.asn), str(lowest.signed),
                           str(lowest.asn - lowest.signed)]  # fmt: skip
    assert len(rows) == 1 + len(want["pledges"])


def test_the_public_page_has_the_season_without_names(demo_app, db):
    want = _figures(db)
    p, t = want["pledge_totals"], want["turnout"]
    html = TestClient(demo_app).get("/transparansi").text
    page = _text(html)
    assert f"{p.asn} ASN diminta berikrar" in page
    if p.asn - p.signed < 5:  # a handful not signed: masked, and nothing lets it be worked out
        assert "Belum berikrar < 5" in page and "≥ 5 Sudah berikrar" in page
        assert "– Persentase" in page and f"{p.signed} Sudah" not in page
    else:
        assert f"{percent_text(p.percent)} Persentase" in page
    assert "Sosialisasi netralitas" in page and "151" in page
    assert f"{percent_text(t.percent)} Partisipasi" in page
    assert want["kecamatan"][0].name in page  # turnout per kecamatan is KPU's public figure
    for m in want["missed"]:  # nobody who missed a briefing is named, nor their office
        assert not m.name or m.name not in page
        assert m.office not in page
    assert "Dinas Perhubungan" not in page and "Dinas " not in page
    for link in re.findall(r'href="(/transparansi/unduh/(?:ikrar|sosialisasi)/[^"]+)"', html):
        for row in _csv(TestClient(demo_app).get(link.replace("&amp;", "&")).content)[1:]:
            assert all(c in ("< 5", "≥ 5") or int(c) >= 5 for c in row[1:]), (link, row)


def _fmt(v) -> str:
    """A value as the season PDF prints it (thousands with a dot)."""
    return f"{v:,}".replace(",", ".") if isinstance(v, int) else str(v)


def _bare(v) -> str:
    """Printed, without spaces: pdftotext may read a printed "1 / 1" as "1/1"."""
    return _fmt(v).replace(" ", "")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="no pdftotext")
def test_the_season_pdf_prints_the_new_sections_numbers(demo_app, db, tmp_path):
    r = _as(demo_app, "komisioner.bdg").get("/dasbor/laporan-musim.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    (tmp_path / "season.pdf").write_bytes(r.content)
    lines = [" ".join(line.split()) for line in pdf_text(r.content).splitlines()]
    text = " ".join(lines)
    f = read_filters(db_session=db, scope=BANDUNG)
    ctx = context(db_session=db, scope=BANDUNG, filters=f, rulebook=load_rulebook())
    built = {s.key: s for s in season_sections(ctx)}
    titles = [s.title for s in built.values()]
    assert [t.split(":")[0] for t in titles][:3] == ["Ringkasan", "Cakupan ikrar netralitas",
                                                     "Cakupan sosialisasi"]  # fmt: skip
    positions = [text.index(f"{i}. {s.title.split(':')[0]}") for i, s in
                 enumerate(built.values(), start=1)]  # fmt: skip
    assert positions == sorted(positions)
    checked = 0
    for key in ("ringkasan", "ikrar", "sosialisasi", "sosialisasi_opd", "laporan_apk",
                "partisipasi"):  # fmt: skip
        s = built[key]
        if s.lead:
            assert " ".join(s.lead.split())[:60] in text, key
        for fact in s.facts:
            assert any(fact.label in ln and _bare(ln).endswith(_bare(fact.value)) for ln in lines), (
                key, fact,
            )  # fmt: skip
            checked += 1
        for fig in s.figures:
            for label, values in fig.rows:
                want = _bare(" ".join(_fmt(v) for v in values))
                head = " ".join(label.split())[:18]
                assert any(head in ln and _bare(ln).endswith(want) for ln in lines), (key, label)
                checked += 1
    assert checked > 150


# ---------------------------------------------------------------- in Chromium, looked at


@pytest.fixture
def demo_server(demo_app) -> Iterator[str]:
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(demo_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=5)


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_every_demo_dashboard_in_chromium(demo_server, shots, engine):
    from playwright.sync_api import sync_playwright

    pages = [("komisioner.bdg", "bawaslu"), ("bkpsdm.bdg", "kepegawaian"),
             ("kesbangpol.bdg", "bakesbangpol"), ("opd.dishub", "opd"), (None, "publik")]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for username, key in pages:
            for width in (1280, 360):
                context_ = browser.new_context(viewport={"width": width, "height": 900})
                page = context_.new_page()
                csp: list[str] = []
                page.on("console", lambda m, csp=csp: csp.append(m.text)
                        if "Content Security Policy" in m.text else None)  # fmt: skip
                if username:
                    page.goto(f"{demo_server}/masuk")
                    page.fill("#username", username)
                    page.fill("#password", DEMO_PASSWORD)
                    page.click("button[type=submit]")
                    page.wait_for_load_state()
                    page.goto(f"{demo_server}/dasbor/{key}")
                else:
                    page.goto(f"{demo_server}/transparansi")
                assert page.locator("svg[role=img]").count() >= 2
                # no figure's table is wider than the screen: the page never scrolls sideways
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, key
                page.screenshot(path=str(shots / f"demo-{key}-{width}.png"), full_page=True)
                assert not csp, csp
                context_.close()
        browser.close()
