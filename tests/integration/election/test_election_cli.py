"""`netral election load` with both kinds of election, and a bad file that changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.cli import app
from netral.core.audit import AuditEntry
from netral.core.settings import get_settings
from netral.election.models import CandidatePair, Election
from netral.election.service import DEMO_ELECTION

NATIONAL = Path(__file__).resolve().parents[2] / "data" / "pemilu-nasional-2024.yaml"
runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch, database_url):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_election_load_accepts_a_national_pemilu_and_a_city_pilkada(cli_env, db):
    r = runner.invoke(app, ["election", "load", str(NATIONAL)])
    assert r.exit_code == 0, r.output
    assert "pemilu, nasional" in r.output
    r = runner.invoke(app, ["election", "load", str(DEMO_ELECTION)])
    assert r.exit_code == 0, r.output
    assert "pilkada, 32.73" in r.output
    rows = db.execute(
        select(
            Election.code, Election.kind, Election.region_code, Election.candidates_fixed_on
        ).order_by(Election.code)
    ).all()
    assert [(c, k, reg, str(d)) for c, k, reg, d in rows] == [
        ("demo-pilkada-kota-bandung-2024", "pilkada", "32.73", "2024-09-22"),
        ("uji-pemilu-presiden-2024", "pemilu", None, "2023-11-13"),
    ]
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "election.load")).all()
    assert sorted(a.region_code for a in audit) == ["", "32.73"]


@pytest.mark.parametrize(
    ("mutation", "field"),
    [
        (lambda t: t.replace('  region: "32.73"\n', ""), "election.region"),
        (lambda t: t.replace("kind: pilkada", "kind: pilpres"), "election.kind"),
        (
            lambda t: t.replace(
                "candidates_fixed_on: 2024-09-22", "candidates_fixed_on: 2024-12-01"
            ),
            "election.candidates_fixed_on",
        ),
    ],
)
def test_a_bad_election_file_names_the_field_and_changes_nothing(
    cli_env, db, tmp_path, monkeypatch, mutation, field
):
    assert runner.invoke(app, ["election", "load", str(DEMO_ELECTION)]).exit_code == 0
    before = db.execute(select(Election.name, Election.kind, Election.region_code)).all()
    candidates = db.scalar(select(func.count()).select_from(CandidatePair))
    audits = db.scalar(select(func.count()).select_from(AuditEntry))
    db.rollback()  # end the read so the next look sees the command's work

    bad = tmp_path / "rusak.yaml"
    bad.write_text(mutation(DEMO_ELECTION.read_text().replace("(demo)", "(diubah)")))
    r = runner.invoke(app, ["election", "load", str(bad)])
    assert r.exit_code == 1
    assert f"[{field}]" in r.output and "rusak.yaml" in r.output, r.output

    assert db.execute(select(Election.name, Election.kind, Election.region_code)).all() == before
    assert db.scalar(select(func.count()).select_from(CandidatePair)) == candidates
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audits
