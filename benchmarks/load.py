"""A season's mixed load over HTTP: citizens filing and checking, staff working the inbox and
cases, dashboards; 2 web processes and a worker against PostgreSQL and Redis.

Run: .venv/bin/python benchmarks/load.py [--users 200] [--duration 300] [--warmup 20]
         [--think 1.0] [--markdown]

1. A fresh PostgreSQL database `netral_load_<hex>` on 127.0.0.1:5432 (NETRAL_BENCH_PG), migrated
   and seeded as the tests seed it (the shipped wilayah, the test world's OPD, ASN and one user
   per role of Kota Bandung, the demo election); dropped after.
2. Two `netral serve` processes on two free ports and one `netral worker`, all with
   NETRAL_JOBS=external and NETRAL_REDIS_URL=redis://127.0.0.1:6379/14 (NETRAL_BENCH_REDIS), so
   intake queues its derivative, duplicate check and screening on Redis and the worker runs them.
   The rate limits are raised (every virtual user comes from 127.0.0.1, which a real crowd
   does not); the connection pool is NETRAL_DB_POOL_SIZE=5, NETRAL_DB_MAX_OVERFLOW=10.
3. --users virtual users (async httpx, keep-alive; spread over the two ports alternately), each
   looping with a think time of 0.5-1.5x --think seconds between requests:
   - 60% citizens: file a report (form fields, a ~40 KB 640x480 JPEG with unique bytes) on
     POST /api/v1/reports, then look its receipt up (POST /api/v1/receipts/lookup) twice;
   - 30% staff (bawaslu_staff, signed in with POST /api/v1/session): the inbox (/laporan), a
     report's page, moves a new report to `diperiksa` (POST /api/v1/reports/{n}/status), the
     case list (/kasus), the search (/cari), the JSON report list;
   - 10% dashboards: /dasbor/bawaslu (Bawaslu staff), /dasbor/kepegawaian (BKPSDM), the
     public /transparansi.
4. After --warmup seconds, --duration seconds are measured: requests/s overall and per kind,
   p50/p95/p99/max, errors (any unexpected status or transport error; goal zero), and the RSS of
   each process (web, worker, and PostgreSQL's backends together), sampled every 5 s (max).
   After the run: how long the worker took to empty the queue.
   Raw baseline in the same run: GET /healthz from one connection, back to back.

The client runs on the same 2 cores as everything else; its CPU is printed beside the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402
import psycopg  # noqa: E402
from bench_common import libpq_url as libpq  # noqa: E402  (beside this script)
from bench_common import load_avg, pct  # noqa: E402
from intake import photo, report_fields, unique  # noqa: E402

from support.server import free_port  # noqa: E402
from support.web import PASSWORD  # noqa: E402

PG_ADMIN = os.environ.get(
    "NETRAL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get(
    "NETRAL_BENCH_REDIS", "redis://127.0.0.1:6379/14"
)  # ---------------------------------------------------------------- the system under load


def fresh_database(data_dir: Path) -> str:
    from netral.core.audit import Actor
    from netral.core.db import make_engine, session_factory
    from netral.core.migrate import upgrade
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
    from netral.wiring import subscribe_handlers

    from support.web import seed_world

    subscribe_handlers()  # as the app: the registry's events reach the pledges

    name = f"netral_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq(PG_ADMIN), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    os.environ["NETRAL_DATA_DIR"] = str(data_dir)  # the seed's keyring is the servers' keyring
    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_factory(engine)() as db:
            seed_world(db)
            upsert_election(
                db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
            )
            db.commit()
    except BaseException:
        engine.dispose()
        drop_database(url)  # a seed that failed leaves no database behind
        raise
    engine.dispose()
    return url


def drop_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    assert name.startswith("netral_load_")
    with psycopg.connect(libpq(PG_ADMIN), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def redis_db(command: list[str]) -> str:
    host_port, db = REDIS.removeprefix("redis://").rsplit("/", 1)
    host, port = host_port.split(":")
    out = subprocess.run(
        ["redis-cli", "-h", host, "-p", port, "-n", db, *command],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out.stdout.strip()


class Processes:
    """Two `netral serve` and one `netral worker`, with their logs."""

    def __init__(self, url: str, data_dir: Path, log_dir: Path) -> None:
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAL_")}
        self.env.update({
            "NETRAL_DATABASE_URL": url,
            "NETRAL_DATA_DIR": str(data_dir),
            "NETRAL_JOBS": "external",
            "NETRAL_REDIS_URL": REDIS,
            "NETRAL_REPORT_SUBMISSIONS_PER_MINUTE": "1000000",
            "NETRAL_RECEIPT_LOOKUPS_PER_MINUTE": "1000000",
            "NETRAL_LOGIN_MAX_FAILURES_CLIENT": "1000000",
            "NETRAL_DB_POOL_SIZE": "5",
            "NETRAL_DB_MAX_OVERFLOW": "10",
            "PYTHONPATH": str(REPO / "src"),
        })  # fmt: skip
        self.log_dir = log_dir
        self.ports = [free_port(), free_port()]
        self.procs: dict[str, subprocess.Popen[bytes]] = {}

    def _start(self, name: str, *args: str) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-c", "from netral.cli import app; app()", *args],
            env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=self.log_dir,
        )  # fmt: skip

    def start(self) -> None:
        for k, port in enumerate(self.ports, 1):
            self._start(f"web{k}", "serve", "--port", str(port))
        self._start("worker", "worker")
        deadline = time.time() + 90
        for port in self.ports:
            while True:
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.time() > deadline:
                    raise RuntimeError(f"netral serve on {port} did not start: {self.logs()}")
                time.sleep(0.5)

    def rss_mb(self) -> dict[str, float]:
        out = {name: rss_of_tree(p.pid) for name, p in self.procs.items()}
        out["postgres"] = postgres_rss()
        return out

    def logs(self) -> str:
        return "\n".join(
            f"--- {f.name}\n" + f.read_text(errors="replace")[-2000:]
            for f in sorted(self.log_dir.glob("*.log"))
        )

    def stop(self) -> None:
        for p in self.procs.values():
            p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def _rss(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_of_tree(pid: int) -> float:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    kids = [int(c) for c in children.read_text().split()] if children.exists() else []
    return _rss(pid) + sum(rss_of_tree(k) for k in kids)


def postgres_rss() -> float:
    """Every postgres process together (shared buffers counted once per process that touched
    them: an upper bound)."""
    total = 0.0
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if (d / "comm").read_text().strip() == "postgres":
                    total += _rss(int(d.name))
            except OSError:
                continue
    return total


# ---------------------------------------------------------------- the virtual users


class Stats:
    def __init__(self) -> None:
        self.samples: dict[str, list[tuple[float, float, bool]]] = defaultdict(list)
        self.errors: list[str] = []
        self.window = (0.0, 0.0)

    def add(self, kind: str, t0: float, ok: bool, detail: str = "") -> None:
        end = time.perf_counter()
        self.samples[kind].append((end, (end - t0) * 1000, ok))
        if not ok and len(self.errors) < 20:
            self.errors.append(f"{kind}: {detail}"[:300])

    def summary(self) -> dict[str, dict[str, Any]]:
        lo, hi = self.window
        out = {}
        everything: list[float] = []
        errors_total = 0
        for kind, rows in sorted(self.samples.items()):
            inside = [(lat, ok) for end, lat, ok in rows if lo <= end <= hi]
            lats = [lat for lat, ok in inside if ok]
            errs = sum(1 for _, ok in inside if not ok)
            errors_total += errs
            everything += lats
            if not inside:
                continue
            out[kind] = {
                "n": len(inside), "per_s": round(len(inside) / (hi - lo), 1), "errors": errs,
                "p50_ms": round(statistics.median(lats), 1) if lats else None,
                "p95_ms": round(pct(lats, 95), 1) if lats else None,
                "p99_ms": round(pct(lats, 99), 1) if lats else None,
                "max_ms": round(max(lats), 1) if lats else None,
            }  # fmt: skip
        if everything:
            out["ALL"] = {
                "n": len(everything) + errors_total,
                "per_s": round((len(everything) + errors_total) / (hi - lo), 1),
                "errors": errors_total,
                "p50_ms": round(statistics.median(everything), 1),
                "p95_ms": round(pct(everything, 95), 1),
                "p99_ms": round(pct(everything, 99), 1),
                "max_ms": round(max(everything), 1),
            }
        return out


async def call(
    stats: Stats, kind: str, coro: Any, expect: tuple[int, ...] = (200,)
) -> httpx.Response | None:
    t0 = time.perf_counter()
    try:
        r: httpx.Response = await coro
    except httpx.HTTPError as e:
        stats.add(kind, t0, False, f"{type(e).__name__}: {e}")
        return None
    ok = r.status_code in expect
    stats.add(kind, t0, ok, f"{r.status_code} {r.text[:200]}")
    return r if ok else None


async def think(rng: random.Random, mean: float) -> None:
    await asyncio.sleep(mean * rng.uniform(0.5, 1.5))


async def citizen(
    base: str, stats: Stats, stop: asyncio.Event, rng: random.Random, args: Any,
    jpeg: bytes, counter: list[int], filed: list[str],
) -> None:  # fmt: skip
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        while not stop.is_set():
            counter[0] += 1
            files = {"evidence": ("foto.jpg", unique(jpeg, counter[0]), "image/jpeg")}
            r = await call(stats, "citizen: file a report (photo)",
                           c.post("/api/v1/reports", data=report_fields(rng), files=files),
                           (201,))  # fmt: skip
            await think(rng, args.think)
            if r is None:
                continue
            body = r.json()
            filed.append(body["number"])
            for _ in range(2):
                if stop.is_set():
                    return
                await call(stats, "citizen: check the receipt",
                           c.post("/api/v1/receipts/lookup",
                                  json={"number": body["number"], "code": body["receipt_code"]}))  # fmt: skip
                await think(rng, args.think)


async def signed_in(c: httpx.AsyncClient, username: str) -> str:
    r = await c.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    r.raise_for_status()
    return str(r.json()["csrf_token"])


async def staff(
    base: str, stats: Stats, stop: asyncio.Event, rng: random.Random, args: Any,
    filed: list[str],
) -> None:  # fmt: skip
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        csrf = await signed_in(c, "bawaslu_staff")
        while not stop.is_set():
            await call(stats, "staff: inbox /laporan", c.get("/laporan"))
            await think(rng, args.think)
            if filed:
                number = filed.pop(rng.randrange(len(filed)))
                await call(stats, "staff: a report's page", c.get(f"/laporan/{number}"))
                await think(rng, args.think)
                await call(stats, "staff: report to diperiksa",
                           c.post(f"/api/v1/reports/{number}/status",
                                  json={"status": "diperiksa", "reason": "ditelaah"},
                                  headers={"X-CSRF-Token": csrf}))  # fmt: skip
                await think(rng, args.think)
            await call(stats, "staff: cases /kasus", c.get("/kasus"))
            await think(rng, args.think)
            await call(stats, "staff: search /cari", c.get("/cari", params={"q": "Asep"}))
            await think(rng, args.think)
            await call(stats, "staff: API report list", c.get("/api/v1/reports"))
            await think(rng, args.think)


async def dashboards(
    base: str, stats: Stats, stop: asyncio.Event, rng: random.Random, args: Any, k: int
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=60) as c:
        role, page = (("bawaslu_staff", "/dasbor/bawaslu"), ("bkpsdm", "/dasbor/kepegawaian"),
                      ("", "/transparansi?region=32.73"))[k % 3]  # fmt: skip
        if role:
            await signed_in(c, role)
        while not stop.is_set():
            await call(stats, f"dashboard: {page.split('?')[0]}", c.get(page))
            await think(rng, args.think)


async def baseline(base: str, seconds: float) -> dict[str, Any]:
    lats = []
    async with httpx.AsyncClient(base_url=base, timeout=10) as c:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            (await c.get("/healthz")).raise_for_status()
            lats.append((time.perf_counter() - t0) * 1000)
    return {"n": len(lats), "per_s": round(len(lats) / seconds, 1),
            "p50_ms": round(statistics.median(lats), 2), "p99_ms": round(pct(lats, 99), 2)}  # fmt: skip


async def run(args: Any, procs: Processes) -> dict[str, Any]:
    stats = Stats()
    stop = asyncio.Event()
    jpeg = photo(3, 640, 480)
    counter = [0]
    filed: list[str] = []
    bases = [f"http://127.0.0.1:{p}" for p in procs.ports]
    tasks = []
    for i in range(args.users):
        rng = random.Random(i)
        base = bases[i % 2]
        share = i % 10
        if share < 6:
            coro = citizen(base, stats, stop, rng, args, jpeg, counter, filed)
        elif share < 9:
            coro = staff(base, stats, stop, rng, args, filed)
        else:
            coro = dashboards(base, stats, stop, rng, args, i // 10)
        tasks.append(asyncio.create_task(coro))
        await asyncio.sleep(args.think / max(1, args.users))  # users arrive over one think time
    await asyncio.sleep(args.warmup)
    rss: dict[str, float] = defaultdict(float)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    load_start = load_avg()
    while time.perf_counter() - t0 < args.duration:
        await asyncio.sleep(min(5, args.duration - (time.perf_counter() - t0)))
        for name, mb in procs.rss_mb().items():
            rss[name] = max(rss[name], mb)
    stats.window = (t0, time.perf_counter())
    load_end = load_avg()
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    client_cpu = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
    return {
        "kinds": stats.summary(),
        "errors_sample": stats.errors,
        "rss_max_mb": {k: round(v, 1) for k, v in rss.items()},
        "client_cpu_share": round(client_cpu / args.duration, 2),
        "load": f"{load_start} -> {load_end}",
    }


def drain_seconds(limit: float = 120) -> float | None:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        pending = int(redis_db(["LLEN", "huey.redis.netral"]) or 0)
        if pending == 0:
            return round(time.perf_counter() - t0, 1)
        time.sleep(1)
    return None


def markdown(machine: str, args: Any, out: dict[str, Any]) -> str:
    lines = [
        f"machine: {machine}; {args.users} users, think {args.think} s, {args.duration} s "
        f"measured after {args.warmup} s; load avg {out['load']}; client CPU "
        f"{out['client_cpu_share']} cores",
        "",
        "| request | n | req/s | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, s in out["kinds"].items():
        lines.append(f"| {kind} | {s['n']} | {s['per_s']} | {s['errors']} | {s['p50_ms']} | "
                     f"{s['p95_ms']} | {s['p99_ms']} | {s['max_ms']} |")  # fmt: skip
    lines += [
        "",
        f"RSS max (MB): {out['rss_max_mb']}",
        f"queue emptied {out['drain_s']} s after the run; raw GET /healthz baseline: "
        f"{out['baseline']}",
    ]
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    ap.add_argument("--users", type=int, default=200)
    ap.add_argument("--duration", type=float, default=300)
    ap.add_argument("--warmup", type=float, default=20)
    ap.add_argument("--think", type=float, default=1.0, help="mean think time (s)")
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args()
    machine = (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
               f"Python {platform.python_version()}")  # fmt: skip
    tmp = Path(tempfile.mkdtemp(prefix="netral-bench-load-"))
    data_dir = tmp / "data"
    redis_db(["FLUSHDB"])  # this benchmark's own Redis database
    url = fresh_database(data_dir)
    procs = Processes(url, data_dir, tmp)
    try:
        procs.start()
        print(f"machine: {machine}; web on {procs.ports}, worker; {url}", flush=True)
        base = asyncio.run(baseline(f"http://127.0.0.1:{procs.ports[0]}", 5))
        print(f"  baseline GET /healthz: {base} (load {load_avg()})", flush=True)
        out = asyncio.run(run(args, procs))
        out["baseline"] = base
        out["drain_s"] = drain_seconds()
        print(json.dumps(out, indent=1), flush=True)
        if "Traceback" in procs.logs():
            print(procs.logs(), file=sys.stderr)
    finally:
        procs.stop()
        drop_database(url)
    if args.markdown:
        print()
        print(markdown(machine, args, out))
    return 0 if out["kinds"].get("ALL", {}).get("errors", 1) == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
