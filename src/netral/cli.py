"""The `netral` command: thin wrappers over the domain services."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.calendar import WorkingCalendar
from netral.core.errors import NetralError

app = typer.Typer(
    help="netral: netralitas ASN selama pemilihan / ASN neutrality in elections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Basis data / database.", no_args_is_help=True)
import_app = typer.Typer(help="Impor data / import data.", no_args_is_help=True)
export_app = typer.Typer(help="Ekspor data / export data.", no_args_is_help=True)
users_app = typer.Typer(help="Pengguna / users.", no_args_is_help=True)
election_app = typer.Typer(help="Pemilihan / election.", no_args_is_help=True)
audit_app = typer.Typer(help="Log audit / audit log.", no_args_is_help=True)
calendar_app = typer.Typer(help="Hari libur tambahan / closure days.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(users_app, name="users")
app.add_typer(election_app, name="election")
app.add_typer(audit_app, name="audit")
app.add_typer(calendar_app, name="calendar")

console = Console(stderr=True)
LANG = os.environ.get("NETRAL_LANG", "id")
CLI_ACTOR = Actor(None, f"cli:{os.environ.get('USER', 'operator')}", "admin")


def _fail(exc: NetralError, code: int = 1) -> typer.Exit:
    for p in exc.problems:
        where = f" [{p.field}]" if p.field else ""
        console.print(f"[red]✗[/red] {p.code}{where}: {p.message(LANG)}", highlight=False)
    return typer.Exit(code)


def _engine() -> Engine:
    from netral.core.db import ensure_migrated, get_engine
    from netral.wiring import wire

    wire()  # domain events reach their subscribers (a report queues its screening) here too

    engine = get_engine()
    try:
        ensure_migrated(engine)
    except NetralError as exc:
        raise _fail(exc) from None
    return engine


def _session() -> Session:
    from netral.core.db import session_factory

    return session_factory(_engine())()


# ---------------------------------------------------------------- db


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    from netral.core.db import current_revision, get_engine, head_revision
    from netral.core.migrate import upgrade

    engine = get_engine()
    before = current_revision(engine)
    upgrade(engine)
    console.print(
        f"[green]✓[/green] database {engine.url.render_as_string()} at "
        f"{head_revision()} (was {before or 'empty'})"
    )


@db_app.command("current")
def db_current() -> None:
    """Print the database's migration revision."""
    from netral.core.db import current_revision, get_engine, head_revision

    print(json.dumps({"current": current_revision(get_engine()), "head": head_revision()}))


# ---------------------------------------------------------------- demo and serve


@app.command()
def demo(
    asn: Annotated[int, typer.Option("--asn", help="ASN in Kota Bandung.")] = 2000,
    seed: Annotated[int, typer.Option(help="Random seed (deterministic).")] = 2024,
    second_region_asn: Annotated[int, typer.Option(help="ASN in Kabupaten Bandung.")] = 300,
) -> None:
    """Load the demo season: regions, OPD, ASN, a fictional election, users for every role."""
    from netral.core.settings import get_settings
    from netral.core.storage import LocalEvidenceStore
    from netral.demo import DEMO_PASSWORD, load_demo, load_demo_case, load_demo_reports

    with _session() as db:
        try:
            summary = load_demo(
                db_session=db, seed=seed, asn_count=asn, second_region_asn=second_region_asn
            )
            store = LocalEvidenceStore(get_settings().data_dir / "evidence")
            reports = load_demo_reports(db_session=db, store=store, seed=seed)
            case = load_demo_case(db_session=db, store=store)
        except NetralError as exc:
            if exc.code != "demo.exists":
                raise _fail(exc) from None
            console.print(f"[yellow]![/yellow] {exc.message(LANG)}")
            logins = _demo_logins(db)
        else:
            logins = summary.logins
            console.print(
                f"[green]✓[/green] demo: {summary.asn:,} ASN in {summary.opd} OPD and "
                f"{summary.area_offices} kecamatan/kelurahan offices, {summary.candidates} "
                f"candidate pairs, {reports} reports, case {case}, {summary.users} users "
                f"({summary.seconds:.1f} s)"
            )
    table = Table(title=f"Demo logins (password: {DEMO_PASSWORD})")
    for col in ("username", "role", "scope"):
        table.add_column(col)
    for row in logins:
        table.add_row(*row)
    Console().print(table)


