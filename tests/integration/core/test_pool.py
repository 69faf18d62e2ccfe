"""The PostgreSQL connection pool is sized by NETRAL_DB_POOL_SIZE and NETRAL_DB_MAX_OVERFLOW."""

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, text

from netral.app import create_app
from netral.core.settings import Settings


def test_the_pool_is_the_size_the_settings_ask_for(engine: Engine, tmp_path, monkeypatch):
    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("NETRAL_DB_POOL_SIZE", "3")
    monkeypatch.setenv("NETRAL_DB_MAX_OVERFLOW", "2")
    settings = Settings(database_url=url, data_dir=tmp_path)
    assert (settings.db_pool_size, settings.db_max_overflow) == (3, 2)
    pooled: Engine = create_app(settings).state.engine
    if engine.dialect.name == "sqlite":
        return  # SQLite keeps SQLAlchemy's own pool: the settings are for PostgreSQL
    assert pooled.pool.size() == 3
    # five connections at once are served: 3 kept, 2 overflow
    held = [pooled.connect() for _ in range(5)]
    try:
        assert all(c.execute(text("SELECT 1")).scalar() == 1 for c in held)
        assert pooled.pool.checkedout() == 5
    finally:
        for c in held:
            c.close()
    assert pooled.pool.checkedin() == 3  # the overflow closed when returned
    pooled.dispose()


def test_a_bad_pool_size_is_refused_with_the_variable_named(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRAL_DB_POOL_SIZE", "0")
    with pytest.raises(ValidationError, match="db_pool_size"):
        Settings(data_dir=tmp_path)
