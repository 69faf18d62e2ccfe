"""A request waiting on the database never stops the others of its process.

Page handlers are plain functions, which FastAPI runs in its threadpool; only the form is read on
the event loop (`web.deps.FormDep`). Here a citizen's report waits behind a write lock another
connection holds, and the server still answers while it waits; when the lock goes, the report is
filed. A handler doing its database work on the event loop would freeze the whole process for
as long as the lock is held. SQLite and PostgreSQL, a real uvicorn.
"""

from __future__ import annotations

import inspect
import sqlite3
import threading
import time
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from netral.reports.models import Report

from support.routes import app_routes
from support.server import serving
from support.web import camat_report, csrf_from


def test_no_page_handler_runs_on_the_event_loop(app) -> None:
    routes = app_routes(app)
    pages = [r for r in routes if r.endpoint.__module__.endswith(".pages")]
    assert len(pages) > 50  # the walk reaches the pages
    on_loop = [
        f"{sorted(r.methods)} {r.path}" for r in pages if inspect.iscoroutinefunction(r.endpoint)
    ]
    assert on_loop == []


class WriteLock:
    """Another connection holding the report table against writers; reads still pass."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.conn: Any = None

    def __enter__(self) -> WriteLock:
        if self.engine.dialect.name == "sqlite":
            self.conn = sqlite3.connect(str(self.engine.url.database), isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.conn = self.engine.raw_connection()
            self.conn.cursor().execute("LOCK TABLE report IN SHARE ROW EXCLUSIVE MODE")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.engine.dialect.name == "sqlite":
            self.conn.execute("ROLLBACK")
        else:
            self.conn.rollback()
        self.conn.close()


def test_a_report_waiting_on_the_database_does_not_stop_the_server(app, engine) -> None:
    with serving(app) as base, httpx.Client(base_url=base, timeout=60) as citizen:
        token = csrf_from(citizen.get("/lapor").text)
        data = camat_report("Camat berpose dua jari di depan spanduk paslon.") | {
            "anonymous": "on",
            "csrf_token": token,
        }
        result: dict[str, Any] = {}

        def file_report() -> None:
            result["response"] = citizen.post("/lapor", data=data)

        with WriteLock(engine):
            filing = threading.Thread(target=file_report)
            filing.start()
            time.sleep(1.5)  # the report is now waiting on the lock
            assert filing.is_alive(), result.get("response")
            started = time.monotonic()
            with httpx.Client(base_url=base, timeout=10) as other:
                assert other.get("/healthz").status_code == 200
                assert other.get("/lapor").status_code == 200
            answered_in = time.monotonic() - started
            assert filing.is_alive()  # still waiting: the answers did not wait for it
        filing.join(timeout=30)
        assert not filing.is_alive()
    assert answered_in < 5, answered_in
    response = result["response"]
    assert response.status_code == 201, response.text[:500]
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Report)) == 1
