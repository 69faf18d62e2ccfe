"""Navigation that follows the work: one search, breadcrumbs, the case's chain, sortable and
paged lists with export buttons only for roles that may export; on both databases."""

from __future__ import annotations

import re
import shutil
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from netral.core.calendar import to_wib_date
from netral.core.db import utcnow

from support.browser import CHROMIUM
from support.web import PASSWORD, csrf_from, login

TODAY = to_wib_date(utcnow())
REPORTER = "Wulandari Rahasia"


def file_report(app, *, reporter: str = REPORTER) -> str:
    """A named report filed through the API (the reporter's name is sealed)."""
    r = TestClient(app).post(
        "/api/v1/reports",
        data={
            "description": "Camat berpose tiga jari di samping spanduk paslon 3 di balai RW.",
            "occurred_on": (TODAY - timedelta(days=3)).isoformat(),
            "known_on": (TODAY - timedelta(days=2)).isoformat(),
            "kecamatan": "32.73.01",
            "category": "SKB-07",
            "reported_name": "Budi Santoso",
            "reported_nip": "198503122010011003",
            "anonymous": "false",
            "reporter_name": reporter,
            "reporter_phone": "081234567890",
            "reporter_address": "Jl. Merdeka 1, Bandung",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["number"]


def open_case(app, world, report: str) -> str:
    staff = login(TestClient(app), "bawaslu_staff")
    h = {"X-CSRF-Token": csrf_from(staff.get("/").text)}
    r = staff.post(
        "/api/v1/cases",
        headers=h,
        json={
            "title": "Pose tiga jari camat",
            "reports": [report],
            "asn_ids": [world.bandung_asn[0]],
            "acts": ["SKB-07"],
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["number"]


def groups(html: str) -> dict[str, int]:
    """The result groups a search page shows, with their counts."""
    found = re.findall(r'id="hasil-(\w+)">\s*<h2>[^<]*<span class="muted">\((\d+)\)', html)
    return {name: int(n) for name, n in found}


def test_search_finds_asn_by_nip_and_name(as_user, world):
    staff = as_user("bawaslu_staff")
    r = staff.get("/cari", params={"q": "19850312"})
    assert r.status_code == 200
    assert "Budi Santoso" in r.text and f'href="/asn/{world.bandung_asn[0]}"' in r.text
    r = staff.get("/cari", params={"q": "siti rahma"})
    assert "Siti Rahmawati" in r.text and groups(r.text)["asn"] == 1
    # another region's ASN stays out of a Kota Bandung search
    assert "Dewi Kartika" not in staff.get("/cari", params={"q": "Dewi"}).text
    # a NIP prefix too short to mean anyone: said so, nothing listed
    r = staff.get("/cari", params={"q": "1985"})
    assert r.status_code == 200 and "paling sedikit 8 angka" in r.text
    assert 'id="hasil-asn"' not in r.text


def test_search_finds_a_report_and_a_case_by_number(app, as_user, world):
    report = file_report(app)
    case = open_case(app, world, report)
    staff = as_user("bawaslu_staff")
    r = staff.get("/cari", params={"q": report[-6:]})
    assert f'href="/laporan/{report}"' in r.text
    r = staff.get("/cari", params={"q": case}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/kasus/{case}"
    r = staff.get("/cari", params={"q": report.lower()}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/laporan/{report}"
    r = staff.get("/cari", params={"q": "tiga jari"})
    assert f'href="/kasus/{case}"' in r.text and groups(r.text)["kasus"] == 1


def test_search_never_shows_reports_to_a_role_that_may_not_read_them(app, as_user, world):
    report = file_report(app)
    open_case(app, world, report)
    ppk = as_user("ppk")  # reads cases and the registry, not the report inbox
    r = ppk.get("/cari", params={"q": report})
    assert r.status_code == 200
    assert "hasil-laporan" not in r.text and f'href="/laporan/{report}"' not in r.text
    r = ppk.get("/cari", params={"q": "Budi"})
    assert set(groups(r.text)) == {"asn", "kasus"}


def test_a_reporter_name_never_matches(app, as_user):
    file_report(app)
    staff = as_user("bawaslu_commissioner")  # may even open the reporter's identity
    for term in (REPORTER, "Wulandari", "081234567890", "Merdeka"):
        r = staff.get("/cari", params={"q": term})
        assert r.status_code == 200
        assert 'href="/laporan/LAP-' not in r.text, term
        assert "Tidak ada hasil" in r.text


def test_a_role_without_search_gets_the_refusal_in_words(as_user):
    r = as_user("asn").get("/cari", params={"q": "Budi"})
    assert r.status_code == 403
    assert "Pencarian ASN, laporan dan kasus hanya untuk peran" in r.text
    assert 'role="search"' not in r.text


def test_the_search_box_is_in_the_top_bar_for_staff(as_user):
    html = as_user("bkpsdm").get("/").text
    assert re.search(r'<form class="search" role="search" method="get" action="/cari">', html)
    assert 'for="top-search"' in html


def test_an_empty_search_says_what_can_be_searched(as_user):
    r = as_user("bawaslu_staff").get("/cari", params={"q": "zzzz-tidak-ada"})
    assert r.status_code == 200
    assert "Tidak ada hasil untuk" in r.text and "NIP" in r.text


def test_case_breadcrumbs_link_back_to_the_report_and_show_the_chain(app, as_user, world):
    report = file_report(app)
    case = open_case(app, world, report)
    html = as_user("bawaslu_staff").get(f"/kasus/{case}").text
    crumbs = re.search(
        r'<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>(.*?)</ol></nav>', html, re.S
    )
    assert crumbs, "no breadcrumbs"
    trail = crumbs.group(1)
    assert 'href="/"' in trail and 'href="/kasus"' in trail
    assert f'href="/laporan/{report}"' in trail
    assert f'<span aria-current="page">{case}</span>' in trail
    assert re.search(r'<ol class="chain"', html) and 'class="current"' in html
    # the report's own page leads to the inbox
    rhtml = as_user("bawaslu_staff").get(f"/laporan/{report}").text
    assert 'aria-label="Breadcrumb"' in rhtml and 'href="/laporan"' in rhtml


def test_sorting_by_a_column_changes_the_order(as_user, world):
    staff = as_user("bawaslu_staff")

    def names(html: str) -> list[str]:
        return re.findall(r'<a href="/asn/\d+">([^<]+)</a>', html)

    up = names(staff.get("/asn", params={"sort": "name"}).text)
    down = names(staff.get("/asn", params={"sort": "-name"}).text)
    assert up == sorted(up) and down == list(reversed(up)) and len(up) == 3
    html = staff.get("/asn", params={"sort": "-name", "kind": "PNS"}).text
    assert 'aria-sort="descending"' in html
    # the header link keeps the filter and turns the order around
    assert re.search(r'href="/asn\?kind=PNS&amp;sort=name"', html)


def test_unknown_sort_and_bad_pages_do_not_fail(as_user):
    staff = as_user("bawaslu_staff")
    for url in ("/asn", "/kasus", "/laporan", "/opd", "/sosialisasi", "/ikrar/kampanye"):
        r = staff.get(url, params={"sort": "drop table"})
        assert r.status_code in (200, 403), (url, r.status_code)
    assert staff.get("/asn", params={"page": "99999"}).status_code == 200
    r = staff.get("/asn", params={"page": "abc"})
    assert r.status_code == 422 and "Alamat halaman ini tidak dapat dibaca" in r.text


def test_export_buttons_only_for_roles_that_may_export(as_user):
    assert 'action="/ekspor/kasus"' in as_user("bawaslu_staff").get("/kasus").text
    assert 'action="/ekspor/kasus"' not in as_user("inspektorat").get("/kasus").text
    assert 'action="/ekspor/laporan"' in as_user("bawaslu_staff").get("/laporan").text
    assert "/api/v1/asn.xlsx" in as_user("bkpsdm").get("/asn").text
    assert "/api/v1/asn.xlsx" not in as_user("bawaslu_staff").get("/asn").text


def test_empty_lists_say_what_to_do_next(as_user):
    html = as_user("bawaslu_staff").get("/laporan").text
    assert "/lapor" in html and "Belum ada laporan" in html
    html = as_user("bawaslu_staff").get("/kasus").text
    assert "Belum ada kasus" in html


def test_whole_lists_sort_too(as_user, world):
    staff = as_user("bawaslu_staff")

    def opds(html: str) -> list[str]:
        return re.findall(r'<a href="/opd/\d+">([^<]+)</a>', html)

    by_name = opds(staff.get("/opd", params={"sort": "name"}).text)
    assert by_name == sorted(by_name, key=str.casefold) and len(by_name) >= 2
    by_size = staff.get("/opd", params={"sort": "-total"}).text
    assert opds(by_size)[0] == "Dinas Pendidikan"  # two ASN, the most in Kota Bandung
    assert 'aria-sort="descending"' in by_size
    html = as_user("bakesbangpol").get("/sosialisasi").text
    assert "Buat sosialisasi" in html and "Belum ada sosialisasi" in html


def test_a_page_past_the_end_shows_the_last_page(app, as_user, world):
    file_report(app)
    staff = as_user("bawaslu_staff")
    html = staff.get("/asn", params={"page": "99999"}).text
    assert "Budi Santoso" in html and "Belum ada ASN" not in html
    assert 'href="/laporan/LAP-' in staff.get("/laporan", params={"page": "500"}).text


def test_the_report_export_keeps_the_lists_own_filters(app, as_user):
    file_report(app)
    staff = as_user("bawaslu_staff")
    page = staff.get("/laporan", params={"subject": "apk"}).text
    assert '<input type="hidden" name="subject" value="apk">' in page
    token = csrf_from(page)

    def exported(**filters: str) -> int:
        r = staff.post("/ekspor/laporan", data={"csrf_token": token, "fmt": "csv", **filters})
        assert r.status_code == 200, r.text[:300]
        return len([line for line in r.text.splitlines() if line.strip()]) - 1

    assert exported() == 1
    assert exported(subject="apk") == 0  # the inbox shows none: "this list" exports none


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_top_bar_search_works_without_javascript_and_fits_a_phone(
    server, browser, shots, world
):
    for width, name in ((1280, "desktop"), (390, "phone")):
        context = browser.new_context(
            java_script_enabled=False, viewport={"width": width, "height": 844}
        )
        page = context.new_page()
        page.goto(f"{server}/masuk")
        page.fill("#username", "bawaslu_staff")
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(f"{server}/")
        box = page.get_by_role("search").get_by_label("Cari ASN, laporan atau kasus")
        box.fill("budi")
        box.press("Enter")
        page.wait_for_url(f"{server}/cari?q=budi")
        assert "Budi Santoso" in page.inner_text("#hasil-asn")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the search page scrolls sideways ({scroll}px at {width}px)"
        page.screenshot(path=str(shots / f"search-{name}.png"), full_page=True)
        page.click("#hasil-asn >> text=Budi Santoso")
        page.wait_for_url(f"{server}/asn/*")
        crumbs = page.get_by_role("navigation", name="Breadcrumb")
        assert crumbs.get_by_role("link", name="ASN").count() == 1
        assert "Budi Santoso" in crumbs.inner_text()
        page.screenshot(path=str(shots / f"asn-breadcrumbs-{name}.png"), full_page=True)
        context.close()


def _trail(html: str) -> list[tuple[str | None, str]]:
    """The breadcrumb trail: (link or None for the current page, text)."""
    nav = re.search(
        r'<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>(.*?)</ol></nav>', html, re.S
    )
    assert nav, "no breadcrumbs"
    items = re.findall(
        r'<li>(?:<a href="([^"]+)">([^<]+)</a>|<span aria-current="page">([^<]+)</span>)</li>',
        nav.group(1),
    )
    return [(href or None, text or current) for href, text, current in items]


def test_detail_pages_carry_breadcrumbs(as_user, world, db):
    from netral.core.audit import Actor
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    staff = as_user("bawaslu_staff")
    asn = _trail(staff.get(f"/asn/{world.bandung_asn[0]}").text)
    assert asn[:2] == [("/", "Beranda"), ("/asn", "ASN")] and asn[-1] == (None, "Budi Santoso")
    opd = _trail(staff.get(f"/opd/{world.dishub_id}").text)
    assert opd == [("/", "Beranda"), ("/opd", "OPD"), (None, "Dinas Perhubungan")]
    code = "demo-pilkada-kota-bandung-2024"
    election = _trail(staff.get(f"/pemilihan/{code}").text)
    assert election[1] == ("/pemilihan", "Pemilihan") and election[-1][0] is None
    turnout = _trail(staff.get(f"/partisipasi/{code}").text)
    assert ("/partisipasi", "Partisipasi") in turnout and (
        f"/pemilihan/{code}",
        election[-1][1],
    ) in turnout


def test_wildcards_in_a_search_are_plain_characters(app, as_user, world):
    file_report(app)
    staff = as_user("bawaslu_staff")
    for term in ("%%", "__", "%a%"):
        r = staff.get("/cari", params={"q": term})
        assert r.status_code == 200 and "Tidak ada hasil" in r.text, term
    assert "paling sedikit 2" in staff.get("/cari", params={"q": "%"}).text


def test_a_report_leads_to_the_case_it_became(app, as_user, world):
    report = file_report(app)
    staff = as_user("bawaslu_staff")
    r = staff.get(f"/laporan/{report}/kasus", follow_redirects=False)
    assert r.status_code == 404 and "belum menjadi kasus" in r.text
    case = open_case(app, world, report)
    assert f'href="/laporan/{report}/kasus"' in staff.get(f"/laporan/{report}").text
    r = staff.get(f"/laporan/{report}/kasus", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/kasus/{case}"
    # a role that reads cases but not reports learns nothing about a report through it
    assert as_user("ppk").get(f"/laporan/{report}/kasus").status_code == 403
    # another region's staff: no such report
    assert as_user("bawaslu_kab").get(f"/laporan/{report}/kasus").status_code == 404
