"""What a photo costs in the request now, and what moved to the job: per ~300 KB, 1600×1200 JPEG.

Run: PYTHONPATH=src:tests .venv/bin/python benchmarks/intake_check.py [--photos 40]

Measures, one thread, in this order on fresh stores:
- raw baseline: the same bytes written to a temp file, hashed (SHA-256), fsync'd, renamed into a
  folder: the floor of keeping an upload durably;
- the request's check (`put_all(..., defer_derivative=True)`): stream + hash + sniff + header and
  pixel limit + a JPEG decode at 1/8 scale (every byte read, so truncation is still caught);
- the old request (`put_all(...)`): the same with the full decode, re-encode and pHash inline;
- the job's half (`derive`): read the original back, decode, re-encode, pHash, keep the copy.
Wall time per photo and process CPU per photo, with the 1-minute load average beside each.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from intake import photo, unique  # noqa: E402

from netral.core.storage import Incoming, LocalEvidenceStore  # noqa: E402


def timed(label: str, n: int, fn) -> None:  # type: ignore[no-untyped-def]
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for i in range(n):
        fn(i)
    wall = (time.perf_counter() - wall0) / n * 1000
    cpu = (time.process_time() - cpu0) / n * 1000
    print(f"{label:<58}{wall:>9.2f} ms{cpu:>9.2f} ms   load {os.getloadavg()[0]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--photos", type=int, default=40)
    args = ap.parse_args()
    base = [photo(seed) for seed in range(8)]
    data = [unique(base[i % len(base)], i) for i in range(args.photos)]
    print(f"{args.photos} photos, {sum(map(len, data)) / len(data) / 1024:.0f} KB mean")
    print(f"{'step (per photo)':<58}{'wall':>12}{'CPU':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        raw = root / "raw"
        raw.mkdir()

        def raw_keep(i: int) -> None:
            part = raw / f"{i}.part"
            with part.open("wb") as out:
                out.write(data[i])
                out.flush()
                os.fsync(out.fileno())
            os.replace(part, raw / hashlib.sha256(data[i]).hexdigest())

        timed("raw baseline: write + sha256 + fsync + rename", args.photos, raw_keep)
        deferred = LocalEvidenceStore(root / "deferred")
        kept = []

        def check(i: int) -> None:
            blob = deferred.put_all(
                [Incoming(io.BytesIO(data[i]), "foto.jpg")], defer_derivative=True
            )
            kept.append(blob[0])

        timed("request now: put_all(defer_derivative=True)", args.photos, check)
        inline = LocalEvidenceStore(root / "inline")
        timed(
            "request before: put_all() with copy + pHash",
            args.photos,
            lambda i: inline.put_all([Incoming(io.BytesIO(data[i]), "foto.jpg")]),
        )
        timed(
            "job: derive() (read back, copy, pHash, keep)",
            args.photos,
            lambda i: deferred.derive(kept[i].sha256, kept[i].media_type),
        )


if __name__ == "__main__":
    main()
