"""Posts: "stance, not abuse": the 2017–2019 training tweets weighted so hate speech stops
predicting `partisan` (issue 11, one more transferable idea).

Run: python benchmarks/screening/posts_reweight.py [--csv FILE]

`okkyibrohim_idhsab` was collected for hate speech: 81% of its partisan rows carry the source's
own HS=1 flag, against 35% of the rest, so a model trained on it can learn "abusive = taking a
side", and a new election's partisan posts that praise read as neutral. Here each label's rows of
that source are weighted so that its HS=1 and HS=0 rows weigh half the label each (the flag is
the training source's own annotation: used only for training weights, never as a feature, never
on a judged post). Everything else is the shipped recipe, judged by `evaluate_by_source`.
"""

from __future__ import annotations

import argparse
import csv
import os
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from netral.screening import text as T

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data"))
SOURCE = "okkyibrohim_idhsab"


def hs_flags(csv_path: Path) -> dict[str, bool]:
    with open(csv_path, newline="", encoding="utf-8") as fh:
        return {
            (r["text"] or "")[: T.MAX_CHARS]: "HS=1" in (r["original_label"] or "")
            for r in csv.DictReader(fh)
            if r["source"] == SOURCE
        }


def balanced_reader(csv_path: Path, strength: float) -> Any:
    flags = hs_flags(csv_path)
    plain = T._read_rows

    def read(path: Path, *args: Any, **kwargs: Any) -> Any:
        rows = plain(path, *args, **kwargs)
        mine = rows.sources == SOURCE
        hs = np.array([flags.get(t, False) for t in rows.texts]) & mine
        n = Counter(zip(rows.y[mine].tolist(), hs[mine].tolist(), strict=True))
        for i in np.flatnonzero(mine):
            label, flag = int(rows.y[i]), bool(hs[i])
            total = n[(label, True)] + n[(label, False)]
            target = 0.5 * total / n[(label, flag)]
            rows.weights[i] *= target**strength
        return rows

    return read


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", type=Path, default=DATA / "posts" / "posts_train.csv")
    ap.add_argument("--strength", type=float, nargs="*", default=[0.0, 1.0])
    args = ap.parse_args()
    plain = T._read_rows
    print(
        "| HS balance strength | held-out | macro-F1 | partisan P | partisan R | flagged | threshold | F1 p/n/o |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for strength in args.strength:
        T._read_rows = balanced_reader(args.csv, strength) if strength else plain
        ev = T.evaluate_by_source(args.csv)
        for group, s in ev.per_source.items():
            f = s.per_label_f1
            print(
                f"| {strength} | {group} | {s.macro_f1:.3f} | {s.partisan_precision} | "
                f"{s.partisan_recall} | {s.partisan_flagged} | {s.threshold} | "
                f"{f['partisan']:.3f}/{f['political_neutral']:.3f}/{f['other']:.3f} |"
            )
    T._read_rows = plain
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
