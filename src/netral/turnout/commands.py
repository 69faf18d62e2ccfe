"""`netral turnout ...`: import KPU's turnout, show it per kecamatan, set the target.

Scripts read `import --json` and `show --json`: their keys are a contract (see the tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from netral.core.commands import CLI_ACTOR, LANG, command_session, console, engine, fail
from netral.core.db import unit_of_work
from netral.core.errors import NetralError
from netral.core.security import Scope
from netral.turnout import service
from netral.turnout.service import ImportReport, RowError, TurnoutImportFailed

turnout_app = typer.Typer(help="Partisipasi pemilih / voter turnout.", no_args_is_help=True)
NATIONAL = Scope("national")  # the operator at the console sees every region


def _print_report(report: ImportReport) -> None:
    if report.errors:
        t = Table(title=f"{report.error_count} kesalahan / errors")
        for col in ("row", "column", "code", "message"):
            t.add_column(col)
        for e in report.errors[:200]:
            d = e.as_dict(LANG)
            t.add_row(str(d["row"] or "–"), d["column"] or "–", d["code"], d["message"])
        console.print(t)
    console.print(report.summary(LANG), highlight=False)


@turnout_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX from KPU.")],
    election: Annotated[str, typer.Option("--election", help="Election code.")],
    level: Annotated[
        str | None,
        typer.Option("--level", help="kecamatan | kelurahan | tps (default: from the codes)."),
    ] = None,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="column=Header as in the file, e.g. dpt='Jumlah DPT'."),
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Keep the valid rows.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import DPT and voters (pengguna hak pilih); replaces that level's rows for the election."""
    mapping = dict(m.split("=", 1) for m in (map_ or []) if "=" in m)
    report: ImportReport
    with unit_of_work(engine()) as db:
        try:
            report = service.import_turnout(
                db_session=db,
                scope=NATIONAL,
                election_code=election,
                path=file,
                actor=CLI_ACTOR,
                level=level,
                mapping=mapping,
                dry_run=dry_run,
                partial=partial,
            )
        except TurnoutImportFailed as exc:
            db.rollback()  # all or nothing: a refused file leaves no row behind
            report = exc.report
        except NetralError as exc:
            db.rollback()
            if not as_json:
                raise fail(exc) from None
            report = ImportReport(election=election, level=level, dry_run=dry_run, partial=partial)
            for p in exc.problems:
                report.add(RowError(None, p.field, p.code, p.message_id, p.message_en))
    if as_json:
        print(json.dumps(report.as_dict(LANG), ensure_ascii=False))
    else:
        _print_report(report)
    raise typer.Exit(1 if report.error_count else 0)


@turnout_app.command("show")
def show_cmd(
    election: Annotated[str, typer.Option("--election", help="Election code.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Turnout against target per kecamatan, lowest first, with the gap in voters."""
    with command_session() as db:
        total = service.totals(db_session=db, scope=NATIONAL, election_code=election)
        items = service.by_kecamatan(db_session=db, scope=NATIONAL, election_code=election)
        target = service.target_info(db_session=db, scope=NATIONAL, election_code=election)
    if as_json:
        out = {
            "election": election,
            "target": target.percent,
            "totals": None if total is None else total.__dict__ | {"levels": list(total.levels)},
            "kecamatan": [k.__dict__ for k in items],
        }
        print(json.dumps(out, ensure_ascii=False))
        return
    if total is None:
        console.print(f"Belum ada data partisipasi untuk {election} / no turnout loaded yet.")
        return
    t = Table(title=f"{election}: target {target.percent if target.percent else '–'}%")
    for col in ("kode", "kecamatan", "DPT", "hadir", "%", "kurang"):
        t.add_column(col, justify="right" if col in ("DPT", "hadir", "%", "kurang") else "left")
    for k in items:
        t.add_row(k.code, k.name, f"{k.dpt:,}", f"{k.voters:,}", f"{k.percent:.2f}", f"{k.gap:,}")
    t.add_row(
        "",
        "total",
        f"{total.dpt:,}",
        f"{total.voters:,}",
        f"{total.percent or 0:.2f}",
        f"{total.gap:,}",
    )
    console.print(t)


@turnout_app.command("target")
def target_cmd(
    election: Annotated[str, typer.Option("--election", help="Election code.")],
    percent: Annotated[str, typer.Option("--percent", help="Target in percent, e.g. 82.9.")],
) -> None:
    """Set the turnout target of an election (audited)."""
    with command_session() as db:
        got = service.set_target(
            db_session=db,
            scope=NATIONAL,
            election_code=election,
            percent=percent,
            actor=CLI_ACTOR,
        )
    console.print(f"[green]✓[/green] target {election}: {got.percent}%")
