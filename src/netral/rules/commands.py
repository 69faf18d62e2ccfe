"""`netral rules ...`: check the rulebook, show it, compute a deadline."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from netral.core.calendar import WorkingCalendar
from netral.core.errors import NetralError
from netral.rules import due_date, load_rulebook

rules_app = typer.Typer(
    name="rules",
    help="The rulebook: the law on ASN neutrality as data.",
    no_args_is_help=True,
)

# The lead replaces this to add admin closure days kept in the database (cuti bersama are built in).
get_calendar: Callable[[], WorkingCalendar] = WorkingCalendar

_WEEKDAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
_KIND_ID = {"calendar": "hari kalender", "working": "hari kerja"}

LangOption = Annotated[
    str, typer.Option("--lang", envvar="NETRAL_LANG", help="Language of messages: id or en.")
]


def _fail(exc: NetralError, lang: str, code: int) -> typer.Exit:
    for p in exc.problems:
        typer.echo(p.message(lang), err=True)
    return typer.Exit(code)


def _parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(
            f"{value!r} bukan tanggal YYYY-MM-DD / {value!r} is not a date YYYY-MM-DD"
        ) from None


@rules_app.command()
def check(
    file: Annotated[
        Path | None, typer.Option("--file", help="Rulebook to check (default: the packaged one).")
    ] = None,
    lang: LangOption = "id",
) -> None:
    """Validate the rulebook; exit 1 with the file, entry and field at fault."""
    try:
        rb = load_rulebook(file)
    except NetralError as exc:
        raise _fail(exc, lang, 1) from exc
    typer.echo(
        f"OK rulebook {rb.version}: {len(rb.violations)} violations, "
        f"{len(rb.deadlines)} deadlines, {len(rb.poses)} poses, "
        f"{len(rb.criminal_articles)} criminal articles"
    )


@rules_app.command()
def show(
    as_json: Annotated[
        bool, typer.Option("--json", help="Dump the whole rulebook as JSON.")
    ] = False,
    lang: LangOption = "id",
) -> None:
    """Show the violations, criminal articles, bakal calon rule, deadlines, and what is unsure."""
    rb = load_rulebook()
    if as_json:
        typer.echo(json.dumps(rb.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    console = Console()
    violations = Table(title=f"Rulebook {rb.version} (berlaku {rb.effective_from.isoformat()})")
    violations.add_column("code", no_wrap=True)
    for column in ("name", "ethics", "discipline", "criminal", "confidence"):
        violations.add_column(column)
    for v in rb.violations:
        discipline = " / ".join(v.discipline) or (v.dismissal or "-").upper()
        if v.conflict is not None:
            discipline += " (konflik)" if lang != "en" else " (conflict)"
        crimes = ", ".join(v.criminal) or "-"
        violations.add_row(
            v.code, v.name.get(lang), v.ethics or "-", discipline, crimes, v.confidence
        )
    console.print(violations)
    crimes_table = Table(
        title="Pidana (Gakkumdu, sejajar)" if lang != "en" else "Criminal (Gakkumdu, in parallel)"
    )
    for column in ("code", "article", "election", "liable", "confidence", "penalty"):
        crimes_table.add_column(column, no_wrap=column == "code")
    for c in rb.criminal_articles:
        crimes_table.add_row(
            c.code,
            rb.cite(c, short=True),
            c.election,
            c.liable,
            c.confidence,
            f"{c.penalty.get(lang)} [{c.penalty_confidence}]",
        )
    console.print(crimes_table)
    if rb.candidacy is not None:
        cand = rb.candidacy
        phases = Table(title=f"Bakal calon / calon ({cand.date_field})")
        for column in ("phase", "tracks", "basis", "confidence"):
            phases.add_column(column)
        for phase in (cand.before, cand.on_or_after):
            phases.add_row(
                phase.name.get(lang),
                " + ".join(phase.tracks),
                "; ".join(rb.cite(b, short=True) for b in phase.basis),
                phase.confidence,
            )
        console.print(phases)
    deadlines = Table(title="Deadlines")
    deadlines.add_column("code", no_wrap=True)
    for column in ("name", "days", "kind", "extension", "confidence"):
        deadlines.add_column(column)
    for d in rb.deadlines:
        deadlines.add_row(
            d.code,
            d.name.get(lang),
            str(d.days),
            d.kind,
            f"+{d.extension_days}" if d.extension_days else "-",
            d.confidence,
        )
    console.print(deadlines)
    # Per fact, what is not yet read in an official text (N) or only commonly quoted (K).
    unsure = Table(title="Belum pasti (N/K)" if lang != "en" else "Not yet confirmed (N/K)")
    for column in ("confidence", "section", "codes"):
        unsure.add_column(column)
    grouped: dict[tuple[str, str], list[str]] = {}
    for u in rb.uncertain():
        grouped.setdefault((u.confidence, u.section), []).append(u.code)
    for (mark, section), codes in grouped.items():
        unsure.add_row(mark, section, ", ".join(codes))
    console.print(unsure)


@rules_app.command()
def deadline(
    step: Annotated[
        str, typer.Argument(metavar="STEP", help="Deadline step code, e.g. bawaslu_assessment.")
    ],
    start: Annotated[
        date,
        typer.Option(
            "--from", parser=_parse_date, metavar="YYYY-MM-DD", help="Day counting starts."
        ),
    ],
    extended: Annotated[
        bool, typer.Option("--extended", help="Add the step's extension days.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: LangOption = "id",
) -> None:
    """When a step is due, counting from --from (that day itself not counted)."""
    rb = load_rulebook()
    try:
        result = due_date(rb, step, start, extended=extended, calendar=get_calendar())
    except NetralError as exc:
        raise _fail(exc, lang, 2) from exc
    if as_json:
        typer.echo(json.dumps(result.as_dict()))
        return
    name = rb.deadline(step).name.id
    typer.echo(
        f"{result.step} ({name}): {result.days} {_KIND_ID[result.kind]} dari "
        f"{_WEEKDAYS_ID[result.start.weekday()]} {result.start.isoformat()}, "
        f"tenggat {_WEEKDAYS_ID[result.due.weekday()]} {result.due.isoformat()}"
    )
