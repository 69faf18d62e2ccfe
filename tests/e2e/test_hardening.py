"""Hostile input at the edge: ids no row can have, page numbers past any table, bodies past the cap.

Ids: every id column is an INTEGER (int4 on PostgreSQL), so a larger id names nothing. It must
answer 404 in a path and 422 in a query or body, never reach the database and crash it (500).
Bodies: the size cap counts the bytes of a chunked body as they arrive, on a real uvicorn server,
and the server's memory must not grow with what the client sends past the cap.
"""

from __future__ import annotations

import contextlib
import json
import re
import select
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest
from fastapi.testclient import TestClient

from support.server import ServerProcess
from support.web import World, csrf_from, login

PROBLEM = "application/problem+json"
# past int4 (PostgreSQL's INTEGER), past int8 (SQLite's INTEGER), and past both by far
TOO_BIG = [2**31, 2**63, 99999999999999999999]


@pytest.fixture
def staff(app) -> TestClient:
    """Bawaslu staff in Kota Bandung: reads the registry, reports and cases, opens cases."""
    client = login(TestClient(app, raise_server_exceptions=False), "bawaslu_staff")
    client.headers["X-CSRF-Token"] = csrf_from(client.get("/").text)
    return client


def is_problem(r, status: int) -> bool:
    return r.status_code == status and r.headers["content-type"].startswith(PROBLEM)


def is_error_page(r, status: int) -> bool:
    return (
        r.status_code == status
        and r.headers["content-type"].startswith("text/html")
        and "Kembali ke beranda" in r.text
    )


# ---------------------------------------------------------------- ids and pages


@pytest.mark.parametrize("big", TOO_BIG)
def test_an_api_path_id_no_row_can_have_is_404(staff, world: World, big: int):
    r = staff.get(f"/api/v1/asn/{big}")
    assert is_problem(r, 404), (r.status_code, r.text[:300])
    assert staff.get(f"/api/v1/asn/{world.bandung_asn[0]}").status_code == 200
    assert is_problem(staff.get("/api/v1/asn/0"), 404)
    assert is_problem(staff.get("/api/v1/asn/-1"), 404)
    assert is_problem(staff.post(f"/api/v1/reports/X/duplicates/{big}/merge"), 404)


@pytest.mark.parametrize("big", TOO_BIG)
def test_a_page_path_id_no_row_can_have_is_the_404_page(staff, world: World, big: int):
    for path in (f"/asn/{big}", f"/opd/{big}", f"/kasus/dokumen/{big}"):
        r = staff.get(path)
        assert is_error_page(r, 404), (path, r.status_code, r.text[:300])
    assert staff.get(f"/asn/{world.bandung_asn[0]}").status_code == 200
    assert staff.get(f"/opd/{world.dishub_id}").status_code == 200


@pytest.mark.parametrize("big", TOO_BIG)
def test_a_page_number_or_query_id_past_any_table_is_422(staff, world: World, big: int):
    for path in (
        f"/api/v1/asn?page={big}",
        f"/api/v1/cases?page={big}",
        f"/api/v1/reports?page={big}",
        f"/api/v1/asn?opd_id={big}",
        f"/api/v1/reports?opd_id={big}",
    ):
        r = staff.get(path)
        assert is_problem(r, 422), (path, r.status_code, r.text[:300])
        assert r.json()["code"] == "request.invalid"
    for path in (
        f"/asn?page={big}",
        f"/kasus?page={big}",
        f"/laporan?page={big}",
        f"/asn?opd={big}",
        f"/laporan?opd={big}",
    ):
        r = staff.get(path)
        assert is_error_page(r, 422), (path, r.status_code, r.text[:300])
    # the last real page still answers
    assert staff.get("/api/v1/asn?page=1").json()["total"] == 3
    assert staff.get(f"/asn?opd={world.dishub_id}").status_code == 200


def test_a_filter_of_other_digits_than_ascii_is_422_not_a_crash(staff, world: World):
    # "²".isdigit() holds, and int("²") raises: the filter must not reach int()
    for path in ("/asn?opd=%C2%B2", "/laporan?opd=%D9%A3"):
        r = staff.get(path)
        assert is_error_page(r, 422), (path, r.status_code, r.text[:300])
    assert staff.get("/asn?opd=semua").status_code == 200  # other text still means "any OPD"


@pytest.mark.parametrize("big", TOO_BIG)
def test_an_id_list_with_one_impossible_id_is_422_and_opens_nothing(staff, world: World, big):
    body = {"title": "Kasus uji id", "origin": "temuan", "asn_ids": [world.bandung_asn[0], big]}
    r = staff.post("/api/v1/cases", json=body)
    assert is_problem(r, 422), (r.status_code, r.text[:300])
    assert r.json()["field"] == "asn_ids.1"
    assert staff.get("/api/v1/cases").json()["total"] == 0
    r = staff.post("/api/v1/cases/X/transitions/y", json={"proof_document_id": big})
    assert is_problem(r, 422), (r.status_code, r.text[:300])


