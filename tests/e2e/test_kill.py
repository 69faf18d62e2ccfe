"""Durability: SIGKILL the server in the middle of a stream of reports; no receipt is ever lost.

The real server runs as a separate process (uvicorn) on the test's database and a data dir of
its own. Client threads file reports (half with a photo, some anonymous) and keep every receipt
they are given. The server is killed with SIGKILL while requests are in flight, then restarted
on the same database and data dir. Every receipt that was returned must open its report, with
its evidence intact on disk (a photo's clean copy made, or still to be made by the job) and its
screening marker (pending, or done if the in-process screening consumer got to it); the audit
chain must still verify.
Submissions cut off by the kill were never acknowledged: they may or may not exist, but what
exists must be whole (no report without its marker, no evidence row without its file).
"""

from __future__ import annotations

import hashlib
import io
import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.crypto import Keyring
from netral.core.db import session_factory
from netral.core.models import AuditEntry
from netral.core.storage import LocalEvidenceStore
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Evidence, Report
from netral.screening.models import ScreeningTask

from support.server import ServerProcess
from support.web import World, camat_report

CLIENTS = 8
LOAD_SECONDS = 1.5  # of load before the kill
MIN_RECEIPTS = 8  # and at least this many acknowledged


def small_photo(seed: int) -> bytes:
    """A distinct little JPEG per submission (noise over a gradient), a few KB."""
    rng = random.Random(seed)
    w, h = 96, 72
    noise = Image.frombytes("L", (w, h), rng.randbytes(w * h))
    base = Image.linear_gradient("L").resize((w, h))
    img = Image.merge("RGB", (noise, base, Image.blend(base, noise, 0.5)))
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=85)
    return buf.getvalue()


def form(n: int, *, anonymous: bool) -> dict[str, str]:
    data = camat_report(
        f"Laporan uji ketahanan nomor {n}: camat berpose tiga jari di depan "
        f"spanduk paslon saat acara warga, kejadian ke-{n}."
    )
    if anonymous:
        data["anonymous"] = "true"
    else:
        data.update(
            reporter_name="Nina Marlina",
            reporter_phone="081234567890",
            reporter_address="Jl. Setiabudi 12, Bandung",
        )
    return data


@dataclass(frozen=True)
class Acknowledged:
    number: str
    code: str
    photo_sha256: str | None  # None: filed without evidence
    anonymous: bool


@dataclass
class Load:
    killed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    receipts: list[Acknowledged] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)  # transport errors after the kill
    failures: list[str] = field(default_factory=list)  # anything else: the test fails


def client_loop(base_url: str, worker: int, load: Load) -> None:
    n = 0
    with httpx.Client(base_url=base_url, timeout=15.0) as client:
        while True:
            n += 1
            seq = worker * 100_000 + n
            with_photo = n % 2 == worker % 2
            anonymous = n % 3 == 0
            files = []
            sha = None
            if with_photo:
                photo = small_photo(seq)
                sha = hashlib.sha256(photo).hexdigest()
                files = [("evidence", (f"foto-{seq}.jpg", photo, "image/jpeg"))]
            try:
                r = client.post(
                    "/api/v1/reports", data=form(seq, anonymous=anonymous), files=files or None
                )
            except httpx.TransportError as exc:
                with load.lock:
                    if load.killed.is_set():
                        load.cut_off.append(f"{type(exc).__name__}: {exc}")
                    else:
                        load.failures.append(f"before the kill: {type(exc).__name__}: {exc}")
                return
            if r.status_code != 201:
                with load.lock:
                    load.failures.append(f"{r.status_code}: {r.text[:300]}")
                return
            body = r.json()
            with load.lock:
                load.receipts.append(
                    Acknowledged(body["number"], body["receipt_code"], sha, anonymous)
                )


@pytest.fixture
def seeded(db: Session, world: World) -> None:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    db.close()


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def object_path(data_dir: Path, sha256: str) -> Path:
    return data_dir / "evidence" / "objects" / sha256[:2] / sha256[2:4] / sha256


