"""Bulk scans of public posts (`netral scan posts`): a dump screened on a process pool or on Ray.

The dump is a CSV or JSONL file of posts (`platform, handle, time, text`, optional `image`, a
path relative to the dump). Every post is screened by the same pipeline functions as a report
(`pipeline.screen_image`, the text model in batches, the hoax index). Handles are matched against
the registry's recorded social accounts in the driver, before the workers start.

What a scan writes: for each post that a screener flags (partisan text, a debunked claim, a
banned finger pose) *and* whose account belongs to a registered ASN, one report of the `pindai`
channel (initial information, no reporter: `reports.service.file_scanned_posts`) carrying the
scan's findings and an `identify` finding naming the account's owner. Staff open a case from it
as from any report. A flagged post by an account nobody registered is counted, never filed: it
names no person.

Workers only screen; every database write happens here, in the driver, one unit of work per
batch of flagged posts.
"""

from __future__ import annotations

import csv
import json
import logging
import multiprocessing
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from netral.core.audit import Actor
from netral.core.calendar import WIB, WorkingCalendar
from netral.core.db import unit_of_work
from netral.core.errors import ValidationFailed, problem
from netral.election.schemas import ElectionIn
from netral.registry import service as registry
from netral.reports import service as reports
from netral.rules.schema import Rulebook
from netral.screening.findings import Finding
from netral.screening.models import ScreeningFinding
from netral.screening.pipeline import MAX_TEXT, Screeners, screen_image

log = logging.getLogger("netral.screening.bulk")

COLUMNS = ("platform", "handle", "time", "text")
ENGINES = ("local", "ray")
BATCH = 256  # posts per task: one task per post costs ~0.5 ms on Ray, more than the model
WRITE_BATCH = 200  # flagged posts per unit of work
FLAGS = frozenset({"partisan", "hoax_match", "banned_pose"})  # what makes a post worth a report
MAX_ERRORS = 5  # bad rows named in one message
RAY_OBJECT_STORE = 200 * 1024 * 1024  # Ray reserves 30% of RAM unless told


@dataclass(frozen=True)
class Post:
    index: int  # position in the dump, 0-based
    line: int  # line of the file, for messages
    platform: str  # lower case
    handle: str  # lower case, no '@'
    posted_at: datetime | None
    text: str
    image: str = ""  # absolute path, or empty


@dataclass(frozen=True)
class Flagged:
    """A post a screener flagged, with every finding it made (worker → driver)."""

    index: int
    findings: list[Finding]


@dataclass
class BatchResult:
    flagged: list[Flagged] = field(default_factory=list)
    screened: int = 0


@dataclass
class ScanSummary:
    posts: int = 0
    matched: int = 0  # posts whose account belongs to a registered ASN
    flagged: int = 0  # posts a screener flagged, matched or not
    flagged_unmatched: int = 0  # flagged, but the account is nobody's we know: no finding filed
    findings: int = 0  # reports filed against a person (one per flagged, matched post)
    already_filed: int = 0  # flagged and matched, but filed by an earlier scan of the same post
    seconds: float = 0.0
    ready_s: float = 0.0  # until the first batch came back: workers started, models loaded
    write_s: float = 0.0  # the driver's time in the database (filing the reports)
    engine: str = "local"
    workers: int = 1

    def as_dict(self) -> dict[str, Any]:
        per_s = self.posts / self.seconds if self.seconds > 0 else 0.0
        return {
            "posts": self.posts,
            "findings": self.findings,
            "per_s": round(per_s, 1),
            "engine": self.engine,
            "workers": self.workers,
            "matched": self.matched,
            "flagged": self.flagged,
            "flagged_unmatched": self.flagged_unmatched,
            "already_filed": self.already_filed,
            "seconds": round(self.seconds, 3),
            "ready_s": round(self.ready_s, 3),
            "write_s": round(self.write_s, 3),
        }


