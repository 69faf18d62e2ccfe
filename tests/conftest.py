"""Test fixtures: real SQLite and real PostgreSQL, migrated once per session, emptied per test.

PostgreSQL: NETRAL_TEST_DATABASE_URL, else the machine's server at 127.0.0.1:5432 when it
answers, else a throwaway cluster started from Debian's PostgreSQL binaries (pytest-postgresql).
Set NETRAL_TEST_BACKENDS=sqlite to run SQLite only (the default is both).
"""

from __future__ import annotations

import os
import shutil
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

REPO = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    """Before any netral module is imported: a private data dir (keys, job queue), never ./var."""
    import tempfile

    os.environ["NETRAL_DATA_DIR"] = tempfile.mkdtemp(prefix="netral-test-")
    os.environ.pop("NETRAL_DATABASE_URL", None)
    os.environ.setdefault("NETRAL_JOBS", "off")
    from support.pii import start_log_capture

    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    log = REPO / "test-artifacts" / "logs" / f"app-{worker}.log"
    log.unlink(missing_ok=True)
    config.stash[_LOG_KEY] = log
    start_log_capture(log)


_LOG_KEY = pytest.StashKey[Path]()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """No fixture's personal data in any log the session wrote (the app's, the servers')."""
    from support.pii import leaks

    log = session.config.stash.get(_LOG_KEY, None)
    if log is None:
        return
    files = [log]
    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is not None:
        files += sorted(factory.getbasetemp().rglob("server-*.log"))
    found = leaks(files)
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        lines = "\n".join(found[:20])
        message = f"personal data of the fixtures in {len(found)} log line(s):\n{lines}"
        if reporter is not None:
            reporter.write_line(message, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


TESTDATA = Path(os.environ.get("NETRAL_TESTDATA", REPO.parent / "shared" / "data")).resolve()
BACKENDS = os.environ.get("NETRAL_TEST_BACKENDS", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session", autouse=True)
def _isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test session writes into its own data dir (keys, SQLite files), never ./var."""
    from netral.core.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session", autouse=True)
def _wired() -> None:
    """Events reach their subscribers in every test, as in the app (an unwired publish fails)."""
    from netral.wiring import subscribe_handlers

    subscribe_handlers()


@pytest.fixture(scope="session")
def testdata() -> Path:
    if not TESTDATA.is_dir():
        pytest.skip(f"shared test data not found at {TESTDATA} (set NETRAL_TESTDATA)")
    return TESTDATA


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def postgres_admin_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to a PostgreSQL server where we may create a database."""
    if url := os.environ.get("NETRAL_TEST_DATABASE_URL"):
        yield url
        return
    if _port_open("127.0.0.1", 5432):
        yield "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        return
    # no server: start a throwaway cluster with pytest-postgresql's process fixture
    proc = request.getfixturevalue("postgresql_proc")
    yield f"postgresql+psycopg://{proc.user}@{proc.host}:{proc.port}/postgres"


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Redis URL: NETRAL_TEST_REDIS_URL, or database 13 of the server on 127.0.0.1:6379 when
    it answers, or a throwaway `redis-server` (Debian's) started for the session."""
    url = os.environ.get("NETRAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    if _redis_answers(url):
        yield url
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(f"no Redis at {url} and no redis-server to start (apt install redis-server)")
    import subprocess
    import time

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/13"
    try:
        deadline = time.monotonic() + 10
        while not _redis_answers(url):
            assert proc.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: str) -> Iterator[str]:
    """The test's Redis database, emptied before and after (only that database)."""
    import redis

    client = redis.Redis.from_url(redis_server)
    client.flushdb()
    yield redis_server
    client.flushdb()
    client.close()


def _migrated_template(tmp_root: Path) -> Path:
    from netral.core.db import make_engine
    from netral.core.migrate import upgrade

    path = tmp_root / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _migrated_template(tmp_path_factory.mktemp("sqlite-template"))


@pytest.fixture(scope="session")
def postgres_database(postgres_admin_url: str) -> Iterator[str]:
    """A fresh database for this test session, migrated once, dropped at the end."""
    from netral.core.db import make_engine
    from netral.core.migrate import upgrade

    name = f"netral_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(postgres_admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_admin_url.rsplit("/", 1)[0] + "/" + name
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(engine: Engine) -> None:
    import netral.wiring  # noqa: F401
    from netral.core.db import Base

    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables if t.name != "audit_head")
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        conn.execute(
            text("UPDATE audit_head SET n = 0, last_id = 0, last_hash = :h"), {"h": "0" * 64}
        )


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database: SQLite (a copy of the template) or PostgreSQL (truncated)."""
    from netral.core.db import make_engine

    if request.param == "sqlite":
        path = tmp_path / "netral.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        eng = make_engine(f"sqlite:///{path}")
        yield eng
        eng.dispose()
        return
    url = request.getfixturevalue("postgres_database")
    eng = make_engine(url)
    _truncate_postgres(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    from netral.core.db import session_factory

    session = session_factory(engine)()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def database_url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)
