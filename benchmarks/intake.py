"""Report intake over HTTP: reports/s and latency with a 300 KB photo each, and receipt lookups/s.

Run: .venv/bin/python benchmarks/intake.py [--backends sqlite,postgresql] [--clients 32]
         [--seconds 20] [--lookup-seconds 10] [--workers 1,2] [--redis URL] [--markdown]

For each backend: a fresh database (SQLite file in a temp dir; PostgreSQL: a database created on
127.0.0.1:5432 and dropped after), migrated, seeded with the shipped wilayah, the test world's
OPD/ASN/users and the demo election. The real server runs as a separate process
(`python -m uvicorn --factory netral.app:create_app`, with each process count --workers lists).
With --redis the server gets NETRAL_REDIS_URL (the job queue and the rate-limit counts there, as
deployed with several processes); that Redis database is flushed before each server starts.

The load generator runs in this process on the same machine (it shares the CPUs with the server):
N asyncio connections on uvloop, keep-alive, requests pre-encoded by hand (a minimal HTTP/1.1
client: a few µs of CPU per request, where httpx costs ~1 ms). Intake: every request is
a full report (identity, which is sealed) with one ~300 KB, 1600×1200 photo-like JPEG; the photo
bytes are unique per request (a JPEG comment), the pixels cycle through 64 variants whose
perceptual hashes differ, and descriptions are random word draws, so that dedup by content and
the duplicate suggestions behave as with real, distinct reports. Lookups: POST
/api/v1/receipts/lookup with the valid number + code of reports filed in the intake phase.

Measured over the window after a warm-up: completed requests/s, p50/p99/max latency, errors, and
the CPU seconds the server and the client spent (from /proc and getrusage), which give the
server's CPU cost per request and so the bound on this machine; the 1-minute load average at
the end of each window is printed beside it. The raw baseline, measured in the same run against
the same server: `GET /healthz` (no database, no body), the HTTP stack's own ceiling here.
Goals: >= 100 reports/s with p99 < 500 ms at 32 clients; >= 1,000 receipt lookups/s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PIL import Image

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from support.server import ServerProcess  # noqa: E402

PG_ADMIN = os.environ.get(
    "NETRAL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BOUNDARY = "netralbench7d3f"
PHOTO_VARIANTS = 64
WORDS = [
    "camat",
    "lurah",
    "guru",
    "kepala",
    "dinas",
    "sekretaris",
    "staf",
    "pegawai",
    "honorer",
    "acara",
    "warga",
    "balai",
    "rw",
    "rt",
    "masjid",
    "sekolah",
    "pasar",
    "lapangan",
    "kantor",
    "kecamatan",
    "kelurahan",
    "spanduk",
    "baliho",
    "kaos",
    "stiker",
    "foto",
    "video",
    "unggahan",
    "instagram",
    "facebook",
    "whatsapp",
    "grup",
    "status",
    "berpose",
    "jari",
    "dua",
    "tiga",
    "satu",
    "mengajak",
    "memilih",
    "paslon",
    "calon",
    "nomor",
    "urut",
    "kampanye",
    "rapat",
    "sosialisasi",
    "bantuan",
    "sembako",
    "amplop",
    "uang",
    "bagikan",
    "hadir",
    "pidato",
    "sambutan",
    "menyebut",
    "nama",
    "mendukung",
    "yel",
    "tepuk",
    "tangan",
    "seragam",
    "dinas",
    "jam",
    "kerja",
    "mobil",
    "dinas",
    "malam",
    "pagi",
    "siang",
    "sore",
    "minggu",
    "sabtu",
    "senin",
    "selasa",
    "rabu",
    "kamis",
    "jumat",
    "pengajian",
    "arisan",
    "posyandu",
    "puskesmas",
    "rapat",
    "koordinasi",
]


# ---------------------------------------------------------------- the load


def photo(seed: int, width: int = 1600, height: int = 1200) -> bytes:
    """Like tests/support/evidence.photo_jpeg (~300 KB), with a coarse random layer per seed.

    photo_jpeg's seed only changes the grain, which a perceptual hash ignores: every variant
    would look like a duplicate of every other. The coarse layer gives each its own pHash.
    """
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    coarse = Image.frombytes("L", (8, 6), rng.randbytes(48)).resize((width, height), Image.BICUBIC)
    grain = Image.blend(Image.blend(base, coarse, 0.6), noise, 0.28)
    img = Image.merge("RGB", (grain, base.rotate(90).resize((width, height)), coarse))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return buf.getvalue()


def unique(jpeg: bytes, n: int) -> bytes:
    """The same pixels, different bytes: a COM segment right after SOI."""
    payload = f"netral-bench-{n}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload + jpeg[2:]


def report_fields(rng: random.Random) -> dict[str, str]:
    today = date.today()
    desc = " ".join(rng.choice(WORDS) for _ in range(30))
    return {
        "description": f"Kejadian: {desc}.",
        "occurred_on": (today - timedelta(days=2)).isoformat(),
        "known_on": (today - timedelta(days=1)).isoformat(),
        "kecamatan": "32.73.01",
        "kelurahan": "32.73.01.1001",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "reported_name": "Asep Sunandar",
        "reported_position": "Camat Sukasari",
        "reporter_name": "Nina Marlina",
        "reporter_birth_place": "Bandung",
        "reporter_birth_date": "1990-05-17",
        "reporter_sex": "P",
        "reporter_occupation": "Wiraswasta",
        "reporter_address": "Jl. Setiabudi 12, Bandung",
        "reporter_phone": "081234567890",
        "reporter_email": "nina@example.com",
        "witnesses": "Ketua RW 05",
    }


def multipart(fields: dict[str, str], jpeg: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="evidence"; filename="foto.jpg"'
        "\r\nContent-Type: image/jpeg\r\n\r\n".encode()
    )
    return b"".join(parts) + jpeg + f"\r\n--{BOUNDARY}--\r\n".encode()


def post(port: int, path: str, content_type: str, body: bytes) -> bytes:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body


# ---------------------------------------------------------------- a minimal HTTP/1.1 client


class Connection:
    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                "127.0.0.1", self.port, limit=1 << 20
            )
        assert self.reader is not None
        self.writer.write(raw)
        await self.writer.drain()
        status = int((await self.reader.readline()).split(b" ", 2)[1])
        length, close, chunked = 0, False, False
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and b"close" in value.lower():
                close = True
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
        if chunked:
            body = b""
            while size := int((await self.reader.readline()).strip(), 16):
                body += await self.reader.readexactly(size + 2)
            await self.reader.readline()
        else:
            body = await self.reader.readexactly(length)
        if close:
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class Phase:
    name: str
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # end, latency, status
    bodies: list[bytes] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)
    server_cpu: float = 0.0
    client_cpu: float = 0.0
    machine_cpu: float = 0.0
    postgres_cpu: float = 0.0
    load1: float = 0.0  # 1-minute load average at the end of the window

    def in_window(self) -> list[tuple[float, float, int]]:
        a, b = self.window
        return [s for s in self.samples if a <= s[0] <= b]

    def summary(self) -> dict[str, Any]:
        win = self.in_window()
        seconds = self.window[1] - self.window[0]
        ok = sorted(lat for _, lat, st in win if 200 <= st < 300)
        errors = sum(1 for _, _, st in win if not 200 <= st < 300)

        def pct(p: float) -> float:
            return ok[min(len(ok) - 1, round(p * (len(ok) - 1)))] * 1000 if ok else float("nan")

        return {
            "phase": self.name,
            "load1": round(self.load1, 2),
            "seconds": round(seconds, 1),
            "ok": len(ok),
            "errors": errors,
            "per_s": len(ok) / seconds if seconds else 0.0,
            "p50_ms": pct(0.50),
            "p99_ms": pct(0.99),
            "max_ms": ok[-1] * 1000 if ok else float("nan"),
            "mean_ms": statistics.fmean(ok) * 1000 if ok else float("nan"),
            "server_cpu_s": self.server_cpu,
            "client_cpu_s": self.client_cpu,
            "machine_cpu_s": self.machine_cpu,
            "postgres_cpu_s": self.postgres_cpu,
            "server_cpu_ms_per_req": self.server_cpu / len(ok) * 1000 if ok else float("nan"),
        }


def proc_cpu(pids: list[int]) -> float:
    """utime + stime of the processes, in seconds."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


