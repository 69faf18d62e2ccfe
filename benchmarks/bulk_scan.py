"""Bulk scans (`netral scan posts`): posts/s on the process pool (1 and 2 workers) and on Ray
(2 actors), on a generated dump of text posts, each run against a fresh SQLite copy of the same
seeded database (the test world's ASN, with a recorded social account each).

The raw baseline, measured in the same run: the same screening (`ScanWorker.screen`, the text
model in batches) called in this process, with no pool, no Ray, no database. Each figure is the
whole scan (workers started, models loaded, findings written) and the steady rate after the first
batch came back; the 1-minute load average is printed beside each.

    PYTHONPATH=src:tests .venv/bin/python benchmarks/bulk_scan.py --posts 30000
    ... --write      # also replace the "Bulk scans" section of BENCHMARKS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_common import load_avg  # beside this script

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "src"))


def seeded_database(tmp: Path) -> tuple[Path, list[Any]]:
    from netral.core.db import make_engine, session_factory
    from netral.core.migrate import upgrade
    from netral.wiring import subscribe_handlers

    from support.posts import register_accounts
    from support.web import seed_world

    subscribe_handlers()
    path = tmp / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_factory(engine)() as db:
        world = seed_world(db)
        accounts = register_accounts(db, world.bandung_asn + world.kabbdg_asn, per_asn=3)
    engine.dispose()
    return path, accounts


def raw_rate(posts: list[Any], setup: Any, batch: int) -> tuple[float, float]:
    """(posts/s, load average) of the screening alone, in this process."""
    from netral.screening.bulk import ScanWorker

    worker = ScanWorker(setup)
    worker.screen(posts[:batch])  # warm
    t0 = time.perf_counter()
    for i in range(0, len(posts), batch):
        worker.screen(posts[i : i + batch])
    return len(posts) / (time.perf_counter() - t0), float(load_avg())


def one_run(
    template: Path,
    tmp: Path,
    posts: list[Any],
    setup: Any,
    engine_name: str,
    workers: int,
    batch: int,
    n: int = 0,
) -> dict[str, Any]:
    from netral.core.audit import Actor
    from netral.core.calendar import WorkingCalendar
    from netral.core.db import make_engine
    from netral.rules import load_rulebook
    from netral.screening.bulk import scan

    path = tmp / f"{engine_name}-{workers}-{n}.db"
    shutil.copy(template, path)
    db = make_engine(f"sqlite:///{path}")
    before = load_avg()
    summary = scan(
        posts,
        db=db,
        engine=engine_name,
        workers=workers,
        setup=setup,
        rulebook=load_rulebook(),
        calendar=WorkingCalendar(),
        actor=Actor.system(),
        batch=batch,
    )
    db.dispose()
    out = summary.as_dict()
    first = min(batch * workers, len(posts))
    out["steady_per_s"] = round(
        (len(posts) - first) / max(summary.seconds - summary.ready_s, 1e-9), 1
    )
    out["load"] = f"{before} → {load_avg()}"
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=30_000)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeat", type=int, default=2, help="runs per engine; the fastest is kept")
    ap.add_argument("--write", action="store_true", help="update BENCHMARKS.md")
    args = ap.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")

    from netral.screening.bulk import WorkerSetup, read_posts

    from support.posts import post_rows, write_dump

    tmp = Path(tempfile.mkdtemp(prefix="netral-bulk-bench-"))
    os.environ["NETRAL_DATA_DIR"] = str(tmp / "data")  # no operator model: the shipped one
    try:
        template, accounts = seeded_database(tmp)
        dump = write_dump(tmp / "posts.csv", post_rows(args.posts, accounts, seed=3))
        posts = read_posts(dump)
        setup = WorkerSetup(models_dir=str(tmp / "data" / "models"), hoax_file=None)
        print(f"{len(posts)} posts, batches of {args.batch}, {os.cpu_count()} cores", flush=True)
        raw, raw_load = raw_rate(posts, setup, args.batch)
        print(
            f"raw (in process, no pool, no DB): {raw:,.0f} posts/s  load {raw_load:.1f}", flush=True
        )
        configs = [("local", 1), ("local", 2), ("ray", 2)]
        tried: dict[tuple[str, int], list[dict[str, Any]]] = {c: [] for c in configs}
        for n in range(args.repeat):  # engines interleaved: a burst of load hits them alike
            for engine_name, workers in configs:
                r = one_run(template, tmp, posts, setup, engine_name, workers, args.batch, n)
                tried[(engine_name, workers)].append(r)
                print(
                    f"{engine_name}×{workers}: {r['per_s']:,.0f} posts/s whole scan "
                    f"({r['seconds']:.1f} s, ready after {r['ready_s']:.1f} s, database "
                    f"{r['write_s']:.1f} s), steady {r['steady_per_s']:,.0f} posts/s, "
                    f"{r['findings']} filed, {r['flagged_unmatched']} flagged unmatched  "
                    f"load {r['load']}",
                    flush=True,
                )
        runs = [max(tried[c], key=lambda r: r["per_s"]) for c in configs]
        l1, l2, ray2 = runs
        scale = l2["per_s"] / l1["per_s"]
        scale_steady = l2["steady_per_s"] / l1["steady_per_s"]
        ray_vs = ray2["per_s"] / l2["per_s"]
        ray_vs_steady = ray2["steady_per_s"] / l2["steady_per_s"]
        print(
            f"2 workers / 1: {scale:.2f}× whole, {scale_steady:.2f}× steady (goal ≥ 1.8× idle); "
            f"Ray / pool (2 workers): {ray_vs:.2f} whole, {ray_vs_steady:.2f} steady "
            "(goal ≥ 0.85)",
            flush=True,
        )
        if args.write:
            spread = max(
                max(r["per_s"] for r in rs) / max(min(r["per_s"] for r in rs), 1e-9)
                for rs in tried.values()
            )
            write_md(args, raw, raw_load, runs, scale, scale_steady, ray_vs, ray_vs_steady, spread)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def write_md(
    args: Any,
    raw: float,
    raw_load: float,
    runs: list[dict[str, Any]],
    scale: float,
    scale_steady: float,
    ray_vs: float,
    ray_vs_steady: float,
    spread: float,
) -> None:
    rows = "\n".join(
        f"| {r['engine']} × {r['workers']} | {r['per_s']:,.0f} | {r['seconds']:.1f} | "
        f"{r['ready_s']:.1f} | {r['write_s']:.1f} | {r['steady_per_s']:,.0f} | {r['findings']} | "
        f"{r['load']} |"
        for r in runs
    )
    section = f"""## Bulk scans (issue 14): `netral scan posts` on the pool and on Ray

