"""docs/deploy.md followed once on this machine: PostgreSQL, Redis, two web tiers and a worker.

Web A is `netral serve --workers 2` (two uvicorn processes), web B a second `netral serve` on its
own port, as on another machine; the worker is `netral worker`. All share the database, Redis
(jobs and rate limits) and the data directory (evidence store and keys, an NFS mount across
machines). A report with a photo filed through A is prepared and screened by the worker (the web
tiers run no jobs), then read through B by staff and by its reporter; a client's receipt lookups
count once across A and B.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.db import session_factory
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Evidence, Report
from netral.screening.models import ScreeningTask

from support.server import free_port
from support.web import PASSWORD, World, camat_report, csrf_from

pytestmark = pytest.mark.slow
LOOKUPS_PER_MINUTE = 6


@pytest.fixture
def seeded(db: Session, world: World) -> None:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    db.close()


class Piece:
    """One `netral …` process of the deployment, with its own log."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.log = name, log
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "netral.cli", *args],
                env=env,
                cwd=env["NETRAL_DATA_DIR"],
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the stop reaches uvicorn's workers
            )

    def tail(self) -> str:
        return f"--- {self.name}\n" + "\n".join(
            self.log.read_text(errors="replace").splitlines()[-30:]
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)


def wait_healthy(piece: Piece, base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert piece.proc.poll() is None, piece.tail()
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    pytest.fail(f"{piece.name} did not answer /healthz\n{piece.tail()}")


def children(pid: int) -> list[int]:
    import psutil

    return [c.pid for c in psutil.Process(pid).children(recursive=True)]


def report_form() -> dict[str, str]:
    return {
        **camat_report(
            "Camat berpose dua jari di depan spanduk paslon saat acara warga di "
            "balai RW, fotonya beredar di grup keluarga."
        ),
        "anonymous": "true",
    }


def screened(engine: Engine, number: str) -> list[str]:
    with session_factory(engine)() as session:
        return list(
            session.scalars(
                select(ScreeningTask.status)
                .join(Report, Report.id == ScreeningTask.report_id)
                .where(Report.number == number)
            )
        )


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_web_tiers_and_a_worker_share_one_state(
    seeded: None,
    engine: Engine,
    database_url: str,
    redis_url: str,
    tmp_path: Path,
    testdata: Path,
) -> None:
    shared = tmp_path / "shared-data"  # one directory for all: evidence, keys, audit anchor
    shared.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAL_")}
    env.update(
        NETRAL_DATABASE_URL=database_url,
        NETRAL_REDIS_URL=redis_url,
        NETRAL_JOBS="external",
        NETRAL_DATA_DIR=str(shared),
        NETRAL_RECEIPT_LOOKUPS_PER_MINUTE=str(LOOKUPS_PER_MINUTE),
    )
    port_a, port_b = free_port(), free_port()
    a = b = worker = None
    pieces: list[Piece] = []
    try:
        a = Piece(
            "web A",
            ["serve", "--host", "127.0.0.1", "--port", str(port_a), "--workers", "2"],
            env,
            tmp_path / "web-a.log",
        )
        pieces.append(a)
        wait_healthy(a, f"http://127.0.0.1:{port_a}")  # the first start writes the key
        b = Piece(
            "web B",
            ["serve", "--host", "127.0.0.1", "--port", str(port_b)],
            env,
            tmp_path / "web-b.log",
        )
        pieces.append(b)
        worker = Piece("worker", ["worker"], env, tmp_path / "worker.log")
        pieces.append(worker)
        wait_healthy(b, f"http://127.0.0.1:{port_b}")
        # `--workers 2`: uvicorn's supervisor and its two web processes
        assert len(children(a.proc.pid)) >= 2, a.tail()

        photo = (testdata / "gestures" / "mpsamples_hand_victory.jpg").read_bytes()
        with httpx.Client(base_url=f"http://127.0.0.1:{port_a}", timeout=30) as via_a:
            r = via_a.post(
                "/api/v1/reports",
                data=report_form(),
                files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
            )
        assert r.status_code == 201, r.text[:500]
        number, code = r.json()["number"], r.json()["receipt_code"]

        # only the worker runs jobs: it takes the task off Redis, prepares the photo, screens
        deadline = time.monotonic() + 180
        while screened(engine, number) != ["done"] and time.monotonic() < deadline:
            assert worker.proc.poll() is None, worker.tail()
            time.sleep(0.5)
        assert screened(engine, number) == ["done"], "\n".join(p.tail() for p in pieces)
        with session_factory(engine)() as session:
            ev = session.scalar(select(Evidence).join(Report).where(Report.number == number))
            assert ev is not None and ev.derivative_sha256 and ev.phash and not ev.preparing

        with httpx.Client(base_url=f"http://127.0.0.1:{port_b}", timeout=30) as via_b:
            page = via_b.get("/masuk")
            signed_in = via_b.post(
                "/masuk",
                data={
                    "username": "bawaslu_staff",
                    "password": PASSWORD,
                    "csrf_token": csrf_from(page.text),
                    "next": "/",
                },
                follow_redirects=False,
            )
            assert signed_in.status_code == 303, signed_in.text[:300]
            findings = via_b.get(f"/api/v1/reports/{number}/findings").json()
            assert findings["pending"] == 0
            kinds = {f["kind"] for found in findings["evidence"].values() for f in found}
            assert "gesture" in kinds, findings
            shown = via_b.get(f"/bukti/{ev.derivative_sha256}")
            assert shown.status_code == 200 and shown.content[:3] == b"\xff\xd8\xff"
        # the reporter, signed in nowhere, checks the receipt through B
        mine = httpx.post(
            f"http://127.0.0.1:{port_b}/api/v1/receipts/lookup",
            json={"number": number, "code": code},
            timeout=10,
        )
        assert mine.status_code == 200 and mine.json()["number"] == number

        # one count across both tiers (and A's two processes): one lookup is spent above
        statuses = []
        for i in range(LOOKUPS_PER_MINUTE + 2):
            port = (port_a, port_b)[i % 2]
            statuses.append(
                httpx.post(
                    f"http://127.0.0.1:{port}/api/v1/receipts/lookup",
                    json={"number": number, "code": code},
                    timeout=10,
                )
            )
        codes = [s.status_code for s in statuses]
        allowed = LOOKUPS_PER_MINUTE - 1
        assert codes == [200] * allowed + [429] * (len(codes) - allowed), codes
        assert 1 <= int(statuses[-1].headers["Retry-After"]) <= 60
    finally:
        for piece in reversed(pieces):
            piece.stop()
