"""The held-out photo sets' label files: pinned, licensed, labelled consistently, disjoint."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "benchmarks" / "screening"


def _module(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows(name: str) -> list[dict[str, str]]:
    with (SCRIPTS / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


def test_second_heldout_set_is_pinned_licensed_and_labelled() -> None:
    mod = _module("heldout2_photos")
    rows = mod.sources()
    assert len(rows) >= 50
    assert len({r["file"] for r in rows}) == len(rows)
    posing = [r for r in rows if not r["gesture"].startswith("none")]
    assert 0.4 <= len(posing) / len(rows) <= 0.6
    for r in rows:
        assert len(mod.COMMITS[r["source_repo"]]) == 40
        assert mod.LICENCES[r["source_repo"]]
        counts = [p for p in r["per_hand"].split(";") if p]
        if r["gesture"].startswith("none"):
            assert not counts, r["file"]
        else:
            assert all(p.isdigit() and 1 <= int(p) <= 5 for p in counts), r["file"]


def test_second_heldout_set_shares_no_photo_with_the_tuning_sets() -> None:
    clean = {(r["source_repo"], r["source_path"]) for r in _rows("heldout2_photos.csv")}
    first = {(r["source_repo"], r["source_path"]) for r in _rows("heldout_photos.csv")}
    hard = {(repo, path) for _, repo, path in _module("hard_negatives").SOURCES}
    assert not clean & first
    assert not clean & hard
    assert not any(repo == "hukenovs/hagrid" for repo, _ in clean)


def test_second_heldout_set_shares_no_photo_with_the_shared_set() -> None:
    labels = ROOT.parent / "shared" / "data" / "gestures" / "labels.csv"
    if not labels.exists():
        return  # the shared data is not on every machine
    with labels.open(newline="") as fh:
        shared = {(r["source_repo"], r["source_path"].split(" ")[0]) for r in csv.DictReader(fh)}
    clean = {(r["source_repo"], r["source_path"]) for r in _rows("heldout2_photos.csv")}
    assert not clean & shared
