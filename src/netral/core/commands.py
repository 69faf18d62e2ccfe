"""What every domain's `commands.py` shares: the console, one way to fail, the CLI actor, and
the unit of work a command writes in (it commits when the command succeeds, never halfway)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.db import ensure_migrated, get_engine, unit_of_work
from netral.core.errors import NetralError

console = Console(stderr=True)
LANG = os.environ.get("NETRAL_LANG", "id")
CLI_ACTOR = Actor(None, f"cli:{os.environ.get('USER', 'operator')}", "admin")


def fail(exc: NetralError, code: int = 1) -> typer.Exit:
    """Print each problem of `exc` (code, field, message in the operator's language)."""
    for p in exc.problems:
        # escaped: Rich would take "[election.region]" (or a list in a message) for markup
        where = escape(f" [{p.field}]") if p.field else ""
        console.print(f"[red]✗[/red] {p.code}{where}: {escape(p.message(LANG))}", highlight=False)
    return typer.Exit(code)


def engine() -> Engine:
    """The configured database, refused (with the command that fixes it) when not migrated."""
    eng = get_engine()
    try:
        ensure_migrated(eng)
    except NetralError as exc:
        raise fail(exc) from None
    return eng


@contextmanager
def command_session() -> Iterator[Session]:
    """One unit of work per command: a domain error rolls everything back and exits non-zero."""
    try:
        with unit_of_work(engine()) as db:
            yield db
    except NetralError as exc:
        raise fail(exc) from None
