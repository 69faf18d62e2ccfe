"""Which ASN a report may be about: the four ways identify finds one (NIP, handle, office, name),
each with its score and reason, read from the registry through its service."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.registry import service as registry
from netral.registry.models import Asn
from netral.screening.identify import identify, identify_finding


@pytest.fixture
def people(db: Session) -> dict[str, int]:
    registry.load_shipped_wilayah(db_session=db, actor=Actor.system())
    dishub = registry.create_opd(
        db_session=db, region_code="32.73", code="DISHUB", name="Dinas Perhubungan", kind="dinas"
    )
    camat = registry.create_opd(
        db_session=db,
        region_code="32.73",
        code="KEC-SKS",
        name="Kecamatan Sukasari",
        kind="kecamatan",
    )
    kab = registry.create_opd(
        db_session=db, region_code="32.04", code="DISDIK", name="Dinas Pendidikan", kind="dinas"
    )
    rows = [
        ("198503122010011003", "Budi Santoso", "Kepala Seksi Angkutan", dishub, "32.73"),
        ("199001012015032001", "Siti Rahmawati", "Camat Sukasari", camat, "32.73"),
        ("199204052020121002", "Andi Pratama", "Sekretaris Camat", camat, "32.73"),
        ("198807082012012004", "Dewi Kartika", "Guru", kab, "32.04"),
    ]
    ids = {}
    for nip, name, position, opd, region in rows:
        asn = Asn(
            nip=nip, name=name, kind="PNS", position=position, opd_id=opd.id, region_code=region
        )
        db.add(asn)
        db.flush()
        ids[name] = asn.id
    budi = db.get(Asn, ids["Budi Santoso"])
    registry.add_account(db_session=db, asn=budi, platform="instagram", handle="@budi.dishub")
    dewi = db.get(Asn, ids["Dewi Kartika"])
    registry.add_account(db_session=db, asn=dewi, platform="tiktok", handle="dewi_guru")
    db.commit()
    return ids


def brief(found):
    return [(c.name, c.opd, c.score, c.why) for c in found]


def test_an_nip_in_the_text_finds_its_asn_in_any_region(db, people):
    found = identify(
        db_session=db,
        region_code="32.73",
        texts=["pelaku ber-NIP 19880708 201201 2 004 dan 198503122010011003 (NIP salah: 123)"],
    )
    assert brief(found) == [
        ("Budi Santoso", "Dinas Perhubungan", 1.0, "NIP 198503122010011003 disebut di laporan"),
        ("Dewi Kartika", "Dinas Pendidikan", 1.0, "NIP 198807082012012004 disebut di laporan"),
    ] or brief(found) == [
        ("Dewi Kartika", "Dinas Pendidikan", 1.0, "NIP 198807082012012004 disebut di laporan"),
        ("Budi Santoso", "Dinas Perhubungan", 1.0, "NIP 198503122010011003 disebut di laporan"),
    ]


def test_a_known_handle_finds_its_owner_only_in_the_report_region(db, people):
    found = identify(
        db_session=db, region_code="32.73", texts=["lihat postingan @budi.dishub. dan @dewi_guru"]
    )
    assert brief(found) == [
        (
            "Budi Santoso",
            "Dinas Perhubungan",
            0.95,
            "akun instagram @budi.dishub tercatat milik ASN ini",
        )
    ]


def test_an_office_named_in_the_text_and_a_similar_name(db, people):
    office = identify(db_session=db, region_code="32.73", texts=["Camat Sukasari, hadir di sana"])
    assert brief(office) == [
        (
            "Siti Rahmawati",
            "Kecamatan Sukasari",
            0.8,
            "jabatan 'Camat Sukasari' cocok dengan 'Camat Sukasari'",
        )
    ]
    # the name scores higher, and the office named beside it raises it further
    both = identify(
        db_session=db,
        region_code="32.73",
        texts=["Camat Sukasari, hadir di sana"],
        names=["Ibu Siti Rahmawaty", ""],
    )
    assert brief(both) == [
        (
            "Siti Rahmawati",
            "Kecamatan Sukasari",
            0.889,
            "nama 'Siti Rahmawaty' mirip 'Siti Rahmawati' (93/100)",
        )
    ]
    by_name = identify(db_session=db, region_code="32.73", texts=[], names=["Andi Pratamaa"])
    assert [(c.name, c.why) for c in by_name] == [
        ("Andi Pratama", "nama 'Andi Pratamaa' mirip 'Andi Pratama' (96/100)")
    ]
    assert by_name[0].score == pytest.approx(0.816, abs=0.001)
    # a name from another region is not suggested
    assert identify(db_session=db, region_code="32.73", texts=[], names=["Dewi Kartika"]) == []


def test_the_finding_lists_candidates_or_says_none_matched(db, people):
    hit = identify_finding(
        db_session=db, region_code="32.73", texts=["NIP 198503122010011003"], names=[]
    )
    assert (hit.kind, hit.label, hit.score) == ("identify", "asn_candidate", 1.0)
    assert hit.why == [
        "Budi Santoso (Kepala Seksi Angkutan, Dinas Perhubungan): "
        "NIP 198503122010011003 disebut di laporan"
    ]
    assert hit.data["candidates"][0]["asn_id"] == people["Budi Santoso"]
    miss = identify_finding(db_session=db, region_code="32.73", texts=["tidak ada"], names=[])
    assert (miss.label, miss.data) == ("no_candidate", {"candidates": []})
