"""Posts: throughput of the two text stages on one core, and leave-one-source-out quality.

Run: python benchmarks/screening/posts.py [--csv FILE] [--repeat R] [--out benchmarks/results/posts.md]

Goals (issue 4): >= 5,000 posts/s on one core for lexicon + model together; macro-F1 >= 0.85 on
held-out sources with `partisan` precision >= 0.90. The figures are written as they are,
misses included.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import yaml

from netral.election.schemas import ElectionIn
from netral.screening.text import TextScreener, _read_csv, evaluate_by_source, train

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data"))
DEMO = ROOT / "src/netral/election/data/demo-pilkada-kota-bandung-2024.yaml"


NOTES = """
## Notes (measured while building it, same leave-one-source-out protocol, pooled)

| variant | macro-F1 | partisan P | partisan R |
| --- | --- | --- | --- |
| raw text, word TF-IDF + logistic regression, argmax | 0.534 | 0.583 | 0.376 |
| raw text, word + char TF-IDF + linear SVM, argmax | 0.668 | 0.741 | 0.389 |
| normalised text (placeholders, split hashtags, cue tokens), argmax | 0.721 | 0.752 | 0.503 |
| same + learned-name masking (`xcalonx`), argmax | 0.721 | 0.736 | 0.513 |
| **shipped**: same, calibrated, partisan threshold for precision | 0.636 | 0.919 | 0.243 |
| shipped with SVM C=0.1 | 0.608 | 0.945 | 0.202 |

- The goal of macro-F1 0.85 is **missed**. Normalisation (placeholders, split hashtags, cue
  tokens) is what moved held-out macro-F1 (0.668 → 0.721); choosing the partisan threshold for
  precision ≥ 0.90 then costs recall, and macro-F1 with it (0.721 → 0.636). A wrong accusation
  costs as much as a miss, so the precision-first threshold is kept; `argmax` is one line away.
- Why held-out is hard here: with four sources, holding out `okkyibrohim_idhsab` (2017–2019
  hate speech about named politicians) leaves only hashtag-heavy 2024 campaign tweets to learn
  `partisan` from, and vice versa; its `other` class is full of insults that are not political.
  When a source is held out, the remaining three cannot score every label out of source, so
  calibration falls back to the SVM softmax and a fixed threshold of 0.6 (a random-split
  calibration was tried and was worse: precision 0.59 on the held-out 2024 source).
- What the lexicon adds: the training posts carry no election file, so only the generic
  ballot-number patterns fire there (25 posts with a call or reference; calls: 10 of 11
  partisan after the `#Nomor2Koruptor` / "mencoblos lima surat suara" traps were fixed). On a
  new election the lexicon is what recognises the candidates: the integration test screens
  posts about the demo's fictional candidates (never in training) correctly, e.g.
  "Dukung terus Kang Hendra dan Ceu Dewi #HeDe2024" → partisan via the hashtag rule and the
  `xcalonx` placeholder. There is no labelled set from an unseen election to put a figure on it.
- Throughput is measured on a shared 2-core machine under load (see the load figure above); the
  per-stage costs measured on a quieter moment: lexicon ~17 µs, normalise ~19 µs, features
  ~56 µs, SVM + calibration ~2 µs, explanations ~14 µs per post.
"""


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return f"pinned to CPU {min(os.sched_getaffinity(0))}"
    return "not pinned"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}"


def rate(screener: TextScreener, texts: list[str], repeat: int) -> float:
    screener.classify_many(texts[:500])  # warm the per-word cache, as a worker would be
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        screener.classify_many(texts)
        best = min(best, time.perf_counter() - t0)
    return len(texts) / best


def fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", type=Path, default=DATA / "posts" / "posts_train.csv")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "posts.md")
    args = ap.parse_args()
    if not args.csv.is_file():
        print(f"posts CSV not found: {args.csv} (set NETRAL_TESTDATA)", file=sys.stderr)
        return 2
    pinned = pin_one_core()
    election = ElectionIn.model_validate(yaml.safe_load(DEMO.read_text()))
    texts, _, _ = _read_csv(args.csv)

    with tempfile.TemporaryDirectory() as tmp:
        model_path = Path(tmp) / "text.joblib"
        t0 = time.perf_counter()
        metrics = train(args.csv, model_path)
        train_s = time.perf_counter() - t0
        both = TextScreener(model_path, elections=[election])
        lex_only = TextScreener(None, elections=[election])
        r_both = rate(both, texts, args.repeat)
        r_lex = rate(lex_only, texts, args.repeat)

    t0 = time.perf_counter()
    loso = evaluate_by_source(args.csv)
    loso_s = time.perf_counter() - t0
    o = loso.overall
    choice = metrics.threshold_choice
    # as the results have always shown it: the members it has
    shown = (
        choice
        if isinstance(choice, str)
        else {k: v for k, v in asdict(choice).items() if v not in (None, "")}
    )

    def ok(cond: bool) -> str:
        return "met" if cond else "**missed**"

    lines = [
        "# Posts: partisan-text screening",
        "",
        f"Command: `python benchmarks/screening/posts.py` ({time.strftime('%Y-%m-%d')})  ",
        f"Machine: {machine()}; {pinned}.  ",
        f"Data: `{args.csv.name}`, {len(texts)} posts, sources {', '.join(metrics.sources)}.",
        "",
        "## Against the goals",
        "",
        "| measure | figure | goal | |",
        "| --- | --- | --- | --- |",
        f"| lexicon + model, posts/s on one core (best of {args.repeat}) | {r_both:,.0f} | ≥ 5,000 "
        f"| {ok(r_both >= 5000)} |",
        f"| macro-F1, leave-one-source-out (pooled) | {o.macro_f1:.3f} | ≥ 0.85 | "
        f"{ok(o.macro_f1 >= 0.85)} |",
        f"| `partisan` precision, leave-one-source-out | {fmt(o.partisan_precision)} | ≥ 0.90 | "
        f"{ok((o.partisan_precision or 0) >= 0.90)} |",
        f"| `partisan` recall, leave-one-source-out | {fmt(o.partisan_recall)} | – | |",
        "",
        f"Lexicon and rules alone (no model): {r_lex:,.0f} posts/s. Training on all posts: "
        f"{train_s:.1f} s (threshold chosen: {metrics.threshold}; "
        f"{shown}). Leave-one-source-out run: {loso_s:.0f} s.",
        "",
        "## Per held-out source",
        "",
        "Each source is screened by a model (calibration and threshold included) trained on the "
        "other sources only. Macro-F1 per source averages over the labels present in it or "
        "predicted, so a source with one label has a low macro-F1 even when accuracy is high.",
        "",
        "| held-out source | posts | accuracy | macro-F1 | partisan P | partisan R | flagged | "
        "threshold |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for src, s in loso.per_source.items():
        lines.append(
            f"| {src} | {s.posts} | {s.accuracy:.3f} | {s.macro_f1:.3f} | "
            f"{fmt(s.partisan_precision)} | {fmt(s.partisan_recall)} | "
            f"{s.partisan_flagged} | {s.threshold} |"
        )
    lines += [
        f"| **all (pooled)** | {o.posts} | {o.accuracy:.3f} | {o.macro_f1:.3f} | "
        f"{fmt(o.partisan_precision)} | {fmt(o.partisan_recall)} | "
        f"{o.partisan_flagged} | |",
        "",
        "Per-label F1 (pooled): "
        + ", ".join(f"{k} {v:.3f}" for k, v in o.per_label_f1.items())
        + ".",
        "",
    ]
    lines += NOTES.splitlines()
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
