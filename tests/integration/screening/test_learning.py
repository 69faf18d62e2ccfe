"""Retraining on staff decisions: validated on held-out sources, and a worse model is refused.

The decisions here are posts of the shared set the base data does not hold: labelled as read, they
make a model no worse; with their labels deliberately turned around, a worse one.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import joblib
import pytest

from netral.screening import learning
from netral.screening.decisions import TextLabel
from netral.screening.text import TextScreener

PER_SOURCE = 300
DECISIONS = 600
WRONG = {"partisan": "other", "other": "partisan", "political_neutral": "partisan"}


@pytest.fixture(scope="module")
def split(testdata: Path, tmp_path_factory) -> tuple[Path, list[dict[str, str]]]:
    """A small base set (every source, every label) and a pool of other posts to decide on."""
    with (testdata / "posts" / "posts_train.csv").open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["label"] and r["source"]]
    random.Random(7).shuffle(rows)
    by_source: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_source.setdefault(r["source"], []).append(r)
    base, pool = [], []
    for items in by_source.values():
        base += items[:PER_SOURCE]
        pool += items[PER_SOURCE:]
    path = tmp_path_factory.mktemp("learn") / "base.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "source"])
        w.writerows([r["text"], r["label"], r["source"]] for r in base)
    return path, pool[:DECISIONS]


def test_a_model_trained_on_wrong_decisions_is_refused(split, tmp_path):
    base_csv, pool = split
    wrong = [TextLabel(r["text"], WRONG[r["label"]], "m") for r in pool]
    out = tmp_path / "text.joblib"
    outcome = learning.train_from_decisions(
        base=learning.read_base(base_csv), labels=wrong, current_model=None, out=out
    )
    assert not outcome.accepted
    assert outcome.candidate.macro_f1 < outcome.reference.macro_f1 - learning.TOLERANCE_MACRO_F1
    assert any("macro-F1 turun" in p for p in outcome.problems)
    assert set(outcome.reference.per_source) == set(outcome.candidate.per_source)
    assert learning.DECISIONS_SOURCE not in outcome.candidate.per_source
    assert not out.exists()  # nothing installed


def test_a_no_worse_model_is_installed_with_a_new_version(split, tmp_path):
    base_csv, pool = split
    right = [TextLabel(r["text"], r["label"], "m") for r in pool]
    out = tmp_path / "text.joblib"
    base = learning.read_base(base_csv)
    outcome = learning.train_from_decisions(base=base, labels=right, current_model=None, out=out)
    assert outcome.accepted, outcome.problems
    assert not learning.judge(outcome.reference, outcome.candidate)
    assert outcome.decisions_used == len(right)
    assert out.is_file() and TextScreener(out).model == outcome.model_version
    payload = joblib.load(out)
    assert payload["validation"]["base_fingerprint"] == base.fingerprint
    assert payload["decisions"] == len(right) and payload["base_csv"] == str(base_csv)
    # the next retraining compares against what this model recorded, and finds its own base
    assert learning.base_from_model(out) == base_csv
    again = learning.train_from_decisions(
        base=base, labels=right[: DECISIONS // 2], current_model=out, out=tmp_path / "next.joblib"
    )
    # the bar is the better of this model's figures and the ones it was judged against
    assert again.reference == learning.higher(outcome.candidate, outcome.reference)
    assert again.reference.macro_f1 >= outcome.reference.macro_f1
    assert again.reference.partisan_precision >= outcome.reference.partisan_precision
    assert "dicatat model terpasang" in again.reference_from


def test_decisions_repeating_base_posts_are_not_new_labels(split, tmp_path):
    base_csv, _ = split
    base = learning.read_base(base_csv)
    repeats = [TextLabel(text, WRONG[label], "m") for text, label, _ in base.rows[:50]]
    with pytest.raises(learning.TrainingRefused, match="belum ada keputusan staf"):
        learning.train_from_decisions(
            base=base, labels=repeats, current_model=None, out=tmp_path / "x.joblib"
        )


def test_base_data_that_cannot_be_validated_is_refused(tmp_path):
    one = tmp_path / "satu.csv"
    one.write_text("text,label,source\nCoblos 3!,partisan,a\nCuaca cerah,other,a\n")
    with pytest.raises(learning.TrainingRefused, match="sedikitnya 2 sumber"):
        learning.read_base(one)
    no_source = tmp_path / "tanpa.csv"
    no_source.write_text("text,label\nCoblos 3!,partisan\n")
    with pytest.raises(learning.TrainingRefused, match="source"):
        learning.read_base(no_source)
    with pytest.raises(learning.TrainingRefused, match="tidak ada"):
        learning.read_base(tmp_path / "hilang.csv")