def machine_busy() -> float:
    """CPU seconds all cores spent busy (everything but idle and iowait), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process on the machine (its backends do the SQL work)."""
    pids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if (d / "comm").read_text().strip() == "postgres":
                    pids.append(int(d.name))
            except OSError:
                continue
    return proc_cpu(pids)


def server_pids(root: int) -> list[int]:
    """The server and its children (workers, when --workers > 1)."""
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(root)], capture_output=True, text=True)
    return [root, *(int(p) for p in out.stdout.split())]


def self_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


async def run_phase(
    phase: Phase,
    port: int,
    clients: int,
    make_request: Any,
    seconds: float,
    warmup: float,
    pids: list[int],
    keep_bodies: bool = False,
    profile: Path | None = None,
) -> Phase:
    t0 = time.perf_counter()
    stop_at = t0 + warmup + seconds
    phase.load1 = os.getloadavg()[0]
    marks: dict[str, float] = {}

    async def mark_window() -> None:
        await asyncio.sleep(warmup)
        marks["cpu0"], marks["self0"], marks["all0"] = proc_cpu(pids), self_cpu(), machine_busy()
        marks["pg0"] = postgres_cpu()
        phase.window = (time.perf_counter(), stop_at)
        spy = None
        if profile is not None:
            # collapsed stacks of the server's threads holding the GIL, over the measured window
            spy = subprocess.Popen(
                [
                    str(Path(sys.executable).parent / "py-spy"),
                    "record",
                    "--pid",
                    str(pids[0]),
                    "--duration",
                    str(max(1, int(seconds) - 1)),
                    "--rate",
                    "200",
                    "--format",
                    "raw",
                    "--output",
                    str(profile),
                    "--nonblocking",
                    "--gil",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        await asyncio.sleep(seconds)
        marks["cpu1"], marks["self1"], marks["all1"] = proc_cpu(pids), self_cpu(), machine_busy()
        marks["pg1"] = postgres_cpu()
        phase.load1 = os.getloadavg()[0]
        if spy is not None:
            await asyncio.to_thread(spy.wait)

    async def client(i: int) -> None:
        conn = Connection(port)
        n = 0
        try:
            while time.perf_counter() < stop_at:
                raw = make_request(i, n)
                n += 1
                start = time.perf_counter()
                try:
                    status, body = await conn.request(raw)
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    await conn.close()
                    status, body = 0, b""
                end = time.perf_counter()
                phase.samples.append((end, end - start, status))
                if keep_bodies and status == 201:
                    phase.bodies.append(body)
        finally:
            await conn.close()

    await asyncio.gather(mark_window(), *(client(i) for i in range(clients)))
    phase.server_cpu = marks["cpu1"] - marks["cpu0"]
    phase.client_cpu = marks["self1"] - marks["self0"]
    phase.machine_cpu = marks["all1"] - marks["all0"]
    phase.postgres_cpu = marks["pg1"] - marks["pg0"]
    return phase


# ---------------------------------------------------------------- databases


def fresh_database(backend: str, tmp: Path) -> tuple[str, Any]:
    """(url, drop callable) for a migrated, seeded database."""
    from sqlalchemy import text

    from netral.core.db import make_engine
    from netral.core.migrate import upgrade

    drop: Any = lambda: None  # noqa: E731
    if backend == "sqlite":
        url = f"sqlite:///{tmp / 'netral.db'}"
    else:
        name = f"netral_bench_{uuid.uuid4().hex[:10]}"
        admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name

        def drop() -> None:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

    engine = make_engine(url)
    try:
        upgrade(engine)
        seed(engine)
    finally:
        engine.dispose()
    return url, drop


def seed(engine: Any) -> None:
    from netral.core.audit import Actor
    from netral.core.db import session_factory
    from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
    from netral.wiring import subscribe_handlers

    from support.web import seed_world

    subscribe_handlers()  # the registry's events have their listeners, as in the app
    with session_factory(engine)() as db:
        seed_world(db)
        upsert_election(
            db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
        )
        db.commit()


# ---------------------------------------------------------------- the run


def flush_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def bench_backend(
    backend: str, workers: int, args: argparse.Namespace, photos: list[bytes]
) -> list[dict]:
    results = []
    with tempfile.TemporaryDirectory(prefix=f"netral-bench-{backend}-") as tmpdir:
        tmp = Path(tmpdir)
        os.environ["NETRAL_DATA_DIR"] = str(tmp / "seed")  # the seeding process's own key file
        url, drop = fresh_database(backend, tmp)
        env = {"NETRAL_JOBS": args.jobs} if args.jobs else {}
        if args.redis:
            env["NETRAL_REDIS_URL"] = args.redis
            flush_redis(args.redis)
        server = ServerProcess(
            database_url=url,
            data_dir=tmp / "data",
            workers=workers,
            extra_env=env or None,
            log_path=tmp / "srv.log",
        )
        tag = {"backend": backend, "workers": workers}
        try:
            server.start(timeout=60)
            time.sleep(1.0 if workers > 1 else 0.0)  # every worker process up, not only the first
            pids = server_pids(server.pid)
            port = server.port
            health = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
            floor = asyncio.run(
                run_phase(
                    Phase("healthz"),
                    port,
                    args.clients,
                    lambda i, n: health,
                    args.lookup_seconds,
                    args.warmup,
                    pids,
                )
            )
            results.append({**tag, **floor.summary()})
            rng = random.Random(1)
            ctype = f"multipart/form-data; boundary={BOUNDARY}"
            counter = iter(range(10**9))

            def intake_request(_i: int, _n: int) -> bytes:
                k = next(counter)
                jpeg = unique(photos[k % len(photos)], k)
                return post(port, "/api/v1/reports", ctype, multipart(report_fields(rng), jpeg))

            intake = asyncio.run(
                run_phase(
                    Phase("intake"),
                    port,
                    args.clients,
                    intake_request,
                    args.seconds,
                    args.warmup,
                    pids,
                    keep_bodies=True,
                    profile=args.py_spy / f"{backend}-intake.txt" if args.py_spy else None,
                )
            )
            results.append({**tag, **intake.summary()})
            if intake.bodies:
                failed = [s for s in intake.samples if s[2] != 201][:1]
                if failed:
                    print(f"  intake errors, e.g. status {failed[0][2]}", file=sys.stderr)
            receipts = [json.loads(b) for b in intake.bodies]
            lookups = [
                post(
                    port,
                    "/api/v1/receipts/lookup",
                    "application/json",
                    json.dumps({"number": r["number"], "code": r["receipt_code"]}).encode(),
                )
                for r in receipts
            ]
            if lookups:
                lookup = asyncio.run(
                    run_phase(
                        Phase("lookup"),
                        port,
                        args.clients,
                        lambda i, n: lookups[(i * 7919 + n) % len(lookups)],
                        args.lookup_seconds,
                        args.warmup,
                        pids,
                        profile=args.py_spy / f"{backend}-lookup.txt" if args.py_spy else None,
                    )
                )
                results.append({**tag, **lookup.summary()})
        finally:
            server.stop()
            log = server.log_tail(400)
            if "Traceback" in log:
                print(
                    f"server log ({backend}), last lines:\n{server.log_tail(30)}", file=sys.stderr
                )
            drop()
            if args.redis:
                flush_redis(args.redis)
    return results


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    pg = "?"
    try:
        from sqlalchemy import text

        from netral.core.db import make_engine

        eng = make_engine(PG_ADMIN)
        with eng.connect() as conn:
            pg = conn.execute(text("SHOW server_version")).scalar_one()
        eng.dispose()
    except Exception:
        pass
    return (
        f"{os.cpu_count()} cores, {cpu}, {mem:.0f} GB RAM; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; PostgreSQL {pg}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--backends", default="sqlite,postgresql")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--seconds", type=float, default=20.0, help="measured intake window")
    ap.add_argument("--lookup-seconds", type=float, default=10.0)
    ap.add_argument("--warmup", type=float, default=3.0)
    ap.add_argument(
        "--workers", default="1", help="uvicorn processes, a list: 1,2 measures both (default 1)"
    )
    ap.add_argument(
        "--redis",
        default="",
        metavar="URL",
        help="NETRAL_REDIS_URL for the server (jobs and rate limits); its database is flushed",
    )
    ap.add_argument(
        "--jobs",
        choices=("inprocess", "external", "off"),
        help="NETRAL_JOBS for the server (default: the app's default, an in-process screening "
        "consumer that shares the server's CPU)",
    )
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    ap.add_argument("--json", action="store_true", help="print the results as JSON too")
    ap.add_argument(
        "--py-spy",
        type=Path,
        metavar="DIR",
        help="profile the server with py-spy (pip install py-spy) over each measured window; "
        "collapsed stacks go to DIR/<backend>-<phase>.txt",
    )
    args = ap.parse_args()

    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    t = time.perf_counter()
    photos = [photo(seed) for seed in range(PHOTO_VARIANTS)]
    print(
        f"{len(photos)} photo variants, {statistics.fmean(map(len, photos)) / 1024:.0f} KB mean, "
        f"made in {time.perf_counter() - t:.1f} s"
    )
    print(f"machine: {machine()}")
    print(
        f"server: uvicorn, {args.workers} process(es), "
        f"NETRAL_JOBS={args.jobs or '(default)'}, NETRAL_REDIS_URL={args.redis or '(none)'}; "
        f"client: {args.clients} keep-alive connections in this process, same machine"
    )
    if args.py_spy:
        args.py_spy.mkdir(parents=True, exist_ok=True)
    results = []
    for backend in args.backends.split(","):
        for workers in (int(w) for w in args.workers.split(",")):
            results.extend(bench_backend(backend, workers, args, photos))

    goals = {"intake": "≥ 100/s, p99 < 500 ms", "lookup": "≥ 1,000/s", "healthz": "baseline"}
    cols = ("req/s", "p50 ms", "p99 ms", "max ms", "ok", "err", "srv ms/req", "load1")
    cpu_cols = ("server", "client", "postgres", "other")
    print("\nCPU columns: % of one core over the window (200% = the whole 2-core machine);")
    print("'other' = every other process on the machine.")
    print(f"{'backend':<11}{'procs':<6}{'phase':<8}" + "".join(f"{c:>11}" for c in cols + cpu_cols))
    rows = []
    for r in results:
        sec = r["seconds"]
        other = r["machine_cpu_s"] - r["server_cpu_s"] - r["client_cpu_s"] - r["postgres_cpu_s"]
        cpu = [r[f"{k}_cpu_s"] / sec * 100 for k in cpu_cols[:3]] + [max(0.0, other) / sec * 100]
        met = (
            r["per_s"] >= 100 and r["p99_ms"] < 500 and r["errors"] == 0
            if r["phase"] == "intake"
            else r["per_s"] >= 1000
        )
        rows.append((r, cpu, met))
        print(
            f"{r['backend']:<11}{r['workers']:<6}{r['phase']:<8}{r['per_s']:>11.1f}"
            f"{r['p50_ms']:>11.1f}{r['p99_ms']:>11.1f}{r['max_ms']:>11.1f}{r['ok']:>11}"
            f"{r['errors']:>11}{r['server_cpu_ms_per_req']:>11.1f}{r['load1']:>11.2f}"
            + "".join(f"{c:>10.0f}%" for c in cpu)
        )
    if args.markdown:
        print()
        print(
            "| database | web processes | measurement | req/s | p50 | p99 | errors "
            "| server CPU/req | CPU: server / client / PostgreSQL / other | load avg (1 min) "
            "| goal |"
        )
        print("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |")
        for r, cpu, met in rows:
            name = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}[r["backend"]]
            what = {
                "intake": "report intake",
                "lookup": "receipt lookup",
                "healthz": "raw baseline: GET /healthz",
            }[r["phase"]]
            goal = (
                "baseline"
                if r["phase"] == "healthz"
                else (f"{goals[r['phase']]}: {'met' if met else '**missed**'}")
            )
            print(
                f"| {name} | {r['workers']} | {what} | {r['per_s']:,.0f} | {r['p50_ms']:,.0f} ms "
                f"| {r['p99_ms']:,.0f} ms | {r['errors']} | {r['server_cpu_ms_per_req']:.1f} ms "
                f"| {' / '.join(f'{c:.0f}%' for c in cpu)} | {r['load1']:.2f} | {goal} |"
            )
    if args.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
