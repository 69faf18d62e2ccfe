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


retention_app = typer.Typer(
    help="Masa retensi data pribadi / personal-data retention.", no_args_is_help=True
)


@retention_app.command("run")
def retention_run(
    days: Annotated[
        int | None, typer.Option(help="Hari setelah penutupan (bawaan: NETRAL_RETENTION_DAYS)")
    ] = None,
    today: Annotated[str | None, typer.Option(help="YYYY-MM-DD (default: today in WIB)")] = None,
) -> None:
    """Delete reporters' identities and evidence originals past the retention (logged)."""
    from netral.cases.retention import run_retention
    from netral.core.storage import LocalEvidenceStore

    settings = get_settings()
    keep = settings.retention_days if days is None else days
    if keep <= 0:
        console.print(
            "[red]✗[/red] masa retensi belum diatur: NETRAL_RETENTION_DAYS atau --days "
            "(retention not set)"
        )
        raise typer.Exit(2)
    try:
        when = date.fromisoformat(today) if today else None
    except ValueError:
        console.print(f"[red]✗[/red] tanggal tidak sah: {today} (format YYYY-MM-DD)")
        raise typer.Exit(2) from None
    done = run_retention(
        engine=engine(),
        store=LocalEvidenceStore(settings.data_dir / "evidence"),
        days=keep,
        today=when,
    )
    console.print(
        f"[green]✓[/green] data pribadi dihapus / personal data deleted: "
        f"{done.from_cases} report(s) of closed cases, {done.without_case} closed without a "
        f"case; {done.files_removed} original file(s) removed"
    )
