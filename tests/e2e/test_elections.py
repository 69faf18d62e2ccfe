"""Elections of both kinds through HTTP: what each scope sees, and which one a report gets."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from netral.core.audit import Actor
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Report

NATIONAL = Path(__file__).resolve().parents[1] / "data" / "pemilu-nasional-2024.yaml"
TODAY = date.today()


def _load(db, path: Path) -> int:
    e = upsert_election(db_session=db, election_in=read_election_file(path), actor=Actor.system())
    db.commit()
    return e.id


def _report(client, kecamatan: str, kelurahan: str) -> None:
    r = client.post(
        "/api/v1/reports",
        data={
            "description": "Seorang guru mengunggah ajakan memilih pasangan calon di grup sekolah.",
            "occurred_on": (TODAY - timedelta(days=2)).isoformat(),
            "known_on": (TODAY - timedelta(days=1)).isoformat(),
            "kecamatan": kecamatan,
            "kelurahan": kelurahan,
            "reporter_name": "Nina Marlina",
            "reporter_address": "Jl. Setiabudi 12, Bandung",
            "reporter_phone": "081234567890",
        },
    )
    assert r.status_code == 201, r.text


def test_a_report_where_only_a_national_pemilu_runs_gets_the_national_election(client, db):
    national = _load(db, NATIONAL)
    _report(client, "32.73.01", "32.73.01.1001")
    db.expire_all()
    assert db.scalar(select(Report.election_id)) == national


def test_a_report_gets_its_own_region_s_pilkada_before_the_national_pemilu(client, db):
    national, city = _load(db, NATIONAL), _load(db, DEMO_ELECTION)
    _report(client, "32.73.01", "32.73.01.1001")
    _report(client, "32.04.05", "32.04.05.2001")  # Kabupaten Bandung: no pilkada loaded
    db.expire_all()
    got = dict(db.execute(select(Report.region_code, Report.election_id)).all())
    assert got == {"32.73": city, "32.04": national}


@pytest.mark.parametrize(
    ("username", "codes"),
    [
        ("bawaslu_staff", ["demo-pilkada-kota-bandung-2024", "uji-pemilu-presiden-2024"]),
        ("bawaslu_kab", ["uji-pemilu-presiden-2024"]),
        ("bawaslu_jabar", ["demo-pilkada-kota-bandung-2024", "uji-pemilu-presiden-2024"]),
        ("admin", ["demo-pilkada-kota-bandung-2024", "uji-pemilu-presiden-2024"]),
    ],
)
def test_the_api_shows_a_national_election_to_every_scope(as_user, db, username, codes):
    _load(db, NATIONAL)
    _load(db, DEMO_ELECTION)
    client = as_user(username)
    r = client.get("/api/v1/elections")
    assert r.status_code == 200, r.text
    by_code = {e["code"]: e for e in r.json()}
    assert sorted(by_code) == codes
    national = by_code["uji-pemilu-presiden-2024"]
    assert (national["kind"], national["region_code"], national["candidates_fixed_on"]) == (
        "pemilu",
        None,
        "2023-11-13",
    )
    assert client.get("/api/v1/elections/uji-pemilu-presiden-2024").status_code == 200
    if "demo-pilkada-kota-bandung-2024" in codes:
        assert by_code["demo-pilkada-kota-bandung-2024"]["candidates_fixed_on"] == "2024-09-22"
    else:
        r = client.get("/api/v1/elections/demo-pilkada-kota-bandung-2024")
        assert r.status_code == 404


def test_the_election_pages_show_national_and_the_day_the_pairs_were_fixed(as_user, db):
    _load(db, NATIONAL)
    _load(db, DEMO_ELECTION)
    client = as_user("bawaslu_staff")
    page = client.get("/pemilihan/uji-pemilu-presiden-2024").text
    assert "Nasional" in page and "Penetapan pasangan calon" in page
    assert "13 November 2023" in page
    page = client.get("/pemilihan/demo-pilkada-kota-bandung-2024").text
    assert "32.73" in page and "22 September 2024" in page
    listing = client.get("/pemilihan").text
    assert "Pemilu Presiden 2024 (uji)" in listing and "Pilkada Kota Bandung 2024" in listing
