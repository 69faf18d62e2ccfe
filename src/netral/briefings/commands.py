"""`netral briefings ...`: create socialisation events, import sign-in sheets, show coverage."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from netral.briefings import service
from netral.core.commands import CLI_ACTOR, LANG, command_session, console, engine, fail
from netral.core.db import unit_of_work
from netral.core.errors import NetralError, ValidationFailed, problem
from netral.core.security import Scope
from netral.registry import service as registry

briefings_app = typer.Typer(help="Sosialisasi / briefings.", no_args_is_help=True)
attendance_app = typer.Typer(help="Daftar hadir / attendance.", no_args_is_help=True)
briefings_app.add_typer(attendance_app, name="attendance")
NATIONAL = Scope("national")


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, default=str))


@briefings_app.command("create")
def create(
    title: Annotated[str, typer.Option(help="Judul acara / title.")],
    region: Annotated[str, typer.Option(help="Kota/kabupaten code, e.g. 32.73.")],
    day: Annotated[str, typer.Option(help="YYYY-MM-DD")],
    start: Annotated[str, typer.Option(help="HH:MM WIB")],
    end: Annotated[str, typer.Option(help="HH:MM WIB")],
    place: Annotated[str, typer.Option(help="Tempat / place.")],
    topic: Annotated[list[str], typer.Option(help="netralitas, apk, medsos, hoaks (repeat).")],
    organiser: Annotated[str, typer.Option(help="Penyelenggara.")] = "Bakesbangpol",
    opd: Annotated[
        str, typer.Option(help="OPD invited: none, all, or comma-separated OPD codes.")
    ] = "none",
    opd_people: Annotated[str, typer.Option(help="heads (or a delegate) | staff")] = "heads",
    camat: Annotated[bool, typer.Option("--camat", help="Invite every camat.")] = False,
    lurah: Annotated[bool, typer.Option("--lurah", help="Invite every lurah.")] = False,
    checkin_lead: Annotated[int, typer.Option(help="QR opens this many minutes early.")] = 60,
    checkin_closes: Annotated[str | None, typer.Option(help="HH:MM WIB QR closes.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Create a socialisation event; prints its id and check-in link."""
    with command_session() as db:
        audience, opd_ids = opd, []
        if opd not in ("none", "all"):
            audience = "chosen"
            for code in (c.strip() for c in opd.split(",") if c.strip()):
                ref = registry.opd_by_code(db_session=db, region_code=region, code=code)
                if ref is None:
                    raise ValidationFailed(
                        problem(
                            "briefing.opd",
                            f"OPD '{code}' tidak ada di wilayah {region}.",
                            f"No OPD '{code}' in region {region}.",
                            field="opd",
                        )
                    )
                opd_ids.append(ref.id)
        data = service.read_briefing_in(
            {
                "title": title,
                "region_code": region,
                "day": day,
                "start": start,
                "end": end,
                "place": place,
                "organiser": organiser,
                "audience_opd": audience,
                "audience_opd_people": opd_people,
                "opd_ids": opd_ids,
                "camat": camat,
                "lurah": lurah,
                "topics": topic,
                "checkin_lead_minutes": checkin_lead,
                "checkin_closes": checkin_closes,
            }
        )
        b = service.create_briefing(
            db_session=db, scope=NATIONAL, briefing_in=data, actor=CLI_ACTOR
        )
        out = {"id": b.id, "title": b.title, "checkin": f"/sosialisasi/hadir/{b.checkin_token}"}
    if as_json:
        _print_json(out)
    else:
        console.print(
            f"[green]✓[/green] sosialisasi #{out['id']}: {out['title']} · {out['checkin']}"
        )


