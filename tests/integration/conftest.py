"""Fixtures the integration tests share: an empty, unmigrated database for migration tests, and
the `netral` command pointed at the test's database and a data directory of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from netral.core.db import make_engine
from netral.core.settings import get_settings

# as tests/conftest.py reads it (importing that module by name would find another conftest)
BACKENDS = os.environ.get("NETRAL_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(params=BACKENDS)
def empty_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """An empty database, not migrated: a SQLite file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield eng
        eng.dispose()
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"netral_mig_{uuid.uuid4().hex[:10]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(admin_url.rsplit("/", 1)[0] + "/" + name)
    yield eng
    eng.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def cli_data_env(monkeypatch, database_url, tmp_path) -> Iterator[None]:
    """The command as an operator runs it: this test's database, a data directory of its own
    (keys, audit checkpoints, evidence), settings read afresh."""
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
