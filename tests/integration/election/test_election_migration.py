"""Migration 0005 on SQLite and PostgreSQL: existing elections and their pairs survive it."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text

from netral.core.migrate import downgrade, upgrade

# as tests/conftest.py reads it (importing that module by name would find another conftest)
BACKENDS = os.environ.get("NETRAL_TEST_BACKENDS", "sqlite,postgresql").split(",")


def test_0005_keeps_elections_and_pairs_and_allows_a_national_one(empty_engine):
    upgrade(empty_engine, "0004")
    with empty_engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO election (id, code, name, kind, region_code, voting_day, extra) "
                "VALUES (1, 'kota', 'Pilkada Kota', 'pilkada', '32.73', '2024-11-27', '{}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO candidate_pair (election_id, ballot_number, head_name, deputy_name, "
                "nicknames, parties, slogans, hashtags, accounts) "
                "VALUES (1, 1, 'Satu', 'Dua', '[]', '[]', '[]', '[]', '[]')"
            )
        )
    upgrade(empty_engine)
    with empty_engine.begin() as c:
        # the copy SQLite makes of the table must not cascade into the pairs
        assert c.execute(text("SELECT count(*) FROM candidate_pair")).scalar() == 1
        assert c.execute(text("SELECT region_code FROM election")).scalar() == "32.73"
        c.execute(
            text(
                "INSERT INTO election (id, code, name, kind, region_code, voting_day, "
                "candidates_fixed_on, extra) VALUES (2, 'nasional', 'Pemilu', 'pemilu', NULL, "
                "'2024-02-14', '2023-11-13', '{}')"
            )
        )
    if empty_engine.dialect.name == "sqlite":
        with empty_engine.connect() as c:
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    downgrade(empty_engine, "0005")  # the case flow (0006) sits on top since issue 9
    # a national election has no region to go back to: the downgrade refuses
    with pytest.raises(RuntimeError, match="national"):
        downgrade(empty_engine, "0004")
    with empty_engine.begin() as c:
        c.execute(text("DELETE FROM election WHERE id = 2"))
    downgrade(empty_engine, "0004")
    upgrade(empty_engine)
    with empty_engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM candidate_pair")).scalar() == 1
