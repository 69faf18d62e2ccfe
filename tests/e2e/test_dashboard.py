"""Dashboards, exports, the public page and the season report over HTTP (SQLite and PostgreSQL):
each page for its role, every chart's CSV, permissions and scope, audit rows, formula-safe files,
no names in public, and the season PDF carrying the dashboard's own numbers."""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from netral.core.models import AuditEntry
from netral.core.security import Scope
from netral.dashboard.board import clear_public_cache
from netral.dashboard.filters import context, read_filters
from netral.dashboard.season import sections as season_sections
from netral.rules import load_rulebook

from support.pdf import pdf_text
from support.season import add_report, seed_season, wib
from support.web import csrf_from


@pytest.fixture
def season(db, world):
    clear_public_cache()
    return seed_season(db, world.bandung_asn, world.kabbdg_asn)


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _audits(db, action):
    db.expire_all()
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


@pytest.mark.parametrize(
    ("username", "audience", "must_see"),
    [
        ("bawaslu_staff", "bawaslu", "rekomendasi"),
        ("bawaslu_commissioner", "bawaslu", "Laporan per kecamatan"),
        ("bkpsdm", "kepegawaian", "Menunggu putusan PPK"),
        ("ppk", "kepegawaian", "Sanksi per OPD"),
        ("bakesbangpol", "bakesbangpol", "Cakupan sosialisasi"),
    ],
)
def test_each_role_lands_on_its_dashboard(as_user, season, username, audience, must_see):
    c = as_user(username)
    r = c.get("/dasbor", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/dasbor/{audience}"
    page = c.get(f"/dasbor/{audience}")
    assert page.status_code == 200 and must_see in page.text
    assert "<svg" in page.text and "<script" not in page.text.split("</head>")[1]
    assert 'href="/dasbor"' in c.get("/").text  # linked from the home page and the menu


def test_the_follow_up_number_is_stated_prominently(as_user, season):
    page = as_user("bawaslu_staff").get("/dasbor/bawaslu").text
    assert re.search(r'class="lead-stat">2 dari 6 rekomendasi \(33%\) telah dilaksanakan', page)


def test_roles_without_the_dashboard_are_refused(as_user, season):
    assert as_user("asn").get("/dasbor/bawaslu").status_code == 403
    assert as_user("bakesbangpol").get("/dasbor/kepegawaian").status_code == 403
    assert as_user("asn").get("/dasbor").status_code == 403


def test_filters_window_and_region(as_user, season):
    c = as_user("bawaslu_staff")
    narrow = c.get("/dasbor/bawaslu?from=2024-10-09&to=2024-10-09")
    assert narrow.status_code == 200
    r = c.get(
        "/dasbor/bawaslu/unduh/reports_by_status/per_status.csv?from=2024-10-09&to=2024-10-09"
    )
    assert sum(int(row[1]) for row in _csv(r.content)[1:]) == 3
    assert c.get("/dasbor/bawaslu?region=32.04").status_code == 422  # outside the user's scope
    assert c.get("/dasbor/bawaslu?from=kemarin").status_code == 422


def test_every_chart_has_a_csv_of_exactly_its_numbers(as_user, season, db):
    c = as_user("bawaslu_commissioner")
    for audience in ("bawaslu", "kepegawaian"):
        page = c.get(f"/dasbor/{audience}").text
        links = re.findall(r'href="(/dasbor/[^"]+\.csv\?[^"]+)"', page)
        assert len(links) >= 4
        for link in links:
            r = c.get(link.replace("&amp;", "&"))
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), link
            rows = _csv(r.content)
            assert len(rows[0]) >= 2
    r = c.get("/dasbor/bawaslu/unduh/reports_by_kecamatan/per_kecamatan.csv")
    assert _csv(r.content) == [["Kecamatan", "Laporan"], ["Sukasari", "4"], ["Coblong", "3"],
                               ["(kecamatan tidak diisi)", "1"]]  # fmt: skip
    entries = _audits(db, "dashboard.exported")
    assert entries and entries[-1].summary["rows"] == 3


def test_the_public_page_needs_no_login_and_shows_no_names(client, season, db):
    page = client.get("/transparansi")
    assert page.status_code == 200
    text = page.text
    for secret in ("Budi Santoso", "Siti Rahmawati", "Andi Pratama", "Warga Pelapor", "LAP-2024",
                   "KASUS-2024", "198503122010011003", "Dinas Perhubungan", "SK-1"):  # fmt: skip
        assert secret not in text, secret
    assert "&lt; 5" in text
    # every number on the page is masked below 5: the whole season has 8 reports, shown as 8
    assert re.search(r'<span class="num">8</span><span>Laporan diterima', text)
    link = re.findall(r'href="(/transparansi/unduh/[^"]+)"', text)[0].replace("&amp;", "&")
    rows = _csv(client.get(link).content)
    counts = [cell for row in rows[1:] for cell in row[1:]]
    assert all(c in ("< 5", "≥ 5") or int(c) >= 5 for c in counts)
    assert client.get("/transparansi?region=99.99").status_code == 200  # falls back to a region