def test_every_acknowledged_report_survives_sigkill(
    seeded: None, engine: Engine, database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "server-data"
    server = ServerProcess(database_url=database_url, data_dir=data_dir)
    load = Load()
    threads: list[threading.Thread] = []
    try:
        server.start()
        threads = [
            threading.Thread(target=client_loop, args=(server.base_url, i, load), daemon=True)
            for i in range(CLIENTS)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        # kill mid-stream: after some load and some receipts, while requests are in flight
        while time.monotonic() - started < 15:
            with load.lock:
                enough = len(load.receipts) >= MIN_RECEIPTS or load.failures
            if enough and time.monotonic() - started >= LOAD_SECONDS:
                break
            time.sleep(0.05)
        with load.lock:
            load.killed.set()
        server.kill()
        for t in threads:
            t.join(timeout=20)
        assert not any(t.is_alive() for t in threads), "a client is still waiting"
        assert not load.failures, f"{load.failures[:5]}\n{server.log_tail()}"
        receipts = list(load.receipts)
        assert len(receipts) >= MIN_RECEIPTS, "too few reports acknowledged before the kill"
        # the kill really cut submissions off: someone was waiting for an answer
        assert load.cut_off, "no submission was in flight when the server was killed"
        print(f"{len(receipts)} acknowledged, {len(load.cut_off)} cut off by the kill")

        server.start()
        with httpx.Client(base_url=server.base_url, timeout=10.0) as client:
            for ack in receipts:
                r = client.post(
                    "/api/v1/receipts/lookup", json={"number": ack.number, "code": ack.code}
                )
                assert r.status_code == 200, f"{ack.number}: {r.status_code} {r.text[:300]}"
                body = r.json()
                assert body["number"] == ack.number and body["status"] == "baru"
                assert body["evidence_count"] == (1 if ack.photo_sha256 else 0), ack.number
    finally:
        load.killed.set()
        server.kill()

    session = session_factory(engine)()
    store = LocalEvidenceStore(
        data_dir / "evidence", Keyring.load_or_create(data_dir / "keys" / "secret.key")
    )
    try:
        for ack in receipts:
            report = session.scalar(select(Report).where(Report.number == ack.number))
            assert report is not None, ack.number
            assert report.status == "baru"
            assert report.anonymous == ack.anonymous
            rows = session.scalars(select(Evidence).where(Evidence.report_id == report.id)).all()
            if ack.photo_sha256 is None:
                assert rows == []
            else:
                assert [e.sha256 for e in rows] == [ack.photo_sha256], ack.number
                original = object_path(data_dir, rows[0].sha256)
                assert original.is_file(), f"{ack.number}: original missing"
                # sealed at rest: it opens under the server's keys to the very bytes sent
                assert store.is_sealed(ack.photo_sha256), ack.number
                assert store.verify(ack.photo_sha256), f"{ack.number}: original altered"
            tasks = session.scalars(
                select(ScreeningTask).where(ScreeningTask.report_id == report.id)
            ).all()
            if rows and rows[0].derivative_sha256 is not None:
                derivative = object_path(data_dir, rows[0].derivative_sha256)
                assert sha256_file(derivative) == rows[0].derivative_sha256, ack.number
            elif rows:  # the clean copy is the job's first step: still to come, never lost
                assert rows[0].preparing and tasks[0].status == "pending", ack.number
            # the marker, still pending or already screened by the in-process consumer
            assert [t.evidence_id for t in tasks] == [None], ack.number
            assert tasks[0].status in ("pending", "done"), (ack.number, tasks[0].status)

        # whatever exists (acknowledged or not) is whole: all or nothing of each submission
        reports = session.scalar(select(func.count()).select_from(Report))
        assert reports >= len(receipts)
        marked = session.scalar(
            select(func.count(func.distinct(ScreeningTask.report_id))).where(
                ScreeningTask.evidence_id.is_(None)
            )
        )
        assert marked == reports, "a report without its screening marker"
        received = session.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "report.received")
        )
        assert received == reports
        for sha, derived in session.execute(select(Evidence.sha256, Evidence.derivative_sha256)):
            assert object_path(data_dir, sha).is_file(), f"evidence row without its file {sha}"
            assert derived is None or object_path(data_dir, derived).is_file()
    finally:
        session.close()

    result = audit.verify(engine)
    assert result.ok, result