def _demo_logins(db: Session) -> list[tuple[str, str, str]]:
    from sqlalchemy import select

    from netral.core.models import User

    return [
        (u.username, u.role, u.scope_code or "Nasional")
        for u in db.scalars(select(User).order_by(User.id))
    ]


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    reload: Annotated[bool, typer.Option()] = False,
    access_log: Annotated[
        bool,
        typer.Option(
            help="Log each request with the client's address (off: reporters' "
            "addresses are not kept anywhere)."
        ),
    ] = False,
) -> None:
    """Start the web app."""
    import uvicorn

    _engine()
    uvicorn.run(
        "netral.web.main:app",
        host=host,
        port=port,
        reload=reload,
        proxy_headers=True,
        access_log=access_log,
    )


# ---------------------------------------------------------------- import / export


def _region(region: str | None) -> str:
    if region:
        return region
    from sqlalchemy import select

    from netral.registry.models import Wilayah

    with _session() as db:
        codes = db.scalars(select(Wilayah.code).where(Wilayah.level.in_(("kota", "kabupaten"))))
        found = list(codes)
    if len(found) == 1:
        return str(found[0])
    choices = ", ".join(found) or "(belum ada wilayah)"
    console.print(f"[red]✗[/red] --region wajib: pilih salah satu dari {choices}")
    raise typer.Exit(2)


@import_app.command("asn")
def import_asn_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX from BKPSDM.")],
    region: Annotated[str | None, typer.Option(help="Kota/kabupaten code, e.g. 32.73.")] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate only; write nothing.")
    ] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Keep the valid rows.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="column=Header as in the file")
    ] = None,
) -> None:
    """Import ASN: all or nothing by default; re-import updates by NIP."""
    from netral.registry.importer import ImportFailed, ImportReport, import_asn

    mapping = dict(m.split("=", 1) for m in (map_ or []) if "=" in m)
    target = _region(region)
    report: ImportReport | None = None
    failed: NetralError | None = None
    with (
        _session() as db,
        Progress(
            TextColumn("[bold]impor ASN"),
            BarColumn(),
            TextColumn("{task.completed:,} baris"),
            TimeElapsedColumn(),
            console=console,
            disable=as_json or not sys.stderr.isatty(),
        ) as progress,
    ):
        task = progress.add_task("import", total=None)
        try:
            report = import_asn(
                db_session=db,
                path=file,
                region_code=target,
                actor=CLI_ACTOR,
                mapping=mapping,
                dry_run=dry_run,
                partial=partial,
                on_row=lambda n: progress.update(task, completed=n - 1),
            )
            db.commit()
        except ImportFailed as exc:
            report, failed = exc.report, exc
        except NetralError as exc:
            if as_json:
                print(
                    json.dumps(
                        {
                            "rows": 0,
                            "valid": 0,
                            "errors": [
                                {
                                    "row": None,
                                    "column": p.field,
                                    "code": p.code,
                                    "message": p.message(LANG),
                                }
                                for p in exc.problems
                            ],
                        },
                        ensure_ascii=False,
                    )
                )
                raise typer.Exit(1) from None
            raise _fail(exc) from None
    assert report is not None
    if as_json:
        print(json.dumps(report.as_dict(LANG), ensure_ascii=False))
    else:
        if report.errors:
            t = Table(title=f"{report.error_count} kesalahan / errors")
            for col in ("row", "column", "code", "message"):
                t.add_column(col)
            for e in report.errors[:200]:
                t.add_row(str(e.row), e.column, e.code, e.message_en if LANG == "en" else e.message)
            console.print(t)
        verb = "would import" if dry_run else ("imported" if report.written else "refused")
        console.print(
            f"{verb}: {report.rows:,} rows, {report.valid:,} valid, "
            f"{report.inserted:,} new, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged, {report.error_count:,} errors"
        )
        if failed is not None:
            _fail(failed)
    raise typer.Exit(1 if report.error_count and not (partial and report.written) else 0)


