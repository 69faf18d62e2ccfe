"""The held-out photo sets' label files: pinned, licensed, labelled consistently, disjoint."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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


def _shared_sources() -> set[tuple[str, str]] | None:
    labels = ROOT.parent / "shared" / "data" / "gestures" / "labels.csv"
    if not labels.exists():
        return None  # the shared data is not on every machine
    with labels.open(newline="") as fh:
        return {(r["source_repo"], r["source_path"].split(" ")[0]) for r in csv.DictReader(fh)}


def test_third_heldout_set_is_pinned_licensed_and_labelled() -> None:
    mod = _module("heldout3_photos")
    rows = mod.sources()
    assert 50 <= len(rows) <= 80
    assert len({r["file"] for r in rows}) == len(rows)
    posing = [r for r in rows if not r["gesture"].startswith("none")]
    assert 0.4 <= len(posing) / len(rows) <= 0.6
    assert set(mod.COMMITS) == {r["source_repo"] for r in rows}
    for r in rows:
        assert len(mod.COMMITS[r["source_repo"]]) == 40
        assert int(mod.COMMITS[r["source_repo"]], 16) >= 0
        assert mod.LICENCES[r["source_repo"]]
        counts = [p for p in r["per_hand"].split(";") if p]
        if r["gesture"].startswith("none"):
            assert not counts, r["file"]
        else:
            assert counts, r["file"]
            assert all(p.isdigit() and 1 <= int(p) <= 5 for p in counts), r["file"]
        if r["crop"]:
            x0, y0, x1, y1 = (int(v) for v in r["crop"].split())
            assert 0 <= x0 < x1 and 0 <= y0 < y1, r["file"]
            assert r["file"].endswith(".png"), r["file"]  # crops are written as PNG
    assert any(r["gesture"] == "victory" for r in rows)


def test_third_heldout_set_shares_no_source_with_any_earlier_set() -> None:
    third = {(r["source_repo"], r["source_path"]) for r in _rows("heldout3_photos.csv")}
    earlier = {(r["source_repo"], r["source_path"]) for r in _rows("heldout_photos.csv")}
    earlier |= {(r["source_repo"], r["source_path"]) for r in _rows("heldout2_photos.csv")}
    earlier |= {(repo, path) for _, repo, path in _module("hard_negatives").SOURCES}
    shared = _shared_sources()
    if shared is not None:
        earlier |= shared
    assert not third & earlier
    # no repository of an earlier set either, so no copy of the same file at another path
    assert not {repo for repo, _ in third} & {repo for repo, _ in earlier}
    assert not any(repo == "hukenovs/hagrid" or "Sign-Language" in repo for repo, _ in third)


def _sha256s(folder: Path) -> set[str]:
    return {hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.glob("*") if p.is_file()}


def test_third_heldout_set_shares_no_photo_content_with_the_built_sets() -> None:
    out = ROOT / "benchmarks" / "out"
    third = out / "heldout3" / "raw"
    if not third.is_dir():
        return  # built by heldout3_photos.py; the photos are not committed
    mine = _sha256s(third)
    assert len(mine) == len(_rows("heldout3_photos.csv"))  # no two photos of the set alike
    others = [out / name / "raw" for name in ("heldout", "heldout2", "hardneg")]
    others.append(ROOT.parent / "shared" / "data" / "gestures")
    for folder in others:
        if folder.is_dir():
            assert not mine & _sha256s(folder), folder
