"""The parallel first import: two worker processes, one per half of a large CSV.

The file is split at a line break; each worker validates, seals and encodes its half, and the
parent writes the batches as they arrive. Whenever the split cannot vouch for the verdicts one
pass over the whole file would give, it raises `Fallback` and the import is redone in one process.
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import queue
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from netral.registry.importer import staging
from netral.registry.importer.report import MAX_DETAILED_ERRORS, ImportReport
from netral.registry.importer.staging import FirstLoad
from netral.registry.importer.tables import csv_delimiter
from netral.registry.importer.validate import RowContext, SeenState, StageRow, validate_rows

# A CSV first import of at least this many rows (estimated from the file's first 64 KiB) is read
# and validated by two worker processes, one per half of the file; smaller files, XLSX and
# re-imports stay in this process. Tests lower it.
PARALLEL_MIN_ROWS = 50_000

_EIGHTEEN = re.compile(".{18}", re.DOTALL)
# a batch as a worker sends it: its rows encoded for `FirstLoad.write`, and its accounts
_Arrival = tuple[bytes | list[StageRow], list[tuple[int, str, str, str]]]


class Fallback(Exception):
    """The parallel path cannot vouch for its result; the import is redone in one process."""


def estimate_rows(path: Path) -> int:
    """Data rows in a CSV, judged from the length of the lines in its first 64 KiB."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    lines = head.count(b"\n")
    if len(head) >= size:
        return max(lines - 1, 1 if len(head.splitlines()) > 1 else 0)
    return size * lines // max(len(head), 1)


def worth_splitting(estimate: int) -> bool:
    """Whether a CSV first import of about `estimate` rows is split between two processes."""
    return estimate >= PARALLEL_MIN_ROWS and (os.cpu_count() or 1) > 1


