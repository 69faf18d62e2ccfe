"""What the posts variant scripts (posts_polarity.py, posts_reweight.py, posts_calib.py) share:
the training CSV flag, the held-out table they print, and putting back the recipe they patch."""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from netral.screening import text as T

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data"))
SCORES = ("held-out", "macro-F1", "partisan P", "partisan R", "flagged", "threshold", "F1 p/n/o")


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The script's flags start from `--csv`, the posts every variant is judged on."""
    ap = argparse.ArgumentParser(description=doc)
    ap.add_argument("--csv", type=Path, default=DATA / "posts" / "posts_train.csv")
    return ap


def print_header(*columns: str) -> None:
    """The table's head: the variant's own columns, then the held-out scores."""
    names = [*columns, *SCORES]
    print("| " + " | ".join(names) + " |")
    print("|" + " --- |" * len(names))


def print_rows(ev: T.SourceEvaluation, *cells: object, flush: bool = False) -> None:
    """One row a held-out group, after the variant's own `cells`."""
    for group, s in ev.per_source.items():
        f = s.per_label_f1
        scores = (
            group,
            f"{s.macro_f1:.3f}",
            s.partisan_precision,
            s.partisan_recall,
            s.partisan_flagged,
            s.threshold,
            f"{f['partisan']:.3f}/{f['political_neutral']:.3f}/{f['other']:.3f}",
        )
        print("| " + " | ".join(str(c) for c in (*cells, *scores)) + " |", flush=flush)


@contextmanager
def restored(*names: str) -> Iterator[None]:
    """The shipped recipe's `names` in `netral.screening.text` as they were, whatever a variant
    patched meanwhile: the next variant starts from the recipe, not from the last one."""
    saved = {name: getattr(T, name) for name in names}
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(T, name, value)
