"""Regions (wilayah) as data: provinsi > kota/kabupaten > kecamatan > kelurahan/desa.

Region files are CSV with the header ``kode,nama,tingkat,induk`` and Kemendagri codes
(``32``, ``32.73``, ``32.73.01``, ``32.73.01.1001``). The shipped files live in
``registry/data/wilayah/``; codes and names follow Kepmendagri No 300.2.2-2138 Tahun 2025.
An operator imports other regions in the same shape; every problem in a file is reported at once,
each with its row number, so a spreadsheet can be fixed in one pass.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, NamedTuple, cast

from netral.core.errors import Problem, ValidationFailed, problem

__all__ = [
    "HEADER",
    "TINGKAT",
    "WilayahError",
    "WilayahRow",
    "read_wilayah_csv",
    "shipped_wilayah_files",
]

Tingkat = Literal["provinsi", "kota", "kabupaten", "kecamatan", "kelurahan", "desa"]

HEADER: Final = ("kode", "nama", "tingkat", "induk")
TINGKAT: Final[tuple[Tingkat, ...]] = (
    "provinsi",
    "kota",
    "kabupaten",
    "kecamatan",
    "kelurahan",
    "desa",
)

# Code shape per level. A kelurahan's 4-digit number starts with 1, a desa's with 2 (Kemendagri).
_SHAPES: Final[dict[str, tuple[re.Pattern[str], str]]] = {
    "provinsi": (re.compile(r"[0-9]{2}"), "32"),
    "kota": (re.compile(r"[0-9]{2}\.[0-9]{2}"), "32.73"),
    "kabupaten": (re.compile(r"[0-9]{2}\.[0-9]{2}"), "32.04"),
    "kecamatan": (re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}"), "32.73.01"),
    "kelurahan": (re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.1[0-9]{3}"), "32.73.01.1001"),
    "desa": (re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.2[0-9]{3}"), "32.04.05.2001"),
}

_DATA_DIR: Final = Path(__file__).parent / "data" / "wilayah"


@dataclass(frozen=True, slots=True)
class WilayahRow:
    """One region: its Kemendagri code, name, level and parent code (None for a province)."""

    kode: str
    nama: str
    tingkat: Tingkat
    induk: str | None

    @property
    def depth(self) -> int:
        return self.kode.count(".") + 1


class WilayahError(NamedTuple):
    """One thing wrong in a region file; row 1 is the header, as in a spreadsheet."""

    row: int
    column: str | None
    code: str
    message_id: str
    message_en: str

    def as_problem(self, path: Path | None = None) -> Problem:
        extra: dict[str, object] = {"row": self.row}
        if path is not None:
            extra["file"] = path.name
        return problem(self.code, self.message_id, self.message_en, field=self.column, **extra)


def shipped_wilayah_files() -> list[Path]:
    """The region CSVs packaged with netral, sorted by name (which starts with the code)."""
    return sorted(_DATA_DIR.glob("*.csv"))


def read_wilayah_csv(path: Path | str) -> list[WilayahRow]:
    """Read and check a region file; raise ValidationFailed listing every problem found."""
    path = Path(path)
    # utf-8-sig: files saved from spreadsheets often start with a byte-order mark.
    with path.open(newline="", encoding="utf-8-sig") as handle:
        records = list(csv.reader(handle))
    rows, errors = _check_records(records)
    if errors:
        raise ValidationFailed(*(e.as_problem(path) for e in errors))
    return rows


def _check_records(records: list[list[str]]) -> tuple[list[WilayahRow], list[WilayahError]]:
    errors: list[WilayahError] = []
    header = tuple(cell.strip() for cell in records[0]) if records else ()
    if header != HEADER:
        given = ",".join(header) if header else "(kosong / empty)"
        errors.append(
            WilayahError(
                1,
                None,
                "wilayah.header",
                f"baris judul harus persis 'kode,nama,tingkat,induk'; yang diberikan '{given}'",
                f"the header row must be exactly 'kode,nama,tingkat,induk'; got '{given}'",
            )
        )
        return [], errors  # without the right columns, the rows cannot be read

    rows: list[tuple[int, WilayahRow]] = []
    first_row_of: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank line, usually at the end
        if len(record) != len(HEADER):
            errors.append(
                WilayahError(
                    number,
                    None,
                    "wilayah.columns",
                    f"baris {number} harus 4 kolom (kode,nama,tingkat,induk); "
                    f"yang diberikan {len(record)}",
                    f"row {number} must have 4 columns (kode,nama,tingkat,induk); "
                    f"it has {len(record)}",
                )
            )
            continue
        kode, nama, tingkat, induk = (cell.strip() for cell in record)
        row_ok = True

        if not nama:
            row_ok = False
            errors.append(
                WilayahError(
                    number,
                    "nama",
                    "wilayah.nama_empty",
                    f"baris {number}: nama wilayah {kode} kosong",
                    f"row {number}: region {kode} has no name",
                )
            )

        if tingkat not in _SHAPES:
            row_ok = False
            errors.append(
                WilayahError(
                    number,
                    "tingkat",
                    "wilayah.tingkat",
                    f"baris {number}: tingkat '{tingkat}' tidak dikenal; "
                    f"pilihan: {', '.join(TINGKAT)}",
                    f"row {number}: unknown tingkat '{tingkat}'; "
                    f"choose one of: {', '.join(TINGKAT)}",
                )
            )
        else:
            pattern, example = _SHAPES[tingkat]
            if not pattern.fullmatch(kode):
                row_ok = False
                hint_id = hint_en = ""
                if tingkat in ("kelurahan", "desa"):
                    lead = "1" if tingkat == "kelurahan" else "2"
                    hint_id = f"; nomor 4 digit {tingkat} diawali {lead}"
                    hint_en = f"; a {tingkat}'s 4-digit number starts with {lead}"
                errors.append(
                    WilayahError(
                        number,
                        "kode",
                        "wilayah.kode_shape",
                        f"baris {number}: kode '{kode}' tidak sesuai bentuk kode {tingkat} "
                        f"(contoh {example}){hint_id}",
                        f"row {number}: code '{kode}' does not have the shape of a {tingkat} "
                        f"code (e.g. {example}){hint_en}",
                    )
                )

        expected_induk = kode.rpartition(".")[0]
        if row_ok and induk != expected_induk:
            row_ok = False
            if expected_induk:
                want_id, want_en = f"'{expected_induk}'", f"'{expected_induk}'"
            else:
                want_id, want_en = "kosong (provinsi tidak berinduk)", "empty (a province has none)"
            errors.append(
                WilayahError(
                    number,
                    "induk",
                    "wilayah.induk",
                    f"baris {number}: induk kode {kode} harus {want_id} (kode tanpa bagian "
                    f"terakhirnya); yang diberikan '{induk}'",
                    f"row {number}: the parent of {kode} must be {want_en} (the code without its "
                    f"last part); got '{induk}'",
                )
            )

        if kode in first_row_of:
            row_ok = False
            first = first_row_of[kode]
            errors.append(
                WilayahError(
                    number,
                    "kode",
                    "wilayah.duplicate",
                    f"baris {number}: kode {kode} sudah ada di baris {first}",
                    f"row {number}: code {kode} already appears in row {first}",
                )
            )
        elif kode:
            first_row_of[kode] = number

        if row_ok:
            row = WilayahRow(kode, nama, cast(Tingkat, tingkat), induk or None)
            rows.append((number, row))

    # A parent must be in the file, except for the file's top level: a kota file may start at the
    # kota and point at a province it does not list. Below the top level, a missing parent is an
    # orphan (a kelurahan whose kecamatan is not there).
    known = set(first_row_of)
    top = min((row.depth for _, row in rows), default=0)
    for number, row in rows:
        if row.induk is not None and row.depth > top and row.induk not in known:
            errors.append(
                WilayahError(
                    number,
                    "induk",
                    "wilayah.orphan",
                    f"baris {number}: induk {row.induk} dari {row.kode} tidak ada di berkas",
                    f"row {number}: the parent {row.induk} of {row.kode} is not in the file",
                )
            )
    errors.sort(key=lambda e: e.row)
    return [row for _, row in rows], errors
