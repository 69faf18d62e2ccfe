"""Migration 0010 on SQLite and PostgreSQL: up, down and up again, rows kept by the tables' rules."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from netral.core.migrate import downgrade, upgrade

BACKENDS = os.environ.get("NETRAL_TEST_BACKENDS", "sqlite,postgresql").split(",")


def test_0010_creates_and_drops_the_turnout_tables(empty_engine):
    upgrade(empty_engine, "0010")
    tables = set(inspect(empty_engine).get_table_names())
    assert {"turnout_row", "turnout_target"} <= tables
    with empty_engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO election (id, code, name, kind, region_code, voting_day, extra) "
                "VALUES (1, 'kota', 'Pilkada Kota', 'pilkada', '32.73', '2024-11-27', '{}')"
            )
        )
        c.execute(
            text(
                "INSERT INTO turnout_row (election_id, level, code, kecamatan_code, name, dpt, "
                "voters, imported_at) VALUES (1, 'kecamatan', '32.73.01', '32.73.01', '', 10, 8, "
                "'2024-11-28 00:00:00+00:00')"
            )
        )
    with pytest.raises(IntegrityError), empty_engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO turnout_row (election_id, level, code, kecamatan_code, name, dpt, "
                "voters, imported_at) VALUES (1, 'kecamatan', '32.73.01', '32.73.01', '', 1, 1, "
                "'2024-11-28 00:00:00+00:00')"
            )
        )
    downgrade(empty_engine, "0012")
    assert not {"turnout_row", "turnout_target"} & set(inspect(empty_engine).get_table_names())
    upgrade(empty_engine, "0010")
