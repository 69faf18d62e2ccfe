"""`netral screen text` as scripts use it: one JSON object per post, in input order, on a fresh data
directory with no model of the operator's own, with several election files at once."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from netral.cli import app
from netral.core.settings import get_settings
from netral.election.service import DEMO_ELECTION

MADE_UP = Path(__file__).resolve().parents[2] / "data" / "pilkada-rekaan-transfer.yaml"
runner = CliRunner()


@pytest.fixture
def fresh_data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


POSTS = [
    "Salam dua jari, Pak Tanto pasti menang",
    "Bawaslu ingatkan ASN jaga netralitas selama pilkada",
    "harga cabai di pasar naik lagi",
    "",
    "Dukung terus Kang Hendra dan Ceu Dewi #HeDe2024",
]


def test_csv_with_repeated_elections_gives_one_object_per_post_in_order(
    fresh_data_dir: Path,
) -> None:
    path = fresh_data_dir / "posts.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "isi"])
        w.writerows([[i, t] for i, t in enumerate(POSTS)])
    args = ["screen", "text", "--csv", str(path), "--column", "isi", "--json"]
    args += ["--election", str(MADE_UP), "--election", str(DEMO_ELECTION)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(rows) == len(POSTS)
    for row in rows:
        assert set(row) == {"label", "score", "why", "model"}
        assert row["label"] in ("partisan", "political_neutral", "other")
        assert 0.0 <= row["score"] <= 1.0 and isinstance(row["why"], list)
        assert "shipped" in row["model"]  # no model of the operator's own in a fresh data dir
    labels = [row["label"] for row in rows]
    assert labels == ["partisan", "political_neutral", "other", "other", "partisan"]
    assert rows[3]["why"] == ["teks kosong"]


def test_stdin_one_post_per_line(fresh_data_dir: Path) -> None:
    r = runner.invoke(app, ["screen", "text", "--json"], input="coblos no 2\nresep sambal\n")
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [row["label"] for row in rows] == ["partisan", "other"]


def test_a_missing_column_changes_nothing_and_says_why(fresh_data_dir: Path) -> None:
    path = fresh_data_dir / "posts.csv"
    path.write_text("text\nhalo\n")
    r = runner.invoke(app, ["screen", "text", "--csv", str(path), "--column", "isi", "--json"])
    assert r.exit_code == 2
    assert "isi" in r.output
