"""Posts: "stance, not abuse": the 2017–2019 training tweets weighted so hate speech stops
predicting `partisan` (issue 11, one more transferable idea).

Run: python benchmarks/screening/posts_reweight.py [--csv FILE] [--strength 1.0 0.5] [--svm-only]
     [--flags HS,Abusive] [--split-calibration] [--tone p4|subjnamed]
     (--tone needs the corpus of corpus/polarity.py)

`okkyibrohim_idhsab` was collected for hate speech: 81% of its partisan rows carry the source's
own HS=1 flag, against 31% of the rest, so a model trained on it can learn "abusive = taking a
side", and a new election's partisan posts that praise read as neutral. Here each label's rows of
that source are weighted so that its HS=1 and HS=0 rows weigh half the label each (the flag is
the training source's own annotation: used only for training weights, never as a feature, never
on a judged post). Everything else is the shipped recipe, judged by `evaluate_by_source`.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from posts_variants import parser, print_header, print_rows, restored  # beside this script

from netral.screening import text as T

SOURCE = "okkyibrohim_idhsab"


FLAGS = ("HS",)  # the source's flags whose strata are balanced within each label (`--flags`)


def hs_flags(csv_path: Path) -> dict[str, str]:
    """Each of the source's texts → its stratum, the values of `FLAGS` ("HS=1", "HS=0;Abusive=1")."""
    with open(csv_path, newline="", encoding="utf-8") as fh:
        out = {}
        for r in csv.DictReader(fh):
            if r["source"] == SOURCE:
                tags = (r["original_label"] or "").split(";")
                out[(r["text"] or "")[: T.MAX_CHARS]] = ";".join(
                    t for t in tags if t.split("=")[0] in FLAGS
                )
        return out


def factors(y: Any, strata: list[str | None], strength: float) -> Any:
    """Within each label, every stratum of the source weighs the same in total."""
    mine = [i for i, s in enumerate(strata) if s is not None]
    n = Counter((int(y[i]), strata[i]) for i in mine)
    per_label = Counter(label for label, _ in n)
    total = Counter(int(y[i]) for i in mine)
    out = np.ones(len(y))
    for i in mine:
        label = int(y[i])
        out[i] = (total[label] / per_label[label] / n[(label, strata[i])]) ** strength
    return out


def balanced_reader(csv_path: Path, strength: float) -> Any:
    flags = hs_flags(csv_path)
    plain = T._read_rows

    def read(path: Path, *args: Any, **kwargs: Any) -> Any:
        rows = plain(path, *args, **kwargs)
        mine = rows.sources == SOURCE
        strata = [flags.get(t) if m else None for t, m in zip(rows.texts, mine, strict=True)]
        rows.weights *= factors(rows.y, strata, strength)
        return rows

    return read


def calibrate_unbalanced(csv_path: Path, strength: float) -> None:
    """The balance weights train the SVM only; the calibrator (and so the threshold) is fitted
    with the posts' own weights, as the real mix of the era's posts."""
    flags = hs_flags(csv_path)
    plain_fit, plain_lr = T._fit, T.LogisticRegression
    current: dict[str, Any] = {}

    def fit(texts: Any, y: Any, groups: Any, **kw: Any) -> Any:
        w = np.asarray(kw["weights"], dtype=np.float64)
        factor = factors(y, [flags.get(t) for t in texts], strength)
        current["w"] = w
        try:
            return plain_fit(texts, y, groups, **{**kw, "weights": w * factor})
        finally:
            current.clear()

    class Calibrator(plain_lr):  # type: ignore[misc,valid-type]
        def fit(self, X: Any, y: Any, sample_weight: Any = None) -> Any:
            w = current.get("w")
            if w is not None and len(w) == len(y):  # the real posts, in order (no extra corpora)
                sample_weight = w
            return super().fit(X, y, sample_weight=sample_weight)

    T._fit, T.LogisticRegression = fit, Calibrator


def split_calibration(csv_path: Path) -> None:
    """The source's strata become calibration groups of their own: each stratum's posts are
    scored by a model trained without it (and calibrate the model, and choose the threshold),
    a shift in writing within the era standing in for the shift to the next election."""
    flags = hs_flags(csv_path)
    inner = T._fit

    def fit(texts: Any, y: Any, groups: Any, **kw: Any) -> Any:
        groups = np.array(
            [
                g if flags.get(t) is None else f"{g}/{flags[t]}"
                for t, g in zip(texts, groups.tolist(), strict=True)
            ]
        )
        return inner(texts, y, groups, **kw)

    T._fit = fit


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--strength", type=float, nargs="*", default=[0.0, 1.0])
    ap.add_argument("--svm-only", action="store_true", help="calibrate with the posts' own weights")
    ap.add_argument("--tone", help="also the polarity features of posts_polarity.py (a variant)")
    ap.add_argument("--flags", default="HS", help="e.g. HS,Abusive: the strata balanced")
    ap.add_argument(
        "--split-calibration",
        action="store_true",
        help="score each stratum out of stratum for the calibration and threshold",
    )
    args = ap.parse_args()
    global FLAGS
    FLAGS = tuple(args.flags.split(","))
    if args.tone:
        import posts_polarity as pp

        with open(pp.CORPUS, newline="", encoding="utf-8") as fh:
            corpus = list(csv.DictReader(fh))
        polarity = pp.Polarity().fit([r["text"] for r in corpus], [r["polarity"] for r in corpus])
        pp.with_tone(polarity, args.tone)
    print_header("HS balance strength")
    for strength in args.strength:
        with restored("_read_rows", "_fit", "LogisticRegression"):
            if args.split_calibration:
                split_calibration(args.csv)
            if args.svm_only and strength:
                calibrate_unbalanced(args.csv, strength)
            elif strength:
                T._read_rows = balanced_reader(args.csv, strength)
            ev = T.evaluate_by_source(args.csv)
        print_rows(ev, strength)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
