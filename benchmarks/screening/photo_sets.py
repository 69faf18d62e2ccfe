"""Shared by the photo-set builders (`heldout_photos.py`, `heldout2_photos.py`,
`heldout3_photos.py`, `heldout4_photos.py`, `heldout5_photos.py`, `heldout6_photos.py`,
`hard_negatives.py`): read a file of a public repository at a pinned commit, and write a labelled
set in the layout `photos.py --dir` measures (`raw/`, `manifest.csv`, `labels.csv`). The held-out sets' command line
is `cli`.

Files come from a local bare mirror (`<mirror-root>/<owner>+<name>/repo`, as the session's
`fetch` tool makes them), else from raw.githubusercontent.com at the same commit.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import urllib.request
from pathlib import Path

from PIL import Image

# The manifest's licence for a repository that states none: its photos are measured, never shipped.
NO_LICENCE = "no licence stated in the repository: measured here only, never redistributed"


def from_mirror(
    root: Path, repo: str, commit: str, path: str, *, head: bool = False
) -> bytes | None:
    """The file at `commit` in the local mirror; with `head`, the mirror's HEAD if the commit is
    not there. None when the mirror or the file is missing."""
    git_dir = root / repo.replace("/", "+") / "repo"
    if not git_dir.is_dir():
        return None
    for rev in (commit, "HEAD") if head else (commit,):
        out = subprocess.run(
            ["git", "-C", str(git_dir), "show", f"{rev}:{path}"], capture_output=True, check=False
        )
        if out.returncode == 0:
            return out.stdout
    return None


def read_labels(path: Path) -> list[dict[str, str]]:
    """A set's committed label rows (file, source_repo, source_path, crop, gesture, ...)."""
    with path.open(newline="") as fh:
        return list(csv.DictReader(fh))


def from_github(repo: str, commit: str, path: str) -> bytes:
    url = f"https://raw.githubusercontent.com/{repo}/{commit}/{path}"
    with urllib.request.urlopen(url, timeout=60) as resp:
        return bytes(resp.read())


def build(
    rows: list[dict[str, str]],
    *,
    commits: dict[str, str],
    licences: dict[str, str],
    out: Path,
    mirror_root: Path,
) -> None:
    """Fetch each row's photo (cropped where the row gives a box), then write the manifest
    (source, commit, crop, licence) and the labels in the shared set's columns."""
    raw = out / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    blobs: dict[tuple[str, str], bytes] = {}
    for row in rows:
        repo, path = row["source_repo"], row["source_path"]
        if (repo, path) not in blobs:
            blobs[repo, path] = from_mirror(mirror_root, repo, commits[repo], path) or from_github(
                repo, commits[repo], path
            )
        blob = blobs[repo, path]
        if row["crop"]:
            box = tuple(int(v) for v in row["crop"].split())
            with Image.open(io.BytesIO(blob)) as im:
                im.convert("RGB").crop(box).save(raw / row["file"])  # PNG: no second lossy pass
        else:
            (raw / row["file"]).write_bytes(blob)
    with (out / "manifest.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "source_repo", "source_path", "source_commit", "crop", "license"])
        for row in rows:
            repo = row["source_repo"]
            w.writerow(
                [row["file"], repo, row["source_path"], commits[repo], row["crop"], licences[repo]]
            )
    with (out / "labels.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "gesture", "per_hand", "note", "source_repo", "source_path"])
        for row in rows:
            w.writerow(
                [
                    f"raw/{row['file']}",
                    row["gesture"],
                    row["per_hand"],
                    row["note"],
                    row["source_repo"],
                    row["source_path"],
                ]
            )
    positives = sum(not r["gesture"].startswith("none") for r in rows)
    print(f"{len(rows)} photos ({positives} posing, {len(rows) - positives} not) in {raw}")


def cli(
    script: str,
    doc: str | None,
    commits: dict[str, str],
    licences: dict[str, str],
    argv: list[str] | None = None,
) -> int:
    """A held-out set's command line, `[--mirror-root DIR] [--out DIR]`, then `build`. The set is
    named by its builder `script`: labels in `<script>.csv` beside it, photos written to
    `benchmarks/out/<name>` (`heldout3_photos.py` -> `heldout3`)."""
    path = Path(script).resolve()
    default_out = path.parents[2] / "benchmarks" / "out" / path.stem.removesuffix("_photos")
    ap = argparse.ArgumentParser(description=(doc or path.stem).splitlines()[0])
    ap.add_argument("--mirror-root", type=Path, default=Path("/work/.mirror"))
    ap.add_argument("--out", type=Path, default=default_out)
    args = ap.parse_args(argv)
    rows = read_labels(path.with_suffix(".csv"))
    build(rows, commits=commits, licences=licences, out=args.out, mirror_root=args.mirror_root)
    return 0
