"""The season report for the PPK: "Laporan Pengawasan Netralitas ASN", as a PDF.

Its numbers are the dashboard's (the same section builders); its charts are the same SVG, which
WeasyPrint draws natively; its kop surat is the office's letterhead (cases' letters).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from netral.cases import service as cases
from netral.core.calendar import MONTHS_ID, to_wib_date
from netral.core.db import utcnow
from netral.dashboard.filters import Filters
from netral.dashboard.sections import SEASON_REPORT, Context, Section, build
from netral.registry import service as registry

TEMPLATES = Path(__file__).parent / "templates"
TITLE = "Laporan Pengawasan Netralitas ASN"
CHART_ROWS = 30  # a longer figure prints the chart of its first rows only (see season.html)


def _date_id(value: Any) -> str:
    return f"{value.day} {MONTHS_ID[value.month]} {value.year}"


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["date_id"] = _date_id
    env.filters["int"] = lambda n: f"{n:,}".replace(",", ".") if isinstance(n, int) else str(n)
    return env


def sections(ctx: Context) -> list[Section]:
    return build(ctx, SEASON_REPORT)


def render_html(ctx: Context, filters: Filters, built: list[Section] | None = None) -> str:
    region = ""
    if filters.region_code:
        place = registry.get_place(db_session=ctx.db_session, code=filters.region_code)
        region = place.name if place else filters.region_code
    return (
        _env()
        .get_template("season.html")
        .render(
            title=TITLE,
            letterhead=cases.office_letterhead(),
            sections=built if built is not None else sections(ctx),
            since=filters.since,
            until=filters.until,
            election=filters.season.election,
            region=region or ("Nasional" if ctx.scope.kind == "national" else ctx.scope.code),
            printed=to_wib_date(utcnow()),
            css=(TEMPLATES / "season.css").read_text(encoding="utf-8"),
            chart_rows=CHART_ROWS,
        )
    )


def render_pdf(ctx: Context, filters: Filters) -> bytes:
    from weasyprint import HTML  # heavy import: only when a report is printed

    pdf: bytes = HTML(string=render_html(ctx, filters)).write_pdf()
    return pdf