def test_report_export_honours_filters_scope_and_identity(as_user, season, db):
    c = as_user("bawaslu_staff")
    token = csrf_from(c.get("/laporan").text)
    assert 'action="/ekspor/laporan"' in c.get("/laporan").text
    r = c.post("/ekspor/laporan", data={"csrf_token": token, "fmt": "csv", "category": "SKB-07"})
    rows = _csv(r.content)
    assert len(rows) == 1 + 4 and "Nama pelapor" not in rows[0]
    assert (
        "081234567890" not in r.text and "Jl. Rahasia" not in r.text and "0811111111" not in r.text
    )
    r = c.post("/ekspor/laporan", data={"csrf_token": token, "fmt": "csv", "identitas": "1",
                                        "kecamatan": "32.73.02"})  # fmt: skip
    rows = _csv(r.content)
    assert rows[0][-1] == "Nama pelapor" and len(rows) == 1 + 3
    assert (
        "Warga Pelapor" in r.text and "081234567890" not in r.text and "p@example.id" not in r.text
    )
    entries = _audits(db, "report.exported")
    assert [e.summary["rows"] for e in entries] == [4, 3]
    assert (
        entries[0].summary["filters"] == {"category": "SKB-07"}
        and not entries[0].summary["identity"]
    )
    assert entries[1].summary["identity"] is True
    # another region's staff sees only their own report
    kab = as_user("bawaslu_kab")
    r = kab.post(
        "/ekspor/laporan", data={"csrf_token": csrf_from(kab.get("/laporan").text), "fmt": "csv"}
    )
    assert len(_csv(r.content)) == 2


def test_exports_are_refused_without_the_permission(as_user, season):
    c = as_user("bkpsdm")
    token = csrf_from(c.get("/").text)
    assert c.post("/ekspor/laporan", data={"csrf_token": token}).status_code == 403
    c = as_user("bakesbangpol")
    token = csrf_from(c.get("/").text)
    assert c.post("/ekspor/kasus", data={"csrf_token": token}).status_code == 403


def test_exports_write_no_runnable_cell(as_user, season, db):
    add_report(db, received=wib(season.by_day.__iter__().__next__()),
               description='=HYPERLINK("http://evil.example","klik")', reported_name="+cmd|calc")  # fmt: skip
    db.commit()
    c = as_user("bawaslu_staff")
    token = csrf_from(c.get("/laporan").text)
    r = c.post("/ekspor/laporan", data={"csrf_token": token, "fmt": "xlsx", "q": "HYPERLINK"})
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [cell for row in ws.iter_rows(min_row=2) for cell in row]
    risky = [cell for cell in cells if str(cell.value or "").startswith(("=", "+"))]
    assert len(risky) == 2 and all(cell.data_type == "s" for cell in risky)
    r = c.post("/ekspor/laporan", data={"csrf_token": token, "fmt": "csv", "q": "HYPERLINK"})
    assert "'=HYPERLINK" in r.text and "'+cmd|calc" in r.text


def test_case_and_sanction_exports(as_user, season, db):
    c = as_user("bkpsdm")
    page = c.get("/kasus").text
    assert 'action="/ekspor/kasus"' in page and 'action="/ekspor/sanksi"' in page
    token = csrf_from(page)
    r = c.post("/ekspor/kasus", data={"csrf_token": token, "fmt": "csv"})
    assert len(_csv(r.content)) == 1 + season.cases
    r = c.post("/ekspor/kasus", data={"csrf_token": token, "fmt": "csv", "state": "putusan_ppk"})
    rows = _csv(r.content)
    assert len(rows) == 2 and "Siti Rahmawati (199001012015032001)" in rows[1]
    assert rows[1][5] == "Putusan PPK (sanksi)"
    r = c.post("/ekspor/sanksi", data={"csrf_token": token, "fmt": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 1 + 4  # SK-1..SK-4 of Kota Bandung; the 32.04 case is out of scope
    assert [e.summary["rows"] for e in _audits(db, "sanction.exported")] == [4]
    assert [e.summary["rows"] for e in _audits(db, "case.exported")] == [8, 1]


def test_the_asn_list_has_an_export_button(as_user, season):
    assert 'href="/api/v1/asn.xlsx"' in as_user("bkpsdm").get("/asn").text
    assert 'href="/api/v1/asn.xlsx"' not in as_user("bawaslu_staff").get("/asn").text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="no pdftotext")
def test_the_season_report_carries_the_dashboards_numbers(as_user, season, db, tmp_path):
    c = as_user("bawaslu_commissioner")
    r = c.get("/dasbor/laporan-musim.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    text = pdf_text(r.content)
    assert "Laporan Pengawasan Netralitas ASN" in text and "BAWASLU" in text.upper()
    lines = [" ".join(line.split()) for line in text.splitlines()]
    scope = Scope("region", "32.73")
    f = read_filters(db_session=db, scope=scope)
    ctx = context(db_session=db, scope=scope, filters=f, rulebook=load_rulebook())
    checked = 0
    for s in season_sections(ctx):
        if s.lead:
            assert " ".join(s.lead.split())[:40] in " ".join(lines)
        for fig in s.figures:
            if fig.kind == "columns":
                continue
            for label, values in fig.rows:
                want = " ".join(str(v) for v in values)
                head = " ".join(label.split())[:18]
                assert any(head in ln and ln.endswith(want) for ln in lines), (fig.key, label, want)
                checked += 1
            if fig.total is not None:
                assert any(ln == f"Jumlah {fig.total}" for ln in lines), (fig.key, fig.total)
    assert checked >= 20
    (tmp_path / "season.pdf").write_bytes(r.content)
    assert len(_audits(db, "dashboard.season_report")) == 1
    assert as_user("bakesbangpol").get("/dasbor/laporan-musim.pdf").status_code == 403
