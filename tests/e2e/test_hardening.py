"""Hostile input at the edge: ids no row can have, page numbers past any table, bodies past the cap.

Ids: every id column is an INTEGER (int4 on PostgreSQL), so a larger id names nothing. It must
answer 404 in a path and 422 in a query or body, never reach the database and crash it (500).
Bodies: the size cap counts the bytes of a chunked body as they arrive, on a real uvicorn server,
and the server's memory must not grow with what the client sends past the cap.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from support.web import World, csrf_from, login

PROBLEM = "application/problem+json"
# past int4 (PostgreSQL's INTEGER), past int8 (SQLite's INTEGER), and past both by far
TOO_BIG = [2**31, 2**63, 99999999999999999999]


@pytest.fixture
def staff(app) -> TestClient:
    """Bawaslu staff in Kota Bandung: reads the registry, reports and cases, opens cases."""
    client = login(TestClient(app, raise_server_exceptions=False), "bawaslu_staff")
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
    return client


def is_problem(r, status: int) -> bool:
    return r.status_code == status and r.headers["content-type"].startswith(PROBLEM)


def is_error_page(r, status: int) -> bool:
    return (
        r.status_code == status
        and r.headers["content-type"].startswith("text/html")
        and "Kembali ke beranda" in r.text
    )


# ---------------------------------------------------------------- ids and pages


@pytest.mark.parametrize("big", TOO_BIG)
def test_an_api_path_id_no_row_can_have_is_404(staff, world: World, big: int):
    r = staff.get(f"/api/v1/asn/{big}")
    assert is_problem(r, 404), (r.status_code, r.text[:300])
    assert staff.get(f"/api/v1/asn/{world.bandung_asn[0]}").status_code == 200
    assert is_problem(staff.get("/api/v1/asn/0"), 404)
    assert is_problem(staff.get("/api/v1/asn/-1"), 404)
    assert is_problem(staff.post(f"/api/v1/reports/X/duplicates/{big}/merge"), 404)


@pytest.mark.parametrize("big", TOO_BIG)
def test_a_page_path_id_no_row_can_have_is_the_404_page(staff, world: World, big: int):
    for path in (f"/asn/{big}", f"/opd/{big}", f"/kasus/dokumen/{big}"):
        r = staff.get(path)
        assert is_error_page(r, 404), (path, r.status_code, r.text[:300])
    assert staff.get(f"/asn/{world.bandung_asn[0]}").status_code == 200
    assert staff.get(f"/opd/{world.dishub_id}").status_code == 200


@pytest.mark.parametrize("big", TOO_BIG)
def test_a_page_number_or_query_id_past_any_table_is_422(staff, world: World, big: int):
    for path in (
        f"/api/v1/asn?page={big}",
        f"/api/v1/cases?page={big}",
        f"/api/v1/reports?page={big}",
        f"/api/v1/asn?opd_id={big}",
        f"/api/v1/reports?opd_id={big}",
    ):
        r = staff.get(path)
        assert is_problem(r, 422), (path, r.status_code, r.text[:300])
        assert r.json()["code"] == "request.invalid"
    for path in (
        f"/asn?page={big}",
        f"/kasus?page={big}",
        f"/laporan?page={big}",
        f"/asn?opd={big}",
        f"/laporan?opd={big}",
    ):
        r = staff.get(path)
        assert is_error_page(r, 422), (path, r.status_code, r.text[:300])
    # the last real page still answers
    assert staff.get("/api/v1/asn?page=1").json()["total"] == 3
    assert staff.get(f"/asn?opd={world.dishub_id}").status_code == 200


def test_a_filter_of_other_digits_than_ascii_is_422_not_a_crash(staff, world: World):
    # "²".isdigit() holds, and int("²") raises: the filter must not reach int()
    for path in ("/asn?opd=%C2%B2", "/laporan?opd=%D9%A3"):
        r = staff.get(path)
        assert is_error_page(r, 422), (path, r.status_code, r.text[:300])
    assert staff.get("/asn?opd=semua").status_code == 200  # other text still means "any OPD"


@pytest.mark.parametrize("big", TOO_BIG)
def test_an_id_list_with_one_impossible_id_is_422_and_opens_nothing(staff, world: World, big):
    body = {"title": "Kasus uji id", "origin": "temuan", "asn_ids": [world.bandung_asn[0], big]}
    r = staff.post("/api/v1/cases", json=body)
    assert is_problem(r, 422), (r.status_code, r.text[:300])
    assert r.json()["field"] == "asn_ids.1"
    assert staff.get("/api/v1/cases").json()["total"] == 0
    r = staff.post("/api/v1/cases/X/transitions/y", json={"proof_document_id": big})
    assert is_problem(r, 422), (r.status_code, r.text[:300])