# ---------------------------------------------------------------- chunked bodies, real server


LIMIT_MB = 1
BIG_BODY = 64 * 1024 * 1024  # 64x the cap
CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # body bytes the client got to send before the server answered or hung up


def post_chunked(port: int, path: str, content_type: str, chunks: Iterator[bytes]) -> Answer:
    """POST with Transfer-Encoding: chunked on a raw socket; stop sending once answered (as curl)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sent = 0
    try:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n".encode()
        )
        try:
            for chunk in chunks:
                if select.select([sock], [], [], 0)[0]:
                    break  # the server answered before the end of the body
                sock.sendall(b"%x\r\n%b\r\n" % (len(chunk), chunk))
                sent += len(chunk)
            else:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # it hung up on us: read what it said before that
        data = b""
        for _ in range(2):  # a reset may surface once before the bytes that preceded it
            try:
                while part := sock.recv(65536):
                    data += part
                break
            except ConnectionResetError:
                continue
    finally:
        sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 "), f"no HTTP answer, got {data[:200]!r}"
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    headers = {k.lower(): v for k, v in headers.items()}
    return Answer(int(lines[0].split()[1]), headers, body, sent)


class PeakRss:
    """The highest resident size of a process while the block runs (sampled, and VmHWM)."""

    def __init__(self, pid: int) -> None:
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.002)

    def _hwm(self) -> int:
        status = Path(f"/proc/{self.proc.pid}/status")
        m = re.search(r"VmHWM:\s+(\d+) kB", status.read_text()) if status.exists() else None
        return int(m.group(1)) * 1024 if m else 0

    def __enter__(self) -> PeakRss:
        self.before = self.proc.memory_info().rss
        # reset the kernel's high-water mark so that it measures this block only (Linux)
        with contextlib.suppress(OSError):
            Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        time.sleep(0.05)
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._hwm(), self.proc.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.before


@pytest.fixture(scope="module")
def small_cap_server(tmp_path_factory, sqlite_template) -> Iterator[ServerProcess]:
    """A real uvicorn on a migrated SQLite database, with the request cap at 1 MB."""
    root = tmp_path_factory.mktemp("hardening-server")
    shutil.copy(sqlite_template, root / "netral.db")
    server = ServerProcess(
        database_url=f"sqlite:///{root / 'netral.db'}",
        data_dir=root / "data",
        extra_env={"NETRAL_MAX_REQUEST_MB": str(LIMIT_MB), "NETRAL_JOBS": "off"},
    )
    with server:
        yield server


def padded(payload: bytes, total: int) -> Iterator[bytes]:
    """`payload`, then whitespace up to `total` bytes, in CHUNK-sized pieces."""
    yield payload
    left = total - len(payload)
    while left > 0:
        yield b" " * min(CHUNK, left)
        left -= CHUNK


@pytest.mark.parametrize(
    ("path", "content_type", "payload"),
    [
        ("/api/v1/receipts/lookup", "application/json", b'{"number": "LAP-1", "code": "x"}'),
        ("/lapor", "application/x-www-form-urlencoded", b"description=" + b"x" * 1024),
    ],
    ids=["api-json", "page-form"],
)
def test_a_chunked_body_past_the_cap_is_413_and_never_buffered(
    small_cap_server: ServerProcess, path: str, content_type: str, payload: bytes
):
    server = small_cap_server
    if content_type.startswith("application/x-www"):
        # a form: the padding goes into the field's value
        chunks: Iterator[bytes] = iter([payload, *([b"x" * CHUNK] * (BIG_BODY // CHUNK))])
    else:
        chunks = padded(payload, BIG_BODY)
    assert httpx.get(f"{server.base_url}/healthz").status_code == 200
    with PeakRss(server.pid) as rss:
        answer = post_chunked(server.port, path, content_type, chunks)
    grew = f"server grew by {rss.growth / 1048576:.1f} MB"
    assert answer.status == 413, (answer.status, grew, answer.body[:200])
    assert answer.headers["content-type"] == PROBLEM
    problem = json.loads(answer.body)
    assert problem["code"] == "request.too_large" and problem["status"] == 413
    assert "Kiriman terlalu besar (batas 1 MB)" in problem["detail"]
    assert answer.sent < BIG_BODY // 4, "the server kept reading past the cap"
    assert rss.growth < 16 * 1024 * 1024, grew
    assert server.proc is not None and server.proc.poll() is None


def test_a_chunked_body_under_the_cap_is_answered_as_usual(small_cap_server: ServerProcess):
    answer = post_chunked(
        small_cap_server.port,
        "/api/v1/receipts/lookup",
        "application/json",
        padded(b'{"number": "LAP-2024-000123", "code": "1234-5678-9012-3456"}', 512 * 1024),
    )
    assert answer.status == 404, (answer.status, answer.body[:300])
    assert json.loads(answer.body)["code"] == "receipt.refused"
