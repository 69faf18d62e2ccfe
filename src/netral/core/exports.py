"""Lists to CSV and XLSX, with no cell a spreadsheet would run.

Imported names and free text reach these files (a report's description, an ASN's name from a BKPSDM
sheet), so a value that a spreadsheet would read as a formula is written as text: in XLSX as a string
cell, in CSV behind a leading apostrophe (the OWASP "CSV injection" advice; Excel and LibreOffice
then show the text and run nothing).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

FORMATS = ("csv", "xlsx")

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# "=…", "@…", tab or carriage return first, or "+"/"-" before anything but a number ("-5" stays a
# number, "-2+3" and "+cmd|…" do not).
_RISKY = re.compile(r"^(?:[=@\t\r]|[+-](?!\d+(?:[.,]\d+)?$))")


def is_risky(value: str) -> bool:
    """Whether a spreadsheet could take this text as a formula or a command."""
    return bool(_RISKY.match(value))


def csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def write_table(
    path: Path, *, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Write a header and rows to `path` (.csv or .xlsx by suffix); returns the number of rows."""
    fmt = path.suffix.lower().lstrip(".")
    if fmt == "csv":
        return _write_csv(path, headers, rows)
    if fmt == "xlsx":
        return _write_xlsx(path, sheet, headers, rows)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {FORMATS}")


def _write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    n = 0
    # utf-8-sig: Excel opens a BOM-marked CSV as UTF-8, so names keep their letters
    with path.open("w", newline="", encoding="utf-8-sig") as fh:
        out = csv.writer(fh)
        out.writerow([csv_cell(h) for h in headers])
        for row in rows:
            out.writerow([csv_cell(v) for v in row])
            n += 1
    return n


def _write_xlsx(
    path: Path, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31] or "Data")  # Excel's limit on a sheet's name

    def cells(values: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for value in values:
            if isinstance(value, str):
                cell = WriteOnlyCell(ws, value=value)
                # openpyxl would store "=…" as a formula; a string cell is shown, never run
                cell.data_type = "s"
                out.append(cell)
            elif isinstance(value, datetime):
                out.append(value.replace(tzinfo=None))  # Excel has no time zones; callers pass WIB
            else:
                out.append(value)
        return out

    ws.append(cells(list(headers)))
    n = 0
    for row in rows:
        ws.append(cells(row))
        n += 1
    wb.save(path)
    return n
