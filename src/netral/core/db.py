"""Engine, sessions and the declarative base; SQLite (WAL, foreign keys) and PostgreSQL alike."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, inspect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from netral.core.errors import NetralError, problem
from netral.core.settings import Settings, get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Every id column is an INTEGER: int4 on PostgreSQL (SQLite's is wider). No row has an id above
# this, and a larger value sent to the database overflows the driver (a 500) instead of matching
# nothing, so requests are refused at the edge with ids outside 1..MAX_ROW_ID.
MAX_ROW_ID = 2**31 - 1
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# Column info of every column that holds an evidence-store hash: the sweep keeps what they name,
# so a new kind of stored file is safe from the sweep by saying so where it is declared.
BLOB = {"blob": True}
# ... and of a column holding a metadata-free copy made by the app (kept plain, never sealed)
DERIVATIVE = {"blob": True, "derivative": True}


def blob_columns() -> list[Any]:
    """Every column, of every table loaded, that refers to a blob in the evidence store."""
    return [
        col
        for table in Base.metadata.sorted_tables
        for col in table.columns
        if col.info.get("blob")
    ]


def referenced_blobs(db_session: Session, *, originals_only: bool = False) -> set[str]:
    """The hashes any row refers to: what the evidence sweep must never delete (or, with
    `originals_only`, what was uploaded or written as a document: what is kept sealed)."""
    from sqlalchemy import select

    found: set[str] = set()
    derived: set[str] = set()
    for col in blob_columns():
        values = db_session.scalars(select(col).where(col.is_not(None)).distinct())
        (derived if col.info.get("derivative") else found).update(values)
    return found - derived if originals_only else found | derived


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC; SQLite hands back naive values, this makes them aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store aware UTC datetimes only")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # the database file (and its WAL, which SQLite creates with the same mode) owner-only
    path = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"), "")
    cursor.close()
    if path and os.path.exists(path) and os.stat(path).st_mode & 0o077:
        os.chmod(path, 0o600)


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


_engines: dict[str, Engine] = {}


def pool_options(settings: Settings) -> dict[str, Any]:
    """The connection pool the settings ask for (PostgreSQL; SQLite keeps SQLAlchemy's own)."""
    if settings.is_sqlite:
        return {}
    return {"pool_size": settings.db_pool_size, "max_overflow": settings.db_max_overflow}


def harden_data_dir(settings: Settings) -> None:
    """The data directory readable by its owner only (0700), the SQLite files 0600: it holds the
    keyring, sealed identities, evidence and the audit checkpoints."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.data_dir.chmod(0o700)
    if settings.is_sqlite:
        db_file = Path(settings.database_url.removeprefix("sqlite:///"))
        for f in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
            if f.exists():
                f.chmod(0o600)


def get_engine(settings: Settings | None = None) -> Engine:
    settings = settings or get_settings()
    url = settings.database_url
    if url not in _engines:
        if settings.is_sqlite:
            harden_data_dir(settings)
        _engines[url] = make_engine(url, **pool_options(settings))
    return _engines[url]


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """Everything written inside commits together or not at all."""
    session = session_factory(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


class DatabaseNotMigrated(NetralError):
    status = 503


def database_unavailable() -> NetralError:
    """The database did not answer (a restart, a network cut): try again shortly. The pool
    replaces dead connections by itself, so the app needs no restart."""
    return NetralError(
        problem(
            "db.unavailable",
            "Layanan sedang tidak dapat menjangkau basis data. Tidak ada yang tersimpan dari "
            "permintaan ini; coba lagi dalam beberapa detik.",
            "The service cannot reach its database right now. Nothing of this request was "
            "saved; try again in a few seconds.",
        ),
        status=503,
        headers={"Retry-After": "5"},
    )


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    from netral.core.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return str(row[0]) if row else None


def ensure_migrated(engine: Engine) -> None:
    """Refuse to run on a database that is not at the latest migration; say how to fix it."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise DatabaseNotMigrated(
            problem(
                "db.not_migrated",
                f"Basis data belum dimigrasikan (revisi {current or 'kosong'}, "
                f"seharusnya {head}). Jalankan: netral db upgrade",
                f"The database is not migrated (revision {current or 'none'}, expected {head}). "
                "Run: netral db upgrade",
            )
        )
