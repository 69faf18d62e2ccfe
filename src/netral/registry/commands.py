"""`netral import ...` and `netral export ...`: regions and ASN in and out of the registry."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from netral.core.commands import CLI_ACTOR, LANG, command_session, console, engine, fail
from netral.core.db import unit_of_work
from netral.core.errors import NetralError
from netral.core.security import Scope
from netral.registry import service
from netral.registry.importer import ImportFailed, ImportReport, import_asn

import_app = typer.Typer(help="Impor data / import data.", no_args_is_help=True)
export_app = typer.Typer(help="Ekspor data / export data.", no_args_is_help=True)


def _region(region: str | None) -> str:
    if region:
        return region
    with command_session() as db:
        found = service.region_codes(db_session=db)
    if len(found) == 1:
        return found[0]
    choices = ", ".join(found) or "(belum ada wilayah)"
    console.print(f"[red]✗[/red] --region wajib: pilih salah satu dari {choices}")
    raise typer.Exit(2)


def _errors_json(exc: NetralError) -> str:
    errors = [
        {"row": None, "column": p.field, "code": p.code, "message": p.message(LANG)}
        for p in exc.problems
    ]
    return json.dumps({"rows": 0, "valid": 0, "errors": errors}, ensure_ascii=False)


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
    mapping = dict(m.split("=", 1) for m in (map_ or []) if "=" in m)
    target = _region(region)
    report: ImportReport | None = None
    failed: NetralError | None = None
    with (
        unit_of_work(engine()) as db,
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
        except ImportFailed as exc:
            db.rollback()  # all or nothing: a refused file leaves no row behind
            report, failed = exc.report, exc
        except NetralError as exc:
            db.rollback()
            if as_json:
                print(_errors_json(exc))
                raise typer.Exit(1) from None
            raise fail(exc) from None
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
            fail(failed)
    raise typer.Exit(1 if report.error_count and not (partial and report.written) else 0)


@import_app.command("wilayah")
def import_wilayah_cmd(
    file: Annotated[Path, typer.Argument(help="CSV: kode,nama,tingkat,induk")],
) -> None:
    """Import regions (provinsi, kota/kabupaten, kecamatan, kelurahan/desa) from a CSV."""
    with command_session() as db:
        got = service.import_wilayah_file(db_session=db, path=file, actor=CLI_ACTOR)
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
    with command_session() as db:  # the export's audit row commits with it
        n = service.export_asn(
            db_session=db,
            scope=Scope("national"),
            path=file,
            actor=CLI_ACTOR,
            include_contact=contact,
            region_code=region,
        )
    console.print(f"[green]✓[/green] {n:,} ASN → {file}")
