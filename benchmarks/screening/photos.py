"""Gesture screening on photos: speed against the bare MediaPipe hands call, and accuracy.

Run: python benchmarks/screening/photos.py [--data DIR] [--hard-negatives DIR] [--repeat R]
     [--out benchmarks/results/photos.md]

- Speed: photos/s of `GestureScreener.analyze` (the whole pipeline: geometry, poses, tiles when
  no hand is found) and of the bare `mp.solutions.hands.Hands.process` call with the same
  settings, on the same decoded photos, in the same process.
  Each photo's calls run back to back, best of R per photo, summed. Both start from decoded RGB arrays, so JPEG decoding (the same for both) is left out; the
  pipeline from file paths is reported too. Goal: pipeline >= 0.9x the bare call.
- Accuracy on the labelled photos (`gestures/labels.csv`; a `gesture` starting with `none` is a
  negative): photo-level banned-pose precision and recall; per-hand count accuracy on the hands
  found as deliberate signs in positive photos with a known per-hand count.
- Hard negatives (`benchmarks/out/hardneg/raw`, made by `hard_negatives.py`): photos of people
  with busy or relaxed hands and no sign; the share flagged.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from pathlib import Path

from netral.screening import gestures as G

REPO = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NETRAL_TESTDATA", REPO.parent / "shared" / "data"))
IMAGE_EXT = {".jpg", ".jpeg", ".png", ".webp"}
NOTES = """## Notes

- Against the plain tip-beyond-joint rule measured in the issue (3 of 14 negatives flagged, 46% of
  busy-hand photos flagged, precision 0.55): 0 of 14 negatives flagged here, and 1 of 46 hard
  negatives (people with busy or relaxed hands, see `hard_negatives.py`).
- Recall is short of the 0.95 goal because MediaPipe finds no hand at all in 4 positive photos
  (a frame-filling close-up, two dark or far phone signs, a tiny far hand). Every positive photo in
  which a hand was found was flagged. Square crops on tall photos recover one far hand
  (`mpmm_four_07a5a144`); 2x2 tiles for large photos are not exercised by this set.
- The speed ratio sits at the 0.9x edge: the two tall photos with no hand found on the first pass
  are searched again in 2-3 square crops, which costs about 8 ms a crop; the geometry itself costs
  about 0.3 ms a photo. On this shared 2-core machine the absolute rates vary 2-3x between runs
  (other jobs); timed per photo back to back the ratio came out 0.89x-1.00x over four runs
  (whole-loop timing swung 0.74x-0.99x with the load). Dropping the crops would give ~1.0x and
  lose one recalled photo.
- Count accuracy is measured on the hands found as deliberate signs only; hands not found, or
  found but not read as signs, are the recall misses above.
- Thumbs-down photos are labelled positive (one finger shown) and are read as the rulebook's
  `thumbs_up` code with the direction written in `why`: a rulebook decision to confirm.
- The hard-negative set is small (46 photos, 26 hands found; many hands in them are too small or
  hidden for MediaPipe to find at all), so "1 of 46" is a coarse figure, not a precision estimate
  for the hidden set.