# ---------------------------------------------------------------- reading the dump


def _bad(
    code: str, message_id: str, message_en: str, field_: str | None = None
) -> ValidationFailed:
    return ValidationFailed(problem(code, message_id, message_en, field_))


def _parse_time(raw: str) -> datetime:
    value = raw.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    dt = datetime.fromisoformat(value)  # ValueError when it is not ISO 8601
    return dt if dt.tzinfo is not None else dt.replace(tzinfo=WIB)  # a naive time is WIB


def _rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, row) of a CSV or JSONL dump; the columns are checked on the first row."""
    if path.suffix.lower() == ".jsonl":
        with path.open(encoding="utf-8") as fh:
            for line_no, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise _bad(
                        "scan.bad_jsonl",
                        f"{path.name} baris {line_no}: bukan JSON yang sah ({exc.msg})",
                        f"{path.name} line {line_no}: not valid JSON ({exc.msg})",
                        "file",
                    ) from None
                if not isinstance(row, dict):
                    raise _bad(
                        "scan.bad_jsonl",
                        f"{path.name} baris {line_no}: harus berupa objek JSON",
                        f"{path.name} line {line_no}: must be a JSON object",
                        "file",
                    )
                missing = [c for c in COLUMNS if c not in row]
                if missing:
                    raise _missing(path, missing, line_no)
                yield line_no, row
        return
    if path.suffix.lower() != ".csv":
        raise _bad(
            "scan.bad_format",
            f"{path.name}: format tidak dikenal (gunakan .csv atau .jsonl)",
            f"{path.name}: unknown format (use .csv or .jsonl)",
            "file",
        )
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip().lower() for h in reader.fieldnames or []]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise _missing(path, missing, 1)
        reader.fieldnames = header
        for row in reader:
            yield reader.line_num, row


def _missing(path: Path, missing: list[str], line: int) -> ValidationFailed:
    cols = ", ".join(missing)
    return _bad(
        "scan.column_missing",
        f"{path.name} baris {line}: kolom wajib tidak ada: {cols} "
        f"(kolom yang diperlukan: {', '.join(COLUMNS)})",
        f"{path.name} line {line}: required column missing: {cols} "
        f"(required columns: {', '.join(COLUMNS)})",
        missing[0],
    )


def read_posts(path: Path) -> list[Post]:
    """Every post of the dump, or a ValidationFailed naming what is wrong (and where)."""
    if not path.is_file():
        raise _bad(
            "scan.unreadable",
            f"berkas tidak dapat dibaca: {path} (tidak ada atau bukan berkas)",
            f"file cannot be read: {path} (missing or not a file)",
            "file",
        )
    posts: list[Post] = []
    errors: list[tuple[str, str]] = []
    base = path.resolve().parent
    try:
        for line, row in _rows(path):
            text = row.get("text")
            platform = str(row.get("platform") or "").strip().lower()
            handle = str(row.get("handle") or "").strip().lstrip("@").lower()
            if not platform or not handle:
                errors.append(
                    (
                        f"baris {line}: platform dan handle wajib diisi",
                        f"line {line}: platform and handle are required",
                    )
                )
                continue
            raw_time = str(row.get("time") or "").strip()
            posted_at = None
            if raw_time:
                try:
                    posted_at = _parse_time(raw_time)
                except ValueError:
                    errors.append(
                        (
                            f"baris {line}: waktu '{raw_time[:40]}' bukan ISO 8601",
                            f"line {line}: time '{raw_time[:40]}' is not ISO 8601",
                        )
                    )
                    continue
            image = str(row.get("image") or "").strip()
            if image:
                img = (base / image).resolve()
                if not img.is_file():
                    errors.append(
                        (
                            f"baris {line}: gambar '{image}' tidak ada",
                            f"line {line}: image '{image}' not found",
                        )
                    )
                    continue
                image = str(img)
            posts.append(
                Post(
                    index=len(posts),
                    line=line,
                    platform=platform,
                    handle=handle,
                    posted_at=posted_at,
                    text=text if isinstance(text, str) else "",
                    image=image,
                )
            )
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise _bad(
            "scan.unreadable",
            f"berkas tidak dapat dibaca: {path.name} ({type(exc).__name__}: {exc})",
            f"file cannot be read: {path.name} ({type(exc).__name__}: {exc})",
            "file",
        ) from None
    if errors:
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        tail_id = f"; dan {more} baris lain" if more else ""
        tail_en = f"; and {more} more rows" if more else ""
        raise _bad(
            "scan.bad_rows",
            f"{path.name}: {len(errors)} baris tidak sah: "
            + "; ".join(i for i, _ in shown)
            + tail_id,
            f"{path.name}: {len(errors)} invalid rows: " + "; ".join(e for _, e in shown) + tail_en,
            "file",
        )
    return posts


# ---------------------------------------------------------------- the workers


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker needs to load its models (picklable: it crosses process boundaries)."""

    models_dir: str
    hoax_file: str | None
    elections: tuple[ElectionIn, ...] = ()


