"""`netral report season`: the season report PDF for the PPK, from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from netral.core import audit
from netral.core.commands import CLI_ACTOR, command_session, console
from netral.core.security import Scope
from netral.dashboard import season
from netral.dashboard.filters import context, read_filters
from netral.election import service as election_service
from netral.rules import load_rulebook

report_app = typer.Typer(help="Laporan musim pengawasan / season reports.", no_args_is_help=True)


@report_app.command("season")
def season_report(
    out: Annotated[Path, typer.Option("--out", help="The PDF to write")],
    since: Annotated[
        str, typer.Option("--from", help="YYYY-MM-DD (default: the latest election's season)")
    ] = "",
    until: Annotated[str, typer.Option("--to", help="YYYY-MM-DD")] = "",
    region: Annotated[
        str,
        typer.Option(
            "--region",
            help="A region code, e.g. 32.73 (default: the one region with an election, if only one)",
        ),
    ] = "",
) -> None:
    """Write "Laporan Pengawasan Netralitas ASN" (PDF) with the dashboard's figures."""
    scope = Scope("national")  # the operator at the console sees the whole deployment
    with command_session() as db:
        if not region:
            # a report for a mayor covers their region, not every region the deployment holds
            regions = election_service.election_regions(db_session=db)
            region = regions[0] if len(regions) == 1 else ""
        filters = read_filters(db_session=db, scope=scope, since=since, until=until, region=region)
        ctx = context(db_session=db, scope=scope, filters=filters, rulebook=load_rulebook())
        pdf = season.render_pdf(ctx, filters)
        out.write_bytes(pdf)
        audit.record(
            db,
            actor=CLI_ACTOR,
            action="dashboard.season_report",
            object_type="dashboard",
            object_id="laporan-musim",
            region_code=filters.region_code or "",
            summary={"filters": filters.query(), "file": out.name},
        )
    console.print(
        f"[green]✓[/green] {out} ({len(pdf) // 1024} KB): {filters.since} s.d. {filters.until}"
        + (f", {filters.region_code}" if filters.region_code else "")
    )
