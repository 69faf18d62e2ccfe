"""Backup and restore as a round trip: every row, every evidence object, the audit chain."""

from __future__ import annotations

import hashlib
import shutil
import tarfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from typer.testing import CliRunner

from netral.cli import app as cli
from netral.core.anchor import check
from netral.core.audit import verify
from netral.core.backup import backup, restore
from netral.core.crypto import Keyring
from netral.core.db import make_engine
from netral.core.errors import ValidationFailed
from netral.core.settings import Settings, get_settings
from netral.core.storage import LocalEvidenceStore
from netral.wiring import anchor_file

from support.demo_season import load_demo_season

runner = CliRunner()


def _rows(engine: Engine) -> dict[str, list[str]]:
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(engine).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(repr(tuple(r)) for r in rows)
    return out


def _objects(data_dir: Path) -> dict[str, str]:
    root = data_dir / "evidence" / "objects"
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()
    }


@pytest.fixture
def empty_target(engine, tmp_path, request) -> Iterator[Engine]:
    """An empty database of the same kind as `engine`: a new SQLite file, a new PostgreSQL db."""
    if engine.dialect.name == "sqlite":
        target = make_engine(f"sqlite:///{tmp_path / 'restored' / 'netral.db'}")
        (tmp_path / "restored").mkdir()
        yield target
        target.dispose()
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"netral_restore_{uuid.uuid4().hex[:8]}"
    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = make_engine(admin_url.rsplit("/", 1)[0] + "/" + name)
    yield target
    target.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_a_season_backs_up_and_restores_row_for_row_and_blob_for_blob(
    engine, db, tmp_path, empty_target
):
    source_dir = tmp_path / "source"
    settings = Settings(data_dir=source_dir, database_url=str(engine.url.render_as_string(False)))
    ring = Keyring.load_or_create(settings.secret_key_file)
    load_demo_season(db, source_dir, asn=40, keys=ring)
    anchor_file(settings).append(
        *db.execute(text("SELECT last_id, last_hash FROM audit_head")).one()
    )
    made = backup(engine=engine, settings=settings, keyring=ring, out=tmp_path / "b.tar")
    assert made.objects > 0 and made.tables["report"] > 0
    with tarfile.open(made.path) as tar:
        assert not [n for n in tar.getnames() if "keys" in n]  # never the keys

    restored_dir = tmp_path / "restored-data"
    (restored_dir / "keys").mkdir(parents=True)
    shutil.copy(settings.secret_key_file, restored_dir / "keys" / "secret.key")
    target_settings = Settings(
        data_dir=restored_dir, database_url=empty_target.url.render_as_string(False)
    )
    restore(engine=empty_target, settings=target_settings, keyring=ring, source=made.path)

    assert _rows(empty_target) == _rows(engine)
    assert _objects(restored_dir) == _objects(source_dir)
    restored = LocalEvidenceStore(restored_dir / "evidence", ring)
    assert all(restored.verify(name) for name in _objects(restored_dir))
    # originals travel sealed: no photo in the backup opens without the keys
    assert any(restored.is_sealed(name) for name in _objects(restored_dir))
    assert verify(empty_target).ok
    anchored = check(empty_target, anchor_file(target_settings))
    assert anchored.ok and anchored.checkpoints == 1


def test_restore_refuses_a_database_with_tables_and_changes_nothing(engine, db, tmp_path):
    settings = Settings(data_dir=tmp_path / "d", database_url=engine.url.render_as_string(False))
    ring = Keyring.load_or_create(settings.secret_key_file)
    made = backup(engine=engine, settings=settings, keyring=ring, out=tmp_path / "b.tar")
    before = _rows(engine)
    with pytest.raises(ValidationFailed) as refused:
        restore(engine=engine, settings=settings, keyring=ring, source=made.path)
    assert refused.value.code == "restore.database_not_empty"
    assert _rows(engine) == before


def test_restore_refuses_other_keys(engine, tmp_path, empty_target):
    settings = Settings(data_dir=tmp_path / "d", database_url=engine.url.render_as_string(False))
    made = backup(
        engine=engine,
        settings=settings,
        keyring=Keyring.load_or_create(settings.secret_key_file),
        out=tmp_path / "b.tar",
    )
    other = Keyring.load_or_create(tmp_path / "other" / "secret.key")
    target = Settings(
        data_dir=tmp_path / "t", database_url=empty_target.url.render_as_string(False)
    )
    with pytest.raises(ValidationFailed) as refused:
        restore(engine=empty_target, settings=target, keyring=other, source=made.path)
    assert refused.value.code == "restore.keys"
    assert not inspect(empty_target).get_table_names()


def test_the_commands_round_trip_and_refuse_a_file_that_is_no_backup(
    engine, database_url, db, tmp_path, monkeypatch
):
    if engine.dialect.name != "sqlite":
        pytest.skip("the command's round trip on PostgreSQL is the test above")
    key_file = tmp_path / "src" / "keys" / "secret.key"
    load_demo_season(db, tmp_path / "src", asn=20, keys=Keyring.load_or_create(key_file))
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "src"))
    get_settings.cache_clear()
    try:
        made = runner.invoke(cli, ["backup", str(tmp_path / "b.tar")])
        assert made.exit_code == 0, made.output
        key = get_settings().secret_key_file
        monkeypatch.setenv("NETRAL_DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'netral.db'}")
        monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "new"))
        get_settings.cache_clear()
        no_keys = runner.invoke(cli, ["restore", str(tmp_path / "b.tar")])
        assert no_keys.exit_code == 1 and "restore.keys" in no_keys.output
        (tmp_path / "new" / "keys").mkdir(parents=True, exist_ok=True)
        shutil.copy(key, tmp_path / "new" / "keys" / "secret.key")
        junk = tmp_path / "junk.tar"
        junk.write_bytes(b"not a tar file")
        bad = runner.invoke(cli, ["restore", str(junk)])
        assert bad.exit_code == 1 and "backup.unreadable" in bad.output
        done = runner.invoke(cli, ["restore", str(tmp_path / "b.tar")])
        assert done.exit_code == 0, done.output
        assert "audit log intact" in done.output
        again = runner.invoke(cli, ["restore", str(tmp_path / "b.tar")])
        assert again.exit_code == 1 and "restore.database_not_empty" in again.output
    finally:
        get_settings.cache_clear()
