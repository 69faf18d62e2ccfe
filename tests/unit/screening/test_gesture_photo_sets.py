"""The held-out photo sets' label files: pinned, licensed, labelled consistently, disjoint."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[3]
SCRIPTS = ROOT / "benchmarks" / "screening"


def _module(name: str) -> ModuleType:
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))  # the builders import `photo_sets` from beside them
    spec = importlib.util.spec_from_file_location(f"_bench_{name}", SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows(name: str) -> list[dict[str, str]]:
    with (SCRIPTS / name).open(newline="") as fh:
        return list(csv.DictReader(fh))


def _shared_sources() -> set[tuple[str, str]] | None:
    labels = ROOT.parent / "shared" / "data" / "gestures" / "labels.csv"
    if not labels.exists():
        return None  # the shared data is not on every machine
    with labels.open(newline="") as fh:
        return {(r["source_repo"], r["source_path"].split(" ")[0]) for r in csv.DictReader(fh)}


def _sources(name: str) -> set[tuple[str, str]]:
    return {(r["source_repo"], r["source_path"]) for r in _rows(f"{name}.csv")}


# the held-out sets in the order they were built; each was labelled before any screener saw it
SETS = [
    "heldout_photos",
    "heldout2_photos",
    "heldout3_photos",
    "heldout4_photos",
    "heldout5_photos",
    "heldout6_photos",
]


@pytest.mark.parametrize("name", SETS)
def test_heldout_set_is_pinned_licensed_and_labelled(name: str) -> None:
    mod = _module(name)
    rows = _rows(f"{name}.csv")
    assert 50 <= len(rows) <= 80
    assert len({r["file"] for r in rows}) == len(rows)
    posing = [r for r in rows if not r["gesture"].startswith("none")]
    assert 0.15 <= len(posing) / len(rows) <= 0.6  # both kinds, enough of each to measure
    assert set(mod.COMMITS) == {r["source_repo"] for r in rows}
    for r in rows:
        assert len(mod.COMMITS[r["source_repo"]]) == 40
        assert int(mod.COMMITS[r["source_repo"]], 16) >= 0
        assert mod.LICENCES[r["source_repo"]]
        counts = [p for p in r["per_hand"].split(";") if p]
        if r["gesture"].startswith("none"):
            assert not counts, r["file"]
        else:
            assert all(p.isdigit() and 1 <= int(p) <= 5 for p in counts), r["file"]
        if r["crop"]:
            x0, y0, x1, y1 = (int(v) for v in r["crop"].split())
            assert 0 <= x0 < x1 and 0 <= y0 < y1, r["file"]
            assert r["file"].endswith(".png"), r["file"]  # crops are written as PNG


def test_second_heldout_set_shares_no_photo_with_the_tuning_sets() -> None:
    clean = _sources("heldout2_photos")
    hard = {(repo, path) for _, repo, path in _module("hard_negatives").SOURCES}
    assert not clean & _sources("heldout_photos")
    assert not clean & hard
    assert not any(repo == "hukenovs/hagrid" for repo, _ in clean)
    shared = _shared_sources()
    assert shared is None or not clean & shared


@pytest.mark.parametrize("index", range(2, len(SETS)))
def test_later_heldout_set_shares_no_source_with_any_earlier_set(index: int) -> None:
    """From the third set on, not even a repository of an earlier set (no copy at another path)."""
    mine = _sources(SETS[index])
    earlier = set().union(*(_sources(name) for name in SETS[:index]))
    earlier |= {(repo, path) for _, repo, path in _module("hard_negatives").SOURCES}
    shared = _shared_sources()
    if shared is not None:
        earlier |= shared
    assert not mine & earlier
    assert not {repo for repo, _ in mine} & {repo for repo, _ in earlier}
    assert not any(repo == "hukenovs/hagrid" or "Sign-Language" in repo for repo, _ in mine)


def _sha256s(folder: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*") if p.is_file()}


@pytest.mark.parametrize("index", range(2, len(SETS)))
def test_later_heldout_set_shares_no_photo_content_with_the_built_sets(index: int) -> None:
    out = ROOT / "benchmarks" / "out"
    folder = out / SETS[index].removesuffix("_photos") / "raw"
    if not folder.is_dir():
        return  # built by its builder script; the photos are not committed
    mine = _sha256s(folder)
    assert len(mine) == len(_rows(f"{SETS[index]}.csv"))  # no two photos of the set alike
    others = [out / name.removesuffix("_photos") / "raw" for name in SETS[:index]]
    others += [out / "hardneg" / "raw", ROOT.parent / "shared" / "data" / "gestures"]
    for other in others:
        if other.is_dir():
            assert not mine & _sha256s(other), other
