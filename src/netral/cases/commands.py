"""`netral reminders ...`: run a named reminder job now (the worker runs them on schedule)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from netral.cases.reminders import REMINDER_JOBS, mail_notices, run_reminders
from netral.core.commands import console, engine
from netral.core.settings import get_settings

reminders_app = typer.Typer(help="Pengingat tenggat / deadline reminders.", no_args_is_help=True)


@reminders_app.command("run")
def reminders_run(
    job: Annotated[
        str, typer.Argument(help="deadline-reminder | ppk-follow-up-reminder | notice-mail")
    ],
    today: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today in WIB)")] = None,
) -> None:
    """Run a named reminder job now (the worker runs them on schedule)."""
    if job == "notice-mail":
        mailed = mail_notices(engine=engine(), settings=get_settings())
        for m in mailed:
            console.print(f"{m.username}: {m.notices} pemberitahuan / notice(s)")
        console.print(f"[green]✓[/green] {len(mailed)} e-mail(s)")
        return
    if job not in REMINDER_JOBS:
        console.print(f"[red]✗[/red] pilih: {', '.join([*REMINDER_JOBS, 'notice-mail'])}")
        raise typer.Exit(2)
    try:
        when = date.fromisoformat(today) if today else None
    except ValueError:
        console.print(f"[red]✗[/red] tanggal tidak sah: {today} (format YYYY-MM-DD)")
        raise typer.Exit(2) from None
    sent = run_reminders(engine=engine(), settings=get_settings(), job=job, today=when)
    for s in sent:
        console.print(f"{s.case_number}: {s.kind} → {', '.join(s.recipients)} (e-mail {s.emailed})")
    console.print(f"[green]✓[/green] {len(sent)} reminder(s)")
