"""Screening benchmarks: photos, posts, screenshots (each its own script), and the peak RSS of a
worker with every model loaded. Results are collected into BENCHMARKS.md's "Screening" section.

    .venv/bin/python benchmarks/screening.py            # all, then update BENCHMARKS.md
    .venv/bin/python benchmarks/screening.py --rss-only
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results"
PARTS = [
    ("photos", "screening/photos.py"),
    ("posts", "screening/posts.py"),
    ("screenshots", "screening/screenshots.py"),
]

RSS_PROBE = r"""
import io, resource, sys, tempfile
from pathlib import Path
from PIL import Image
sys.path.insert(0, "tests")
from support.screenshots import render_post
from netral.rules import load_rulebook
from netral.election.service import DEMO_ELECTION, read_election_file
from netral.screening.pipeline import Screeners, screen_image, screen_text
from netral.screening.text import train
data = Path(sys.argv[1])
models = Path(tempfile.mkdtemp())
train(data / "posts" / "posts_train.csv", models / "text.joblib")
elections = [read_election_file(DEMO_ELECTION)]
s = Screeners(rulebook=load_rulebook(), models_dir=models)
photos = sorted((data / "gestures").glob("*.jpg"))[:20]
for p in photos:
    screen_image(p, elections, screeners=s)
for _ in range(5):
    screen_image(render_post("Coblos nomor 3 Tilu Kanggo Bandung #Coblos3").image, elections, screeners=s)
    screen_text("Ayo dukung paslon 2", elections, screeners=s)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def rss_mb(testdata: Path) -> int:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, str(testdata)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def update_benchmarks_md(rss: int) -> None:
    parts = []
    for name, _ in PARTS:
        f = RESULTS / f"{name}.md"
        if f.exists():
            body = f.read_text().strip()
            # nest each result page under this section: "# x" -> "### x", "## y" -> "#### y"
            parts.append(
                re.sub(r"^(#+) ", lambda m: "#" * (len(m.group(1)) + 2) + " ", body, flags=re.M)
            )
    rss_line = (
        f"Peak RSS of one worker with every model loaded (MediaPipe hands, Tesseract "
        f"ind+eng, the text model) after screening 20 photos, 5 screenshots and 5 posts: "
        f"**{rss} MB** (goal < 1 GB: {'met' if rss < 1024 else 'missed'}). Command: "
        f"`.venv/bin/python benchmarks/screening.py --rss-only`."
    )
    section = "## Screening\n\n" + rss_line + "\n\n" + "\n\n".join(parts) + "\n"
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    text = re.sub(r"\n## Screening\n.*?(?=\n## |\Z)", "", text, flags=re.S).rstrip() + "\n\n"
    path.write_text(text + section)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rss-only", action="store_true")
    ap.add_argument(
        "--testdata",
        type=Path,
        default=Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data")),
    )
    args = ap.parse_args()
    if not args.rss_only:
        for name, script in PARTS:
            print(f"== {name}", flush=True)
            subprocess.run([sys.executable, str(HERE / script)], cwd=ROOT, check=True)
    rss = rss_mb(args.testdata)
    print(f"worker peak RSS with all models: {rss} MB")
    update_benchmarks_md(rss)


if __name__ == "__main__":
    main()
