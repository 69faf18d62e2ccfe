"""The demo's turnout: every kelurahan's TPS, deterministic for a seed, a plausible spread."""

from __future__ import annotations

from netral.core.audit import Actor
from netral.core.security import Scope
from netral.demo.loader import load_demo_turnout
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.registry import service as registry
from netral.turnout import service

CODE = "demo-pilkada-kota-bandung-2024"


def test_demo_turnout_is_plausible_and_deterministic(db):
    registry.load_shipped_wilayah(db_session=db, actor=Actor.system())
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    loaded = load_demo_turnout(db_session=db, seed=2024)
    assert 151 * 2 <= loaded <= 151 * 4  # two to four TPS in each of the 151 kelurahan
    first = service.by_kecamatan(db_session=db, scope=Scope("national"), election_code=CODE)
    assert len(first) == 30
    below = [k for k in first if k.percent < 82.9]
    assert 0 < len(below) < 15  # some kecamatan below the target, most above
    assert all(70 <= k.percent <= 90 for k in first)
    assert all(k.gap > 0 for k in below) and all(k.gap == 0 for k in first if k.percent >= 82.9)
    assert load_demo_turnout(db_session=db, seed=2024) == loaded  # replaces, same figures
    again = service.by_kecamatan(db_session=db, scope=Scope("national"), election_code=CODE)
    assert again == first
