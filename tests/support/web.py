"""Shared by the HTTP and browser tests: a world of two regions and a user per role."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.models import User
from netral.core.security import hash_password, roles
from netral.registry import service
from netral.registry.models import Asn

PASSWORD = "rahasia-uji-123"


@functools.cache
def _hash() -> str:
    return hash_password(PASSWORD)


@dataclass
class World:
    bandung_asn: list[int]
    kabbdg_asn: list[int]
    dishub_id: int


def seed_world(db: Session) -> World:
    actor = Actor.system()
    service.load_shipped_wilayah(db_session=db, actor=actor)
    dishub = service.create_opd(
        db_session=db, region_code="32.73", code="DISHUB", name="Dinas Perhubungan", kind="dinas"
    )
    service.create_opd(
        db_session=db,
        region_code="32.73",
        code="DISHUB-SEK",
        name="Sekretariat",
        kind="unit",
        parent=dishub,
    )
    disdik = service.create_opd(
        db_session=db, region_code="32.73", code="DISDIK", name="Dinas Pendidikan", kind="dinas"
    )
    kab = service.create_opd(
        db_session=db,
        region_code="32.04",
        code="DISDIK",
        name="Dinas Pendidikan Kabupaten Bandung",
        kind="dinas",
    )
    people = [
        (
            "198503122010011003",
            "Budi Santoso",
            "PNS",
            "Kepala Seksi Angkutan",
            "III/d",
            dishub,
            "32.73",
        ),
        ("199001012015032001", "Siti Rahmawati", "PNS", "Guru", "III/b", disdik, "32.73"),
        ("199204052020121002", "Andi Pratama", "PPPK", "Guru", "IX", disdik, "32.73"),
        ("198807082012012004", "Dewi Kartika", "PNS", "Guru", "III/c", kab, "32.04"),
    ]
    ids: dict[str, list[int]] = {"32.73": [], "32.04": []}
    for nip, name, kind, pos, gol, opd, region in people:
        asn = Asn(
            nip=nip,
            name=name,
            kind=kind,
            position=pos,
            golongan=gol,
            opd_id=opd.id,
            region_code=region,
        )
        db.add(asn)
        db.flush()
        ids[region].append(asn.id)
    for region in ids:  # as every write to the ASN ends
        service.refresh_headcount(db_session=db, region_code=region)
    scopes = {"admin": ("national", "")}
    accounts = [(code, code, *scopes.get(code, ("region", "32.73"))) for code in roles()]
    accounts += [
        ("bawaslu_kab", "bawaslu_staff", "region", "32.04"),
        ("bawaslu_jabar", "bawaslu_staff", "province", "32"),
    ]
    for username, role, kind, sc in accounts:
        # one argon2 hash for every test user: hashing is deliberately slow
        db.add(
            User(
                username=username,
                full_name=f"Uji {username}",
                password_hash=_hash(),
                role=role,
                scope_kind=kind,
                scope_code=sc,
            )
        )
    db.commit()
    return World(ids["32.73"], ids["32.04"], dishub.id)


def csrf_from(html: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert m, "no CSRF field in the page"
    return m.group(1)


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/masuk")
    r = client.post(
        "/masuk",
        data={
            "username": username,
            "password": password,
            "csrf_token": csrf_from(page.text),
            "next": "/",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    return client


def camat_report(description: str) -> dict[str, str]:
    """A report on the city's Sukasari camat as a form sends it (seen two days ago, learnt of
    yesterday, at a Balai RW); the caller adds `anonymous` or the reporter's identity."""
    from datetime import date, timedelta

    today = date.today()
    return {
        "description": description,
        "occurred_on": (today - timedelta(days=2)).isoformat(),
        "known_on": (today - timedelta(days=1)).isoformat(),
        "kecamatan": "32.73.01",
        "kelurahan": "32.73.01.1001",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "reported_name": "Asep Sunandar",
        "reported_position": "Camat Sukasari",
    }