Command: `PYTHONPATH=src:tests .venv/bin/python benchmarks/bulk_scan.py --posts {args.posts} --write`
on {platform.machine()}, {os.cpu_count()} cores, shared with other agents' work (load average
beside each figure; the goals are for an otherwise idle machine). {args.posts:,} generated text
posts, batches of {args.batch}; each run against a fresh SQLite copy of one seeded database;
{args.repeat} runs per engine, interleaved, the fastest kept.

Raw baseline in the same run (the same screening in one process: no pool, no Ray, no database):
**{raw:,.0f} posts/s** (load {raw_load:.1f}).

| engine × workers | posts/s, whole scan | seconds | ready after (s) | driver in the database (s) | posts/s after the first batch | reports filed | load average |
| --- | --- | --- | --- | --- | --- | --- | --- |
{rows}

- 2 workers against 1: **{scale:.2f}×** over the whole scan, {scale_steady:.2f}× in the steady
  part (goal ≥ 1.8× on an idle machine).
- Ray against the pool, 2 workers each: **{ray_vs:.2f}** over the whole scan, {ray_vs_steady:.2f}
  in the steady part (goal ≥ 0.85, "within 15%").
- "Ready after" is the start of the workers (a fresh interpreter each, imports, the text model
  loaded once per worker) until the first batch came back; Ray adds its own start (GCS, raylet,
  actors) to that. The steady rate is what the workers do once they run.
- Where the rest goes: the driver files each flagged post of a registered ASN as a report (a
  public number, the report row, its hash-chained audit row, 2-3 findings), about 3 ms a report
  on an idle core (profiled: flushes ~45%, the audit row ~27%); here {runs[0]["findings"]}
  reports took {min(r["write_s"] for r in runs):.1f}-{max(r["write_s"] for r in runs):.1f} s of
  the driver's time, serial by design (workers never write). The workers' start is the imports
  of scikit-learn and SciPy in each fresh interpreter (3-6 s at this load); the model itself
  loads in ~0.3 s. The screening is the raw figure above per core. On this machine, shared
  with other agents (load average in the table), the scaling goals cannot be shown or
  refuted: two runs of the same engine differ by up to {spread:.1f}× in this run.
"""
    path = REPO / "BENCHMARKS.md"
    text = path.read_text()
    text = re.sub(r"\n## Bulk scans \(issue 14\).*?(?=\n## |\Z)", "", text, flags=re.S).rstrip()
    path.write_text(text + "\n\n" + section)


if __name__ == "__main__":
    main()
