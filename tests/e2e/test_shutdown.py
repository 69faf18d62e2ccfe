"""Shutdown: the real server (uvicorn, the in-process screening consumer running) stops on SIGTERM
and on SIGINT within seconds, and a screening job cut short by the stop runs again after a restart.

The in-process huey consumer must leave the process's signals to uvicorn: its own handlers would
replace uvicorn's and the server would ignore both signals. The standalone `netral worker` is the
main program, so there huey's handlers are the right ones; it must keep stopping on both too.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from huey import SqliteHuey
from PIL import Image, ImageDraw
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.db import session_factory
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Report
from netral.screening.models import ScreeningFinding, ScreeningTask

from support.server import ServerProcess
from support.web import World, camat_report

pytestmark = pytest.mark.slow
STOP_WITHIN = 10.0  # seconds from the signal to the process gone
SIGNALS = [signal.SIGTERM, signal.SIGINT]


def stop_with(server: ServerProcess, sig: signal.Signals) -> float:
    """Send `sig` to the server and wait for it to go; returns the seconds it took.

    A clean stop: uvicorn logs its lifespan shutdown, and the exit code is 0 or the signal itself
    (uvicorn re-raises a signal once it has shut down, so the parent sees the usual status).
    """
    assert server.proc is not None and server.proc.poll() is None, "not running"
    log_from = server.log_path.stat().st_size
    started = time.monotonic()
    server.proc.send_signal(sig)
    try:
        code = server.proc.wait(timeout=STOP_WITHIN)
    except subprocess.TimeoutExpired:
        server.kill()
        pytest.fail(f"still running {STOP_WITHIN:.0f} s after {sig.name}:\n{server.log_tail()}")
    took = time.monotonic() - started
    with server.log_path.open("rb") as fh:
        fh.seek(log_from)
        log = fh.read().decode(errors="replace")
    assert code in (0, -sig), f"exit code {code} after {sig.name}:\n{log}"
    assert "Application shutdown complete" in log, log
    return took


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # the database plays no part here
@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_server_with_inprocess_jobs_stops_on_signal(
    sig: signal.Signals, database_url: str, tmp_path: Path
) -> None:
    server = ServerProcess(
        database_url=database_url,
        data_dir=tmp_path / "server-data",
        extra_env={"NETRAL_JOBS": "inprocess"},
    )
    try:
        server.start()
        took = stop_with(server, sig)
        print(f"{sig.name}: stopped in {took:.1f} s")
    finally:
        server.kill()


# ---------------------------------------------------------------- a screening job in hand


@pytest.fixture
def seeded(db: Session, world: World) -> None:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    db.close()


def report_form() -> dict[str, str]:
    return {
        **camat_report(
            "Camat membagikan tangkapan layar ajakan memilih paslon di grup warga, "
            "lengkap dengan foto berpose dua jari di depan spanduk."
        ),
        "anonymous": "true",
    }


def long_post_screenshot() -> bytes:
    """A screenshot of a long post: a tall page of text, which OCR reads for several seconds."""
    img = Image.new("RGB", (3000, 4000), "white")
    draw = ImageDraw.Draw(img)
    for i in range(120):
        draw.text(
            (50, 30 + i * 32),
            f"Baris {i}: ayo warga pilih paslon nomor {i % 3 + 1}, pesan dari pak camat untuk "
            "semua RW, sebarkan ke grup keluarga",
            fill="black",
            font_size=28,
        )
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def screening_status(engine: Engine, number: str) -> list[str]:
    with session_factory(engine)() as session:
        return list(
            session.scalars(
                select(ScreeningTask.status)
                .join(Report, Report.id == ScreeningTask.report_id)
                .where(Report.number == number)
            )
        )


def wait_until_in_hand(server: ServerProcess, engine: Engine, number: str) -> None:
    """The consumer took the job off the queue and has not finished it: the queue is empty and
    the report's screening task is still pending."""
    queue = SqliteHuey("netral", filename=str(server.data_dir / "jobs.db"), utc=True)
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            if queue.pending_count() == 0 and screening_status(engine, number) == ["pending"]:
                return
            time.sleep(0.05)
    finally:
        queue.storage.close()
    pytest.fail(
        f"screening of {number} never in hand: {screening_status(engine, number)}\n"
        f"{server.log_tail()}"
    )


