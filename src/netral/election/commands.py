"""`netral election ...`: the election being supervised, loaded from a YAML file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from netral.core.commands import CLI_ACTOR, command_session, console
from netral.election.service import read_election_file, upsert_election

election_app = typer.Typer(help="Pemilihan / election.", no_args_is_help=True)


@election_app.command("load")
def election_load(file: Annotated[Path, typer.Argument(help="Election YAML file.")]) -> None:
    """Load (or replace) an election, regional or national: dates and candidate pairs."""
    with command_session() as db:
        e = upsert_election(db_session=db, election_in=read_election_file(file), actor=CLI_ACTOR)
        where = e.region_code or "nasional"
        summary = (
            f"{e.name} ({e.kind}, {where}): {len(e.candidates)} pasangan calon, "
            f"pemungutan suara {e.voting_day}"
        )
    console.print(f"[green]✓[/green] {summary}")
