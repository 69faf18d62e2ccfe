"""Rebuild the sentiment (polarity) corpus the text model's polarity part learns from.

Run: python benchmarks/screening/corpus/polarity.py INDONLU_GIT_DIR NUSAX_GIT_DIR
     [--posts ../shared/data/posts/posts_train.csv]

INDONLU_GIT_DIR is a checkout or bare git dir of github.com/IndoNLP/indonlu at `INDONLU_COMMIT`,
NUSAX_GIT_DIR one of github.com/IndoNLP/nusax at `NUSAX_COMMIT` (licences: LICENSES.md here).
Writes `polarity.csv` here (columns `text,polarity,source`; polarity `positive`, `neutral` or
`negative`): SmSA train + valid (its test labels are masked), the EmoT tweets (IndoNLU's
Twitter emotion set: happy and love as positive, anger, sadness and fear as negative) and
NusaX-senti's Indonesian column, duplicates dropped, and every sentence that is also a row of the posts file (any
source: the `indonlu_smsa` rows are SmSA sentences) left out, so no post the text model is
trained or judged on has its polarity learned in-sample. Deterministic. Not committed.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
INDONLU_COMMIT = "ce728f6926a36174b9923dfe49d6a6839b6e9bb7"
NUSAX_COMMIT = "75b0be5d982348332509f296e10d9bf9cb66d60f"
SMSA = [f"dataset/smsa_doc-sentiment-prosa/{s}_preprocess.tsv" for s in ("train", "valid")]
EMOT = [f"dataset/emot_emotion-twitter/{s}_preprocess.csv" for s in ("train", "valid", "test")]
# EmoT tweets carry emotions: joy and love read as praise, anger, sadness and fear as blame
EMOTION_POLARITY = {
    "happy": "positive",
    "love": "positive",
    "anger": "negative",
    "sadness": "negative",
    "fear": "negative",
}
NUSAX = [f"datasets/sentiment/indonesian/{s}.csv" for s in ("train", "valid", "test")]
POLARITIES = ("positive", "neutral", "negative")
FIELDS = ["text", "polarity", "source"]
_WORD = re.compile(r"\w+")


def _show(repo: Path, commit: str, path: str) -> str:
    git_dir = repo / ".git" if (repo / ".git").exists() else repo
    out = subprocess.run(
        ["git", f"--git-dir={git_dir}", "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
    ).stdout
    return out.decode("utf-8-sig")


def key(text: str) -> str:
    """Two spellings of one sentence (SmSA is tokenised, the posts file detokenised) match."""
    return " ".join(_WORD.findall(text.lower()))


def build(indonlu: Path, nusax: Path, posts: Path | None) -> dict[str, int]:
    rows: list[dict[str, str]] = []
    for path in SMSA:
        for line in _show(indonlu, INDONLU_COMMIT, path).splitlines():
            text, _, label = line.rpartition("\t")
            if label in POLARITIES and text.strip():
                rows.append({"text": text.strip(), "polarity": label, "source": "indonlu_smsa"})
    for path in EMOT:
        for r in csv.DictReader(io.StringIO(_show(indonlu, INDONLU_COMMIT, path))):
            polarity = EMOTION_POLARITY.get(r["label"])
            if polarity and r["tweet"].strip():
                rows.append(
                    {"text": r["tweet"].strip(), "polarity": polarity, "source": "indonlu_emot"}
                )
    for path in NUSAX:
        for r in csv.DictReader(io.StringIO(_show(nusax, NUSAX_COMMIT, path))):
            if r["label"] in POLARITIES and r["text"].strip():
                rows.append(
                    {"text": r["text"].strip(), "polarity": r["label"], "source": "nusax_id"}
                )
    held: set[str] = set()
    if posts is not None and posts.is_file():
        with open(posts, newline="", encoding="utf-8") as fh:
            held = {key(r["text"]) for r in csv.DictReader(fh)}
    seen: set[str] = set()
    kept: list[dict[str, str]] = []
    dropped_posts = 0
    for r in rows:
        k = key(r["text"])
        if k in held:
            dropped_posts += 1
            continue
        if not k or k in seen:
            continue
        seen.add(k)
        kept.append(r)
    with open(HERE / "polarity.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
        w.writeheader()
        w.writerows(kept)
    counts = {
        f"{s}:{p}": 0 for s in ("indonlu_smsa", "indonlu_emot", "nusax_id") for p in POLARITIES
    }
    for r in kept:
        counts[f"{r['source']}:{r['polarity']}"] += 1
    return {**counts, "rows": len(kept), "dropped_in_posts": dropped_posts}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("indonlu", type=Path)
    ap.add_argument("nusax", type=Path)
    ap.add_argument(
        "--posts", type=Path, default=ROOT.parent / "shared" / "data" / "posts" / "posts_train.csv"
    )
    args = ap.parse_args()
    print(build(args.indonlu, args.nusax, args.posts))
