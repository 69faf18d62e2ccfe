"""Turnout over HTTP and in Chromium: upload, the table lowest first, the target, the exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import select

from netral.core.audit import Actor, AuditEntry
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

from support.web import PASSWORD, csrf_from

CODE = "demo-pilkada-kota-bandung-2024"
GOOD = (
    "kode_wilayah,nama_wilayah,dpt,pengguna_hak_pilih\n"
    "3273011001001,TPS 001,300,250\n"
    "3273011002001,TPS 001,310,240\n"
    "3273021001001,TPS 001,400,300\n"
    "3273021002001,TPS 001,350,340\n"
)
BAD = (
    "kode_wilayah,nama_wilayah,dpt,pengguna_hak_pilih\n"
    "3273011001001,TPS 001,300,350\n"
    "3273011001001,TPS 001,300,250\n"
    "3204052001001,TPS luar,100,50\n"
)


@pytest.fixture
def election(db, world) -> str:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    return CODE


def _upload(client, body: str, **form: str):
    page = client.get(f"/partisipasi/{CODE}")
    return client.post(
        f"/partisipasi/{CODE}/impor",
        data={"csrf_token": csrf_from(page.text), **form},
        files={"file": ("kpu.csv", body.encode(), "text/csv")},
    )


def test_the_page_imports_lists_lowest_first_and_edits_the_target(as_user, election, db):
    client = as_user("bawaslu_staff")
    r = _upload(client, BAD)
    assert r.status_code == 422
    assert "Tidak ada yang disimpan" in r.text
    for text in ("lebih banyak dari DPT", "sudah ada di baris 2", "di luar wilayah pemilihan"):
        assert text in r.text
    r = _upload(client, GOOD)
    assert r.status_code == 200, r.text
    assert "diimpor 4 dari 4 baris tingkat TPS" in r.text
    # Sukasari 490/610 = 80.33% (below 82.9) before Coblong 640/750 = 85.33%
    assert r.text.index("Sukasari") < r.text.index("Coblong")
    r = _upload(client, GOOD)
    assert "menggantikan 4 baris yang dimuat sebelumnya" in r.text

    page = client.get(f"/partisipasi/{CODE}")
    r = client.post(
        f"/partisipasi/{CODE}/target",
        data={"csrf_token": csrf_from(page.text), "percent": "120"},
    )
    assert r.status_code == 422 and "lebih dari 0 sampai 100" in r.text
    r = client.post(
        f"/partisipasi/{CODE}/target",
        data={"csrf_token": csrf_from(page.text), "percent": "80"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    api = client.get(f"/api/v1/turnout/{CODE}").json()
    assert api["target"]["percent"] == 80.0 and api["target"]["set_by"] == "bawaslu_staff"
    assert [(k["code"], k["gap"]) for k in api["kecamatan"]] == [("32.73.01", 0), ("32.73.02", 0)]
    assert api["totals"]["levels"] == ["tps"]


def test_reading_roles_see_but_cannot_import_or_set_the_target(as_user, election):
    client = as_user("inspektorat")
    assert client.get(f"/partisipasi/{CODE}").status_code == 200
    assert 'id="impor"' not in client.get(f"/partisipasi/{CODE}").text
    r = client.put(f"/api/v1/turnout/{CODE}/target", json={"percent": 70})
    assert r.status_code == 403
    assert as_user("asn").get(f"/partisipasi/{CODE}").status_code == 403


def test_the_api_import_answers_the_row_report_as_a_problem(as_user, election, db):
    client = as_user("bawaslu_staff")
    token = csrf_from(client.get(f"/partisipasi/{CODE}").text)
    headers = {"X-CSRF-Token": token}
    files = {"file": ("kpu.csv", BAD.encode(), "text/csv")}
    r = client.post(f"/api/v1/turnout/{CODE}/import", files=files, headers=headers)
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    errors = r.json()["report"]["errors"]
    assert {
        "row": 2,
        "column": "pengguna_hak_pilih",
        "code": "turnout.voters_exceed_dpt",
    }.items() <= errors[0].items()
    files = {"file": ("kpu.csv", GOOD.encode(), "text/csv")}
    r = client.post(f"/api/v1/turnout/{CODE}/import?dry_run=true", files=files, headers=headers)
    assert r.status_code == 200 and r.json()["written"] is False
    assert client.get(f"/api/v1/turnout/{CODE}").json()["totals"] is None
    r = client.post(f"/api/v1/turnout/{CODE}/import", files=files, headers=headers)
    assert (r.json()["valid"], r.json()["written"]) == (4, True)
    r = client.put(f"/api/v1/turnout/{CODE}/target", json={"percent": 90}, headers=headers)
    assert r.status_code == 200 and r.json()["percent"] == 90


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_are_audited(as_user, election, db, fmt):
    client = as_user("bawaslu_staff")
    _upload(client, GOOD)
    r = client.get(f"/partisipasi/{CODE}/kecamatan.{fmt}")
    assert r.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert rows[0][:3] == ["kode_kecamatan", "nama_kecamatan", "dpt"]
        assert [row[0] for row in rows[1:]] == ["32.73.01", "32.73.02"]
        assert rows[1][6] == "16"  # ceil(82.9% of 610 = 505.69) - 490
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(r.content)).active
        values = list(sheet.iter_rows(values_only=True))
        assert values[1] == ("32.73.01", "Sukasari", 610, 490, 80.33, 82.9, 16)
    r = client.get(f"/api/v1/turnout/{CODE}/rows/tps.{fmt}")
    assert r.status_code == 200
    db.expire_all()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.action == "turnout.export")).all()
    assert [e.summary["table"] for e in entries] == ["kecamatan", "tps"]


def test_the_page_in_chromium(server, browser, shots, election):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.goto(f"{server}/masuk")
    page.fill("input[name=username]", "bawaslu_staff")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{server}/partisipasi")
    assert page.url.endswith(f"/partisipasi/{CODE}")  # one election: straight to it
    bad = Path(shots) / "kpu-salah.csv"
    bad.write_text(BAD, encoding="utf-8")
    page.set_input_files("#turnout-file", str(bad))
    page.click("#impor button[type=submit]")
    assert page.locator("table.errors tbody tr").count() == 3
    page.screenshot(path=str(Path(shots) / "turnout-errors.png"), full_page=True)
    good = Path(shots) / "kpu.csv"
    good.write_text(GOOD, encoding="utf-8")
    page.set_input_files("#turnout-file", str(good))
    page.click("#impor button[type=submit]")
    rows = page.locator("#per-kecamatan tbody tr")
    assert rows.count() == 2
    assert "Sukasari" in rows.nth(0).inner_text()
    page.fill("#turnout-percent", "81,5")
    page.click("#target button[type=submit]")
    assert "Target disimpan" in page.inner_text("#target")
    assert "81,50%" in page.inner_text(".turnout-figures")
    page.screenshot(path=str(Path(shots) / "turnout.png"), full_page=True)


def test_several_elections_are_listed_and_other_regions_see_none_of_the_city(as_user, election, db):
    national = Path(__file__).resolve().parents[1] / "data" / "pemilu-nasional-2024.yaml"
    upsert_election(db_session=db, election_in=read_election_file(national), actor=Actor.system())
    db.commit()
    client = as_user("bawaslu_staff")
    _upload(client, GOOD)
    page = client.get("/partisipasi")
    assert page.status_code == 200
    assert "Pilkada Kota Bandung 2024 (demo)" in page.text and "83,09%" not in page.text
    assert "83,1%" in page.text  # the city's figure on its tile
    kab = as_user("bawaslu_kab")  # Kabupaten Bandung: the national pemilu only
    assert kab.get(f"/partisipasi/{CODE}").status_code == 404
    assert kab.get(f"/api/v1/turnout/{CODE}").status_code == 404