class ScanWorker:
    """The screening models of one process, loaded once; `screen` takes a batch of posts."""

    def __init__(self, setup: WorkerSetup) -> None:
        from threadpoolctl import threadpool_limits

        from netral.rules import load_rulebook

        # one core per worker: BLAS threads in every worker would fight over the same cores
        # (Ray sets this for its actors; a pool's processes would take every core each), and
        # Tesseract's OpenMP likewise (DESIGN.md: 2-4x slower without the limit)
        threadpool_limits(limits=1)
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")

        self.screeners = Screeners(
            rulebook=load_rulebook(),
            models_dir=Path(setup.models_dir),
            hoax_file=Path(setup.hoax_file) if setup.hoax_file else None,
        )
        self.elections = list(setup.elections)
        self.text = self.screeners.text(self.elections)  # load now, not in the first batch
        self.hoax = self.screeners.hoax

    def screen(self, posts: Sequence[Post]) -> BatchResult:
        out = BatchResult(screened=len(posts))
        t0 = time.perf_counter()
        results = self.text.classify_many([p.text[:MAX_TEXT] for p in posts])
        each_ms = (time.perf_counter() - t0) * 1000 / max(len(posts), 1)
        for post, res in zip(posts, results, strict=True):
            text = self.text.finding_of(res, ms=each_ms)
            if post.text:
                text.data["text"] = post.text[:MAX_TEXT]  # the post as read: a decision labels it
            findings = [text]
            if self.hoax is not None:
                findings.append(self.hoax.finding(post.text))
            if post.image:
                findings += screen_image(
                    Path(post.image), self.elections, screeners=self.screeners
                ).findings
            if any(f.label in FLAGS for f in findings):
                out.flagged.append(Flagged(post.index, findings))
        return out


_WORKER: ScanWorker | None = None


def _init_local(setup: WorkerSetup) -> None:
    global _WORKER
    _WORKER = ScanWorker(setup)


def _screen_local(posts: Sequence[Post]) -> BatchResult:
    assert _WORKER is not None, "worker not initialised"
    return _WORKER.screen(posts)


def _batches(posts: Sequence[Post], size: int) -> list[list[Post]]:
    return [list(posts[i : i + size]) for i in range(0, len(posts), size)]


def run_local(
    posts: Sequence[Post], *, setup: WorkerSetup, workers: int, batch: int = BATCH
) -> Iterator[BatchResult]:
    """The batches' results in dump order, from a pool of `workers` processes."""
    # spawn: a fresh interpreter per worker, whatever threads (Ray, the database) the driver has
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=ctx, initializer=_init_local, initargs=(setup,)
    )
    try:
        yield from pool.map(_screen_local, _batches(posts, batch))
    finally:  # the driver failed or stopped early: the batches not started are dropped
        pool.shutdown(wait=True, cancel_futures=True)


