"""Import ASN from the BKPSDM spreadsheet (CSV or XLSX): validated, all-or-nothing, idempotent.

The whole import is one transaction. Rows are validated in Python in a tight loop, streamed in
batches into a staging table (no index, so loading costs what a raw insert costs), then merged
into `asn` in NIP order with one INSERT … SELECT … ON CONFLICT (sorted keys keep the unique index
cheap). PostgreSQL loads the staging table with COPY. Memory stays flat: only the set of NIPs
seen is kept, for the duplicate check.
"""

from __future__ import annotations

import codecs
import csv
import io
import multiprocessing
import os
import pickle
import queue
import re
import threading
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.crypto import keyring
from netral.core.errors import ValidationFailed, problem
from netral.core.settings import get_settings
from netral.registry.models import Opd
from netral.registry.nip import describe, nip_error

# canonical column -> accepted spellings of its header (compared after normalising)
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nipbaru", "nomorindukpegawai", "nipasn", "nippppk"),
    "name": ("nama", "namalengkap", "namapegawai", "name", "namaasn"),
    "kind": ("jenis", "jenisasn", "statuskepegawaian", "statuspegawai", "kind", "jenispegawai"),
    "position": ("jabatan", "namajabatan", "position"),
    "golongan": ("golongan", "gol", "pangkatgolongan", "golruang", "golonganruang", "rank"),
    "opd": ("opd", "perangkatdaerah", "unitkerja", "skpd", "kodeopd", "instansi"),
    "unit": ("unit", "subunit", "subunitkerja", "bidang", "unitorganisasi"),
    "email": ("email", "surel", "alamatemail"),
    "phone": ("telepon", "nohp", "nomorhp", "hp", "phone", "notelp", "nomortelepon"),
    "accounts": ("akunmedsos", "mediasosial", "akun", "accounts", "socialaccounts"),
}
REQUIRED = ("nip", "name", "opd")
EXPORT_HEADERS = {
    "nip": "NIP",
    "name": "Nama",
    "kind": "Jenis",
    "position": "Jabatan",
    "golongan": "Golongan",
    "opd": "OPD",
    "unit": "Unit",
    "email": "Email",
    "phone": "Telepon",
    "accounts": "Akun Medsos",
}
KINDS = {"PNS": "PNS", "PPPK": "PPPK", "P3K": "PPPK"}
PLATFORMS = ("instagram", "facebook", "x", "tiktok", "youtube", "threads")
GOLONGAN_RE = re.compile(
    r"^(I|II|III|IV)/[a-e]$|^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII)$"
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
BATCH = 20_000
MAX_DETAILED_ERRORS = 1_000


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str
    message_en: str = ""

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message_en if lang == "en" and self.message_en else self.message,
        }


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False

    def add(self, row: int, column: str, code: str, msg_id: str, msg_en: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_DETAILED_ERRORS:
            self.errors.append(RowError(row, column, code, msg_id, msg_en))

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "error_count": self.error_count,
            "errors": [e.as_dict(lang) for e in self.errors],
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "written": self.written,
        }


