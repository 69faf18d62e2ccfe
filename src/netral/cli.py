"""The `netral` command: mounts each domain's `commands.py`, and holds the few commands that
belong to no one domain (database, users, audit, calendar, the evidence sweep, serve, worker).

Every command that writes opens one unit of work (`core.commands.command_session`): what it
writes commits together when it succeeds, and nothing does when it fails.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from netral.briefings.commands import briefings_app
from netral.cases.commands import reminders_app, retention_app
from netral.core import audit
from netral.core.calendar import WorkingCalendar
from netral.core.commands import (
    CLI_ACTOR,
    LANG,
    command_session,
    console,
    engine,
    fail,
)
from netral.core.crypto import keyring
from netral.core.db import get_engine, unit_of_work
from netral.core.errors import NetralError, ValidationFailed, problem
from netral.core.settings import get_settings
from netral.dashboard.commands import report_app
from netral.election.commands import election_app
from netral.pledges.commands import pledges_app
from netral.registry.commands import export_app, import_app
from netral.rules import commands as rules_commands
from netral.screening.commands import hoax_app, models_app, scan_app, screen_app
from netral.turnout.commands import turnout_app
from netral.wiring import anchor_file, wire

app = typer.Typer(
    help="netral: netralitas ASN selama pemilihan / ASN neutrality in elections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Basis data / database.", no_args_is_help=True)
users_app = typer.Typer(help="Pengguna / users.", no_args_is_help=True)
audit_app = typer.Typer(help="Log audit / audit log.", no_args_is_help=True)
calendar_app = typer.Typer(help="Hari libur tambahan / closure days.", no_args_is_help=True)
evidence_app = typer.Typer(help="Bukti / evidence store.", no_args_is_help=True)
for sub, name in (
    (db_app, "db"),
    (import_app, "import"),
    (export_app, "export"),
    (users_app, "users"),
    (election_app, "election"),
    (audit_app, "audit"),
    (calendar_app, "calendar"),
    (screen_app, "screen"),
    (scan_app, "scan"),
    (models_app, "models"),
    (hoax_app, "hoax"),
    (evidence_app, "evidence"),
    (reminders_app, "reminders"),
    (retention_app, "retention"),
    (rules_commands.rules_app, "rules"),
    (turnout_app, "turnout"),
    (pledges_app, "pledges"),
    (briefings_app, "briefings"),
    (report_app, "report"),
):
    app.add_typer(sub, name=name)


@app.callback()
def _wire() -> None:
    """Before any command: domain events reach their subscribers (a report filed by a command
    queues its screening), and jobs go to the same queue the server's worker reads."""
    wire(settings=get_settings(), engine=get_engine())


# ---------------------------------------------------------------- db


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    from netral.core.db import current_revision, head_revision
    from netral.core.migrate import upgrade

    eng = get_engine()
    before = current_revision(eng)
    upgrade(eng)
    console.print(
        f"[green]✓[/green] database {eng.url.render_as_string()} at "
        f"{head_revision()} (was {before or 'empty'})"
    )