@import_app.command("wilayah")
def import_wilayah_cmd(
    file: Annotated[Path, typer.Argument(help="CSV: kode,nama,tingkat,induk")],
) -> None:
    """Import regions (provinsi, kota/kabupaten, kecamatan, kelurahan/desa) from a CSV."""
    from netral.registry.service import import_wilayah_file

    with _session() as db:
        try:
            got = import_wilayah_file(db_session=db, path=file, actor=CLI_ACTOR)
            db.commit()
        except NetralError as exc:
            raise _fail(exc) from None
    console.print(f"[green]✓[/green] wilayah: {got['created']} new, {got['updated']} updated")


@export_app.command("asn")
def export_asn_cmd(
    file: Annotated[Path, typer.Argument(help="Target .csv or .xlsx")],
    region: Annotated[str | None, typer.Option()] = None,
    contact: Annotated[
        bool, typer.Option("--contact/--no-contact", help="Include e-mail/phone.")
    ] = False,
) -> None:
    """Export ASN in the import's column layout (CSV or XLSX)."""
    from netral.core.security import Scope
    from netral.registry.service import export_asn

    with _session() as db:
        try:
            n = export_asn(
                db_session=db,
                scope=Scope("national"),
                path=file,
                actor=CLI_ACTOR,
                include_contact=contact,
                region_code=region,
            )
            db.commit()
        except NetralError as exc:
            raise _fail(exc) from None
    console.print(f"[green]✓[/green] {n:,} ASN → {file}")


# ---------------------------------------------------------------- election


@election_app.command("load")
def election_load(file: Annotated[Path, typer.Argument(help="Election YAML file.")]) -> None:
    """Load (or replace) an election: dates and candidate pairs."""
    from netral.election.service import read_election_file, upsert_election

    with _session() as db:
        try:
            e = upsert_election(
                db_session=db, election_in=read_election_file(file), actor=CLI_ACTOR
            )
            db.commit()
        except NetralError as exc:
            raise _fail(exc) from None
        console.print(
            f"[green]✓[/green] {e.name}: {len(e.candidates)} pasangan calon, "
            f"pemungutan suara {e.voting_day}"
        )


# ---------------------------------------------------------------- users


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="admin, bawaslu_staff, bkpsdm, ...")],
    full_name: Annotated[str, typer.Option("--name")],
    scope: Annotated[str, typer.Option(help="national | province:32 | region:32.73")] = "national",
    email: Annotated[str | None, typer.Option()] = None,
    password: Annotated[
        str | None, typer.Option(envvar="NETRAL_NEW_PASSWORD", help="Prompted when not given.")
    ] = None,
) -> None:
    """Create a local user account with a role and a scope."""
    from netral.core.security import create_user

    kind, _, code = scope.partition(":")
    if password is None:
        password = typer.prompt("Kata sandi / password", hide_input=True, confirmation_prompt=True)
    with _session() as db:
        try:
            create_user(
                db_session=db,
                username=username,
                password=password,
                full_name=full_name,
                role=role,
                scope_kind=kind,
                scope_code=code,
                email=email,
            )
            from netral.core import audit

            audit.record(
                db,
                actor=CLI_ACTOR,
                action="users.create",
                object_type="user",
                object_id=username,
                region_code=code,
                summary={"role": role},
            )
            db.commit()
        except NetralError as exc:
            raise _fail(exc) from None
    console.print(f"[green]✓[/green] user {username} ({role}, {scope})")