def start_ray(*, workers: int, address: str | None = None) -> Callable[[], None]:
    """Connect to a cluster (`address`) or start one on this machine; returns its stop function.

    A local Ray listens on 127.0.0.1 only, without its dashboard, with a capped object store and
    its session files in a temporary folder that stopping removes. A Ray already connected in
    this process is used as it is (and left running).
    """
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if not address:
        # Ray swaps 127.0.0.1 for the machine's routable address unless this is off; it is read
        # when Ray is first imported, so before that (a cluster elsewhere needs it on)
        os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
        if not any(k in os.environ for k in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN_PATH")):
            # token auth with a token of this run only, passed down in the environment: Ray
            # would otherwise write one into ~/.ray
            os.environ["RAY_AUTH_MODE"] = "token"
            os.environ.setdefault("RAY_AUTH_TOKEN", secrets.token_hex(32))
    import ray

    if ray.is_initialized():
        return lambda: None
    if address:
        ray.init(address=address, log_to_driver=False, configure_logging=False)
        return ray.shutdown
    temp = tempfile.mkdtemp(prefix="netral-ray-")
    try:
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            object_store_memory=RAY_OBJECT_STORE,
            _node_ip_address="127.0.0.1",
            _temp_dir=temp,
            log_to_driver=False,
            configure_logging=False,
        )
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise

    def stop() -> None:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)

    return stop


def run_ray(
    posts: Sequence[Post],
    *,
    setup: WorkerSetup,
    workers: int,
    batch: int = BATCH,
    address: str | None = None,
) -> Iterator[BatchResult]:
    """The batches' results in dump order, from `workers` Ray actors (models loaded once each)."""
    stop = start_ray(workers=workers, address=address)  # before `import ray`: see start_ray
    import ray

    actors: list[Any] = []
    try:
        actor_class = ray.remote(num_cpus=1)(ScanWorker)
        actors = [actor_class.remote(setup) for _ in range(workers)]
        # every batch queued at once, dealt round-robin (batches are alike): an actor never waits
        # for the driver, which meanwhile writes what came back
        refs = [actors[i % workers].screen.remote(b) for i, b in enumerate(_batches(posts, batch))]
        for ref in refs:
            yield ray.get(ref)
    finally:
        for actor in actors:
            ray.kill(actor)
        stop()


# ---------------------------------------------------------------- the driver


def _identify(asn: registry.AsnRef, post: Post) -> Finding:
    why = f"akun {post.platform} @{post.handle} tercatat milik ASN ini"
    candidate = {
        "asn_id": asn.id,
        "nip": asn.nip,
        "name": asn.name,
        "position": asn.position,
        "opd": asn.opd,
        "score": 1.0,
        "why": why,
    }
    from netral.screening.identify import MODEL

    return Finding(
        "identify",
        "asn_candidate",
        1.0,
        [f"{asn.name} ({asn.position}, {asn.opd}): {why}"],
        {"candidates": [candidate], "platform": post.platform, "handle": post.handle},
        MODEL,
    )


@dataclass(frozen=True)
class FiledFinding:
    """What the command prints for one post filed as a report (no NIP, no name, no contact)."""

    number: str
    line: int
    platform: str
    handle: str
    asn_id: int
    findings: list[Finding]

    def as_dict(self) -> dict[str, Any]:
        return {
            "report": self.number,
            "line": self.line,
            "platform": self.platform,
            "handle": self.handle,
            "asn_id": self.asn_id,
            "findings": [
                {
                    "kind": f.kind,
                    "label": f.label,
                    "score": round(float(f.score), 4),
                    "why": list(f.why),
                    "model": f.model,
                }
                for f in self.findings
                # the owner's name and office stay in the database, shown to staff who may see
                # them; the command's output (often kept in a log) names the ASN by id only
                if f.kind != "identify"
            ],
        }


