"""Gesture screening on the labelled shared photos (NETRAL_TESTDATA/gestures).

Figures reached when written (benchmarks/results/photos.md): precision 1.00, recall 0.91,
count accuracy 100% on hands found as signs. The assertions sit a margin below.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from netral.screening.gestures import GestureScreener


@pytest.fixture(scope="module")
def screener() -> GestureScreener:
    return GestureScreener()


@pytest.fixture(scope="module")
def outcomes(testdata: Path, screener: GestureScreener) -> list[tuple[dict[str, str], object]]:
    folder = testdata / "gestures"
    if not (folder / "labels.csv").is_file():
        pytest.skip(f"no labelled gesture photos at {folder}")
    with (folder / "labels.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    return [(row, screener.analyze(folder / row["file"])) for row in rows]


def test_banned_pose_precision_and_recall(outcomes: list) -> None:
    tp = sum(1 for row, r in outcomes if r.banned_pose and not row["gesture"].startswith("none"))
    fp = sum(1 for row, r in outcomes if r.banned_pose and row["gesture"].startswith("none"))
    fn = sum(
        1 for row, r in outcomes if not r.banned_pose and not row["gesture"].startswith("none")
    )
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.95, (tp, fp)
    assert recall >= 0.88, (tp, fn)  # 42/46 reached; one more miss is 0.89


def test_count_on_hands_found_as_signs(outcomes: list) -> None:
    compared = right = 0
    for row, r in outcomes:
        per_hand = [p for p in row["per_hand"].split(";") if p]
        if row["gesture"].startswith("none") or not all(p.isdigit() for p in per_hand):
            continue
        want = [int(p) for p in per_hand]
        for hand in [h for h in r.hands if h.deliberate][: len(want)]:
            compared += 1
            if hand.count in want:
                want.remove(hand.count)
                right += 1
    assert compared >= 30
    assert right / compared >= 0.9


def test_number_shown_follows_the_pose(outcomes: list) -> None:
    numbers = {"four": 4, "victory": 2, "pointing_up_index": 1, "thumbs_up": 1}
    checked = 0
    for row, r in outcomes:
        want = numbers.get(row["gesture"])
        if want is not None and r.banned_pose:
            checked += 1
            assert r.number_shown == want, row["file"]
    assert checked >= 10


def test_negatives_are_not_flagged(outcomes: list, screener: GestureScreener) -> None:
    for row, r in outcomes:
        if row["gesture"].startswith("none"):
            finding = screener.finding(r)
            assert finding.label != "banned_pose", (row["file"], finding.why)