@users_app.command("list")
def users_list() -> None:
    """List user accounts."""
    from sqlalchemy import select

    from netral.core.models import User

    with _session() as db:
        t = Table()
        for col in ("username", "name", "role", "scope", "active"):
            t.add_column(col)
        for u in db.scalars(select(User).order_by(User.username)):
            t.add_row(
                u.username,
                u.full_name,
                u.role,
                f"{u.scope_kind}:{u.scope_code}",
                "yes" if u.is_active else "no",
            )
        Console().print(t)


# ---------------------------------------------------------------- audit, calendar


screen_app = typer.Typer(
    help="Penyaringan bukti / screening (advisory only).", no_args_is_help=True
)
models_app = typer.Typer(help="Model penyaringan / screening models.", no_args_is_help=True)
hoax_app = typer.Typer(
    help="Daftar hoaks yang telah dibantah / debunked claims.", no_args_is_help=True
)
app.add_typer(screen_app, name="screen")
app.add_typer(models_app, name="models")
app.add_typer(hoax_app, name="hoax")
ElectionOpt = Annotated[
    list[Path] | None, typer.Option("--election", help="Election YAML (repeatable).")
]


def _elections(files: list[Path] | None) -> list[Any]:
    from netral.election.service import read_election_file

    try:
        return [read_election_file(f) for f in files or []]
    except NetralError as exc:
        raise _fail(exc, 2) from None


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
    """Hands and finger-number poses in photos: one JSON object per line."""
    from netral.screening.gestures import matches_candidate
    from netral.screening.pipeline import open_image

    elections = _elections(election)
    screeners = _screeners()
    for path in paths:
        try:
            result = screeners.gestures.analyze(open_image(path))
            out = {"path": str(path), **result.to_json()}
            out["matches_candidate"] = matches_candidate(result.number_shown, elections)
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
    """Re-screen reports after a model or rulebook update (runs here, now)."""
    from datetime import datetime

    from sqlalchemy import select

    from netral.core.calendar import WIB
    from netral.core.db import get_engine
    from netral.core.settings import get_settings
    from netral.core.storage import LocalEvidenceStore
    from netral.reports.models import Report
    from netral.screening.pipeline import screen_report

    try:
        start = datetime.fromisoformat(since).replace(tzinfo=WIB)  # a date as people in WIB mean it
    except ValueError:
        console.print(f"[red]✗[/red] tanggal tidak sah: {since} (format YYYY-MM-DD)")
        raise typer.Exit(2) from None
    screeners = _screeners()
    store = LocalEvidenceStore(get_settings().data_dir / "evidence")
    _engine()
    with _session() as db:
        ids = list(
            db.scalars(select(Report.id).where(Report.created_at >= start).order_by(Report.id))
        )
    total = 0
    for report_id in ids:
        from netral.core.db import session_factory

        with session_factory(get_engine())() as db:
            total += screen_report(
                db_session=db,
                report_id=report_id,
                store=store,
                screeners=screeners,
                evidence_ids=None,
                force=True,
            )
    console.print(f"[green]✓[/green] {len(ids)} reports re-screened, {total} findings")


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
    print(json.dumps(metrics, ensure_ascii=False, default=str))


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
        raise _fail(exc) from None
    target = get_settings().data_dir / "hoaxes.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, target)
    console.print(f"[green]✓[/green] {len(index)} klaim → {target}")


@app.command()
def worker() -> None:
    """Run the background worker (screening, reminders) when NETRAL_JOBS=external."""
    from netral.core import jobs
    from netral.core.settings import get_settings
    from netral.rules import load_rulebook

    ctx = jobs.configure(settings=get_settings(), engine=_engine(), rulebook=load_rulebook())
    for name, task in ctx.tasks.items():
        if name.endswith(":on_start"):
            task()
    jobs.consumer(ctx).run()