def _report_in_hand(server: ServerProcess, engine: Engine, testdata: Path) -> str:
    """Start the server, file a report with a photo and a screenshot, and wait until the
    screening of it is in the consumer's hand; returns the report's number."""
    photo = (testdata / "gestures" / "mpsamples_hand_victory.jpg").read_bytes()
    files = [
        ("evidence", ("foto.jpg", photo, "image/jpeg")),
        ("evidence", ("tangkapan-layar.png", long_post_screenshot(), "image/png")),
    ]
    server.start()
    r = httpx.post(f"{server.base_url}/api/v1/reports", data=report_form(), files=files, timeout=30)
    assert r.status_code == 201, r.text[:500]
    number = str(r.json()["number"])
    wait_until_in_hand(server, engine, number)
    return number


def test_job_in_hand_at_sigterm_is_screened_after_restart(
    seeded: None, engine: Engine, database_url: str, tmp_path: Path, testdata: Path
) -> None:
    server = ServerProcess(
        database_url=database_url,
        data_dir=tmp_path / "server-data",
        extra_env={"NETRAL_JOBS": "inprocess"},
    )
    try:
        number = _report_in_hand(server, engine, testdata)

        took = stop_with(server, signal.SIGTERM)
        left = screening_status(engine, number)
        print(f"stopped in {took:.1f} s with the job in hand; screening then {left}")
        assert left in (["pending"], ["done"])  # never half-done

        server.start()  # screening-recover runs at worker start
        deadline = time.monotonic() + 90
        while screening_status(engine, number) != ["done"] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert screening_status(engine, number) == ["done"], server.log_tail()
        stop_with(server, signal.SIGTERM)
    finally:
        server.kill()


# ---------------------------------------------------------------- the standalone worker


def _catches(pid: int, sig: signal.Signals) -> bool:
    """Whether the process has a handler for `sig` (Linux: SigCgt in /proc/<pid>/status)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (sig - 1)))
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
@pytest.mark.parametrize("sig", SIGNALS, ids=lambda s: s.name)
def test_standalone_worker_stops_on_signal(
    sig: signal.Signals, database_url: str, tmp_path: Path
) -> None:
    data_dir = tmp_path / "worker-data"
    data_dir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETRAL_")}
    env.update(
        NETRAL_DATABASE_URL=database_url, NETRAL_DATA_DIR=str(data_dir), NETRAL_JOBS="external"
    )
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "netral.cli", "worker"],
            env=env,
            cwd=data_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # huey's consumer sets its handlers (SIGTERM among them) once its threads run
        deadline = time.monotonic() + 30
        while not _catches(proc.pid, signal.SIGTERM):
            assert proc.poll() is None, log_path.read_text(errors="replace")
            assert time.monotonic() < deadline, "the worker never started its consumer"
            time.sleep(0.05)
        proc.send_signal(sig)
        try:
            code = proc.wait(timeout=STOP_WITHIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"worker still running {STOP_WITHIN:.0f} s after {sig.name}")
        assert code == 0, log_path.read_text(errors="replace")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _live_findings(engine: Engine, number: str) -> list[tuple[int | None, str]]:
    with session_factory(engine)() as session:
        return [
            (evidence_id, kind)
            for evidence_id, kind in session.execute(
                select(ScreeningFinding.evidence_id, ScreeningFinding.kind)
                .join(Report, Report.id == ScreeningFinding.report_id)
                .where(Report.number == number, ScreeningFinding.superseded_at.is_(None))
            )
        ]


def test_job_in_hand_at_sigkill_is_screened_once_after_restart(
    seeded: None, engine: Engine, database_url: str, tmp_path: Path, testdata: Path
) -> None:
    """The process dies with the screening job in hand (no shutdown at all): after a restart the
    job runs again, and every piece of evidence has its findings once, none lost or doubled."""
    server = ServerProcess(
        database_url=database_url,
        data_dir=tmp_path / "server-data",
        extra_env={"NETRAL_JOBS": "inprocess"},
    )
    try:
        number = _report_in_hand(server, engine, testdata)
        assert server.proc is not None
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
        assert screening_status(engine, number) in (["pending"], ["done"])  # never half-done

        server.start()  # screening-recover runs at worker start
        deadline = time.monotonic() + 90
        while screening_status(engine, number) != ["done"] and time.monotonic() < deadline:
            time.sleep(0.5)
        assert screening_status(engine, number) == ["done"], server.log_tail()
        found = _live_findings(engine, number)
        assert len(found) == len(set(found)), f"a finding doubled: {sorted(found)}"
        assert {kind for _, kind in found} >= {"gesture", "ocr"}, found
        stop_with(server, signal.SIGTERM)
    finally:
        server.kill()
