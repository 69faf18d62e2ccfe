"""How fast `registry.importer.import_asn` loads the BKPSDM file, against a raw insert of its rows.

Run: NETRAL_IMPORT_MAX_MB=2048 python benchmarks/import_asn.py [--rows N]
         [--backends sqlite,postgresql] [--engines columns,rows]

Generates N synthetic ASN rows (default 1,000,000; cheap Indonesian-looking names, valid NIPs,
about half with e-mail and phone, 5% with a social account) for one region with a few dozen OPD,
then measures, each in a fresh subprocess so that peak RSS belongs to one measurement:

- raw: the same rows, already in memory, into an un-indexed table (SQLite executemany; PostgreSQL
  COPY), the floor the importer is compared with;
- for each engine (`columns`, the default; `rows`, the per-row validator it replaced):
  first: `import_asn` into an empty registry; reimport: `import_asn` of the same file with 10% of
  the rows changed. The registry is emptied before each engine's first import.

Each line carries the 1-minute load average before and after it and the process's CPU seconds
(user + system, all its threads), since wall time on a shared machine is what others left over.
SQLite runs on a fresh file; PostgreSQL on a database created on 127.0.0.1:5432 and dropped after.
Goals (issue 14): first import >= 0.20x raw on SQLite; >= 200k rows/s and >= 0.3x COPY on
PostgreSQL; peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from netral.registry.nip import make_nip

REGION = "32.73"
PG_ADMIN = os.environ.get(
    "NETRAL_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
HEADER = [
    "NIP",
    "Nama",
    "Jenis",
    "Jabatan",
    "Golongan",
    "OPD",
    "Unit",
    "Email",
    "Telepon",
    "Akun Medsos",
]
FIRST = [
    "Asep",
    "Budi",
    "Cecep",
    "Dadang",
    "Dede",
    "Deden",
    "Dewi",
    "Dian",
    "Eka",
    "Endang",
    "Euis",
    "Fajar",
    "Gilang",
    "Hendra",
    "Ikhsan",
    "Iwan",
    "Joko",
    "Kurnia",
    "Lina",
    "Mila",
    "Nanang",
    "Neneng",
    "Nurul",
    "Oman",
    "Putri",
    "Rina",
    "Rizky",
    "Sari",
    "Siti",
    "Tatang",
    "Teguh",
    "Ujang",
    "Wawan",
    "Yanti",
    "Yusuf",
    "Zaenal",
]
LAST = [
    "Saepudin",
    "Hidayat",
    "Rahmawati",
    "Suryana",
    "Permana",
    "Kusnadi",
    "Setiawan",
    "Nurhasanah",
    "Sumarna",
    "Wijaya",
    "Gunawan",
    "Hermawan",
    "Kurniawan",
    "Lestari",
    "Maulana",
    "Nugraha",
    "Pratama",
    "Rukmana",
    "Sopandi",
    "Suhendar",
    "Supriatna",
    "Syahrial",
    "Wahyudi",
    "Firmansyah",
    "Ramdani",
    "Hakim",
]
POSITIONS = (
    "Guru Ahli Pertama",
    "Guru Ahli Muda",
    "Perawat Terampil",
    "Bidan Ahli Pertama",
    "Analis Kebijakan",
    "Pengadministrasi Umum",
    "Pranata Komputer",
    "Arsiparis",
    "Penyuluh Kesehatan",
    "Pengelola Keuangan",
)
GOLONGAN_PNS = tuple(f"{r}/{x}" for r in ("II", "III", "IV") for x in "abcd")
GOLONGAN_PPPK = ("V", "VII", "IX", "X", "XI")
OPD_CODES = [f"OPD{i:02d}" for i in range(36)]


# ---------------------------------------------------------------- data


def generate(path: Path, rows: int, seed: int = 2024, change_every: int = 0) -> None:
    """Write the benchmark CSV; with change_every=k, every k-th row gets a different name."""
    rng = random.Random(seed)
    today = date(2024, 8, 1)
    # valid NIPs fast: a pool of birth+appointment prefixes, then sex and sequence enumerated
    pool = max(1000, rows // 1900 + 1)
    prefixes = [make_nip(rng, today=today)[:14] for _ in range(pool)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        pick = rng.random
        nf, nl, npos = len(FIRST), len(LAST), len(POSITIONS)
        for i in range(rows):
            j = i // pool
            nip = f"{prefixes[i % pool]}{'12'[j & 1]}{(j >> 1) + 1:03d}"
            first, last = FIRST[int(pick() * nf)], LAST[int(pick() * nl)]
            name = f"{first} {last}"
            if change_every and i % change_every == 0:
                name += " Putra"
            pppk = pick() < 0.18
            opd = OPD_CODES[i % len(OPD_CODES)]
            unit = ("", "Sekretariat", "Bidang Pelayanan")[i % 3]
            if pick() < 0.5:
                email = f"{first.lower()}.{last.lower()}{i}@bandung.go.id"
                phone = f"08{int(pick() * 1e10):010d}"
            else:
                email = phone = ""
            w.writerow(
                [
                    nip,
                    name,
                    "PPPK" if pppk else "PNS",
                    POSITIONS[i % npos],
                    GOLONGAN_PPPK[i % 5] if pppk else GOLONGAN_PNS[i % 12],
                    opd,
                    unit,
                    email,
                    phone,
                    f"instagram:@asn{i}" if i % 20 == 0 else "",
                ]
            )


# ---------------------------------------------------------------- databases


def setup_database(url: str) -> None:
    """Migrate and load the regions and the OPD tree of the benchmark region."""
    from netral.core.audit import Actor
    from netral.core.db import make_engine, session_factory
    from netral.core.migrate import upgrade
    from netral.registry import service

    engine = make_engine(url)
    upgrade(engine)
    with session_factory(engine)() as s:
        service.load_shipped_wilayah(db_session=s, actor=Actor.system())
        for code in OPD_CODES:
            parent = service.create_opd(
                db_session=s,
                region_code=REGION,
                code=code,
                name=f"Dinas Benchmark {code}",
                kind="dinas",
            )
            for unit in ("Sekretariat", "Bidang Pelayanan"):
                service.create_opd(
                    db_session=s,
                    region_code=REGION,
                    code=f"{code}-{unit[:3]}",
                    name=unit,
                    kind="unit",
                    parent=parent,
                )
        s.commit()
    engine.dispose()


def create_pg() -> str:
    from sqlalchemy import text

    from netral.core.db import make_engine

    name = f"netral_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_ADMIN.rsplit("/", 1)[0] + "/" + name


def drop_pg(url: str) -> None:
    from sqlalchemy import text

    from netral.core.db import make_engine

    admin = make_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


# ---------------------------------------------------------------- measurements (in a child)


def measure_raw(url: str, path: Path) -> dict[str, Any]:
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = [tuple(r) for r in reader]
    cols = ", ".join(f"c{i} TEXT" for i in range(len(HEADER)))
    if url.startswith("sqlite"):
        import sqlite3

        conn = sqlite3.connect(url.split("///", 1)[1])
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(f"CREATE TABLE raw_asn ({cols})")
        start = time.perf_counter()
        conn.executemany(f"INSERT INTO raw_asn VALUES ({','.join('?' * len(HEADER))})", rows)
        conn.commit()
        seconds = time.perf_counter() - start
        conn.execute("DROP TABLE raw_asn")
        conn.commit()
        conn.close()
    else:
        import psycopg

        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql")) as conn:
            conn.execute(f"CREATE TABLE raw_asn ({cols})")
            conn.commit()
            start = time.perf_counter()
            with conn.cursor() as cur, cur.copy("COPY raw_asn FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            conn.commit()
            seconds = time.perf_counter() - start
            conn.execute("DROP TABLE raw_asn")
    return {"rows": len(rows), "seconds": seconds}


def clear_registry(url: str) -> None:
    """Empty the registry of ASN, so that the next import is a first import again."""
    from sqlalchemy import text

    from netral.core.db import make_engine

    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM social_account"))
        conn.execute(text("DELETE FROM asn"))
    engine.dispose()


def measure_import(url: str, path: Path, engine_name: str = "columns") -> dict[str, Any]:
    from netral.core.audit import Actor
    from netral.core.db import make_engine, session_factory
    from netral.core.settings import get_settings
    from netral.registry.importer import import_asn
    from netral.wiring import wire

    engine = make_engine(url)
    wire(settings=get_settings(), engine=engine)  # as the CLI's root callback does
    with session_factory(engine)() as s:
        start = time.perf_counter()
        report = import_asn(
            db_session=s,
            path=path,
            region_code=REGION,
            actor=Actor.system(),
            engine=engine_name,  # type: ignore[arg-type]
        )
        s.commit()
        seconds = time.perf_counter() - start
    engine.dispose()
    return {
        "rows": report.rows,
        "seconds": seconds,
        "inserted": report.inserted,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": report.error_count,
    }


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(kind: str, url: str, path: str) -> None:
    load_before = os.getloadavg()[0]
    cpu = _cpu()
    if kind == "raw":
        out = measure_raw(url, Path(path))
    else:
        out = measure_import(url, Path(path), kind.split(":", 1)[1])
    out["cpu_s"] = _cpu() - cpu
    # Linux reports ru_maxrss in KiB
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # the machine is shared: the 1-minute load average before and after the measurement
    out["load"] = (load_before, os.getloadavg()[0])
    print(json.dumps(out))


def run_child(kind: str, url: str, path: Path, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--url", url, "--file", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} on {url} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--engines", default="columns,rows")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.file)
        return

    with tempfile.TemporaryDirectory(prefix="netral-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "NETRAL_DATA_DIR": str(work / "data"),
            "NETRAL_IMPORT_MAX_MB": os.environ.get("NETRAL_IMPORT_MAX_MB", "2048"),
        }
        os.environ.update(env)
        first, changed = work / "asn.csv", work / "asn-changed.csv"
        t = time.perf_counter()
        generate(first, args.rows)
        generate(changed, args.rows, change_every=10)
        print(
            f"generated 2 x {args.rows:,} rows ({first.stat().st_size / 1e6:.0f} MB each) "
            f"in {time.perf_counter() - t:.1f} s",
            flush=True,
        )
        results: list[tuple[str, str, dict[str, Any]]] = []
        for backend in args.backends.split(","):
            url = f"sqlite:///{work / 'bench.db'}" if backend == "sqlite" else create_pg()
            try:
                setup_database(url)
                plan = [("raw insert", "raw", first)]
                for engine in args.engines.split(","):
                    plan += [
                        (f"first import ({engine})", f"import:{engine}", first),
                        (f"re-import, 10% changed ({engine})", f"import:{engine}", changed),
                    ]
                for label, kind, path in plan:
                    if label.startswith("first"):
                        clear_registry(url)
                    r = run_child(kind, url, path, env)
                    results.append((backend, label, r))
                    print(
                        f"{backend:10} {label:34} {r['rows'] / r['seconds']:>10,.0f} rows/s "
                        f"{r['seconds']:7.2f} s  cpu {r['cpu_s']:6.2f} s  "
                        f"peak RSS {r['peak_rss_mb']:6.0f} MB  "
                        f"load {r['load'][0]:.1f}->{r['load'][1]:.1f}  "
                        + (
                            f"ins {r['inserted']:,} upd {r['updated']:,} same {r['unchanged']:,}"
                            if kind != "raw"
                            else ""
                        ),
                        flush=True,
                    )
            finally:
                if backend != "sqlite":
                    drop_pg(url)
        print()
        print(
            "| database | measurement | rows | seconds | rows/s | vs raw | CPU s | peak RSS "
            "| load avg |"
        )
        print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        raw: dict[str, float] = {}
        for backend, label, r in results:
            rate = r["rows"] / r["seconds"]
            if label == "raw insert":
                raw[backend] = rate
            ratio = f"{rate / raw[backend]:.2f}" if backend in raw else "-"
            print(
                f"| {backend} | {label} | {r['rows']:,} | {r['seconds']:.2f} | {rate:,.0f} | "
                f"{ratio} | {r['cpu_s']:.1f} | {r['peak_rss_mb']:.0f} MB | "
                f"{r['load'][0]:.1f}->{r['load'][1]:.1f} |"
            )


if __name__ == "__main__":
    main()