@db_app.command("current")
def db_current() -> None:
    """Print the database's migration revision."""
    from netral.core.db import current_revision, head_revision

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
    from netral.demo import (
        DEMO_PASSWORD,
        load_demo,
        load_demo_briefings,
        load_demo_case,
        load_demo_pledges,
        load_demo_reports,
    )
    from netral.demo.loader import load_demo_apk

    with unit_of_work(engine()) as db:
        try:
            summary = load_demo(
                db_session=db, seed=seed, asn_count=asn, second_region_asn=second_region_asn
            )
            store = LocalEvidenceStore(get_settings().data_dir / "evidence")
            reports = load_demo_reports(db_session=db, store=store, seed=seed)
            case = load_demo_case(db_session=db, store=store)
            pledged = load_demo_pledges(db_session=db, store=store, seed=seed)
            briefing_events = load_demo_briefings(db_session=db, seed=seed)
            reports += load_demo_apk(db_session=db, store=store, seed=seed)
        except NetralError as exc:
            if exc.code != "demo.exists":
                raise fail(exc) from None
            console.print(f"[yellow]![/yellow] {exc.message(LANG)}")
            logins = _demo_logins(db)
        else:
            logins = summary.logins
            console.print(
                f"[green]✓[/green] demo: {summary.asn:,} ASN in {summary.opd} OPD and "
                f"{summary.area_offices} kecamatan/kelurahan offices, {summary.candidates} "
                f"candidate pairs, {reports} reports, case {case}, {pledged} pledges, "
                f"{briefing_events} briefings, "
                f"{summary.users} users "
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
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            help="Web processes (uvicorn workers). More than one needs NETRAL_JOBS=external "
            "with `netral worker` running, and NETRAL_REDIS_URL so rate limits are shared.",
        ),
    ] = 1,
) -> None:
    """Start the web app."""
    import uvicorn

    settings = get_settings()
    if workers > 1 and settings.jobs == "inprocess":
        # each process would run its own consumer (and periodic jobs) beside the others
        raise typer.BadParameter(
            f"--workers {workers} needs the jobs outside the web processes: set "
            "NETRAL_JOBS=external and run `netral worker` (see docs/deploy.md). / "
            "Dengan beberapa proses web, jalankan pekerja terpisah: NETRAL_JOBS=external dan "
            "`netral worker`.",
            param_hint="--workers",
        )
    if workers > 1 and reload:
        raise typer.BadParameter("--reload runs one process only", param_hint="--workers")
    if workers > 1 and not settings.redis_url:
        console.print(
            "[yellow]![/yellow] NETRAL_REDIS_URL is not set: each of the "
            f"{workers} processes counts rate limits on its own"
        )
    engine()
    uvicorn.run(
        "netral.app:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        workers=workers,
        # the app believes X-Forwarded-For only from NETRAL_TRUSTED_PROXIES (app.py); uvicorn's
        # own handling would believe any client on 127.0.0.1
        proxy_headers=False,
        access_log=access_log,
    )


# ---------------------------------------------------------------- users


@users_app.command("create")
def users_create(
    username: Annotated[str, typer.Argument()],
    role: Annotated[str, typer.Option(help="admin, bawaslu_staff, bkpsdm, ...")],
    full_name: Annotated[str, typer.Option("--name")],
    scope: Annotated[str, typer.Option(help="national | province:32 | region:32.73")] = "national",
    email: Annotated[str | None, typer.Option()] = None,
    nip: Annotated[
        str | None, typer.Option(help="For an `asn` login: the civil servant's NIP.")
    ] = None,
    opd: Annotated[
        str | None, typer.Option(help="For an `opd_admin` login: the OPD's code in the region.")
    ] = None,
    password: Annotated[
        str | None, typer.Option(envvar="NETRAL_NEW_PASSWORD", help="Prompted when not given.")
    ] = None,
) -> None:
    """Create a local user account with a role and a scope (and, for ASN and OPD admins, who)."""
    from netral.core.security import create_user
    from netral.registry import service as registry_service

    kind, _, code = scope.partition(":")
    if password is None:
        password = typer.prompt("Kata sandi / password", hide_input=True, confirmation_prompt=True)
    with command_session() as db:
        opd_id = None
        if opd:
            ref = registry_service.opd_by_code(db_session=db, region_code=code, code=opd)
            if ref is None:
                raise fail(
                    ValidationFailed(
                        problem(
                            "user.opd_unknown",
                            f"OPD '{opd}' tidak ada di wilayah {code or '-'}.",
                            f"There is no OPD '{opd}' in region {code or '-'}.",
                            field="opd",
                        )
                    )
                )
            opd_id = ref.id
        if nip and nip not in registry_service.asn_by_nips(db_session=db, nips=[nip]):
            raise fail(
                ValidationFailed(
                    problem(
                        "user.nip_unknown",
                        f"NIP {nip} tidak ada di registri.",
                        f"NIP {nip} is not in the registry.",
                        field="nip",
                    )
                )
            )
        create_user(
            db_session=db,
            username=username,
            password=password,
            full_name=full_name,
            role=role,
            scope_kind=kind,
            scope_code=code,
            email=email,
            nip=nip,
            opd_id=opd_id,
        )
        audit.record(
            db,
            actor=CLI_ACTOR,
            action="users.create",
            object_type="user",
            object_id=username,
            region_code=code,
            summary={"role": role},
        )
    console.print(f"[green]✓[/green] user {username} ({role}, {scope})")


@users_app.command("list")
def users_list() -> None:
    """List user accounts."""
    from sqlalchemy import select

    from netral.core.models import User

    with command_session() as db:
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


# ---------------------------------------------------------------- worker, evidence, audit, calendar


