"""Background jobs on huey: SQLite storage in the embedded default, Redis when configured.

`configure` builds the queue for a deployment (the web app, `netral worker`, a CLI command) and
hands it to each registrar that `netral.wiring.wire()` passes in, so every domain attaches its
tasks and named periodic jobs (`deadline-reminder`, `screening-recover`) there. core knows no
domain: it never imports one, and a queue used before it was configured is an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer
from sqlalchemy import Engine

from netral.core.settings import Settings

log = logging.getLogger("netral.jobs")


@dataclass
class JobContext:
    settings: Settings
    engine: Engine
    load_rulebook: Callable[[], Any]  # loaded when a job first needs it, not at wiring
    huey: Huey
    tasks: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rulebook(self) -> Any:
        return self.load_rulebook()


Registrar = Callable[[JobContext], None]
_context: JobContext | None = None


class JobsNotConfigured(RuntimeError):
    """The queue was used before `netral.wiring.wire()` configured it."""


def make_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey("netral", url=settings.redis_url, utc=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("netral", filename=str(settings.data_dir / "jobs.db"), utc=True)


def configure(
    *,
    settings: Settings,
    engine: Engine,
    load_rulebook: Callable[[], Any],
    registrars: list[Registrar],
) -> JobContext:
    global _context
    ctx = JobContext(
        settings=settings, engine=engine, load_rulebook=load_rulebook, huey=make_huey(settings)
    )
    for registrar in registrars:
        registrar(ctx)
    _context = ctx
    return ctx


def context() -> JobContext:
    if _context is None:
        raise JobsNotConfigured("the job queue is not configured: call netral.wiring.wire() first")
    return _context


def call(task: str, *args: Any) -> None:
    """Queue a task by name. Never raises: callers keep a durable marker as the safety net."""
    try:
        context().tasks[task](*args)
    except Exception:
        log.exception("could not queue %s%r", task, args)


STOP_TIMEOUT = 5.0  # seconds the web server gives the job in hand when it shuts down


class _Consumer(Consumer):  # type: ignore[misc]
    """huey's consumer as `netral worker` runs it, the main program: huey's own signal handlers
    (SIGINT lets the job in hand finish, SIGTERM stops now), where Python allows them."""

    def _set_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            super()._set_signal_handlers()


class _EmbeddedConsumer(Consumer):  # type: ignore[misc]
    """A consumer inside a program that owns the process's signals (the web server).

    It never installs handlers: huey's would replace uvicorn's, and as nothing runs huey's main
    loop to act on them, the server would ignore SIGTERM and SIGINT. The owner calls `stop()`.
    """

    def _set_signal_handlers(self) -> None:
        pass


def consumer(
    ctx: JobContext | None = None, *, embedded: bool = False, shutdown_timeout: float | None = None
) -> Consumer:
    return (_EmbeddedConsumer if embedded else _Consumer)(
        (ctx or context()).huey,
        workers=1,
        worker_type="thread",
        periodic=True,
        max_delay=1.0,
        check_worker_health=False,
        shutdown_timeout=shutdown_timeout,
    )


class InProcessWorker:
    """A huey consumer inside the web process: the embedded default needs no second process.

    The server's lifespan starts and stops it; its signals stay the server's.
    """

    def __init__(self, stop_timeout: float = STOP_TIMEOUT) -> None:
        self.stop_timeout = stop_timeout
        self.consumer = consumer(embedded=True, shutdown_timeout=stop_timeout)

    def start(self) -> None:
        self.consumer.start()
        for name, task in context().tasks.items():
            if name.endswith(":on_start"):
                task()

    def stop(self) -> None:
        """Wait at most `stop_timeout` s for the job in hand. One still running is left to die
        with the process (its thread is a daemon) before it commits: its durable marker (for
        screening, a pending task row) stays, and the next start's recovery queues it again."""
        self.consumer.stop(graceful=True)
        if any(thread.is_alive() for _, thread in self.consumer.worker_threads):
            log.warning(
                "a job was still running %.0f s after the stop; it runs again at the next start",
                self.stop_timeout,
            )
