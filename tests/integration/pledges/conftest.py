"""A campaign over the shared test world: Dinas Perhubungan (1 ASN) and Dinas Pendidikan (2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from netral.core.audit import Actor
from netral.core.crypto import keyring
from netral.core.models import User
from netral.core.settings import Settings
from netral.pledges import service
from netral.registry.models import Asn

from support.pledges import BUDI, campaign_in
from support.web import seed_world


@dataclass
class PledgeWorld:
    campaign: service.PledgeCampaign
    asn_user: User
    opd_admin: User
    bkpsdm: User
    budi: Asn
    dishub_id: int
    disdik_id: int
    settings: Settings


@pytest.fixture
def pw(db, tmp_path: Path) -> PledgeWorld:
    world = seed_world(db)
    budi = db.scalar(select(Asn).where(Asn.nip == BUDI))
    budi.contact_enc = keyring().encrypt("budi.santoso@bandung.go.id\x1f0812000000", BUDI.encode())
    users = {u.username: u for u in db.scalars(select(User))}
    users["asn"].nip = BUDI
    users["opd_admin"].opd_id = world.dishub_id
    users["opd_admin"].email = "admin.dishub@bandung.go.id"
    disdik_id = db.scalar(select(Asn.opd_id).where(Asn.nip == "199001012015032001"))
    campaign = service.create_campaign(
        db_session=db, campaign_in=campaign_in(), actor=Actor.system()
    )
    db.commit()
    return PledgeWorld(
        campaign,
        users["asn"],
        users["opd_admin"],
        users["bkpsdm"],
        budi,
        world.dishub_id,
        disdik_id,
        Settings(data_dir=tmp_path / "data"),
    )
