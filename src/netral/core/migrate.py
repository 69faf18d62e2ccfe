"""Alembic, driven from code: no alembic.ini to lose, one command `netral db upgrade`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

# The Alembic scripts sit above every domain (their env.py imports all tables); core only
# names their folder, it never imports them.
MIGRATIONS = Path(__file__).parents[1] / "migrations"


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if url:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run every migration up to `revision` in one transaction (on PostgreSQL a migration may
    step out of it for what cannot run inside one: CREATE INDEX CONCURRENTLY)."""
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` in one transaction."""
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, step: Callable[[Config, str], None], revision: str) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # A batch migration copies a table and drops the old one; with foreign keys on, that
            # drop deletes every row referencing it (ON DELETE CASCADE) or fails. The pragma only
            # takes effect outside a transaction, so it is set before the migrations begin.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        cfg.attributes["connection"] = connection
        if not sqlite:
            # Alembic's own transaction, all migrations in one, which a migration may leave for
            # what cannot run inside one (CREATE INDEX CONCURRENTLY in an autocommit_block)
            step(cfg, revision)
            connection.commit()
            return
        try:
            with connection.begin():
                step(cfg, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:  # rolled back: a migration left rows pointing nowhere
                        raise RuntimeError(f"foreign keys broken by the migration: {broken[:5]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()
