"""`netral screen ...`, `netral models ...`, `netral hoax ...`: screening from the command line.

Advisory only, like every screening: these print findings, they decide nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from netral.core.commands import command_session, console, engine, fail
from netral.core.errors import NetralError

screen_app = typer.Typer(
    help="Penyaringan bukti / screening (advisory only).", no_args_is_help=True
)
models_app = typer.Typer(help="Model penyaringan / screening models.", no_args_is_help=True)
hoax_app = typer.Typer(
    help="Daftar hoaks yang telah dibantah / debunked claims.", no_args_is_help=True
)
ElectionOpt = Annotated[
    list[Path] | None, typer.Option("--election", help="Election YAML (repeatable).")
]


def _elections(files: list[Path] | None) -> list[Any]:
    from netral.election.service import read_election_file

    try:
        return [read_election_file(f) for f in files or []]
    except NetralError as exc:
        raise fail(exc, 2) from None


def _screeners() -> Any:
    from netral.core.settings import get_settings
    from netral.rules import load_rulebook
    from netral.screening.pipeline import Screeners

    settings = get_settings()
    return Screeners(
        rulebook=load_rulebook(),
        models_dir=settings.data_dir / "models",
        hoax_file=settings.hoax_file or settings.data_dir / "hoaxes.csv",
    )


def _emit(obj: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(json.dumps(obj, ensure_ascii=False, default=str), flush=True)
    else:
        Console().print(obj)


@screen_app.command("image")
def screen_image_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Photos (JPEG, PNG, WebP, ...).")],
    election: ElectionOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Hands and finger-number poses in photos: one JSON object per line, with `why`."""
    from netral.screening.gestures import matches_candidate
    from netral.screening.pipeline import open_image

    elections = _elections(election)
    screeners = _screeners()
    for path in paths:
        try:
            result = screeners.gestures.analyze(open_image(path))
            finding = screeners.gestures.finding(result, elections)
            out = {"path": str(path), **result.to_json()}
            out["matches_candidate"] = matches_candidate(result.number_shown, elections)
            out["why"], out["model"] = list(finding.why), finding.model
        except (ValueError, OSError) as exc:
            out = {
                "path": str(path),
                "hands": [],
                "number_shown": None,
                "banned_pose": False,
                "matches_candidate": None,
                "ms": 0.0,
                "error": str(exc),
            }
        _emit(
            {
                k: out[k]
                for k in (
                    "path",
                    "hands",
                    "number_shown",
                    "banned_pose",
                    "matches_candidate",
                    "why",
                    "model",
                    "ms",
                    "error",
                )
                if k in out
            },
            as_json,
        )


