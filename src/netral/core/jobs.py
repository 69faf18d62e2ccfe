"""Background jobs on huey: SQLite storage in the embedded default, Redis when configured.

Domains register their tasks with `on_configure`; `configure` builds the queue for a deployment
(the web app, `netral worker`, a test) and lets each domain attach its tasks to it. Named
periodic jobs (`deadline-reminder`, `screening-recover`) are registered the same way.
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
    rulebook: Any
    huey: Huey
    tasks: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


Registrar = Callable[[JobContext], None]
_registrars: list[Registrar] = []
_context: JobContext | None = None


def on_configure(registrar: Registrar) -> Registrar:
    if registrar not in _registrars:
        _registrars.append(registrar)
    return registrar


def make_huey(settings: Settings) -> Huey:
    if settings.redis_url:
        return RedisHuey("netral", url=settings.redis_url, utc=True)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("netral", filename=str(settings.data_dir / "jobs.db"), utc=True)


def configure(*, settings: Settings, engine: Engine, rulebook: Any) -> JobContext:
    global _context
    from netral.wiring import wire

    wire()
    ctx = JobContext(settings=settings, engine=engine, rulebook=rulebook, huey=make_huey(settings))
    for registrar in _registrars:
        registrar(ctx)
    _context = ctx
    return ctx


def context() -> JobContext:
    if _context is None:
        from netral.core.db import get_engine
        from netral.core.settings import get_settings
        from netral.rules import load_rulebook

        return configure(settings=get_settings(), engine=get_engine(), rulebook=load_rulebook())
    return _context


def call(task: str, *args: Any) -> None:
    """Queue a task by name. Never raises: callers keep a durable marker as the safety net."""
    try:
        context().tasks[task](*args)
    except Exception:
        log.exception("could not queue %s%r", task, args)


class _Consumer(Consumer):  # type: ignore[misc]
    """huey's consumer; signal handlers only where Python allows them (the main thread)."""

    def _set_signal_handlers(self) -> None:
        if threading.current_thread() is threading.main_thread():
            super()._set_signal_handlers()


def consumer(ctx: JobContext | None = None) -> Consumer:
    return _Consumer(
        (ctx or context()).huey,
        workers=1,
        worker_type="thread",
        periodic=True,
        max_delay=1.0,
        check_worker_health=False,
    )


class InProcessWorker:
    """A huey consumer inside the web process: the embedded default needs no second process."""

    def __init__(self) -> None:
        self.consumer = consumer()

    def start(self) -> None:
        self.consumer.start()
        for name, task in context().tasks.items():
            if name.endswith(":on_start"):
                task()

    def stop(self) -> None:
        self.consumer.stop(graceful=True)
