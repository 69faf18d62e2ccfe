"""Checkpoints outside the database: a rolled-back or restored-from-old database fails verify."""

from __future__ import annotations

import json
import shutil
import stat
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from netral.cli import app as cli
from netral.core import audit
from netral.core.anchor import AnchorFile, anchor_to, check
from netral.core.audit import Actor, verify
from netral.core.crypto import Keyring
from netral.core.settings import get_settings

runner = CliRunner()


@pytest.fixture
def anchor(engine, tmp_path) -> AnchorFile:
    ring = Keyring.load_or_create(tmp_path / "keys" / "secret.key")
    file = AnchorFile(tmp_path / "audit" / "checkpoints.log", ring.mac)
    anchor_to(engine, file)
    return file


def _write(engine, n: int, *, commit: bool = True) -> None:
    with Session(engine) as s:
        for i in range(n):
            audit.record(
                s,
                actor=Actor(1, "petugas", "bawaslu_staff"),
                action="test.step",
                object_type="case",
                object_id=i,
                summary={"i": i},
            )
        if commit:
            s.commit()
        else:
            s.rollback()


def _roll_back_to(engine, row: int) -> None:
    """What the probe did: delete the newest rows and rewrite the head to match."""
    with engine.begin() as conn:
        last_hash = conn.execute(
            text("SELECT hash FROM audit_entry WHERE id = :i"), {"i": row}
        ).scalar_one()
        conn.execute(text("DELETE FROM audit_entry WHERE id > :i"), {"i": row})
        conn.execute(
            text("UPDATE audit_head SET last_id = :i, last_hash = :h WHERE id = 1"),
            {"i": row, "h": last_hash},
        )


def test_each_commit_that_audits_is_checkpointed_and_a_rollback_writes_none(engine, anchor):
    _write(engine, 3)
    _write(engine, 2)
    _write(engine, 4, commit=False)
    checkpoints, problem = anchor.read()
    assert problem == "" and [c.row for c in checkpoints] == [3, 5]
    assert checkpoints[1].prev == checkpoints[0].mac  # chained
    assert stat.S_IMODE(anchor.path.stat().st_mode) == 0o600
    assert check(engine, anchor).ok


def test_deleting_the_newest_rows_and_rewriting_the_head_passes_the_chain_but_not_the_anchor(
    engine, anchor
):
    _write(engine, 4)
    _write(engine, 3)
    _roll_back_to(engine, 4)
    assert verify(engine).ok  # the chain alone cannot see it: that is the hole
    result = check(engine, anchor)
    assert not result.ok
    assert "rows 5..7 are missing" in result.problem and "ends at row 4" in result.problem


def test_a_rewritten_newest_row_is_named(engine, anchor):
    _write(engine, 3)
    _roll_back_to(engine, 2)
    _write(engine, 1)  # a new row 3 with another content and hash
    result = check(engine, anchor)
    assert not result.ok and "row 3 differs from checkpoint" in result.problem


def test_an_older_copy_of_the_database_put_back_fails(engine, anchor, tmp_path):
    if engine.dialect.name != "sqlite":
        pytest.skip("copying the database file is the SQLite way to put back an old copy")
    _write(engine, 2)
    db_file = engine.url.database
    engine.dispose()
    shutil.copy(db_file, tmp_path / "old.db")
    _write(engine, 2)
    engine.dispose()
    shutil.copy(tmp_path / "old.db", db_file)
    for suffix in ("-wal", "-shm"):
        (tmp_path / f"netral.db{suffix}").unlink(missing_ok=True)
    assert verify(engine).ok
    assert "rows 3..4 are missing" in check(engine, anchor).problem


def test_a_removed_or_altered_checkpoint_line_is_named(engine, anchor):
    for _ in range(3):
        _write(engine, 1)
    lines = anchor.path.read_text().splitlines(keepends=True)
    anchor.path.write_text(lines[0] + lines[2])
    assert "does not follow line 1" in check(engine, anchor).problem
    forged = json.loads(lines[1])
    forged["row"] = 1
    anchor.path.write_text(lines[0] + json.dumps(forged) + "\n" + lines[2])
    assert "not signed by this keyring" in check(engine, anchor).problem


def test_writers_in_parallel_keep_one_chain(engine, anchor):
    threads = [threading.Thread(target=_write, args=(engine, 2)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    checkpoints, problem = anchor.read()
    assert problem == "" and len(checkpoints) == 4
    assert max(c.row for c in checkpoints) == 8 and check(engine, anchor).ok


def test_the_commands_name_the_gap_and_show_the_newest_checkpoint(
    monkeypatch, database_url, engine, tmp_path
):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        assert runner.invoke(cli, ["calendar", "add", "2024-12-26", "Cuti"]).exit_code == 0
        assert runner.invoke(cli, ["calendar", "add", "2024-12-27", "Cuti"]).exit_code == 0
        shown = runner.invoke(cli, ["audit", "anchor", "--json"])
        assert shown.exit_code == 0, shown.output
        newest = json.loads(shown.stdout)["newest"]
        assert newest["row"] >= 2 and len(newest["hash"]) == 64
        assert runner.invoke(cli, ["audit", "verify"]).exit_code == 0
        _roll_back_to(engine, newest["row"] - 1)
        r = runner.invoke(cli, ["audit", "verify"])
        said = " ".join(r.output.split())  # Rich wraps long lines
        assert r.exit_code == 1 and "behind its newest checkpoint" in said
        assert f"rows {newest['row']}..{newest['row']} are missing" in said
    finally:
        get_settings.cache_clear()


def test_a_commit_checkpoints_on_its_own_connection(engine, tmp_path) -> None:
    """The checkpoint needs no second connection: with every pooled connection held by a
    committing session, a second one would wait for the pool and deadlock (it did, at 32
    reports at once). A pool of one connection and no overflow must still commit and anchor."""
    from netral.core.db import make_engine

    small = make_engine(
        engine.url.render_as_string(hide_password=False),
        pool_size=1,
        max_overflow=0,
        pool_timeout=2,
    )
    ring = Keyring.load_or_create(tmp_path / "keys" / "secret.key")
    file = AnchorFile(tmp_path / "audit" / "small.log", ring.mac)
    anchor_to(small, file)
    try:
        _write(small, 2)
        _write(small, 1)
        checkpoints, problem = file.read()
        assert not problem and [c.row for c in checkpoints] == [2, 3]
        assert check(small, file).ok
    finally:
        small.dispose()