@app.command()
def worker() -> None:
    """Run the background worker (screening, reminders) when NETRAL_JOBS=external."""
    from netral.core import jobs

    engine()  # refuses an unmigrated database before any job runs
    ctx = jobs.context()  # wired by the root callback, like every command
    for name, task in ctx.tasks.items():
        if name.endswith(":on_start"):
            task()
    jobs.consumer(ctx).run()


@evidence_app.command("sweep")
def evidence_sweep() -> None:
    """Delete stored files no row refers to (older than an hour): crash or refusal leftovers."""
    from netral.core.storage import LocalEvidenceStore, sweep

    with command_session() as db:
        removed = sweep(
            db_session=db, store=LocalEvidenceStore(get_settings().data_dir / "evidence")
        )
    console.print(f"[green]✓[/green] {len(removed)} orphan file(s) removed")


@evidence_app.command("seal")
def evidence_seal() -> None:
    """Seal originals kept plain by an older version (each under its own key; safe to re-run)."""
    from netral.core.db import referenced_blobs
    from netral.core.storage import LocalEvidenceStore

    store = LocalEvidenceStore(get_settings().data_dir / "evidence")
    with command_session() as db:
        originals = sorted(referenced_blobs(db, originals_only=True))
    sealed = already = 0
    failed: list[str] = []
    for sha in originals:
        if not store.exists(sha):  # deleted at the end of its retention
            continue
        try:
            if store.seal_in_place(sha):
                sealed += 1
            else:
                already += 1
        except ValueError as exc:
            failed.append(str(exc))
    for line in failed:
        console.print(f"[red]✗[/red] {line}")
    console.print(f"[green]✓[/green] {sealed} original(s) sealed, {already} already sealed")
    if failed:
        raise typer.Exit(1)


@app.command("backup")
def backup_command(
    file: Annotated[Path, typer.Argument(help="Berkas cadangan / the backup file (.tar)")],
) -> None:
    """Cadangkan basis data dan direktori data (tanpa kunci) / back up the database and the data
    directory (never the keys: keep keys/secret.key apart)."""
    from netral.core.backup import backup

    settings = get_settings()
    try:
        done = backup(engine=engine(), settings=settings, keyring=keyring(settings), out=file)
    except NetralError as exc:
        raise fail(exc) from exc
    rows = sum(done.tables.values())
    console.print(
        f"[green]✓[/green] {done.path}: {rows:,} rows in {len(done.tables)} tables, "
        f"{done.objects:,} evidence objects ({done.bytes / 1e6:,.1f} MB of files)"
    )
    console.print("  the keys are not in it: keep a copy of keys/secret.key somewhere else")


@app.command("restore")
def restore_command(
    file: Annotated[Path, typer.Argument(help="Berkas cadangan / the backup file")],
) -> None:
    """Pulihkan cadangan ke direktori data dan basis data kosong / restore a backup into an empty
    data directory and database (put keys/secret.key in place first), then verify the audit log."""
    from netral.core.anchor import check
    from netral.core.audit import verify
    from netral.core.backup import restore
    from netral.core.db import get_engine

    settings = get_settings()
    eng = get_engine()
    if settings.secret_key_file is None or not settings.secret_key_file.exists():
        raise fail(
            ValidationFailed(
                problem(
                    "restore.keys",
                    f"Berkas kunci {settings.secret_key_file} belum ada. Salin berkas kunci dari "
                    "tempat penyimpanannya lebih dulu; tanpanya identitas pelapor tidak dapat "
                    "dibuka.",
                    f"The keys file {settings.secret_key_file} is not there. Copy it from where "
                    "it is kept first; without it reporters' identities cannot be opened.",
                )
            )
        )
    try:
        done = restore(engine=eng, settings=settings, keyring=keyring(settings), source=file)
    except NetralError as exc:
        raise fail(exc) from exc
    chain = verify(eng)
    anchored = check(eng, anchor_file(settings))
    rows = sum(done.tables.values())
    console.print(
        f"[green]✓[/green] restored {rows:,} rows in {len(done.tables)} tables and "
        f"{done.objects:,} evidence objects"
    )
    if not chain.ok or not anchored.ok:
        console.print(
            f"[red]✗[/red] audit log: {chain.reason or anchored.problem} (row {chain.first_bad_id})"
        )
        raise typer.Exit(1)
    console.print(f"[green]✓[/green] audit log intact: {chain.rows:,} rows")