@attendance_app.command("import")
def attendance_import(
    file: Annotated[Path, typer.Argument(help="Sign-in sheet, CSV or XLSX.")],
    event: Annotated[int, typer.Option("--event", help="Briefing id.")],
    map_: Annotated[
        list[str] | None, typer.Option("--map", help="column=Header as in the file")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")] = False,
    partial: Annotated[bool, typer.Option("--partial", help="Keep the valid rows.")] = False,
    confirm_names: Annotated[
        bool, typer.Option("--confirm-names", help="Accept rows matched by a unique name.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Attendance from a sign-in sheet (default header nip,nama,jabatan,instansi)."""
    mapping = dict(m.split("=", 1) for m in (map_ or []) if "=" in m)
    report: service.AttendanceReport | None = None
    refused: NetralError | None = None
    with unit_of_work(engine()) as db:
        try:
            report = service.import_attendance(
                db_session=db,
                scope=NATIONAL,
                briefing_id=event,
                path=file,
                actor=CLI_ACTOR,
                mapping=mapping,
                dry_run=dry_run,
                partial=partial,
                confirm_names=confirm_names,
            )
            if dry_run:
                db.rollback()
        except service.AttendanceRefused as exc:
            db.rollback()  # all or nothing
            report, refused = exc.report, exc
        except NetralError as exc:
            db.rollback()
            if as_json:
                errors = [
                    {"row": None, "column": p.field, "code": p.code, "message": p.message(LANG)}
                    for p in exc.problems
                ]
                _print_json({"rows": 0, "valid": 0, "errors": errors})
                raise typer.Exit(1) from None
            raise fail(exc) from None
    assert report is not None
    if as_json:
        _print_json(report.as_dict(LANG))
    else:
        if report.errors:
            t = Table(title=f"{len(report.errors)} kesalahan / errors")
            for col in ("row", "column", "code", "message"):
                t.add_column(col)
            for e in report.errors:
                t.add_row(str(e.row), e.column, e.code, e.message_en if LANG == "en" else e.message)
            console.print(t)
        if report.to_confirm:
            t = Table(title="Cocok hanya lewat nama: konfirmasi dengan --confirm-names")
            for col in ("row", "di lembar / on sheet", "NIP", "registri / registry", "OPD"):
                t.add_column(col)
            for m in report.to_confirm:
                t.add_row(str(m.row), m.written_name, m.asn.nip, m.asn.name, m.asn.opd)
            console.print(t)
        verb = "would record" if dry_run else ("recorded" if report.written else "refused")
        console.print(
            f"{verb}: {report.rows} rows, {report.valid} valid, {report.recorded} new, "
            f"{report.already} already recorded, {len(report.to_confirm)} to confirm, "
            f"{len(report.errors)} errors"
        )
        if refused is not None:
            fail(refused)
    raise typer.Exit(1 if report.errors else 0)


@briefings_app.command("coverage")
def coverage(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    region: Annotated[
        str | None, typer.Option(help="Only this kota/kabupaten, e.g. 32.73 (default: all).")
    ] = None,
    today: Annotated[
        str | None, typer.Option(help="Count missed sessions as of YYYY-MM-DD (default now).")
    ] = None,
) -> None:
    """Which OPD, camat and lurah have been briefed; who missed every session."""
    from datetime import datetime

    from netral.core.calendar import WIB

    now = datetime.combine(date.fromisoformat(today), datetime.max.time(), WIB) if today else None
    scope = Scope("region", region) if region else NATIONAL
    with command_session() as db:
        opd = service.coverage_by_opd(db_session=db, scope=scope, now=now)
        area = service.coverage_by_kecamatan(db_session=db, scope=scope, now=now)
        missed = service.missed_all(db_session=db, scope=scope, now=now)
        total = service.totals(db_session=db, scope=scope, now=now)
    if as_json:
        _print_json(
            {
                "totals": asdict(total),
                "opd": [asdict(o) for o in opd],
                "kecamatan": [asdict(a) for a in area],
                "missed": [asdict(m) for m in missed],
            }
        )
        return
    console.print(
        f"{total.events} sosialisasi, {total.attendances} kehadiran · OPD {total.opd_briefed}/"
        f"{total.opd} · camat {total.camat_briefed}/{total.camat} · lurah "
        f"{total.lurah_briefed}/{total.lurah} · tidak pernah hadir: {total.missed_all}"
    )
    t = Table(title="Kecamatan")
    for col in ("kecamatan", "camat", "lurah"):
        t.add_column(col)
    for a in area:
        t.add_row(a.kecamatan, "ya" if a.camat_briefed else "belum", f"{a.lurah_briefed}/{a.lurah}")
    console.print(t)
