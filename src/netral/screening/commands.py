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
scan_app = typer.Typer(
    help="Pemindaian massal unggahan publik / bulk scans of public posts.", no_args_is_help=True
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
    """Partisan / political_neutral / other for each post (stdin: one post per line).

    One JSON object per post, in input order: label, score, why, and the model used (the
    operator's own `netral models train` model if there is one, else the one shipped).
    """
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
                "model": result.model,
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


def _installed_models(screeners: Any, kinds: set[str]) -> dict[str, str]:
    """The model version each kind of finding would be made by now, for the kinds in use.

    OCR is left out: its version names the page segmentation, which may differ per image.
    """
    from netral.screening import hoax, identify

    out: dict[str, str] = {}
    if "text" in kinds:
        out["text"] = screeners.text(()).model
    if "gesture" in kinds:
        out["gesture"] = screeners.gestures.model
    if "identify" in kinds:
        out["identify"] = identify.MODEL
    if "hoax" in kinds and screeners.hoax is not None:
        out["hoax"] = hoax.MODEL
    return out


@screen_app.command("video")
def screen_video_cmd(
    paths: Annotated[list[Path], typer.Argument(help="Videos (MP4, MOV, WebM).")],
    election: ElectionOpt = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Poses and text in videos, about one frame a second: one JSON object per video."""
    from netral.screening.video import screen_video

    elections = _elections(election)
    screeners = _screeners()
    for path in paths:
        found = screen_video(path, elections, screeners=screeners)
        summary, *moments = found.findings
        out: dict[str, Any] = {
            "path": str(path),
            "duration_s": found.duration_s,
            "frames": found.frames,
            "ms": round(found.ms, 1),
            "findings": [
                {
                    "time_s": f.data.get("time_s"),
                    "end_s": f.data.get("end_s"),
                    "time_code": f.data.get("time_code"),
                    "kind": f.kind,
                    "label": f.label,
                    "score": round(float(f.score), 4),
                    "why": list(f.why),
                    **({"number_shown": f.data.get("number_shown")} if f.kind == "gesture" else {}),
                    **({"text": f.data.get("text")} if f.kind in ("text", "hoax") else {}),
                }
                for f in moments
            ],
            "texts": summary.data.get("texts", []),
            "why": list(summary.why),
        }
        if summary.label == "unreadable":
            out["error"] = summary.why[0]
        _emit(out, as_json)


@screen_app.command("rerun")
def screen_rerun(
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="YYYY-MM-DD: every report filed since. Without it: the reports whose findings "
            "an older model made, and the failed ones.",
        ),
    ] = None,
) -> None:
    """Re-screen reports after a model or rulebook update, or retry failed ones (runs here, now).

    The findings replaced are kept, marked superseded, with the staff decisions made on them.
    """
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
    from netral.screening.service import current_kinds, outdated_report_ids

    start = None
    if since is not None:
        try:
            # a date as people in WIB mean it
            start = datetime.fromisoformat(since).replace(tzinfo=WIB)
        except ValueError:
            console.print(f"[red]✗[/red] tanggal tidak sah: {since} (format YYYY-MM-DD)")
            raise typer.Exit(2) from None
    screeners = _screeners()
    store = LocalEvidenceStore(get_settings().data_dir / "evidence")
    with command_session() as db:
        if start is not None:
            # also a report filed earlier whose evidence, added since, failed to screen
            ids = sorted(
                set(reports.report_ids_since(db_session=db, since=start))
                | set(failed_report_ids(db_session=db, since=start))
            )
        else:
            current = _installed_models(screeners, current_kinds(db_session=db))
            for kind, model in sorted(current.items()):
                console.print(f"model {kind} terpasang: {model}")
            ids = sorted(
                set(outdated_report_ids(db_session=db, current=current))
                | set(failed_report_ids(db_session=db, since=datetime(1970, 1, 1, tzinfo=WIB)))
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
    csv_file: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            help="Labelled posts CSV (text, label, source). With --from-decisions: the base data "
            "(default: what the installed model was trained on, when that file is here).",
        ),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Where to write the model.")] = None,
    from_decisions: Annotated[
        bool,
        typer.Option(
            "--from-decisions",
            help="Add the staff decisions as labels; install only a model no worse on held-out "
            "sources.",
        ),
    ] = False,
) -> None:
    """Train the partisan-text model (default: the shared posts_train.csv)."""
    from netral.core.settings import get_settings
    from netral.screening.text import train

    settings = get_settings()
    if from_decisions:
        _train_from_decisions(csv_file, out or settings.data_dir / "models" / "text.joblib")
        return
    csv_file = csv_file or settings.testdata / "posts" / "posts_train.csv"
    out = out or settings.data_dir / "models" / "text.joblib"
    if not csv_file.exists():
        console.print(f"[red]✗[/red] berkas latih tidak ada: {csv_file} (set --csv)")
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    metrics = train(csv_file, out)
    console.print(f"[green]✓[/green] model → {out}")
    print(json.dumps(metrics.as_dict(), ensure_ascii=False, default=str))


def _figures_line(name: str, fig: Any) -> str:
    return (
        f"{name}: macro-F1 {fig.macro_f1:.4f} · presisi partisan {fig.partisan_precision:.4f} "
        f"({fig.flagged} ditandai partisan)"
    )


def _train_from_decisions(csv_file: Path | None, out: Path) -> None:
    """Base data + staff decisions, validated leave-one-source-out; a worse model is refused."""
    from netral.core import audit
    from netral.core.commands import CLI_ACTOR
    from netral.screening import learning
    from netral.screening.decisions import text_labels

    installed = out if out.is_file() else None
    base_path = csv_file or learning.base_from_model(installed)
    if base_path is None:
        console.print(
            "[red]✗[/red] data latih dasar tidak ditemukan: model terpasang tidak menyebut berkas "
            "yang ada di mesin ini. Berikan --csv FILE (kolom text, label, source; sedikitnya "
            "dua sumber)."
        )
        raise typer.Exit(2)
    try:
        base = learning.read_base(base_path)
        with command_session() as db:
            labels = text_labels(db_session=db)
        console.print(
            f"data dasar: {base_path} ({len(base.rows)} posting, sumber: {', '.join(base.sources)})"
            f"; keputusan staf: {len(labels)} posting berlabel"
        )
        outcome = learning.train_from_decisions(
            base=base, labels=labels, current_model=installed, out=out
        )
    except learning.TrainingRefused as exc:
        console.print(f"[red]✗[/red] {exc}")
        raise typer.Exit(2) from None
    if outcome.decisions_repeating_base:
        console.print(
            f"{outcome.decisions_repeating_base} keputusan mengulang posting data dasar: "
            "label data dasar yang dipakai"
        )
    console.print(f"pembanding ({outcome.reference_from}):")
    console.print("  " + _figures_line("model sekarang", outcome.reference))
    console.print("  " + _figures_line("model baru    ", outcome.candidate))
    print(
        json.dumps(
            {
                "accepted": outcome.accepted,
                "reference": outcome.reference.as_dict(),
                "candidate": outcome.candidate.as_dict(),
                "decisions_used": outcome.decisions_used,
                "decisions_group": outcome.decisions_group,
                "problems": outcome.problems,
                "model_version": outcome.model_version,
            },
            ensure_ascii=False,
        )
    )
    if not outcome.accepted:
        for problem in outcome.problems:
            console.print(f"[red]✗[/red] {problem}")
        console.print(
            "[red]✗[/red] model baru lebih buruk pada sumber yang tidak dilihatnya: tidak dipasang; "
            f"model lama tetap dipakai ({out})"
        )
        raise typer.Exit(1)
    with command_session() as db:
        audit.record(
            db,
            actor=CLI_ACTOR,
            action="screening.model_installed",
            object_type="model",
            object_id=outcome.model_version,
            summary={
                "decisions": outcome.decisions_used,
                "macro_f1": outcome.candidate.macro_f1,
                "partisan_precision": outcome.candidate.partisan_precision,
                "reference_macro_f1": outcome.reference.macro_f1,
                "reference_partisan_precision": outcome.reference.partisan_precision,
            },
        )
    console.print(f"[green]✓[/green] model {outcome.model_version} → {out}")
    console.print(
        "Saring ulang temuan model lama: netral screen rerun (dan mulai ulang proses web/worker "
        "agar memuat model baru)"
    )


decisions_app = typer.Typer(
    help="Keputusan staf atas temuan / staff decisions on findings.", no_args_is_help=True
)
models_app.add_typer(decisions_app, name="decisions")


@decisions_app.command("export")
def decisions_export(
    out: Annotated[Path, typer.Option("--out", help="CSV to write.")],
    kind: Annotated[
        str | None, typer.Option(help="Only one kind of finding: text, gesture, identify, hoax.")
    ] = None,
) -> None:
    """The latest decision per finding as a labelled set (no reporter, no staff names)."""
    from netral.screening.decisions import DECIDABLE_KINDS, export_csv

    if kind is not None and kind not in DECIDABLE_KINDS:
        console.print(
            f"[red]✗[/red] jenis tidak dikenal: {kind} (pilih {', '.join(sorted(DECIDABLE_KINDS))})"
        )
        raise typer.Exit(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    with command_session() as db, out.open("w", newline="", encoding="utf-8") as fh:
        n = export_csv(db_session=db, out=fh, kind=kind)
    console.print(f"[green]✓[/green] {n} keputusan → {out}")


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


@scan_app.command("posts")
def scan_posts(
    dump: Annotated[
        Path,
        typer.Argument(
            help="CSV or JSONL of public posts: platform, handle, time, text (optional image, "
            "a path relative to the file)."
        ),
    ],
    engine_name: Annotated[
        str, typer.Option("--engine", help="local (a process pool) or ray.")
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            help="An existing Ray cluster (host:port); without it Ray starts here, on 127.0.0.1.",
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (or Ray actors).")
    ] = 2,
    election: ElectionOpt = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="One JSON object per report filed, then the summary as the last line.",
        ),
    ] = False,
) -> None:
    """Screen a dump of public posts; file a report for each flagged post by a registered ASN.

    Handles are matched against the ASN's recorded social accounts. A flagged post by an account
    nobody registered is counted in the summary, never filed. Screening only advises: the reports
    filed are initial information (channel `pindai`) for staff to review.
    """
    from netral.core.closures import calendar_for
    from netral.core.commands import CLI_ACTOR
    from netral.core.security import Scope
    from netral.core.settings import get_settings
    from netral.election.service import as_election_in, list_elections
    from netral.rules import load_rulebook
    from netral.screening.bulk import ENGINES, WorkerSetup, read_posts, scan

    if engine_name not in ENGINES:
        console.print(f"[red]✗[/red] mesin tidak dikenal: {engine_name} (pilih local atau ray)")
        raise typer.Exit(2)
    if workers < 1:
        console.print("[red]✗[/red] --workers paling sedikit 1")
        raise typer.Exit(2)
    if address and engine_name != "ray":
        console.print("[red]✗[/red] --address hanya untuk --engine ray")
        raise typer.Exit(2)
    try:
        posts = read_posts(dump)
    except NetralError as exc:
        raise fail(exc, 2) from None
    db = engine()
    elections = _elections(election)
    if not elections:  # the elections on record: their candidates and slogans feed the lexicon
        with command_session() as session:
            elections = [
                as_election_in(e)
                for e in list_elections(db_session=session, scope=Scope("national"))
            ]
    settings = get_settings()
    hoax_file = settings.hoax_file or settings.data_dir / "hoaxes.csv"
    setup = WorkerSetup(
        models_dir=str(settings.data_dir / "models"),
        hoax_file=str(hoax_file) if hoax_file.exists() else None,
        elections=tuple(elections),
    )
    summary = scan(
        posts,
        db=db,
        engine=engine_name,
        workers=workers,
        setup=setup,
        rulebook=load_rulebook(),
        calendar=calendar_for(db),
        actor=CLI_ACTOR,
        address=address,
        on_filed=(lambda f: _emit(f.as_dict(), True)) if as_json else (lambda f: None),
    )
    out = summary.as_dict()
    if as_json:
        print(json.dumps(out, ensure_ascii=False), flush=True)
        return
    console.print(
        f"[green]✓[/green] {out['posts']} unggahan disaring ({out['per_s']}/s, "
        f"{engine_name}×{workers}): {out['flagged']} ditandai, {out['matched']} dari akun ASN "
        f"terdaftar; {out['findings']} laporan pindai dibuat"
        + (
            f", {out['already_filed']} sudah ada dari pemindaian sebelumnya"
            if out["already_filed"]
            else ""
        )
        + (
            f"; {out['flagged_unmatched']} ditandai dari akun yang tidak terdaftar "
            "(tidak dilaporkan: tidak menyebut siapa pun)"
            if out["flagged_unmatched"]
            else ""
        )
    )
