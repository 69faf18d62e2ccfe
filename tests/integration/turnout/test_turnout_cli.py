"""`netral turnout import|show|target`: the JSON contract scripts depend on, and the exit codes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.cli import app
from netral.core.audit import Actor
from netral.core.settings import get_settings
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.registry import service as registry
from netral.turnout.models import TurnoutRow

CODE = "demo-pilkada-kota-bandung-2024"
runner = CliRunner()
CONTRACT = {
    "rows",
    "valid",
    "errors",
    "error_count",
    "election",
    "level",
    "replaced",
    "written",
    "dry_run",
    "partial",
    "summary",
}


@pytest.fixture
def cli_env(monkeypatch, database_url, db):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("NETRAL_LANG", "id")
    get_settings.cache_clear()
    registry.load_shipped_wilayah(db_session=db, actor=Actor.system())
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    yield
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, dict]:
    r = runner.invoke(app, ["turnout", *args])
    return r.exit_code, json.loads(r.stdout)


def test_import_json_contract_errors_then_partial_then_replace(cli_env, db, tmp_path):
    path = tmp_path / "kecamatan.csv"
    path.write_text(
        "Kode Kec,Nama,dpt,pengguna_hak_pilih\n"
        "32.73.01,Sukasari,1000,850\n"
        "32.73.02,Coblong,900,950\n",
        encoding="utf-8",
    )
    code, out = run(
        "import",
        str(path),
        "--election",
        CODE,
        "--level",
        "kecamatan",
        "--map",
        "kode_wilayah=Kode Kec",
        "--json",
    )
    assert code == 1
    assert set(out) == CONTRACT
    assert (out["rows"], out["valid"], out["written"]) == (2, 1, False)
    assert out["errors"] == [
        {
            "row": 3,
            "column": "pengguna_hak_pilih",
            "code": "turnout.voters_exceed_dpt",
            "message": "pengguna hak pilih 32.73.02 (950) lebih banyak dari DPT (900)",
        }
    ]
    assert db.scalar(select(func.count()).select_from(TurnoutRow)) == 0

    args = ("import", str(path), "--election", CODE, "--map", "kode_wilayah=Kode Kec", "--json")
    code, out = run(*args, "--dry-run", "--partial")
    assert (code, out["valid"], out["written"]) == (1, 1, False)
    assert db.scalar(select(func.count()).select_from(TurnoutRow)) == 0
    code, out = run(*args, "--partial")
    assert (code, out["valid"], out["written"], out["level"]) == (1, 1, True, "kecamatan")
    path.write_text("Kode Kec,dpt,pengguna_hak_pilih\n327302,900,800\n", encoding="utf-8")
    code, out = run(*args)
    assert (code, out["valid"], out["replaced"], out["errors"]) == (0, 1, 1, [])
    assert "menggantikan 1 baris" in out["summary"]

    code, shown = run("show", "--election", CODE, "--json")
    assert code == 0
    assert shown["kecamatan"] == [
        {
            "code": "32.73.02",
            "name": "Coblong",
            "dpt": 900,
            "voters": 800,
            "percent": 88.89,
            "target": 82.9,
            "gap": 0,
        }
    ]
    assert shown["totals"]["levels"] == ["kecamatan"]


def test_unknown_election_and_missing_file_are_json_errors(cli_env, tmp_path):
    code, out = run("import", str(tmp_path / "none.csv"), "--election", CODE, "--json")
    assert code == 1 and out["errors"][0]["code"] == "turnout.file_not_found"
    code, out = run("import", str(tmp_path / "none.csv"), "--election", "nope", "--json")
    assert code == 1 and out["errors"][0]["code"] == "election.not_found"


def test_target_command(cli_env):
    r = runner.invoke(app, ["turnout", "target", "--election", CODE, "--percent", "79.5"])
    assert r.exit_code == 0, r.output
    code, shown = run("show", "--election", CODE, "--json")
    assert (code, shown["target"]) == (0, 79.5)
    r = runner.invoke(app, ["turnout", "target", "--election", CODE, "--percent", "0"])
    assert r.exit_code == 1 and "turnout.target_invalid" in r.output