class ImportFailed(ValidationFailed):
    """The file was refused; `report` says which rows and why. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            problem(
                "import.rows_invalid",
                f"{report.error_count} kesalahan pada {report.rows} baris; tidak ada yang "
                "disimpan. "
                "Perbaiki berkasnya, atau gunakan --partial untuk menyimpan baris yang sah saja.",
                f"{report.error_count} errors in {report.rows} rows; nothing was saved. Fix the "
                "file, or use --partial to keep only the valid rows.",
            )
        )


def _file_problem(code: str, msg_id: str, msg_en: str) -> ValidationFailed:
    return ValidationFailed(problem(code, msg_id, msg_en, field="file"))


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.strip().lower())


def map_headers(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """Canonical column -> index in the file. Overrides map canonical -> header as written."""
    norm = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    problems = []
    for canonical, header in (overrides or {}).items():
        if canonical not in HEADER_ALIASES:
            problems.append(
                problem(
                    "import.mapping_unknown",
                    f"Kolom tujuan '{canonical}' tidak dikenal; pilihan: {', '.join(HEADER_ALIASES)}.",
                    f"Unknown target column '{canonical}'; choices: {', '.join(HEADER_ALIASES)}.",
                    field="mapping",
                )
            )
        elif normalise_header(header) not in norm:
            problems.append(
                problem(
                    "import.mapping_missing",
                    f"Kolom '{header}' tidak ada di berkas.",
                    f"The file has no column '{header}'.",
                    field="mapping",
                )
            )
        else:
            mapping[canonical] = norm.index(normalise_header(header))
    for canonical, aliases in HEADER_ALIASES.items():
        if canonical in mapping:
            continue
        for i, h in enumerate(norm):
            if h in aliases:
                mapping[canonical] = i
                break
    missing = [c for c in REQUIRED if c not in mapping]
    if missing:
        wanted = ", ".join(EXPORT_HEADERS[c] for c in missing)
        problems.append(
            problem(
                "import.header_missing",
                f"Kolom wajib tidak ditemukan: {wanted}. Baris pertama harus berisi judul kolom "
                f"(ditemukan: {', '.join(headers) or 'kosong'}).",
                f"Required columns not found: {wanted}. The first row must hold the column titles "
                f"(found: {', '.join(headers) or 'none'}).",
                field="header",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    return mapping


# ---------------------------------------------------------------- reading files


def sniff_format(path: Path) -> str:
    """'csv' or 'xlsx', decided by the bytes, not the file name."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    if not head:
        raise _file_problem("import.empty", "Berkas kosong.", "The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x7fELF", b"MZ")) or b"\x00" in head:
        raise _file_problem(
            "import.format",
            "Berkas bukan CSV atau XLSX. Simpan ulang dari Excel sebagai .xlsx atau CSV UTF-8.",
            "The file is neither CSV nor XLSX. Save it again from Excel as .xlsx or UTF-8 CSV.",
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise _file_problem(
            "import.encoding",
            "Berkas CSV bukan UTF-8. Simpan sebagai 'CSV UTF-8 (Comma delimited)'.",
            "The CSV file is not UTF-8. Save it as 'CSV UTF-8 (Comma delimited)'.",
        ) from None
    return "csv"


def _csv_delimiter(sample: str) -> str:
    return ";" if sample.count(";") > sample.count(",") else ","


def _read_csv(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    fh = path.open(newline="", encoding="utf-8-sig")
    sample = fh.read(8192)
    fh.seek(0)
    delimiter = _csv_delimiter(sample)
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        fh.close()
        raise _file_problem("import.empty", "Berkas kosong.", "The file is empty.") from None
    except csv.Error as exc:
        fh.close()
        raise _file_problem("import.csv", f"CSV rusak: {exc}", f"Broken CSV: {exc}") from None

    def rows() -> Iterator[list[str]]:
        with fh:
            try:
                yield from reader
            except (csv.Error, UnicodeDecodeError) as exc:
                raise _file_problem(
                    "import.csv",
                    f"CSV rusak pada baris {reader.line_num}: {exc}",
                    f"Broken CSV at line {reader.line_num}: {exc}",
                ) from None

    return headers, rows()


def _check_xlsx_container(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "xl/workbook.xml" not in names:
                raise _file_problem(
                    "import.format",
                    "Berkas ZIP ini bukan buku kerja Excel (.xlsx).",
                    "This ZIP file is not an Excel workbook (.xlsx).",
                )
            if sum(i.file_size for i in zf.infolist()) > 20 * max_bytes:
                raise _file_problem(
                    "import.too_large",
                    "Isi berkas XLSX terlalu besar setelah dibuka.",
                    "The XLSX file is too large once unpacked.",
                )
            sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet"))
            if sheets:
                with zf.open(sheets[0]) as sheet:
                    tail = b""
                    while chunk := sheet.read(1 << 20):
                        m = re.search(rb'<mergeCell ref="([A-Z0-9:]+)"', tail + chunk)
                        if m:
                            ref = m.group(1).decode()
                            raise _file_problem(
                                "import.merged_cells",
                                f"Lembar kerja berisi sel gabungan ({ref}). Pisahkan sel gabungan "
                                "dan pastikan baris pertama berisi satu judul per kolom.",
                                f"The sheet has merged cells ({ref}). Unmerge them and make the "
                                "first row hold one title per column.",
                            )
                        tail = chunk[-64:]
    except zipfile.BadZipFile:
        raise _file_problem(
            "import.format", "Berkas XLSX rusak.", "The XLSX file is broken."
        ) from None


def _read_xlsx(path: Path, max_bytes: int) -> tuple[list[str], Iterator[list[str]]]:
    from openpyxl import load_workbook

    _check_xlsx_container(path, max_bytes)
    wb = load_workbook(path, read_only=True, data_only=False)
    ws = wb.worksheets[0]
    it = ws.iter_rows(values_only=True)
    try:
        first = next(it)
    except StopIteration:
        wb.close()
        raise _file_problem("import.empty", "Lembar kerja kosong.", "The sheet is empty.") from None
    headers = ["" if v is None else str(v) for v in first]
    while headers and headers[-1] == "":
        headers.pop()

    def rows() -> Iterator[list[str]]:
        try:
            for n, values in enumerate(it, start=2):
                out = []
                for col, v in enumerate(values):
                    if isinstance(v, str) and v.startswith("="):
                        raise _file_problem(
                            "import.formula",
                            f"Baris {n} kolom {col + 1} berisi rumus ({v[:40]}). Salin lalu tempel "
                            "sebagai nilai (Paste Values) sebelum mengimpor.",
                            f"Row {n} column {col + 1} holds a formula ({v[:40]}). Copy and paste "
                            "as values before importing.",
                        )
                    if isinstance(v, float) and v.is_integer():
                        v = int(v)
                    if isinstance(v, int) and abs(v) >= 10**15:
                        # Excel keeps 15 significant digits: an 18-digit NIP stored as a number
                        # has already lost its last digits
                        out.append(f"#NUM:{v}")
                        continue
                    out.append("" if v is None else str(v))
                yield out
        finally:
            wb.close()

    return headers, rows()


def open_table(path: Path, max_bytes: int | None = None) -> tuple[list[str], Iterator[list[str]]]:
    max_bytes = max_bytes or get_settings().import_max_mb * 1024 * 1024
    if not path.is_file():
        raise _file_problem(
            "import.not_found", f"Berkas tidak ditemukan: {path}", f"File not found: {path}"
        )
    size = path.stat().st_size
    if size > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise _file_problem(
            "import.too_large",
            f"Berkas terlalu besar ({size / 1048576:.0f} MB; batas {mb} MB). Bagi per OPD, atau "
            "naikkan NETRAL_IMPORT_MAX_MB.",
            f"The file is too large ({size / 1048576:.0f} MB; limit {mb} MB). Split it by OPD, or "
            "raise NETRAL_IMPORT_MAX_MB.",
        )
    if sniff_format(path) == "xlsx":
        return _read_xlsx(path, max_bytes)
    return _read_csv(path)


# ---------------------------------------------------------------- validating rows


@dataclass
class OpdIndex:
    """OPD and units of one region, by code and by normalised name."""

    by_key: dict[str, int]
    units: dict[tuple[int, str], int]
    names: dict[int, str]

    @classmethod
    def load(cls, db_session: Session, region_code: str) -> OpdIndex:
        rows = db_session.execute(
            select(Opd.id, Opd.code, Opd.name, Opd.parent_id).where(Opd.region_code == region_code)
        ).all()
        by_key: dict[str, int] = {}
        units: dict[tuple[int, str], int] = {}
        names: dict[int, str] = {}
        for opd_id, code, name, parent_id in rows:
            names[opd_id] = name
            if parent_id is None:
                by_key[code.strip().lower()] = opd_id
                by_key[normalise_header(name)] = opd_id
            else:
                units[(parent_id, code.strip().lower())] = opd_id
                units[(parent_id, normalise_header(name))] = opd_id
        return cls(by_key, units, names)


def parse_accounts(raw: str) -> list[tuple[str, str]] | None:
    """'instagram:@budi; x:budi_s' -> [('instagram','budi'), ('x','budi_s')]; None if malformed."""
    out = []
    for part in re.split(r"[;,\n]", raw):
        part = part.strip()
        if not part:
            continue
        if ":" not in part:
            return None
        platform, handle = (s.strip() for s in part.split(":", 1))
        platform = platform.lower()
        handle = handle.lstrip("@").strip().lower()
        if platform == "twitter":
            platform = "x"
        if platform not in PLATFORMS or not handle or " " in handle:
            return None
        out.append((platform, handle))
    return out


_UNSEEN: Any = object()  # a memo's "not looked up yet" (None there means "invalid")

# A staging row: row_no, nip, name, kind, position, golongan, opd_id, unit_id, region_code,
# contact_enc. A list, so that sealing the contact can fill the last slot in place.
StageRow = list[Any]
_PHONE_JUNK = re.compile(r"[\s\-()]")
_PHONE_RE = re.compile(r"\+?\d{8,15}")
_NUMBER_CELL = (
    "NIP tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format "
    "kolom NIP sebagai Teks lalu ketik ulang.",
    "The NIP is stored as a number in Excel and has lost its last digits; format the "
    "NIP column as Text and type it again.",
)


@dataclass
class SeenState:
    """What the cross-row checks remember: first row of each NIP, first owner of each account.

    `last_row` is the file row of the last record read (blank lines included)."""

    nips: dict[str, int] = field(default_factory=dict)
    accounts: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    last_row: int = 0


@dataclass
class Batch:
    """Valid rows ready for staging, their contacts still in plain text, and their accounts."""

    rows: list[StageRow] = field(default_factory=list)
    # the file row of the batch's last record, for progress
    last_row: int = 0
    # (index into rows, nip, "email\x1fphone"): sealed by `_seal_contacts` just before staging
    contacts: list[tuple[int, str, str]] = field(default_factory=list)
    # (row, nip, platform, handle)
    accounts: list[tuple[int, str, str, str]] = field(default_factory=list)


def validate_rows(
    rows: Iterable[list[str]],
    mapping: dict[str, int],
    opds: OpdIndex,
    region_code: str,
    report: ImportReport,
    *,
    today: date | None = None,
    on_row: Callable[[int], None] | None = None,
    start: int = 2,
    state: SeenState | None = None,
) -> Iterator[Batch]:
    """Yield batches of valid staging rows; errors go to `report`.

    This loop is the import's cost: everything that can be decided once per distinct value (OPD
    and unit, kind, golongan) is memoised, and a valid row does no more than it must.
    """
    i_nip, i_name, i_opd = mapping["nip"], mapping["name"], mapping["opd"]
    i_kind, i_pos, i_gol = mapping.get("kind"), mapping.get("position"), mapping.get("golongan")
    i_unit, i_email = mapping.get("unit"), mapping.get("email")
    i_phone, i_acc = mapping.get("phone"), mapping.get("accounts")
    width = max(mapping.values()) + 1
    state = state if state is not None else SeenState()
    seen = state.nips
    seen_accounts = state.accounts
    batch = Batch()
    add = report.add
    # raw cell(s) -> resolved value, or None when the value is invalid (the error is re-reported
    # per row, so each bad row still gets its own message)
    placed: dict[tuple[str, str], tuple[int, int | None] | None] = {}
    kinds: dict[str, str] = {}
    golongans: dict[str, str | None] = {}
    email_match, phone_match, phone_junk = EMAIL_RE.match, _PHONE_RE.fullmatch, _PHONE_JUNK.sub
    n_rows = n_valid = 0
    row_no = start - 1
    for row_no, values in enumerate(rows, start=start):
        if len(values) < width:
            if not any(v.strip() for v in values):
                continue  # a blank line is not an error
            values = values + [""] * (width - len(values))
        n_rows += 1
        ok = True
        nip = values[i_nip]
        if nip.startswith("#NUM:"):
            add(row_no, "nip", "nip.number_cell", *_NUMBER_CELL)
            ok = False
        else:
            if " " in nip or len(nip) != 18:
                nip = nip.replace(" ", "").strip()
            code = nip_error(nip, today)
            if code is not None:
                p = describe(code, values[i_nip])
                add(row_no, "nip", code, p.message_id, p.message_en)
                ok = False
            else:
                first = seen.setdefault(nip, row_no)
                if first != row_no:
                    add(
                        row_no,
                        "nip",
                        "asn.duplicate_nip",
                        f"NIP {nip} sudah muncul di baris {first}.",
                        f"NIP {nip} already appears in row {first}.",
                    )
                    ok = False
        name = values[i_name].strip()
        if not name:
            add(row_no, "nama", "asn.name_empty", "Nama wajib diisi.", "The name is required.")
            ok = False
        kind = "PNS"
        if i_kind is not None:
            raw_kind = values[i_kind]
            found_kind = kinds.get(raw_kind)
            if found_kind is None:
                found_kind = kinds[raw_kind] = (
                    KINDS.get(raw_kind.strip().upper(), "") if raw_kind.strip() else "PNS"
                )
            if not found_kind:
                add(
                    row_no,
                    "jenis",
                    "asn.kind",
                    f"Jenis ASN '{raw_kind}' tidak dikenal; isi PNS atau PPPK.",
                    f"Unknown ASN kind '{raw_kind}'; use PNS or PPPK.",
                )
                ok = False
            kind = found_kind
        opd_raw = values[i_opd]
        unit_raw = values[i_unit] if i_unit is not None else ""
        key = (opd_raw, unit_raw)
        where = placed.get(key, _UNSEEN)
        if where is _UNSEEN:
            where = placed[key] = _place(opds, opd_raw, unit_raw)
        if where is None:
            _place_error(opds, opd_raw, unit_raw, region_code, row_no, add)
            ok = False
            opd_id, unit_id = 0, None
        else:
            opd_id, unit_id = where
        golongan = ""
        if i_gol is not None:
            raw_gol = values[i_gol]
            found_gol = golongans.get(raw_gol, _UNSEEN)
            if found_gol is _UNSEEN:
                g = raw_gol.strip()
                found_gol = golongans[raw_gol] = g if not g or GOLONGAN_RE.match(g) else None
            if found_gol is None:
                g = raw_gol.strip()
                add(
                    row_no,
                    "golongan",
                    "asn.golongan",
                    f"Golongan '{g}' tidak sah; contoh: III/a (PNS) atau IX (PPPK).",
                    f"Invalid golongan '{g}'; e.g. III/a (PNS) or IX (PPPK).",
                )
                ok = False
            else:
                golongan = found_gol
        email = values[i_email].strip() if i_email is not None else ""
        if email and not email_match(email):
            add(
                row_no,
                "email",
                "asn.email",
                f"Email '{email}' tidak sah.",
                f"Invalid e-mail '{email}'.",
            )
            ok = False
        phone = values[i_phone].strip() if i_phone is not None else ""
        if phone and not (8 <= len(phone) <= 15 and phone.isascii() and phone.isdigit()):
            # the common case (8-15 plain digits) is valid as it stands; the rest is cleaned
            digits = phone_junk("", phone)
            if not phone_match(digits):
                add(
                    row_no,
                    "telepon",
                    "asn.phone",
                    f"Nomor telepon '{phone}' tidak sah.",
                    f"Invalid phone number '{phone}'.",
                )
                ok = False
            phone = digits
        parsed: list[tuple[str, str]] | None = []
        if i_acc is not None:
            acc_raw = values[i_acc].strip()
            if acc_raw:
                parsed = parse_accounts(acc_raw)
                if parsed is None:
                    add(
                        row_no,
                        "akun",
                        "asn.accounts",
                        f"Akun medsos '{acc_raw}' tidak bisa dibaca; tulis seperti "
                        f"'instagram:@nama; x:@nama' (platform: {', '.join(PLATFORMS)}).",
                        f"Cannot read social accounts '{acc_raw}'; write e.g. "
                        f"'instagram:@name; x:@name' (platforms: {', '.join(PLATFORMS)}).",
                    )
                    ok = False
                elif ok:
                    for platform, handle in parsed:
                        owner, first_row = seen_accounts.setdefault(
                            (platform, handle), (nip, row_no)
                        )
                        if owner != nip:
                            add(
                                row_no,
                                "akun",
                                "asn.account_duplicate",
                                f"Akun {platform}:@{handle} sudah dicantumkan untuk ASN lain di "
                                f"baris {first_row}.",
                                f"Account {platform}:@{handle} is already listed for another ASN "
                                f"in row {first_row}.",
                            )
                            ok = False
        if not ok:
            continue
        n_valid += 1
        rows_out = batch.rows
        if email or phone:
            batch.contacts.append((len(rows_out), nip, email + "\x1f" + phone))
        rows_out.append(
            [
                row_no,
                nip,
                name,
                kind,
                values[i_pos].strip() if i_pos is not None else "",
                golongan,
                opd_id,
                unit_id,
                region_code,
                None,
            ]
        )
        if parsed:
            batch.accounts.extend({(row_no, nip, p, h): None for p, h in parsed})
        if len(rows_out) >= BATCH:
            report.rows, report.valid = n_rows, n_valid
            batch.last_row = state.last_row = row_no
            if on_row:
                on_row(row_no)
            yield batch
            batch = Batch()
    report.rows, report.valid = n_rows, n_valid
    batch.last_row = state.last_row = row_no
    if on_row:
        on_row(row_no)
    if batch.rows:
        yield batch


def _place(opds: OpdIndex, opd_raw: str, unit_raw: str) -> tuple[int, int | None] | None:
    """(opd id, unit id) for the cells as written, or None when either is unknown."""
    opd_key = opd_raw.strip()
    opd_id = opds.by_key.get(opd_key.lower()) or opds.by_key.get(normalise_header(opd_key))
    if opd_id is None:
        return None
    unit_key = unit_raw.strip()
    if not unit_key:
        return opd_id, None
    unit_id = opds.units.get((opd_id, unit_key.lower())) or opds.units.get(
        (opd_id, normalise_header(unit_key))
    )
    return None if unit_id is None else (opd_id, unit_id)


def _place_error(
    opds: OpdIndex,
    opd_raw: str,
    unit_raw: str,
    region_code: str,
    row_no: int,
    add: Callable[[int, str, str, str, str], None],
) -> None:
    opd_raw, unit_raw = opd_raw.strip(), unit_raw.strip()
    opd_id = opds.by_key.get(opd_raw.lower()) or opds.by_key.get(normalise_header(opd_raw))
    if opd_id is None:
        add(
            row_no,
            "opd",
            "asn.opd_unknown",
            f"OPD '{opd_raw}' tidak dikenal di wilayah {region_code}. Gunakan kode atau nama "
            "OPD yang terdaftar (lihat halaman OPD).",
            f"Unknown OPD '{opd_raw}' in region {region_code}. Use a registered OPD code or "
            "name (see the OPD page).",
        )
    else:
        add(
            row_no,
            "unit",
            "asn.unit_unknown",
            f"Unit '{unit_raw}' tidak ada di bawah OPD {opds.names[opd_id]}.",
            f"Unit '{unit_raw}' is not under OPD {opds.names[opd_id]}.",
        )


# ---------------------------------------------------------------- writing

_STAGE_COLS = (
    "row_no, nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc"
)


def _create_stage(db_session: Session, dialect: str) -> None:
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage"))
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage_account"))
    db_session.execute(
        text(
            "CREATE TEMP TABLE asn_stage (row_no INTEGER, nip VARCHAR(18), name TEXT, kind TEXT, "
            f"position TEXT, golongan TEXT, opd_id INTEGER, unit_id INTEGER, region_code TEXT, "
            f"contact_enc {blob})"
        )
    )
    db_session.execute(
        text(
            "CREATE TEMP TABLE asn_stage_account (row_no INTEGER, nip VARCHAR(18), platform TEXT, "
            "handle TEXT)"
        )
    )


def _driver(db_session: Session) -> Any:
    raw = db_session.connection().connection.driver_connection
    assert raw is not None
    return raw


def _seal_contacts(raw: Any, dialect: str, batch: Batch, lookup: bool) -> None:
    """Encrypt each row's contact, reusing the stored blob when the contact has not changed.

    A fresh nonce makes every encryption differ, so without the reuse a re-import of the same
    file would count every row with a contact as updated. `lookup` is off when the registry was
    empty at the start: then nothing can be reused.
    """
    if not batch.contacts:
        return
    ring = keyring()
    stored: dict[str, bytes] = {}
    if lookup:
        nips = [nip for _, nip, _ in batch.contacts]
        if dialect == "postgresql":
            with raw.cursor() as cur:
                cur.execute(
                    "SELECT nip, contact_enc FROM asn WHERE nip = ANY(%s) "
                    "AND contact_enc IS NOT NULL",
                    (nips,),
                )
                stored = {n: bytes(c) for n, c in cur}
        else:
            cur = raw.cursor()
            for i in range(0, len(nips), 5000):
                part = nips[i : i + 5000]
                marks = ",".join("?" * len(part))
                cur.execute(
                    "SELECT nip, contact_enc FROM asn WHERE contact_enc IS NOT NULL AND "  # noqa: S608
                    f"nip IN ({marks})",
                    part,
                )
                stored.update(cur.fetchall())
            cur.close()
    rows = batch.rows
    for index, nip, plain in batch.contacts:
        old = stored.get(nip)
        if old is not None:
            try:
                same = ring.decrypt(old, nip.encode()) == plain
            except Exception:  # a blob under a retired key or damaged: seal afresh
                same = False
            if same:
                rows[index][9] = old
                continue
        rows[index][9] = ring.encrypt(plain, nip.encode())


def _load_stage(raw: Any, dialect: str, batch: Batch) -> None:
    if dialect == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY asn_stage ({_STAGE_COLS}) FROM STDIN") as copy:
                write = copy.write_row
                for r in batch.rows:
                    write(r)
            if batch.accounts:
                with cur.copy(
                    "COPY asn_stage_account (row_no, nip, platform, handle) FROM STDIN"
                ) as copy:
                    for a in batch.accounts:
                        copy.write_row(a)
    else:
        cur = raw.cursor()
        cur.executemany(
            f"INSERT INTO asn_stage ({_STAGE_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
            batch.rows,
        )
        if batch.accounts:
            cur.executemany("INSERT INTO asn_stage_account VALUES (?,?,?,?)", batch.accounts)
        cur.close()


def _reject(
    db_session: Session,
    report: ImportReport,
    sql: str,
    column: str,
    code: str,
    msg: Callable[[Any], tuple[str, str]],
) -> list[int]:
    bad = db_session.execute(text(sql)).all()
    for r in bad:
        m_id, m_en = msg(r)
        report.add(int(r[0]), column, code, m_id, m_en)
    return [int(r[0]) for r in bad]


def _database_checks(db_session: Session, report: ImportReport, has_accounts: bool) -> list[int]:
    """Checks that need the database: rows owned by another region, handles owned by another ASN.

    Only called when the registry held ASN before this import; duplicates inside the file are
    caught while reading it.
    """
    other = _reject(
        db_session,
        report,
        "SELECT s.row_no, s.nip, a.region_code FROM asn_stage s JOIN asn a ON a.nip = s.nip "
        "WHERE a.region_code <> s.region_code",
        "nip",
        "asn.other_region",
        lambda r: (
            f"NIP {r[1]} terdaftar di wilayah {r[2]}; pindah wilayah diurus BKPSDM asal.",
            f"NIP {r[1]} is registered in region {r[2]}; a transfer is done by its BKPSDM.",
        ),
    )
    if not has_accounts:
        return other
    taken = _reject(
        db_session,
        report,
        "SELECT sa.row_no, sa.platform, sa.handle, a.nip FROM asn_stage_account sa "
        "JOIN social_account x ON x.platform = sa.platform AND x.handle = sa.handle "
        "JOIN asn a ON a.id = x.asn_id WHERE a.nip <> sa.nip",
        "akun",
        "asn.account_taken",
        lambda r: (
            f"Akun {r[1]}:@{r[2]} sudah tercatat milik ASN lain (NIP {r[3]}).",
            f"Account {r[1]}:@{r[2]} already belongs to another ASN (NIP {r[3]}).",
        ),
    )
    return other + taken


def _stage(
    db_session: Session, dialect: str, batches: Iterator[Batch], lookup: bool
) -> tuple[int, bool]:
    """Seal and load each batch on a writer thread while the next batch is validated.

    The drivers let go of the GIL inside SQLite's step and PostgreSQL's socket writes, so the
    load overlaps the Python validation loop. Only the writer touches the connection meanwhile.
    Returns (rows staged, whether any row brought social accounts).
    """
    raw = _driver(db_session)
    pending: queue.Queue[Batch | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def write() -> None:
        while (batch := pending.get()) is not None:
            if failure:
                continue  # drain until the reader stops
            try:
                _seal_contacts(raw, dialect, batch, lookup)
                _load_stage(raw, dialect, batch)
            except BaseException as exc:
                failure.append(exc)

    writer = threading.Thread(target=write, name="asn-import-writer", daemon=True)
    writer.start()
    staged, has_accounts = 0, False
    try:
        for batch in batches:
            if failure:
                break
            pending.put(batch)
            staged += len(batch.rows)
            has_accounts = has_accounts or bool(batch.accounts)
    finally:
        pending.put(None)
        writer.join()
    if failure:
        raise failure[0]
    return staged, has_accounts


_CHANGED = (
    "asn.name IS NOT s.name OR asn.kind IS NOT s.kind OR asn.position IS NOT s.position OR "
    "asn.golongan IS NOT s.golongan OR asn.opd_id IS NOT s.opd_id OR "
    "asn.unit_id IS NOT s.unit_id OR asn.is_active IS NOT TRUE OR "
    # a file without contact data keeps the stored contact; an unchanged contact reuses the
    # stored blob (see _seal_contacts), so a differing blob is a changed contact
    "(s.contact_enc IS NOT NULL AND asn.contact_enc IS NOT s.contact_enc)"
)
_ASN_COLS = (
    "nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc, "
    "is_active, created_at, updated_at"
)
_STAGE_SELECT = (
    "s.nip, s.name, s.kind, s.position, s.golongan, s.opd_id, s.unit_id, "
    "s.region_code, s.contact_enc, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
)


# A first import at least this large into an empty registry loads `asn` on PostgreSQL without
# its foreign keys and secondary indexes and restores them after: checking two foreign keys row by
# row costs more than the insert itself, checking them once over the table costs little.
BULK_REBUILD_MIN_ROWS = 100_000


def _pg_detach_constraints(db_session: Session) -> list[str]:
    """Drop asn's foreign keys, unique constraints and plain indexes; return what restores them.

    The definitions are read from the catalogue, so the restored schema is the migrated one. The
    DDL holds an exclusive lock on `asn` until commit, acceptable only because it is empty.
    """
    constraints = db_session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'asn'::regclass AND contype IN ('f', 'u') ORDER BY contype DESC"
        )
    ).all()
    indexes = db_session.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
            "tablename = 'asn' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'asn'::regclass)"
        )
    ).all()
    restore: list[str] = []
    for name, definition in constraints:
        db_session.execute(text(f'ALTER TABLE asn DROP CONSTRAINT "{name}"'))
        restore.append(f'ALTER TABLE asn ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        db_session.execute(text(f'DROP INDEX "{name}"'))
        restore.append(str(definition))
    return restore


def _merge(
    db_session: Session,
    dialect: str,
    report: ImportReport,
    staged: int,
    registry_empty: bool,
    has_accounts: bool,
) -> None:
    """Update the ASN that changed, insert the new ones in NIP order, replace their accounts.

    An UPDATE … FROM touching only changed rows, then a plain INSERT, are much cheaper than an
    upsert that probes the unique index for every row; into an empty registry only the INSERT
    runs.
    """
    updated = 0
    if not registry_empty:
        changed = (
            _CHANGED if dialect == "sqlite" else _CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")
        )
        updated = db_session.execute(
            text(
                "UPDATE asn SET name = s.name, kind = s.kind, position = s.position, "  # noqa: S608
                "golongan = s.golongan, opd_id = s.opd_id, unit_id = s.unit_id, is_active = TRUE, "
                "contact_enc = COALESCE(s.contact_enc, asn.contact_enc), "
                "updated_at = CURRENT_TIMESTAMP FROM asn_stage s "
                f"WHERE asn.nip = s.nip AND ({changed})"
            )
        ).rowcount  # type: ignore[attr-defined]
    new_only = (
        "" if registry_empty else (" WHERE NOT EXISTS (SELECT 1 FROM asn a WHERE a.nip = s.nip)")
    )
    restore = (
        _pg_detach_constraints(db_session)
        if registry_empty and dialect == "postgresql" and staged >= BULK_REBUILD_MIN_ROWS
        else []
    )
    inserted = db_session.execute(
        text(
            f"INSERT INTO asn ({_ASN_COLS}) SELECT {_STAGE_SELECT} "  # noqa: S608
            f"FROM asn_stage s{new_only} "
            "ORDER BY s.nip"
        )
    ).rowcount  # type: ignore[attr-defined]
    for statement in restore:
        db_session.execute(text(statement))
    report.inserted, report.updated = inserted, updated
    report.unchanged = staged - inserted - updated
    if has_accounts:
        if not registry_empty:
            db_session.execute(
                text(
                    "DELETE FROM social_account WHERE asn_id IN (SELECT a.id FROM asn_stage_account sa "
                    "JOIN asn a ON a.nip = sa.nip)"
                )
            )
        db_session.execute(
            text(
                "INSERT INTO social_account (asn_id, platform, handle) SELECT DISTINCT a.id, "
                "sa.platform, sa.handle FROM asn_stage_account sa JOIN asn a ON a.nip = sa.nip"
            )
        )
    db_session.execute(text("DROP TABLE asn_stage"))
    db_session.execute(text("DROP TABLE asn_stage_account"))


# ---------------------------------------------------------------- first import

# A first import into an empty registry needs neither the staging table nor the merge: nothing can
# be updated, owned by another region or taken by another ASN, so valid rows go straight into
# `asn` (SQLite executemany, PostgreSQL COPY) inside the import's transaction; errors and dry runs
# roll it back like before. Only social accounts are staged, to join them to the new ids.

# A CSV first import of at least this many rows (estimated from the file's first 64 KiB) is read
# and validated by two worker processes, one per half of the file; smaller files, XLSX and
# re-imports stay in this process. Tests lower it.
PARALLEL_MIN_ROWS = 50_000

_ASN_INSERT_COLS = (
    "nip, name, kind, position, golongan, opd_id, unit_id, region_code, "
    "contact_enc, is_active, created_at, updated_at"
)
_STAMP_RE = re.compile(r"[0-9][0-9 :.+\-T]*")
# COPY text format: backslash, tab, newline and carriage return must be escaped in a value
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_value(value: str) -> str:
    if value.isprintable() and "\\" not in value:
        return value
    return value.translate(_COPY_ESCAPES)


_EIGHTEEN = re.compile(".{18}", re.DOTALL)


class _Fallback(Exception):
    """The parallel path cannot vouch for its result; the import is redone in one process."""


@dataclass
class _FirstLoad:
    """How one first import writes: the dialect, the timestamp every row gets, the sealing key."""

    dialect: str
    region_code: str
    stamp: str

    def seal(self, batch: Batch) -> None:
        """Seal each row's contact (nothing is stored yet, so nothing can be reused)."""
        if not batch.contacts:
            return
        encrypt = keyring().encrypt
        rows = batch.rows
        for index, nip, plain in batch.contacts:
            rows[index][9] = encrypt(plain, nip.encode())

    def encode(self, batch: Batch) -> bytes:
        """The sealed batch as the bytes `write` takes: COPY text, or pickled rows for SQLite."""
        if self.dialect != "postgresql":
            return pickle.dumps(batch.rows, protocol=pickle.HIGHEST_PROTOCOL)
        tail = f"\t{_copy_value(self.region_code)}\t"
        end = f"\tt\t{self.stamp}\t{self.stamp}\n"
        null, hex_mark, copy_value = "\\N", "\\\\x", _copy_value
        out = []
        for _, nip, name, kind, position, golongan, opd_id, unit_id, _, sealed in batch.rows:
            out.append(
                f"{nip}\t{copy_value(name)}\t{kind}\t{copy_value(position)}\t{golongan}\t"
                f"{opd_id}\t{null if unit_id is None else unit_id}{tail}"
                f"{null if sealed is None else hex_mark + sealed.hex()}{end}"
            )
        return "".join(out).encode()

    def write(
        self, raw: Any, data: bytes | list[StageRow], accounts: list[tuple[int, str, str, str]]
    ) -> None:
        """Insert rows (encoded, or for SQLite also as the rows themselves) and stage accounts."""
        if self.dialect == "postgresql":
            with raw.cursor() as cur:
                with cur.copy(f"COPY asn ({_ASN_INSERT_COLS}) FROM STDIN") as copy:
                    copy.write(data)
                if accounts:
                    with cur.copy(
                        "COPY asn_stage_account (row_no, nip, platform, handle) FROM STDIN"
                    ) as copy:
                        for a in accounts:
                            copy.write_row(a)
            return
        rows = pickle.loads(data) if isinstance(data, bytes) else data  # noqa: S301 (our worker)
        cur = raw.cursor()
        # ?1 is the row number, which `asn` does not keep
        cur.executemany(
            f"INSERT INTO asn ({_ASN_INSERT_COLS}) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "  # noqa: S608
            f"TRUE, '{self.stamp}', '{self.stamp}')",
            rows,
        )
        if accounts:
            cur.executemany("INSERT INTO asn_stage_account VALUES (?,?,?,?)", accounts)
        cur.close()

    def write_batch(self, raw: Any, batch: Batch) -> None:
        self.seal(batch)
        data = self.encode(batch) if self.dialect == "postgresql" else batch.rows
        self.write(raw, data, batch.accounts)


def _first_load(db_session: Session, dialect: str, region_code: str) -> _FirstLoad:
    if dialect == "postgresql":
        stamp = str(db_session.execute(text("SELECT CAST(CURRENT_TIMESTAMP AS TEXT)")).scalar())
    else:
        stamp = str(db_session.execute(text("SELECT CURRENT_TIMESTAMP")).scalar())
    if not _STAMP_RE.fullmatch(stamp):  # it is written into the SQL text below
        raise ValueError(f"unexpected CURRENT_TIMESTAMP {stamp!r}")
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage_account"))
    db_session.execute(
        text(
            "CREATE TEMP TABLE asn_stage_account (row_no INTEGER, nip VARCHAR(18), platform TEXT, "
            "handle TEXT)"
        )
    )
    return _FirstLoad(dialect, region_code, stamp)


def _estimate_rows(path: Path) -> int:
    """Data rows in a CSV, judged from the length of the lines in its first 64 KiB."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    lines = head.count(b"\n")
    if len(head) >= size:
        return max(lines - 1, 1 if len(head.splitlines()) > 1 else 0)
    return size * lines // max(len(head), 1)


class _ByteRange(io.RawIOBase):
    """Bytes [start, end) of a file, as a readable raw stream."""

    def __init__(self, path: Path, start: int, end: int) -> None:
        self._fh = path.open("rb")
        self._fh.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        n = self._fh.readinto(memoryview(buffer)[: min(len(buffer), self._left)]) or 0
        self._left -= n
        return n

    def close(self) -> None:
        self._fh.close()
        super().close()


def _split(path: Path) -> tuple[int, int] | None:
    """(mid, lines before mid): a split just after the newline that follows the middle byte.

    Whether `mid` really starts a record, and whether every record before it is one line, the
    first worker checks (see `_validate_part`); if not, the import falls back to one process.
    """
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(size // 2)
        window = fh.read(1 << 16)
        newline = window.find(b"\n")
        if newline < 0:
            return None
        mid = size // 2 + newline + 1
        if mid >= size:
            return None
        fh.seek(0)
        lines, left = 0, mid
        while left > 0:
            block = fh.read(min(left, 1 << 20))
            if not block:
                return None
            lines += block.count(b"\n")
            left -= len(block)
    return mid, lines


@dataclass
class _Part:
    """One worker's share of a CSV: bytes [start, end), the first file row it holds."""

    index: int
    start: int
    end: int
    first_row: int


@dataclass
class _Job:
    path: Path
    delimiter: str
    columns: dict[str, int]
    opds: OpdIndex
    region_code: str
    today: date | None
    load: _FirstLoad
    boundary_row: int  # the file row of the last record before the split


def _validate_part(job: _Job, part: _Part, out: Any) -> None:
    """Worker: validate, seal and encode one part; send ("batch", …) messages, then ("done", …).

    The first part is read with `strict=True`: a quoted field still open at the split raises
    instead of passing silently, and its last record must be the line count's row, so the second
    part's row numbers are right. Any doubt ends in ("failed", …) and the parent starts over in
    one process.
    """
    try:
        raw = _ByteRange(job.path, part.start, part.end)
        stream = io.TextIOWrapper(
            io.BufferedReader(raw, 1 << 16),
            encoding="utf-8-sig" if part.index == 0 else "utf-8",
            newline="",
        )
        with stream:
            reader = csv.reader(stream, delimiter=job.delimiter, strict=part.index == 0)
            if part.index == 0:
                next(reader)  # the header, already read by the parent
            report = ImportReport()
            state = SeenState()
            for batch in validate_rows(
                reader,
                job.columns,
                job.opds,
                job.region_code,
                report,
                today=job.today,
                start=part.first_row,
                state=state,
            ):
                job.load.seal(batch)
                out.put(
                    (part.index, "batch", batch.last_row, job.load.encode(batch), batch.accounts)
                )
        if part.index == 0 and state.last_row != job.boundary_row:
            raise _Fallback(f"records before the split: {state.last_row} != {job.boundary_row}")
        out.put((part.index, "done", report, "".join(state.nips), list(state.accounts)))
    except BaseException as exc:  # reported to the parent, which starts over
        out.put((part.index, "failed", repr(exc), None, None))


def _stage_parallel(
    db_session: Session, job: _Job, report: ImportReport, on_row: Callable[[int], None] | None
) -> tuple[int, bool]:
    """Validate the two halves of a CSV in two processes; write their rows as they arrive.

    Batches are written as they come, from either half, inside the import's transaction. The
    verdicts of the second worker equal those of one pass over the whole file when no NIP or
    account it saw appeared in the first half; that is checked at the end. Otherwise (or on a
    worker failure, or a unique-NIP violation while writing) `_Fallback` is raised: the caller
    rolls back and starts over in one process, so duplicate reports name the first row exactly as
    a single pass does.
    """
    split = _split(job.path)
    if split is None:
        raise _Fallback("no split point")
    mid, lines = split
    job.boundary_row = lines
    size = job.path.stat().st_size
    parts = [_Part(0, 0, mid, 2), _Part(1, mid, size, lines + 1)]
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue(maxsize=8)
    procs = [
        ctx.Process(
            target=_validate_part,
            args=(job, part, out),
            daemon=True,
            name=f"asn-import-{part.index}",
        )
        for part in parts
    ]
    raw = _driver(db_session)
    has_accounts = False
    read = [0, 0]
    done: dict[int, tuple[ImportReport, str, list[tuple[str, str]]]] = {}
    for proc in procs:
        proc.start()
    try:
        while len(done) < 2:
            try:
                index, kind, a, b, c = out.get(timeout=1.0)
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in procs):
                    raise _Fallback("a worker died") from None
                continue
            if kind == "failed":
                raise _Fallback(a)
            if kind == "done":
                done[index] = (a, b, c)
                continue
            try:
                job.load.write(raw, b, c)
            except Exception as exc:  # e.g. a NIP in both halves hitting SQLite's unique index
                raise _Fallback(repr(exc)) from None
            has_accounts = has_accounts or bool(c)
            read[index] = a - parts[index].first_row + 1
            if on_row:
                on_row(1 + read[0] + read[1])  # the halves arrive interleaved: rows read so far
        first, second = done[0], done[1]
        # the NIPs come joined (each is 18 digits once valid): split and compare them in C
        seen = set(_EIGHTEEN.findall(first[1]))
        if not seen.isdisjoint(_EIGHTEEN.findall(second[1])) or not set(first[2]).isdisjoint(
            second[2]
        ):
            raise _Fallback("a NIP or account appears in both halves")
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
            proc.join()
        out.close()
        out.cancel_join_thread()
    r0, r1 = first[0], second[0]
    report.rows, report.valid = r0.rows + r1.rows, r0.valid + r1.valid
    report.error_count = r0.error_count + r1.error_count
    report.errors = (r0.errors + r1.errors)[:MAX_DETAILED_ERRORS]
    return report.valid, has_accounts


