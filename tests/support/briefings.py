"""A registry for briefing tests, on top of support.web.seed_world: area offices with their camat
and lurah, an OPD head, two ASN sharing a name, and logins bound to who they are."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.briefings import service as briefings
from netral.core.audit import Actor
from netral.core.calendar import WIB
from netral.core.models import User
from netral.core.security import Scope
from netral.registry import service as registry
from netral.registry.models import Asn, Opd
from netral.registry.nip import make_nip

CITY = "32.73"
BUDI = "198503122010011003"  # seed_world's Dinas Perhubungan staff member


@dataclass
class BriefingWorld:
    dishub: int
    disdik: int
    bapenda: int
    head_nip: str
    camat: list[Asn] = field(default_factory=list)  # of the first three kecamatan
    lurah: list[Asn] = field(default_factory=list)  # of every kelurahan of the first kecamatan
    agus: list[str] = field(default_factory=list)  # two NIPs, one name


def seed_briefing_world(db: Session) -> BriefingWorld:
    """Call after seed_world(db)."""
    rng = random.Random(7)
    dishub = db.scalar(select(Opd).where(Opd.region_code == CITY, Opd.code == "DISHUB"))
    disdik = db.scalar(select(Opd).where(Opd.region_code == CITY, Opd.code == "DISDIK"))
    assert dishub and disdik
    bapenda = registry.create_opd(
        db_session=db,
        region_code=CITY,
        code="BAPENDA",
        name="Badan Pendapatan Daerah",
        kind="badan",
    )
    registry.ensure_area_offices(db_session=db, region_code=CITY)
    db.flush()

    def person(name: str, position: str, opd_id: int, unit_id: int | None = None) -> Asn:
        a = Asn(
            nip=make_nip(rng, birth_year_range=(1965, 1990)),
            name=name,
            kind="PNS",
            position=position,
            golongan="IV/a",
            opd_id=opd_id,
            unit_id=unit_id,
            region_code=CITY,
        )
        db.add(a)
        db.flush()
        return a

    head = person("Hendra Gunawan", "Kepala Dinas Perhubungan", dishub.id)
    world = BriefingWorld(dishub.id, disdik.id, bapenda.id, head.nip)
    world.agus = [
        person("Agus Setiawan", "Pengatur Lalu Lintas", dishub.id).nip,
        person("Agus Setiawan", "Guru", disdik.id).nip,
    ]
    kecamatan = list(
        db.scalars(
            select(Opd)
            .where(Opd.region_code == CITY, Opd.kind == "kecamatan")
            .order_by(Opd.wilayah_code)
        )
    )
    for i, kec in enumerate(kecamatan[:3]):
        world.camat.append(
            person(f"Camat Uji {i}", f"Camat {kec.name.removeprefix('Kecamatan ')}", kec.id)
        )
    for j, kel in enumerate(
        db.scalars(select(Opd).where(Opd.parent_id == kecamatan[0].id).order_by(Opd.wilayah_code))
    ):
        world.lurah.append(
            person(
                f"Lurah Uji {j}",
                f"Lurah {kel.name.removeprefix('Kelurahan ')}",
                kecamatan[0].id,
                kel.id,
            )
        )
    registry.refresh_headcount(db_session=db, region_code="32.73")  # as every ASN write ends
    # logins bound to who they are: the ASN login is Budi, the OPD admin runs Dinas Perhubungan
    db.scalar(select(User).where(User.username == "asn")).nip = BUDI  # type: ignore[union-attr]
    db.scalar(select(User).where(User.username == "opd_admin")).opd_id = dishub.id  # type: ignore[union-attr]
    db.commit()
    return world


def make_event(db: Session, *, days_from_now: float = -30, **fields: Any) -> int:
    """An event in Kota Bandung starting `days_from_now` days from now (negative: past)."""
    start = datetime.now(WIB) + timedelta(days=days_from_now)
    data: dict[str, Any] = {
        "title": "Sosialisasi netralitas",
        "region_code": CITY,
        "day": start.date().isoformat(),
        "start": "00:00",
        "end": "23:00",
        "place": "Aula Bakesbangpol",
        "topics": ["netralitas"],
        "audience_opd": "all",
        "checkin_closes": "23:30",
    }
    data.update(fields)
    b = briefings.create_briefing(
        db_session=db,
        scope=Scope("national"),
        briefing_in=briefings.read_briefing_in(data),
        actor=Actor.system(),
    )
    db.commit()
    return b.id
