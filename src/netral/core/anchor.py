"""Checkpoints of the audit chain's head, kept outside the database.

The hash chain (`core.audit`) shows a row altered, inserted or deleted in the middle, but not a
database put back as it was: deleting the newest rows and rewriting `audit_head`, or restoring an
older copy, leaves a shorter chain that is whole. So every transaction that added audit rows
appends, after it commits, one line to an append-only file in the data directory:

    {"seq": 7, "row": 1234, "hash": "<row 1234's hash>", "at": "2026-...Z", "prev": "<line 6's mac>",
     "mac": "<HMAC of the rest under the keyring's MAC key>"}

Each line is fsync'd before the next, chained to the line before (`prev`) and MACed, so lines
cannot be dropped from the middle or forged without the key. `check` then fails, naming the gap,
when the database is behind the newest checkpoint, or holds a different row where a checkpoint
recorded one. Several processes append under an exclusive `flock`; their commits may reach the
file out of order, so the newest checkpoint is the one with the highest row, not the last line.

Not covered, and said so in SECURITY.md: replacing the database *and* this file together with
older copies. An office that wants that covered prints `netral audit anchor` now and then.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from netral.core.db import utcnow

log = logging.getLogger(__name__)

TIP_KEY = "netral.audit.added"  # Session.info: this transaction added audit rows
HEAD_KEY = "netral.audit.head"  # Session.info: the head this transaction commits (row, hash)
GENESIS = "0" * 64
_TAIL_BYTES = 4096  # a line is ~250 bytes: the last one is always within this much of the end


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    row: int
    hash: str
    at: str
    prev: str
    mac: str

    def body(self) -> str:
        """What the MAC covers: every field but the MAC, in a fixed order."""
        return f"{self.seq}|{self.row}|{self.hash}|{self.at}|{self.prev}"


@dataclass(frozen=True)
class AnchorCheck:
    ok: bool
    checkpoints: int
    newest: Checkpoint | None = None
    problem: str = ""


class AnchorFile:
    """One data directory's checkpoint file; `mac` is the keyring's HMAC (hex) of a text."""

    def __init__(self, path: Path, mac: Callable[[str], str]) -> None:
        self.path = path
        self._mac = mac

    def append(self, row: int, row_hash: str) -> Checkpoint:
        """Write one checkpoint and fsync it; the exclusive lock serialises processes."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            last = _last_line(fd)
            seq, prev = (last["seq"] + 1, last["mac"]) if last else (1, GENESIS)
            at = utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            cp = Checkpoint(seq, row, row_hash, at, prev, "")
            cp = Checkpoint(seq, row, row_hash, at, prev, self._mac(cp.body()))
            line = json.dumps(cp.__dict__, separators=(",", ":")) + "\n"
            os.write(fd, line.encode())
            os.fsync(fd)
            return cp
        finally:
            os.close(fd)  # closing releases the lock

    def read(self) -> tuple[list[Checkpoint], str]:
        """Every checkpoint, and the first problem with the file itself ("" when none)."""
        if not self.path.exists():
            return [], ""
        out: list[Checkpoint] = []
        prev = GENESIS
        with self.path.open(encoding="utf-8") as fh:
            for n, raw in enumerate(fh, start=1):
                try:
                    cp = Checkpoint(**json.loads(raw))
                except (ValueError, TypeError):
                    return out, f"line {n} of {self.path} is not a checkpoint"
                if cp.seq != n or cp.prev != prev:
                    return out, f"checkpoint line {n} does not follow line {n - 1} (lines removed)"
                if self._mac(cp.body()) != cp.mac:
                    return out, f"checkpoint line {n} is not signed by this keyring (altered)"
                out.append(cp)
                prev = cp.mac
        return out, ""


def _last_line(fd: int) -> dict[str, Any] | None:
    size = os.fstat(fd).st_size
    if size == 0:
        return None
    start = max(0, size - _TAIL_BYTES)
    tail = os.pread(fd, size - start, start).decode("utf-8", "replace")
    lines = [ln for ln in tail.splitlines() if ln.strip()]
    return json.loads(lines[-1]) if lines else None


def check(engine: Engine, anchor: AnchorFile) -> AnchorCheck:
    """Whether the database holds every row its checkpoints recorded, with the same hashes."""
    checkpoints, problem = anchor.read()
    if problem:
        return AnchorCheck(False, len(checkpoints), None, problem)
    if not checkpoints:
        return AnchorCheck(True, 0)
    newest = max(checkpoints, key=lambda c: c.row)
    with engine.connect() as conn:
        head = int(conn.execute(text("SELECT last_id FROM audit_head WHERE id = 1")).scalar_one())
        found = conn.execute(
            text("SELECT hash FROM audit_entry WHERE id = :i"), {"i": newest.row}
        ).scalar()
    if found is None or head < newest.row:
        return AnchorCheck(
            False,
            len(checkpoints),
            newest,
            f"the database is behind its newest checkpoint: checkpoint {newest.seq} of "
            f"{newest.at} records row {newest.row}, the database ends at row {head}; rows "
            f"{head + 1}..{newest.row} are missing (rolled back, or an older copy put back)",
        )
    if found != newest.hash:
        return AnchorCheck(
            False,
            len(checkpoints),
            newest,
            f"row {newest.row} differs from checkpoint {newest.seq} of {newest.at} "
            "(the chain was rewritten from there)",
        )
    return AnchorCheck(True, len(checkpoints), newest)


# ------------------------------------------------------------------ the commit hook

_ANCHORS: dict[str, AnchorFile] = {}


def anchor_to(engine: Engine, anchor: AnchorFile) -> None:
    """Checkpoint every commit that adds audit rows through this engine's database."""
    _ANCHORS[engine.url.render_as_string(hide_password=True)] = anchor
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


def note_row(db_session: Session) -> None:
    """`audit.record` calls this: the transaction added a row, so its commit is checkpointed."""
    db_session.info[TIP_KEY] = True


def _anchor_of(db_session: Session) -> AnchorFile | None:
    bind = db_session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return _ANCHORS.get(engine.url.render_as_string(hide_password=True))


def _before_commit(db_session: Session) -> None:
    """Read the head this transaction is about to commit, on its own connection.

    Read here, not after the commit on a second connection: a request holding its connection
    while it waits for another deadlocks the pool once every connection is held that way (32
    reports at once did). Inside the transaction the head is the one it commits: a savepoint
    that dropped rows dropped their head update too.
    """
    if not db_session.info.get(TIP_KEY) or _anchor_of(db_session) is None:
        return
    db_session.flush()
    row, row_hash = db_session.execute(
        text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
    ).one()
    db_session.info[HEAD_KEY] = (int(row), str(row_hash))


def _after_commit(db_session: Session) -> None:
    head = db_session.info.pop(HEAD_KEY, None)
    if not db_session.info.pop(TIP_KEY, False) or head is None:
        return
    anchor = _anchor_of(db_session)
    if anchor is None:
        return
    try:
        row, row_hash = head
        if row > 0:
            anchor.append(row, row_hash)
    except OSError as exc:  # the rows are committed; the next commit's checkpoint covers them
        log.error("audit checkpoint not written to %s: %s", anchor.path, exc.strerror)


def _after_rollback(db_session: Session) -> None:
    db_session.info.pop(TIP_KEY, None)
    db_session.info.pop(HEAD_KEY, None)