def _stage_first(
    db_session: Session, load: _FirstLoad, batches: Iterator[Batch]
) -> tuple[int, bool]:
    """Serial first import: seal and write each batch on a writer thread (see `_stage`)."""
    raw = _driver(db_session)
    pending: queue.Queue[Batch | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def write() -> None:
        while (batch := pending.get()) is not None:
            if failure:
                continue
            try:
                load.write_batch(raw, batch)
            except BaseException as exc:
                failure.append(exc)

    writer = threading.Thread(target=write, name="asn-import-writer", daemon=True)
    writer.start()
    staged, has_accounts = 0, False
    try:
        for batch in batches:
            if failure:
                break
            pending.put(batch)
            staged += len(batch.rows)
            has_accounts = has_accounts or bool(batch.accounts)
    finally:
        pending.put(None)
        writer.join()
    if failure:
        raise failure[0]
    return staged, has_accounts


def _finish_first(
    db_session: Session, report: ImportReport, staged: int, has_accounts: bool, restore: list[str]
) -> None:
    if restore:  # sort the index builds in memory; the setting ends with the transaction
        db_session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    for statement in restore:
        db_session.execute(text(statement))
    report.inserted, report.updated, report.unchanged = staged, 0, 0
    if has_accounts:
        db_session.execute(
            text(
                "INSERT INTO social_account (asn_id, platform, handle) SELECT DISTINCT a.id, "
                "sa.platform, sa.handle FROM asn_stage_account sa JOIN asn a ON a.nip = sa.nip"
            )
        )
    db_session.execute(text("DROP TABLE asn_stage_account"))


# SQLite's default page cache (2 MB) makes index probes on a large `asn` go to the OS for every
# page; an import gets a larger one for its duration.
_SQLITE_IMPORT_CACHE_KIB = 256 * 1024


def import_asn(
    *,
    db_session: Session,
    path: Path,
    region_code: str,
    actor: Actor,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    partial: bool = False,
    today: date | None = None,
    max_bytes: int | None = None,
    on_row: Callable[[int], None] | None = None,
) -> ImportReport:
    """Validate and import a file of ASN as one unit of work: it commits, or changes nothing.

    The session must hold no pending work of the caller's. Raises ImportFailed (with the row
    report) when rows are invalid and `partial` is off. A dry run validates everything, the
    database checks included, and rolls back.
    """
    kw: dict[str, Any] = dict(
        db_session=db_session,
        path=path,
        region_code=region_code,
        actor=actor,
        mapping=mapping,
        dry_run=dry_run,
        partial=partial,
        today=today,
        max_bytes=max_bytes,
        on_row=on_row,
    )
    try:
        return _import_asn(**kw, parallel=True)
    except _Fallback:  # everything was rolled back; one process gives the same verdicts
        return _import_asn(**kw, parallel=False)


def _import_asn(
    *,
    db_session: Session,
    path: Path,
    region_code: str,
    actor: Actor,
    mapping: dict[str, str] | None,
    dry_run: bool,
    partial: bool,
    today: date | None,
    max_bytes: int | None,
    on_row: Callable[[int], None] | None,
    parallel: bool,
) -> ImportReport:
    headers, rows = open_table(path, max_bytes)
    columns = map_headers(headers, mapping)
    opds = OpdIndex.load(db_session, region_code)
    report = ImportReport()
    dialect = db_session.get_bind().dialect.name
    cache_before = None
    try:
        if dialect == "sqlite":
            cache_before = db_session.execute(text("PRAGMA cache_size")).scalar()
            db_session.execute(text(f"PRAGMA cache_size = -{_SQLITE_IMPORT_CACHE_KIB}"))
        registry_empty = db_session.execute(text("SELECT 1 FROM asn LIMIT 1")).first() is None
        rejected: set[int] = set()
        if registry_empty:
            is_csv = sniff_format(path) == "csv"
            estimate = _estimate_rows(path) if is_csv else 0
            load = _first_load(db_session, dialect, region_code)
            restore = (
                _pg_detach_constraints(db_session)
                if dialect == "postgresql" and estimate >= BULK_REBUILD_MIN_ROWS
                else []
            )
            if parallel and is_csv and estimate >= PARALLEL_MIN_ROWS and (os.cpu_count() or 1) > 1:
                with path.open(newline="", encoding="utf-8-sig") as fh:
                    delimiter = _csv_delimiter(fh.read(8192))
                # the workers read the file themselves: start this reader and stop it, which
                # closes its file (a reader never started would leave it to the collector)
                next(rows, None)
                if isinstance(rows, Generator):
                    rows.close()
                job = _Job(path, delimiter, columns, opds, region_code, today, load, 0)
                staged, has_accounts = _stage_parallel(db_session, job, report, on_row)
            else:
                staged, has_accounts = _stage_first(
                    db_session,
                    load,
                    validate_rows(
                        rows, columns, opds, region_code, report, today=today, on_row=on_row
                    ),
                )
        else:
            _create_stage(db_session, dialect)
            staged, has_accounts = _stage(
                db_session,
                dialect,
                validate_rows(rows, columns, opds, region_code, report, today=today, on_row=on_row),
                lookup=True,
            )
        if report.rows == 0:
            raise _file_problem(
                "import.no_rows",
                "Berkas hanya berisi judul kolom, tanpa data.",
                "The file holds only the header row, no data.",
            )
        if not registry_empty:
            rejected = set(_database_checks(db_session, report, has_accounts))
        report.valid -= len(rejected)
        report.errors.sort(key=lambda e: e.row)
        if report.error_count and not partial:
            raise ImportFailed(report)
        if dry_run:
            db_session.rollback()
            return report
        if registry_empty:
            _finish_first(db_session, report, staged, has_accounts, restore)
        else:
            if rejected:
                ids = ",".join(str(r) for r in sorted(rejected))
                db_session.execute(text(f"DELETE FROM asn_stage_account WHERE row_no IN ({ids})"))  # noqa: S608
                delete = f"DELETE FROM asn_stage WHERE row_no IN ({ids})"  # noqa: S608
                staged -= db_session.execute(text(delete)).rowcount  # type: ignore[attr-defined]
            _merge(db_session, dialect, report, staged, registry_empty, has_accounts)
        audit.record(
            db_session,
            actor=actor,
            action="registry.import_asn",
            object_type="region",
            object_id=region_code,
            region_code=region_code,
            summary={
                "file": path.name,
                "rows": report.rows,
                "inserted": report.inserted,
                "updated": report.updated,
                "errors": report.error_count,
                "partial": partial,
            },
        )
        db_session.commit()
        report.written = True
        return report
    except BaseException:
        db_session.rollback()
        raise
    finally:
        if cache_before is not None:
            db_session.execute(text(f"PRAGMA cache_size = {int(cache_before)}"))
            db_session.commit()
