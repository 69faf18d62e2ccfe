"""Rebuild the vendored training corpora in this folder from their public repositories.

Run: python benchmarks/screening/corpus/build.py JANNATI_REPO_DIR

JANNATI_REPO_DIR is a checkout (or bare git dir) of
github.com/reneje/id_stance_dataset_article-Stance-Classification-Towards-Political-Figures-on-Blog-Writing
at commit 2818ae563539a1acf0451ec602ba3cb5515d0b67 (CC BY-NC-SA 4.0; see LICENSES.md here).
Only the text is kept (title and body of each blog article); links become URL, @handles @USER,
e-mail addresses EMAIL; the text is cut at the model's `MAX_CHARS`. Deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMIT = "2818ae563539a1acf0451ec602ba3cb5515d0b67"
MAX_CHARS = 5_000  # netral.screening.text.MAX_CHARS: the model reads no further
STANCE = {"for": "partisan", "against": "partisan", "againts": "partisan"}
UNKNOWN = {"unknown": "political_neutral"}  # 2016 set: the author's side cannot be told
URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.I)
HANDLE_RE = re.compile(r"(?<![\w.])@\w{2,}")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
FIELDS = ["text", "label", "source", "original_label"]


def _show(repo: Path, path: str) -> str:
    out = subprocess.run(
        ["git", f"--git-dir={_git_dir(repo)}", "show", f"{COMMIT}:{path}"],
        check=True,
        capture_output=True,
    ).stdout
    return out.decode("utf-8-sig")


def _git_dir(repo: Path) -> Path:
    return repo / ".git" if (repo / ".git").exists() else repo


def _paragraphs(raw: str) -> list[str]:
    try:
        parts = json.loads(raw)
    except json.JSONDecodeError:
        parts = [raw.strip("[]")]
    return [p for p in (str(x).replace("¬†", " ").strip() for x in parts) if p]


def clean(title: str, body: list[str]) -> str:
    title = title.strip()
    text = " ".join([title if title[-1:] in ".?!" else title + ".", *body])
    text = EMAIL_RE.sub("EMAIL", text)
    text = URL_RE.sub("URL", text)
    text = HANDLE_RE.sub("@USER", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:MAX_CHARS]


def build(repo: Path) -> dict[str, int]:
    rini = list(
        csv.DictReader(
            io.StringIO(_show(repo, "dataset_stance_2_label_2018_building_by_rini.csv")),
            delimiter=";",
        )
    )
    cakra = list(
        csv.DictReader(
            io.StringIO(_show(repo, "dataset_stance_3_label_2016_building_by_cakra.csv"))
        )
    )
    out: dict[str, list[dict[str, str]]] = {"jannati2018_stance": [], "wardhana2016_stance": []}
    seen: set[str] = set()
    for r in rini:
        stance = r["stance final"].strip().lower()
        if stance not in STANCE:  # 'no': two articles, neither side nor a clear neutral
            continue
        seen.add(r["Judul Artikel"].strip())
        out["jannati2018_stance"].append(
            {
                "text": clean(r["Judul Artikel"], _paragraphs(r["Isi Artikel"])),
                "label": STANCE[stance],
                "source": "jannati2018_stance",
                "original_label": f"{r['Tokoh'].strip().lower()}:{stance}",
            }
        )
    for r in cakra:  # the 2016 articles the 2018 set did not re-annotate
        stance = r["stance"].strip().lower()
        if r["title"].strip() in seen or stance not in {**STANCE, **UNKNOWN}:
            continue
        out["wardhana2016_stance"].append(
            {
                "text": clean(r["title"], _paragraphs(r["content"])),
                "label": {**STANCE, **UNKNOWN}[stance],
                "source": "wardhana2016_stance",
                "original_label": f"{r['topic'].strip().lower()}:{stance}",
            }
        )
    counts = {}
    for source, rows in out.items():
        with open(HERE / f"{source}.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        counts[source] = len(rows)
    return counts


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    print(build(Path(sys.argv[1])))