def _write(
    *,
    db: Engine,
    pending: list[tuple[Post, registry.AsnRef, list[Finding]]],
    rulebook: Rulebook,
    calendar: WorkingCalendar,
    actor: Actor,
) -> tuple[list[FiledFinding], int]:
    """One unit of work: a report and its findings per flagged post; (filed, already filed)."""
    from netral.reports.service import report_refs

    filed: list[FiledFinding] = []
    with unit_of_work(db) as session:
        ids = reports.file_scanned_posts(
            db_session=session,
            rulebook=rulebook,
            calendar=calendar,
            actor=actor,
            posts=[
                reports.ScannedPost(
                    asn=asn,
                    platform=post.platform,
                    handle=post.handle,
                    posted_at=post.posted_at,
                    text=post.text,
                )
                for post, asn, _ in pending
            ],
        )
        numbers = {
            r.id: r.number
            for r in report_refs(db_session=session, ids=[i for i in ids if i is not None])
        }
        for (post, asn, findings), report_id in zip(pending, ids, strict=True):
            if report_id is None:
                continue
            every = [*findings, _identify(asn, post)]
            for f in every:
                session.add(
                    ScreeningFinding(
                        report_id=report_id,
                        evidence_id=None,
                        kind=f.kind,
                        label=f.label,
                        score=float(f.score),
                        why=list(f.why),
                        data=dict(f.data),
                        model=f.model,
                        rulebook_version=rulebook.version,
                        ms=float(f.ms),
                    )
                )
            filed.append(
                FiledFinding(
                    numbers[report_id], post.line, post.platform, post.handle, asn.id, every
                )
            )
    return filed, sum(1 for i in ids if i is None)


def scan(
    posts: Sequence[Post],
    *,
    db: Engine,
    engine: str,
    workers: int,
    setup: WorkerSetup,
    rulebook: Rulebook,
    calendar: WorkingCalendar,
    actor: Actor,
    address: str | None = None,
    batch: int = BATCH,
    on_filed: Callable[[FiledFinding], None] = lambda _: None,
) -> ScanSummary:
    """Screen every post on the engine; file the flagged posts of registered ASN as reports."""
    started = time.perf_counter()
    summary = ScanSummary(posts=len(posts), engine=engine, workers=workers)
    with unit_of_work(db) as session:
        owners = registry.asn_by_accounts(
            db_session=session, accounts={(p.platform, p.handle) for p in posts}
        )
    summary.matched = sum(1 for p in posts if (p.platform, p.handle) in owners)
    if engine == "ray":
        results = run_ray(posts, setup=setup, workers=workers, batch=batch, address=address)
    else:
        results = run_local(posts, setup=setup, workers=workers, batch=batch)
    pending: list[tuple[Post, registry.AsnRef, list[Finding]]] = []

    def flush() -> None:
        t0 = time.perf_counter()
        filed, again = _write(
            db=db, pending=pending, rulebook=rulebook, calendar=calendar, actor=actor
        )
        summary.write_s += time.perf_counter() - t0
        summary.findings += len(filed)
        summary.already_filed += again
        pending.clear()
        for f in filed:
            on_filed(f)

    for result in results:
        if not summary.ready_s:
            summary.ready_s = time.perf_counter() - started
        for hit in result.flagged:
            post = posts[hit.index]
            summary.flagged += 1
            owner = owners.get((post.platform, post.handle))
            if owner is None:
                summary.flagged_unmatched += 1
                continue
            pending.append((post, owner, hit.findings))
        if len(pending) >= WRITE_BATCH:
            flush()
    if pending:
        flush()
    summary.seconds = time.perf_counter() - started
    log.info(
        "bulk scan: %d posts, %d flagged, %d filed, %.1f s on %s×%d",
        summary.posts,
        summary.flagged,
        summary.findings,
        summary.seconds,
        engine,
        workers,
    )
    return summary
