"""Rebuild the text model shipped in the package (`src/netral/screening/textmodel/`).

Run: python benchmarks/screening/train_shipped.py [--csv ../shared/data/posts/posts_train.csv]
     [--extra benchmarks/screening/corpus/SOURCE.csv ...]

Only sources whose licence lets a derived model ship are used (see MODEL_CARD.md there):
`okkyibrohim_idhsab` (CC BY-NC-SA 4.0: the model carries NC-SA), `indonlu_posp_news` and
`indonlu_smsa` (CC BY-SA 4.0). `rizano26_pemilu2024` has no licence: it is used to *evaluate*
the model (held-out 2024 election), never to train it. Deterministic: same data, same model.
`--extra` adds a corpus rebuilt by `benchmarks/screening/corpus/build.py` (licences in
`EXTRA_LICENCES`; none is in the shipped model: none helped, see BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from netral.screening.text import SHIPPED_MODEL_DIR, train

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data"))
SHIPPABLE = {
    "okkyibrohim_idhsab": "CC BY-NC-SA 4.0 (Ibrohim & Budi, ALW3 2019)",
    "indonlu_posp_news": "CC BY-SA 4.0 (IndoNLU POSP, Wilie et al. 2020)",
    "indonlu_smsa": "CC BY-SA 4.0 (IndoNLU SmSA, Wilie et al. 2020)",
}
EXTRA_LICENCES = {
    "jannati2018_stance": "CC BY-NC-SA 4.0 (Jannati et al., IALP 2018)",
    "wardhana2016_stance": "CC BY-NC-SA 4.0 (Jannati et al., IALP 2018; 2016 set by C. W. Wardhana)",
}
MODEL_LICENCE = "CC BY-NC-SA 4.0 (inherited from okkyibrohim_idhsab)"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", type=Path, default=DATA / "posts" / "posts_train.csv")
    ap.add_argument("--out", type=Path, default=SHIPPED_MODEL_DIR)
    ap.add_argument("--extra", type=Path, nargs="*", default=[], help="training-only corpora")
    args = ap.parse_args()
    if not args.csv.is_file():
        print(f"posts CSV not found: {args.csv} (set NETRAL_TESTDATA)", file=sys.stderr)
        return 2
    sources = dict(SHIPPABLE)
    for path in args.extra:
        source = path.stem
        if source not in EXTRA_LICENCES:
            print(f"{path}: no licence recorded for {source!r}", file=sys.stderr)
            return 2
        sources[source] = EXTRA_LICENCES[source]
    metrics = train(
        args.csv,
        args.out,
        sources=SHIPPABLE,
        portable=True,
        extra_metadata={"kind": "shipped", "sources": sources, "licence": MODEL_LICENCE},
        extra=args.extra,
    )
    size = sum(p.stat().st_size for p in args.out.glob("text-model.*"))
    print(json.dumps(metrics.as_dict(), ensure_ascii=False, default=str))
    print(f"model → {args.out} ({size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
