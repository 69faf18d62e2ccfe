"""`netral pledges ...`: campaigns from YAML, coverage per OPD, the weekly reminder by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from netral.core.commands import CLI_ACTOR, command_session, console, engine
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.pledges import service
from netral.pledges.reminders import run_pledge_reminders

pledges_app = typer.Typer(help="Ikrar netralitas / neutrality pledges.", no_args_is_help=True)
campaign_app = typer.Typer(help="Kampanye ikrar / pledge campaigns.", no_args_is_help=True)
pledges_app.add_typer(campaign_app, name="campaign")


@campaign_app.command("create")
def campaign_create(
    file: Annotated[Path, typer.Argument(help="Campaign YAML file (see the demo's ikrar.yaml).")],
) -> None:
    """Create a campaign: its ikrar, its pakta integritas, region, OPD and dates."""
    with command_session() as db:
        c = service.create_campaign(
            db_session=db, campaign_in=service.read_campaign_file(file), actor=CLI_ACTOR
        )
        summary = (
            f"{c.title} ({c.code}, {c.region_code}): {len(c.opd_ids) or 'semua'} OPD, "
            f"buka {c.opens_on}, tutup {c.closes_on or '-'}; dokumen {c.document_sha256[:12]}…"
        )
    console.print(f"[green]✓[/green] {summary}")


@pledges_app.command("coverage")
def coverage(
    campaign: Annotated[str | None, typer.Option(help="Campaign code; default the latest.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON list on stdout.")] = False,
) -> None:
    """Coverage per OPD: ASN asked to sign and how many signed (lowest percentage first)."""
    with command_session() as db:
        rows = service.coverage_by_opd(
            db_session=db, scope=Scope("national"), campaign_code=campaign
        )
    if as_json:
        typer.echo(json.dumps([{"opd": r.opd, "asn": r.asn, "signed": r.signed} for r in rows]))
        return
    table = Table("OPD", "ASN", "Sudah / signed", "%")
    for r in rows:
        table.add_row(r.opd, str(r.asn), str(r.signed), f"{r.percent:.1f}")
    Console().print(table)


@pledges_app.command("remind")
def remind(
    today: Annotated[
        str | None, typer.Option(help="Run as if today were this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Send this week's reminders to OPD admins now (the weekly job does it on Mondays)."""
    sent = run_pledge_reminders(
        engine=engine(),
        settings=get_settings(),
        today=date.fromisoformat(today) if today else None,
    )
    for s in sent:
        mail = "e-mail" if s.emailed else "in-app"
        console.print(f"{s.username}: {s.opd}, {s.unsigned} belum / unsigned ({mail})")
    console.print(f"[green]✓[/green] {len(sent)} pengingat / reminder(s)")
