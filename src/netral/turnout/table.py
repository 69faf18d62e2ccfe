"""Reading a KPU turnout sheet: CSV or XLSX by its bytes, its headers, and `--map col=Header`.

The sheets are small (a city has a few thousand TPS), so a file is read whole. The registry's ASN
reader streams a million rows and is private to the registry; this one keeps the same refusals
(empty, not UTF-8, not a spreadsheet, formulas) in the same words.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from netral.core.errors import ValidationFailed, problem

Cell = str | int | float

COLUMNS: Final = ("kode_wilayah", "nama_wilayah", "dpt", "pengguna_hak_pilih")
REQUIRED: Final = ("kode_wilayah", "dpt", "pengguna_hak_pilih")
# column -> other spellings KPU sheets use, compared after `normalise_header`
ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "kode_wilayah": (
        "kodewilayah",
        "kode",
        "kodetps",
        "kodekelurahan",
        "kodekecamatan",
        "kodedesa",
    ),
    "nama_wilayah": ("namawilayah", "nama", "namatps", "namakelurahan", "namakecamatan", "wilayah"),
    "dpt": ("dpt", "jumlahdpt", "pemilihdpt", "jumlahpemilihdpt", "jumlahpemilihterdaftar"),
    "pengguna_hak_pilih": (
        "penggunahakpilih",
        "jumlahpenggunahakpilih",
        "pemilihhadir",
        "hadir",
        "jumlahpemilihhadir",
    ),
}


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]  # data rows only: row i is line i + 2 of the file
    columns: dict[str, int]  # column name -> index


def normalise_header(name: str) -> str:
    """'Pengguna Hak Pilih ' -> 'penggunahakpilih': lower case, letters and digits only."""
    return re.sub(r"[^a-z0-9]", "", name.strip().lower())


def _refuse(code: str, msg_id: str, msg_en: str, field: str = "file") -> ValidationFailed:
    return ValidationFailed(problem(code, msg_id, msg_en, field=field))


def read_table(path: Path, *, max_bytes: int, mapping: dict[str, str] | None = None) -> Table:
    """The sheet's rows and where each column is, or every reason the file cannot be read."""
    if not path.is_file():
        raise _refuse(
            "turnout.file_not_found", f"Berkas tidak ditemukan: {path}", f"File not found: {path}"
        )
    if path.stat().st_size > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise _refuse(
            "turnout.file_too_large",
            f"Berkas terlalu besar (batas {mb} MB).",
            f"The file is too large (limit {mb} MB).",
        )
    data = path.read_bytes()
    if not data.strip():
        raise _refuse("turnout.file_empty", "Berkas kosong.", "The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        records = _xlsx_records(data)
    elif data.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x7fELF", b"MZ")) or b"\x00" in data:
        raise _refuse(
            "turnout.file_format",
            "Berkas bukan CSV atau XLSX. Simpan ulang dari Excel sebagai .xlsx atau CSV UTF-8.",
            "The file is neither CSV nor XLSX. Save it again from Excel as .xlsx or UTF-8 CSV.",
        )
    else:
        records = _csv_records(data)
    if not records or not any(str(c).strip() for c in records[0]):
        raise _refuse("turnout.file_empty", "Berkas kosong.", "The file is empty.")
    headers = [str(c).strip() for c in records[0]]
    return Table(headers, records[1:], _columns(headers, mapping or {}))


def _csv_records(data: bytes) -> list[list[Cell]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(
            "turnout.file_encoding",
            "Berkas CSV bukan UTF-8. Simpan sebagai 'CSV UTF-8 (Comma delimited)'.",
            "The CSV file is not UTF-8. Save it as 'CSV UTF-8 (Comma delimited)'.",
        ) from None
    first = text.split("\n", 1)[0]
    # Excel in Indonesian writes ';' between cells (its decimal mark is the comma)
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise _refuse("turnout.file_csv", f"CSV rusak: {exc}", f"Broken CSV: {exc}") from None


def _xlsx_records(data: bytes) -> list[list[Cell]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _refuse(
            "turnout.file_format",
            "Berkas XLSX rusak atau bukan buku kerja Excel.",
            "The XLSX file is broken or not an Excel workbook.",
        ) from None
    try:
        out: list[list[Cell]] = []
        for n, values in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            row: list[Cell] = []
            for col, v in enumerate(values, start=1):
                if isinstance(v, str) and v.startswith("="):
                    # the value KPU entered is not in the file, only how to compute it
                    raise _refuse(
                        "turnout.file_formula",
                        f"Baris {n} kolom {col} berisi rumus ({v[:40]}). Salin lalu tempel sebagai "
                        "nilai (Paste Values) sebelum mengimpor.",
                        f"Row {n} column {col} holds a formula ({v[:40]}). Copy and paste as "
                        "values before importing.",
                    )
                row.append(v if isinstance(v, int | float | str) else "" if v is None else str(v))
            out.append(row)
        return out
    finally:
        wb.close()


def _columns(headers: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Column name -> index: `mapping` (column -> header as written) first, then the aliases."""
    norm = [normalise_header(h) for h in headers]
    found: dict[str, int] = {}
    problems = []
    for column, header in mapping.items():
        if column not in COLUMNS:
            problems.append(
                problem(
                    "turnout.map_unknown",
                    f"Kolom tujuan '{column}' tidak dikenal; pilihan: {', '.join(COLUMNS)}.",
                    f"Unknown target column '{column}'; choices: {', '.join(COLUMNS)}.",
                    field="map",
                    row=1,
                )
            )
        elif normalise_header(header) not in norm:
            problems.append(
                problem(
                    "turnout.map_missing",
                    f"Kolom '{header}' (untuk {column}) tidak ada di berkas; judul kolom yang ada: "
                    f"{', '.join(headers)}.",
                    f"The file has no column '{header}' (for {column}); its columns: "
                    f"{', '.join(headers)}.",
                    field="map",
                    row=1,
                )
            )
        else:
            found[column] = norm.index(normalise_header(header))
    for column, aliases in ALIASES.items():
        if column not in found:
            at = next((i for i, h in enumerate(norm) if h in aliases), None)
            if at is not None:
                found[column] = at
    missing = [c for c in REQUIRED if c not in found]
    if missing and not problems:
        problems.append(
            problem(
                "turnout.header",
                f"Kolom wajib tidak ditemukan: {', '.join(missing)}. Baris pertama harus berisi "
                f"judul kolom, mis. {','.join(COLUMNS)}; atau petakan dengan --map "
                f'{missing[0]}="Judul di berkas" (ditemukan: {", ".join(headers)}).',
                f"Required columns not found: {', '.join(missing)}. The first row must hold the "
                f"column titles, e.g. {','.join(COLUMNS)}; or map them with --map "
                f'{missing[0]}="Title in the file" (found: {", ".join(headers)}).',
                field="header",
                row=1,
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    return found