@screen_app.command("text")
def screen_text_cmd(
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Read posts from a CSV.")] = None,
    column: Annotated[str, typer.Option(help="CSV column holding the post.")] = "text",
    election: ElectionOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Partisan / political_neutral / other for each post (stdin: one post per line)."""
    import csv as _csv

    screener = _screeners().text(_elections(election))
    if csv_file is not None:
        with csv_file.open(newline="", encoding="utf-8") as fh:
            reader = _csv.DictReader(fh)
            if column not in (reader.fieldnames or []):
                console.print(f"[red]✗[/red] kolom '{column}' tidak ada di {csv_file.name}")
                raise typer.Exit(2)
            texts = [row[column] or "" for row in reader]
    else:
        texts = [line.rstrip("\n") for line in sys.stdin]
    for result in screener.classify_many(texts):
        _emit(
            {
                "label": result.label,
                "score": round(float(result.score), 4),
                "why": list(result.why),
            },
            as_json,
        )


@screen_app.command("screenshot")
def screen_screenshot_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Screenshots of posts.")],
    election: ElectionOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Text out of screenshots (OCR), its label, and a debunked claim it repeats, if any."""
    from netral.screening.pipeline import open_image

    elections = _elections(election)
    screeners = _screeners()
    text_screener = screeners.text(elections)
    for path in paths:
        try:
            ocr = screeners.ocr.read(open_image(path))
            text, confidence = ocr.text, ocr.confidence
        except (ValueError, OSError) as exc:
            text, confidence = "", 0.0
            console.print(f"[yellow]![/yellow] {path}: {exc}")
        result = text_screener.classify(text)
        hoax = screeners.hoax.match(text) if screeners.hoax is not None and text else None
        _emit(
            {
                "path": str(path),
                "text": text,
                "ocr_confidence": round(float(confidence), 4),
                "label": result.label,
                "score": round(float(result.score), 4),
                "why": list(result.why),
                "hoax": None
                if hoax is None
                else {
                    "claim": hoax.claim,
                    "verdict": hoax.verdict,
                    "source_url": hoax.source_url,
                    "date": str(hoax.date) if hoax.date else None,
                    "score": round(float(hoax.score), 4),
                },
            },
            as_json,
        )


@screen_app.command("rerun")
def screen_rerun(
    since: Annotated[str, typer.Option("--since", help="YYYY-MM-DD: reports filed since.")],
) -> None:
    """Re-screen reports after a model or rulebook update, or retry failed ones (runs here, now)."""
    from datetime import datetime

    from netral.core.calendar import WIB
    from netral.core.db import unit_of_work
    from netral.core.settings import get_settings
    from netral.core.storage import LocalEvidenceStore
    from netral.reports import service as reports
    from netral.screening.jobs import (
        describe_error,
        failed_report_ids,
        record_failure,
        retry_failed,
    )
    from netral.screening.pipeline import screen_report

    try:
        start = datetime.fromisoformat(since).replace(tzinfo=WIB)  # a date as people in WIB mean it
    except ValueError:
        console.print(f"[red]✗[/red] tanggal tidak sah: {since} (format YYYY-MM-DD)")
        raise typer.Exit(2) from None
    screeners = _screeners()
    store = LocalEvidenceStore(get_settings().data_dir / "evidence")
    with command_session() as db:
        # also a report filed earlier whose evidence, added since, failed to screen
        ids = sorted(
            set(reports.report_ids_since(db_session=db, since=start))
            | set(failed_report_ids(db_session=db, since=start))
        )
    total = failures = 0
    for report_id in ids:  # one unit of work per report: a failure keeps the others' findings
        with unit_of_work(engine()) as db:
            # a fresh budget: should this run fail too, the worker's retries take it from here
            retry_failed(db_session=db, report_id=report_id)
        try:
            with unit_of_work(engine()) as db:
                total += screen_report(
                    db_session=db,
                    report_id=report_id,
                    store=store,
                    screeners=screeners,
                    evidence_ids=None,
                    force=True,
                )
        except Exception as exc:
            failures += 1
            with unit_of_work(engine()) as db:  # its own transaction: the failed one rolled back
                record_failure(db_session=db, report_id=report_id, exc=exc)
                report = reports.screening_input(db_session=db, report_id=report_id)
            number = report.number if report is not None else f"#{report_id}"
            console.print(f"[red]✗[/red] {number}: {describe_error(exc)}")
    console.print(
        f"[green]✓[/green] {len(ids) - failures} reports re-screened, {total} findings"
        + (f"; [red]{failures} failed[/red]" if failures else "")
    )
    if failures:
        raise typer.Exit(1)


@models_app.command("train")
def models_train(
    csv_file: Annotated[Path | None, typer.Option("--csv", help="Labelled posts CSV.")] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the model.")] = None,
) -> None:
    """Train the partisan-text model (default: the shared posts_train.csv)."""
    from netral.core.settings import get_settings
    from netral.screening.text import train

    settings = get_settings()
    csv_file = csv_file or settings.testdata / "posts" / "posts_train.csv"
    out = out or settings.data_dir / "models" / "text.joblib"
    if not csv_file.exists():
        console.print(f"[red]✗[/red] berkas latih tidak ada: {csv_file} (set --csv)")
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    metrics = train(csv_file, out)
    console.print(f"[green]✓[/green] model → {out}")
    print(json.dumps(metrics.as_dict(), ensure_ascii=False, default=str))


@hoax_app.command("load")
def hoax_load(
    file: Annotated[Path, typer.Argument(help="CSV: claim, verdict, source_url, date")],
) -> None:
    """Validate a list of debunked claims and make it the one screening uses."""
    import shutil

    from netral.core.settings import get_settings
    from netral.screening.hoax import HoaxIndex

    try:
        index = HoaxIndex.from_csv(file)
    except NetralError as exc:
        raise fail(exc) from None
    target = get_settings().data_dir / "hoaxes.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, target)
    console.print(f"[green]✓[/green] {len(index)} klaim → {target}")
