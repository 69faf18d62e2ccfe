"""A user sees only their region: a guessed id from another region is not found."""

import json

import pytest
from sqlalchemy import func, select

from netral.reports.models import Report

from support.web import csrf_from


def test_region_user_cannot_read_another_regions_asn_by_guessing_its_id(as_user, world):
    bdg = as_user("bawaslu_staff")  # scope: region 32.73
    other = world.kabbdg_asn[0]
    for path in (f"/api/v1/asn/{other}", f"/asn/{other}"):
        r = bdg.get(path)
        assert r.status_code == 404, path
        assert "Dewi Kartika" not in r.text
    own = bdg.get(f"/api/v1/asn/{world.bandung_asn[0]}")
    assert own.status_code == 200 and own.json()["name"] == "Budi Santoso"


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("bawaslu_staff", {"32.73"}),
        ("bawaslu_kab", {"32.04"}),
        ("bawaslu_jabar", {"32.73", "32.04"}),
        ("admin", {"32.73", "32.04"}),
    ],
)
def test_lists_and_counts_are_filtered_by_scope(as_user, world, username, expected):
    c = as_user(username)
    items = c.get("/api/v1/asn?per_page=200").json()["items"]
    assert {i["region_code"] for i in items} == expected
    opds = c.get("/api/v1/opd").json()
    assert {o["region_code"] for o in opds} == expected


def test_export_contains_only_the_users_scope(as_user, world):
    c = as_user("bkpsdm")  # region 32.73, may export
    body = c.get("/api/v1/asn.csv").text
    assert "Budi Santoso" in body and "Dewi Kartika" not in body


def test_personal_contact_is_shown_only_to_roles_that_need_it(as_user, world, db):
    from netral.core.crypto import keyring
    from netral.registry.models import Asn

    asn = db.get(Asn, world.bandung_asn[0])
    asn.contact_enc = keyring().encrypt("budi@bandung.go.id\x1f081234567890", asn.nip.encode())
    db.commit()
    path = f"/api/v1/asn/{asn.id}"
    assert as_user("bkpsdm").get(path).json()["email"] == "budi@bandung.go.id"
    assert as_user("bawaslu_staff").get(path).json()["email"] is None
    assert "budi@bandung.go.id" not in as_user("bawaslu_staff").get(f"/asn/{asn.id}").text


def test_a_case_naming_another_regions_asn_names_nobody_and_tells_no_existence(as_user, world):
    kab = as_user("bawaslu_kab")  # scope: region 32.04
    h = {"X-CSRF-Token": csrf_from(kab.get("/").text)}
    payload = {"title": "Temuan", "origin": "temuan", "acts": ["SKB-07"], "region": "32.04"}
    elsewhere = kab.post(
        "/api/v1/cases", json={**payload, "asn_ids": [world.bandung_asn[0]]}, headers=h
    ).json()
    nobody = kab.post("/api/v1/cases", json={**payload, "asn_ids": [987654]}, headers=h).json()
    said = json.dumps(elsewhere)
    assert "Budi Santoso" not in said and "case.asn_unknown" in said
    # an ASN of Kota Bandung answers exactly as an id nobody has
    assert elsewhere["detail"].replace(str(world.bandung_asn[0]), "#") == nobody["detail"].replace(
        "987654", "#"
    )


def test_a_case_page_with_another_regions_nip_does_not_find_it(as_user, world, db):
    kab = as_user("bawaslu_kab")
    page = kab.get("/kasus/baru")
    r = kab.post(
        "/kasus",
        data={
            "title": "Temuan",
            "origin": "temuan",
            "nips": "198001012005011001",  # Budi Santoso, Kota Bandung
            "acts": "SKB-07",
            "csrf_token": csrf_from(page.text),
        },
    )
    assert r.status_code == 422 and "Budi Santoso" not in r.text
    assert "NIP tidak ada di registri wilayah Anda: 198001012005011001" in r.text


def test_staff_file_reports_only_into_their_own_region(as_user, world, db):
    kab = as_user("bawaslu_kab")
    before = db.scalar(select(func.count()).select_from(Report))
    r = kab.post(
        "/api/v1/reports",
        headers={"X-CSRF-Token": csrf_from(kab.get("/").text)},
        data={
            "description": "Camat berpose tiga jari di samping spanduk paslon saat acara warga.",
            "occurred_on": "2024-10-01",
            "known_on": "2024-10-02",
            "region": "32.73",
            "kecamatan": "32.73.01",
            "place": "Balai RW",
            "category": "SKB-07",
            "anonymous": "true",
        },
    )
    assert r.status_code == 422 and "report.region_outside_scope" in r.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Report)) == before


def test_an_opd_admin_sees_the_registry_of_their_own_opd_only(as_user, world, db):
    from netral.core.models import User

    admin = db.scalar(select(User).where(User.username == "opd_admin"))
    admin.opd_id = world.dishub_id
    db.commit()
    c = as_user("opd_admin")
    names = {i["name"] for i in c.get("/api/v1/asn?per_page=200").json()["items"]}
    assert names == {"Budi Santoso"}  # Dinas Perhubungan; not Dinas Pendidikan's teachers
    teacher = world.bandung_asn[1]  # Siti Rahmawati, Dinas Pendidikan
    assert c.get(f"/api/v1/asn/{teacher}").status_code == 404
    assert c.get(f"/asn/{teacher}").status_code == 404
    exported = c.get("/api/v1/asn.csv")
    assert exported.status_code in (200, 403)
    if exported.status_code == 200:
        assert "Siti Rahmawati" not in exported.text
    assert [o["name"] for o in c.get("/api/v1/opd").json()] == ["Dinas Perhubungan"]
    assert "Siti Rahmawati" not in c.get("/asn?q=Siti").text
    assert "Siti Rahmawati" not in c.get("/cari?q=Siti").text  # nor through the one search
    assert "Budi Santoso" in c.get("/cari?q=Budi").text


def test_an_opd_admin_bound_to_no_opd_sees_no_one(as_user, world):
    c = as_user("opd_admin")
    assert c.get("/api/v1/asn?per_page=200").json()["items"] == []
    assert c.get(f"/api/v1/asn/{world.bandung_asn[0]}").status_code == 404