evidence_app = typer.Typer(help="Bukti / evidence store.", no_args_is_help=True)
app.add_typer(evidence_app, name="evidence")


@evidence_app.command("sweep")
def evidence_sweep() -> None:
    """Delete evidence files no report refers to (older than an hour): crash or refusal leftovers."""
    from netral.core.settings import get_settings
    from netral.core.storage import LocalEvidenceStore
    from netral.reports.service import sweep_evidence

    with _session() as db:
        removed = sweep_evidence(
            db_session=db, store=LocalEvidenceStore(get_settings().data_dir / "evidence")
        )
    console.print(f"[green]✓[/green] {len(removed)} orphan file(s) removed")


reminders_app = typer.Typer(help="Pengingat tenggat / deadline reminders.", no_args_is_help=True)
app.add_typer(reminders_app, name="reminders")


@reminders_app.command("run")
def reminders_run(
    job: Annotated[str, typer.Argument(help="deadline-reminder | ppk-follow-up-reminder")],
    today: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today in WIB)")] = None,
) -> None:
    """Run a named reminder job now (the worker runs them on schedule)."""
    from netral.cases.reminders import deadline_reminder, ppk_follow_up_reminder
    from netral.core.settings import get_settings

    jobs_ = {
        "deadline-reminder": deadline_reminder,
        "ppk-follow-up-reminder": ppk_follow_up_reminder,
    }
    if job not in jobs_:
        console.print(f"[red]✗[/red] pilih: {', '.join(jobs_)}")
        raise typer.Exit(2)
    when = date.fromisoformat(today) if today else None
    with _session() as db:
        sent = jobs_[job](db_session=db, settings=get_settings(), today=when)
    for s in sent:
        console.print(f"{s.case_number}: {s.kind} → {', '.join(s.recipients)} (e-mail {s.emailed})")
    console.print(f"[green]✓[/green] {len(sent)} reminder(s)")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; name the first row altered, inserted or deleted."""
    from netral.core.audit import verify

    result = verify(_engine())
    if result.ok:
        console.print(f"[green]✓[/green] audit log intact: {result.rows:,} rows")
        return
    console.print(f"[red]✗[/red] audit log broken at row {result.first_bad_id}: {result.reason}")
    raise typer.Exit(1)


@calendar_app.command("add")
def calendar_add(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    name: Annotated[str, typer.Argument(help="e.g. Cuti bersama Idulfitri")],
) -> None:
    """Declare an extra non-working day (cuti bersama)."""
    from netral.core.closures import add_closure

    try:
        when = date.fromisoformat(day)
    except ValueError:
        console.print(f"[red]✗[/red] tanggal tidak sah: {day} (format YYYY-MM-DD)")
        raise typer.Exit(2) from None
    with _session() as db:
        add_closure(db_session=db, day=when, name=name, actor=CLI_ACTOR)
        db.commit()
    console.print(f"[green]✓[/green] {when}: {name}")


@calendar_app.command("list")
def calendar_list() -> None:
    """List the extra closure days."""
    from netral.core.closures import list_closures

    with _session() as db:
        for c in list_closures(db_session=db):
            print(f"{c.day.isoformat()}  {c.name}")


def _rules_calendar() -> WorkingCalendar:
    """Deadlines from the CLI count the database's closure days when there is a database."""
    from netral.core.closures import calendar_for
    from netral.core.db import current_revision, get_engine, head_revision

    try:
        engine = get_engine()
        if current_revision(engine) == head_revision():
            return calendar_for(engine)
    except Exception as exc:  # a deadline question needs no database
        console.print(f"[yellow]![/yellow] tanpa hari libur tambahan dari basis data: {exc}")
    return WorkingCalendar()


def _mount_rules() -> None:
    from netral.rules import commands

    commands.get_calendar = _rules_calendar
    app.add_typer(commands.rules_app, name="rules")


_mount_rules()

if __name__ == "__main__":
    app()
