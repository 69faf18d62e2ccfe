"""A user sees only their region: a guessed id from another region is not found."""

import pytest


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