"""


def labelled(data: Path) -> list[dict[str, str]]:
    with (data / "gestures" / "labels.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def evaluate(screener: G.GestureScreener, data: Path) -> dict[str, object]:
    rows = labelled(data)
    tp = fp = fn = tn = 0
    hands_compared = hands_right = 0
    misses: list[str] = []
    for row in rows:
        result = screener.analyze(data / "gestures" / row["file"])
        positive = not row["gesture"].startswith("none")
        flagged = result.banned_pose
        if positive and flagged:
            tp += 1
        elif positive:
            fn += 1
            found = ", ".join(f"{h.pose}/{h.count}/{h.score:.2f}" for h in result.hands)
            misses.append(f"missed `{row['file']}` ({row['gesture']}): {found or 'no hand found'}")
        elif flagged:
            fp += 1
            found = ", ".join(f"{h.pose}/{h.count}/{h.score:.2f}" for h in result.hands)
            misses.append(f"flagged `{row['file']}` ({row['gesture']}): {found}")
        else:
            tn += 1
        per_hand = [p for p in row["per_hand"].split(";") if p]
        if positive and per_hand and all(p.isdigit() for p in per_hand):
            want = sorted(int(p) for p in per_hand)
            signs = [h for h in result.hands if h.deliberate][: len(want)]
            got = sorted(h.count for h in signs)
            for n in got:
                hands_compared += 1
                if n in want:
                    want.remove(n)
                    hands_right += 1
                else:
                    misses.append(f"count `{row['file']}`: found {n}, labelled {row['per_hand']}")
    return {
        "photos": len(rows),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "hands_compared": hands_compared,
        "count_accuracy": hands_right / hands_compared if hands_compared else float("nan"),
        "misses": misses,
    }


def hard_negatives(screener: G.GestureScreener, folder: Path) -> dict[str, object]:
    files = sorted(p for p in folder.glob("*") if p.suffix.lower() in IMAGE_EXT)
    flagged = []
    hands = 0
    for f in files:
        r = screener.analyze(f)
        hands += len(r.hands)
        if r.banned_pose:
            flagged.append(
                f"`{f.name}`: "
                + ", ".join(f"{h.pose}/{h.score:.2f}" for h in r.hands if h.deliberate)
            )
    return {"photos": len(files), "hands": hands, "flagged": flagged}


def speed(screener: G.GestureScreener, paths: list[Path], repeat: int) -> dict[str, float]:
    import mediapipe as mp

    bare = mp.solutions.hands.Hands(
        static_image_mode=True,
        max_num_hands=G.MAX_HANDS,
        model_complexity=1,
        min_detection_confidence=G.DETECTION_CONFIDENCE,
    )
    arrays = [G._downscale(G.load_image(p))[0] for p in paths]
    for a in arrays[:3]:  # warm both graphs
        bare.process(a)
        screener.analyze(a)
    # per photo, the two calls back to back, best of R rounds each: the machine's load (other
    # jobs on the 2 cores) then hits both alike instead of whichever loop ran in a busy second
    n = len(arrays)
    best_bare, best_pipe, best_file = [float("inf")] * n, [float("inf")] * n, [float("inf")] * n
    for _ in range(repeat):
        for i, (a, p) in enumerate(zip(arrays, paths, strict=True)):
            t = time.perf_counter()
            bare.process(a)
            t1 = time.perf_counter()
            screener.analyze(a)
            t2 = time.perf_counter()
            screener.analyze(p)
            t3 = time.perf_counter()
            best_bare[i] = min(best_bare[i], t1 - t)
            best_pipe[i] = min(best_pipe[i], t2 - t1)
            best_file[i] = min(best_file[i], t3 - t2)
    t_bare, t_pipe, t_files = [sum(best_bare)], [sum(best_pipe)], [sum(best_file)]
    bare.close()
    return {
        "photos": n,
        "bare": n / min(t_bare),
        "pipeline": n / min(t_pipe),
        "pipeline_files": n / min(t_files),
        "ratio": min(t_bare) / min(t_pipe),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--hard-negatives", type=Path, default=REPO / "benchmarks/out/hardneg/raw")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    if not (args.data / "gestures" / "labels.csv").is_file():
        print(f"no labelled photos at {args.data}/gestures (set NETRAL_TESTDATA)", file=sys.stderr)
        return 2
    screener = G.GestureScreener()
    paths = [args.data / "gestures" / r["file"] for r in labelled(args.data)]
    sp = speed(screener, paths, args.repeat)
    ev = evaluate(screener, args.data)
    hn = hard_negatives(screener, args.hard_negatives) if args.hard_negatives.is_dir() else None
    lines = [
        "# Photos: gesture screening",
        "",
        f"Command: `.venv/bin/python benchmarks/screening/photos.py --repeat {args.repeat}`  ",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, {platform.processor() or 'cpu'}, "
        f"Python {platform.python_version()}, {screener.model}",
        "",
        "| figure | measured | goal |",
        "| --- | --- | --- |",
        f"| bare `Hands.process`, photos/s ({sp['photos']:.0f} shared photos, decoded) | "
        f"{sp['bare']:.1f} | |",
        f"| whole pipeline `analyze`, photos/s (same arrays) | {sp['pipeline']:.1f} | |",
        f"| pipeline / bare | {sp['ratio']:.2f}x | >= 0.90x |",
        f"| pipeline from file paths (decode included), photos/s | {sp['pipeline_files']:.1f} | |",
        f"| banned-pose precision (photo level, {ev['tp']} TP / {ev['fp']} FP) | "
        f"{ev['precision']:.3f} | >= 0.95 |",
        f"| banned-pose recall ({ev['tp']} TP / {ev['fn']} FN) | {ev['recall']:.3f} | >= 0.95 |",
        f"| count accuracy on hands found as signs ({ev['hands_compared']} hands) | "
        f"{ev['count_accuracy']:.1%} | >= 95% |",
    ]
    if hn is not None:
        nf = len(hn["flagged"])  # type: ignore[arg-type]
        lines.append(
            f"| hard negatives flagged ({hn['photos']} photos, {hn['hands']} hands found) | "
            f"{nf} ({nf / max(1, hn['photos']):.1%}); precision on them "
            f"{'n/a (nothing flagged)' if nf == 0 else '0 (all flags wrong)'} | 0 |"
        )
    lines += ["", "## Misses on the labelled photos", ""]
    lines += [f"- {m}" for m in ev["misses"]] or ["- none"]  # type: ignore[attr-defined]
    if hn is not None:
        lines += ["", "## Hard negatives flagged", ""]
        lines += [f"- {m}" for m in hn["flagged"]] or ["- none"]  # type: ignore[attr-defined]
    lines += ["", *NOTES.splitlines()]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