class _ByteRange(io.RawIOBase):
    """Bytes [start, end) of a file, as a readable raw stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._fh = path.open("rb")
        self._fh.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        n = self._fh.readinto(memoryview(buffer)[: min(len(buffer), self._left)]) or 0
        self._left -= n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def _split(path: Path) -> tuple[int, int] | None:
    """(mid, lines before mid): a split just after the newline that follows the middle byte.

    Whether `mid` really starts a record, and whether every record before it is one line, the
    first worker checks (see `_validate_part`); if not, the import falls back to one process.
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(size // 2)
        window = fh.read(1 << 16)
        newline = window.find(b"\n")
        if newline < 0:
            return None
        mid = size // 2 + newline + 1
        if mid >= size:
            return None
        fh.seek(0)
        lines, left = 0, mid
        while left > 0:
            block = fh.read(min(left, 1 << 20))
            if not block:
                return None
            lines += block.count(b"\n")
            left -= len(block)
    return mid, lines


@dataclass
class _Part:
    """One worker's share of a CSV: bytes [start, end), the first file row it holds."""

    index: int
    start: int
    end: int
    first_row: int


@dataclass
class _Job:
    """What both workers share: the file, its delimiter, the row context, how to seal and encode."""

    path: Path
    delimiter: str
    context: RowContext
    load: FirstLoad
    boundary_row: int  # the file row of the last record before the split


def _validate_part(job: _Job, part: _Part, out: Any) -> None:
    """Worker: validate, seal and encode one part; send ("batch", …) messages, then ("done", …).

    The first part is read with `strict=True`: a quoted field still open at the split raises
    instead of passing silently, and its last record must be the line count's row, so the second
    part's row numbers are right. Any doubt ends in ("failed", …) and the parent starts over in
    one process.
    """
    try:
        raw = _ByteRange(job.path, part.start, part.end)
        stream = io.TextIOWrapper(
            io.BufferedReader(raw, 1 << 16),
            encoding="utf-8-sig" if part.index == 0 else "utf-8",
            newline="",
        )
        with stream:
            reader = csv.reader(stream, delimiter=job.delimiter, strict=part.index == 0)
            if part.index == 0:
                next(reader)  # the header, already read by the parent
            report = ImportReport()
            state = SeenState()
            for batch in validate_rows(
                reader, job.context, report, start=part.first_row, state=state
            ):
                job.load.seal(batch)
                out.put(
                    (part.index, "batch", batch.last_row, job.load.encode(batch), batch.accounts)
                )
        if part.index == 0 and state.last_row != job.boundary_row:
            raise Fallback(f"records before the split: {state.last_row} != {job.boundary_row}")
        out.put((part.index, "done", report, "".join(state.nips), list(state.accounts)))
    except BaseException as exc:  # reported to the parent, which starts over
        out.put((part.index, "failed", repr(exc), None, None))


def stage_parallel(
    db_session: Session,
    path: Path,
    context: RowContext,
    load: FirstLoad,
    report: ImportReport,
    on_row: Callable[[int], None] | None,
) -> tuple[int, bool]:
    """Validate the two halves of a CSV in two processes; write their rows as they arrive.

    Batches go through the import's writer loop (`staging.write_batches`) as they come, from
    either half, inside the import's transaction. The verdicts of the second worker equal those
    of one pass over the whole file when no NIP or account it saw appeared in the first half;
    that is checked at the end. Otherwise (or on a worker failure, or a unique-NIP violation
    while writing) `Fallback` is raised: the import rolls back to its savepoint and starts over in
    one process, so duplicate reports name the first row exactly as a single pass does.
    """
    split = _split(path)
    if split is None:
        raise Fallback("no split point")
    mid, lines = split
    with path.open(newline="", encoding="utf-8-sig") as fh:
        delimiter = csv_delimiter(fh.read(8192))
    job = _Job(path, delimiter, context, load, lines)
    size = path.stat().st_size
    parts = [_Part(0, 0, mid, 2), _Part(1, mid, size, lines + 1)]
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue(maxsize=8)
    procs = [
        ctx.Process(
            target=_validate_part,
            args=(job, part, out),
            daemon=True,
            name=f"asn-import-{part.index}",
        )
        for part in parts
    ]
    has_accounts = False
    read = [0, 0]
    done: dict[int, tuple[ImportReport, str, list[tuple[str, str]]]] = {}

    def arrivals() -> Iterator[_Arrival]:
        """The workers' batches as they come (encoded rows, accounts), until both are done."""
        nonlocal has_accounts
        while len(done) < 2:
            try:
                index, kind, a, b, c = out.get(timeout=1.0)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise Fallback("a worker died") from None
                continue
            if kind == "failed":
                raise Fallback(a)
            if kind == "done":
                done[index] = (a, b, c)
                continue
            has_accounts = has_accounts or bool(c)
            read[index] = a - parts[index].first_row + 1
            if on_row:
                on_row(1 + read[0] + read[1])  # the halves arrive interleaved: rows read so far
            yield b, c

    def write(raw: Any, batch: _Arrival) -> None:
        try:
            load.write(raw, *batch)
        except Exception as exc:  # e.g. a NIP in both halves hitting SQLite's unique index
            raise Fallback(repr(exc)) from None

    for proc in procs:
        proc.start()
    try:
        staging.write_batches(db_session, arrivals(), write)
        first, second = done[0], done[1]
        # the NIPs come joined (each is 18 digits once valid): split and compare them in C
        seen = set(_EIGHTEEN.findall(first[1]))
        if not seen.isdisjoint(_EIGHTEEN.findall(second[1])) or not set(first[2]).isdisjoint(
            second[2]
        ):
            raise Fallback("a NIP or account appears in both halves")
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        out.close()
        out.cancel_join_thread()
    r0, r1 = first[0], second[0]
    report.rows, report.valid = r0.rows + r1.rows, r0.valid + r1.valid
    report.error_count = r0.error_count + r1.error_count
    report.errors = (r0.errors + r1.errors)[:MAX_DETAILED_ERRORS]
    return report.valid, has_accounts
