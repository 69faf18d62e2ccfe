"""Faults the app must come through: a full evidence disk (refused in words, no row without its
file; the store is a tiny tmpfs, so this needs root, as CI and this machine have), every
database connection cut, and a PostgreSQL server of the test's own stopped and started again
under load (the app answers 503 in words meanwhile and recovers by itself)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from netral.app import create_app
from netral.core.db import make_engine
from netral.core.migrate import upgrade
from netral.core.settings import Settings
from netral.core.storage import LocalEvidenceStore
from netral.reports.models import Evidence, Report

from support.evidence import photo_jpeg
from support.server import free_port, serving
from support.web import login, seed_world


def _mount_tiny(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def tiny_store(settings) -> Iterator[Path]:
    evidence = settings.data_dir / "evidence"
    if not _mount_tiny(evidence, "900k"):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield evidence
    finally:
        subprocess.run(["umount", "-l", str(evidence)], check=False)


def _form() -> dict[str, str]:
    return {
        "description": "Camat berpose tiga jari di samping spanduk paslon saat acara warga.",
        "occurred_on": "2024-10-01",
        "known_on": "2024-10-02",
        "kecamatan": "32.73.01",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "anonymous": "true",
    }


def test_a_full_evidence_disk_refuses_the_report_in_words_and_keeps_no_orphan_row(
    settings, world, db, tiny_store
):
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    sent = []
    for seed in range(6):  # ~300 KB photos (and their copies) until the 900 KB disk is full
        img = Image.open(io.BytesIO(photo_jpeg(1600, 1200, seed=seed)))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=95)
        r = client.post(
            "/api/v1/reports",
            data=_form(),
            files=[("evidence", (f"foto{seed}.jpg", buf.getvalue(), "image/jpeg"))],
        )
        sent.append(r)
        if r.status_code != 201:
            break
    refused = sent[-1]
    assert refused.status_code == 507, refused.text[:300]
    assert "Ruang penyimpanan bukti penuh" in refused.json()["title"]
    accepted = sum(1 for r in sent if r.status_code == 201)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Report)) == accepted
    stored = {p.name for p in tiny_store.rglob("*") if p.is_file() and p.parent.name != "tmp"}
    for sha, derivative in db.execute(select(Evidence.sha256, Evidence.derivative_sha256)):
        assert sha in stored and (derivative is None or derivative in stored)
    assert not [p for p in (tiny_store / "tmp").iterdir()]  # no half-written file


def test_the_public_form_says_so_in_words_too(settings, world, db, tiny_store):
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    filler = tiny_store / "filler"
    filler.write_bytes(b"\0" * 850_000)  # the disk is (nearly) full already
    page = client.get("/lapor").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    photo = photo_jpeg(1600, 1200, seed=9)
    r = client.post(
        "/lapor",
        data={**_form(), "csrf_token": token},
        files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
    )
    assert r.status_code == 507 and "Ruang penyimpanan bukti penuh" in r.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_after_the_database_drops_every_connection_the_app_recovers_by_itself(
    settings, world, engine, as_user
):
    """What a PostgreSQL restart looks like to the app: every connection cut. Requests go on
    (pool_pre_ping replaces the dead ones) without restarting the app."""
    if engine.dialect.name != "postgresql":
        pytest.skip("connections cut by the server: PostgreSQL")
    staff = as_user("bawaslu_staff")
    assert staff.get("/laporan").status_code == 200
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.commit()
    answers = [staff.get("/laporan").status_code for _ in range(3)]
    assert answers[-1] == 200 and all(a in (200, 503) for a in answers), answers


# -- a PostgreSQL server restarted under load ---------------------------------------------------

PG_BIN = next(
    (
        b
        for b in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
        if (b / "pg_ctl").exists()
    ),
    None,
)


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, Callable[..., None]]]:
    """A PostgreSQL server of this test's own (the machine's is shared with other work), which
    the test may stop and start: its admin URL and a `pg_ctl` caller."""
    if PG_BIN is None:
        pytest.skip("PostgreSQL server binaries (Debian postgresql) are not installed")
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    base = Path(tempfile.mkdtemp(prefix="netral-pg-"))
    if as_owner:
        shutil.chown(base, "postgres", "postgres")
    data, port = base / "data", free_port()
    subprocess.run(
        [
            *as_owner,
            str(PG_BIN / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"

    def pg_ctl(*args: str) -> None:
        subprocess.run(
            [
                *as_owner,
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(base / "server.log"),
                *args,
            ],
            check=True,
            capture_output=True,
        )

    pg_ctl("start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}", pg_ctl
    finally:
        subprocess.run(
            [*as_owner, str(PG_BIN / "pg_ctl"), "-D", str(data), "stop", "-m", "immediate"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(base, ignore_errors=True)


def test_a_postgresql_restart_under_load_fails_cleanly_and_the_app_recovers_by_itself(
    own_postgres, tmp_path
):
    """Citizens file reports with photos and staff read the inbox while the server stops and
    starts again. While it is down, every answer is a 503 in words with Retry-After; nothing is
    half-written; after it is back, requests succeed without restarting the app, every
    acknowledged report is there with its file, and the in-process worker screens again."""
    admin_url, pg_ctl = own_postgres
    admin = make_engine(f"{admin_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('CREATE DATABASE "netral"'))
    admin.dispose()
    url = f"{admin_url}/netral"
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as db:
        seed_world(db)
        db.commit()
    settings = Settings(
        database_url=url,
        data_dir=tmp_path / "data",
        report_submissions_per_minute=100_000,
        receipt_lookups_per_minute=100_000,
        jobs="inprocess",  # the worker thread lives through the restart too
    )
    photo = photo_jpeg(320, 240)
    answers: list[tuple[str, int, str, str]] = []  # who, status, content type, Retry-After
    filed: list[str] = []
    stop = threading.Event()

    with serving(create_app(settings)) as base:

        def citizen() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                while not stop.is_set():
                    r = client.post(
                        "/api/v1/reports",
                        data=_form(),
                        files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
                    )
                    answers.append(
                        (
                            "citizen",
                            r.status_code,
                            r.headers.get("content-type", ""),
                            r.headers.get("retry-after", ""),
                        )
                    )
                    if r.status_code == 201:
                        filed.append(r.json()["number"])
                    time.sleep(0.5)  # a steady stream, not a flood the worker cannot drain

        def staff() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                login(client, "bawaslu_staff")
                while not stop.is_set():
                    r = client.get("/laporan")
                    answers.append(
                        (
                            "staff",
                            r.status_code,
                            r.headers.get("content-type", ""),
                            r.headers.get("retry-after", ""),
                        )
                    )

        threads = [threading.Thread(target=f) for f in (citizen, citizen, staff, staff)]
        for t in threads:
            t.start()
        # under way: both kinds of user have been answered a few times
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
            sum(1 for who, status, _, _ in answers if who == "staff" and status == 200) >= 2
            and sum(1 for who, status, _, _ in answers if who == "citizen" and status == 201) >= 2
        ):
            time.sleep(0.2)
        before = len(answers)
        assert before, "no request was answered before the restart"
        pg_ctl("stop", "-m", "fast")
        with httpx.Client(base_url=base, timeout=30) as probe:
            down = probe.post(
                "/api/v1/reports",
                data=_form(),
                files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
            )
            page = probe.get("/lapor/cek")
        time.sleep(1)
        pg_ctl("start")
        time.sleep(3)
        stop.set()
        for t in threads:
            t.join(timeout=60)

        # while it was down: a refusal in words, to try again shortly
        assert down.status_code == 503 and down.headers["retry-after"] == "5"
        assert down.json()["code"] == "db.unavailable"
        assert page.status_code in (200, 503)
        statuses = {status for _, status, _, _ in answers}
        assert statuses <= {200, 201, 503}, sorted(statuses)
        assert all(retry == "5" for _, status, _, retry in answers if status == 503)
        assert any(s == 503 for _, s, _, _ in answers[before:])
        # back without restarting the app: the last answers of every thread are successes
        with httpx.Client(base_url=base, timeout=30) as client:
            after = client.post(
                "/api/v1/reports",
                data=_form(),
                files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
            )
            assert after.status_code == 201, after.text[:300]
            filed.append(after.json()["number"])
            staff_client = login(client, "bawaslu_staff")
            assert staff_client.get("/laporan").status_code == 200
            # the worker comes back too: every acknowledged report is screened, none stuck
            waiting = set(filed)
            deadline = time.monotonic() + 240
            while waiting and time.monotonic() < deadline:
                for number in sorted(waiting):
                    found = staff_client.get(
                        f"/api/v1/reports/{number}/findings",
                        headers={"Accept": "application/json"},
                    ).json()
                    if found.get("pending") == 0 and found.get("evidence"):
                        waiting.discard(number)
                time.sleep(1)
            assert not waiting, f"not screened after the restart: {sorted(waiting)}"

    # every acknowledged report is there, each with its stored file; no row without its file
    with Session(engine) as db:
        numbers = set(db.scalars(select(Report.number)))
        assert set(filed) <= numbers
        assert len(numbers) == len(filed), "a report was written that was never acknowledged"
        store = LocalEvidenceStore(settings.data_dir / "evidence")
        assert all(store.exists(sha) for sha in db.scalars(select(Evidence.sha256)))
    engine.dispose()