@audit_app.command("verify")
def audit_verify() -> None:
    """Walk the hash chain; name the first row altered, inserted or deleted, and a database
    behind its newest checkpoint (rolled back, or an older copy put back)."""
    from netral.core.anchor import check
    from netral.core.audit import verify

    result = verify(engine())
    if not result.ok:
        console.print(
            f"[red]✗[/red] audit log broken at row {result.first_bad_id}: {result.reason}"
        )
        raise typer.Exit(1)
    anchored = check(engine(), anchor_file(get_settings()))
    if not anchored.ok:
        console.print(f"[red]✗[/red] audit log behind its checkpoints: {anchored.problem}")
        raise typer.Exit(1)
    console.print(f"[green]✓[/green] audit log intact: {result.rows:,} rows")
    if anchored.newest is None:
        console.print(
            "[yellow]![/yellow] no checkpoint yet: a rollback would not show "
            "(`netral audit anchor --now` writes one)"
        )
    else:
        console.print(
            f"  checkpoints: {anchored.checkpoints:,}, the newest at row {anchored.newest.row:,} "
            f"({anchored.newest.at})"
        )


@audit_app.command("anchor")
def audit_anchor(
    now: Annotated[
        bool, typer.Option("--now", help="Tulis checkpoint kepala rantai sekarang / write one now")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The newest checkpoint of the audit chain (kept outside the database): print it and keep
    it somewhere else, and a later `audit verify` can be compared against it."""
    from netral.core.anchor import check

    file = anchor_file(get_settings())
    if now:
        from sqlalchemy import text

        with engine().connect() as conn:
            row, row_hash = conn.execute(
                text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")
            ).one()
        if int(row) == 0:
            raise fail(
                ValidationFailed(
                    problem(
                        "audit.empty",
                        "Log audit masih kosong: belum ada yang perlu dijangkarkan.",
                        "The audit log is empty: nothing to checkpoint yet.",
                    )
                )
            )
        file.append(int(row), str(row_hash))
    anchored = check(engine(), file)
    cp = anchored.newest
    if as_json:
        print(
            json.dumps(
                {
                    "file": str(file.path),
                    "checkpoints": anchored.checkpoints,
                    "ok": anchored.ok,
                    "problem": anchored.problem or None,
                    "newest": None if cp is None else cp.__dict__,
                }
            )
        )
    elif cp is None:
        console.print(f"no checkpoint yet in {file.path} (`netral audit anchor --now`)")
    else:
        console.print(f"checkpoint {cp.seq} of {cp.at}: row {cp.row:,}")
        console.print(f"  row hash  {cp.hash}")
        console.print(f"  signature {cp.mac}")
        console.print(f"  file      {file.path}")
        if not anchored.ok:
            console.print(f"[red]✗[/red] {anchored.problem}")
    if not anchored.ok:
        raise typer.Exit(1)


@calendar_app.command("add")
def calendar_add(
    day: Annotated[str, typer.Argument(help="YYYY-MM-DD")],
    name: Annotated[str, typer.Argument(help="e.g. Cuti bersama Idulfitri")],
) -> None:
    """Declare an extra non-working day (a local closure; cuti bersama are already counted)."""
    from netral.core.closures import add_closure

    try:
        when = date.fromisoformat(day)
    except ValueError:
        console.print(f"[red]✗[/red] tanggal tidak sah: {day} (format YYYY-MM-DD)")
        raise typer.Exit(2) from None
    with command_session() as db:
        add_closure(db_session=db, day=when, name=name, actor=CLI_ACTOR)
    console.print(f"[green]✓[/green] {when}: {name}")


@calendar_app.command("list")
def calendar_list() -> None:
    """List the extra closure days."""
    from netral.core.closures import list_closures

    with command_session() as db:
        for c in list_closures(db_session=db):
            print(f"{c.day.isoformat()}  {c.name}")


def _rules_calendar() -> WorkingCalendar:
    """Deadlines from the CLI count the database's closure days when there is a database."""
    from netral.core.closures import calendar_for
    from netral.core.db import current_revision, head_revision

    try:
        eng = get_engine()
        if current_revision(eng) == head_revision():
            return calendar_for(eng)
    except Exception as exc:  # a deadline question needs no database
        console.print(f"[yellow]![/yellow] tanpa hari libur tambahan dari basis data: {exc}")
    return WorkingCalendar()


rules_commands.get_calendar = _rules_calendar

if __name__ == "__main__":
    app()
