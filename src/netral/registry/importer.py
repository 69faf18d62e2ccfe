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
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
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
    "nip": "NIP", "name": "Nama", "kind": "Jenis", "position": "Jabatan",
    "golongan": "Golongan", "opd": "OPD", "unit": "Unit", "email": "Email",
    "phone": "Telepon", "accounts": "Akun Medsos",
}
KINDS = {"PNS": "PNS", "PPPK": "PPPK", "P3K": "PPPK"}
PLATFORMS = ("instagram", "facebook", "x", "tiktok", "youtube", "threads")
GOLONGAN_RE = re.compile(r"^(I|II|III|IV)/[a-e]$|^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII)$")
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
        return {"row": self.row, "column": self.column, "code": self.code,
                "message": self.message_en if lang == "en" and self.message_en else self.message}


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
            "rows": self.rows, "valid": self.valid, "error_count": self.error_count,
            "errors": [e.as_dict(lang) for e in self.errors],
            "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
            "written": self.written,
        }


class ImportFailed(ValidationFailed):
    """The file was refused; `report` says which rows and why. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            problem(
                "import.rows_invalid",
                f"{report.error_count} kesalahan pada {report.rows} baris; tidak ada yang disimpan. "
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
            problems.append(problem(
                "import.mapping_unknown",
                f"Kolom tujuan '{canonical}' tidak dikenal; pilihan: {', '.join(HEADER_ALIASES)}.",
                f"Unknown target column '{canonical}'; choices: {', '.join(HEADER_ALIASES)}.",
                field="mapping"))
        elif normalise_header(header) not in norm:
            problems.append(problem(
                "import.mapping_missing",
                f"Kolom '{header}' tidak ada di berkas.",
                f"The file has no column '{header}'.", field="mapping"))
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
        problems.append(problem(
            "import.header_missing",
            f"Kolom wajib tidak ditemukan: {wanted}. Baris pertama harus berisi judul kolom "
            f"(ditemukan: {', '.join(headers) or 'kosong'}).",
            f"Required columns not found: {wanted}. The first row must hold the column titles "
            f"(found: {', '.join(headers) or 'none'}).", field="header"))
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
            "The file is neither CSV nor XLSX. Save it again from Excel as .xlsx or UTF-8 CSV.")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise _file_problem(
            "import.encoding",
            "Berkas CSV bukan UTF-8. Simpan sebagai 'CSV UTF-8 (Comma delimited)'.",
            "The CSV file is not UTF-8. Save it as 'CSV UTF-8 (Comma delimited)'.") from None
    return "csv"


def _read_csv(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    fh = path.open(newline="", encoding="utf-8-sig")
    sample = fh.read(8192)
    fh.seek(0)
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
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
                    "import.csv", f"CSV rusak pada baris {reader.line_num}: {exc}",
                    f"Broken CSV at line {reader.line_num}: {exc}") from None

    return headers, rows()


def _check_xlsx_container(path: Path, max_bytes: int) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "xl/workbook.xml" not in names:
                raise _file_problem(
                    "import.format", "Berkas ZIP ini bukan buku kerja Excel (.xlsx).",
                    "This ZIP file is not an Excel workbook (.xlsx).")
            if sum(i.file_size for i in zf.infolist()) > 20 * max_bytes:
                raise _file_problem(
                    "import.too_large", "Isi berkas XLSX terlalu besar setelah dibuka.",
                    "The XLSX file is too large once unpacked.")
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
                                "first row hold one title per column.")
                        tail = chunk[-64:]
    except zipfile.BadZipFile:
        raise _file_problem("import.format", "Berkas XLSX rusak.", "The XLSX file is broken.") from None


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
                            "as values before importing.")
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
        raise _file_problem("import.not_found", f"Berkas tidak ditemukan: {path}",
                            f"File not found: {path}")
    size = path.stat().st_size
    if size > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise _file_problem(
            "import.too_large",
            f"Berkas terlalu besar ({size / 1048576:.0f} MB; batas {mb} MB). Bagi per OPD, atau "
            "naikkan NETRAL_IMPORT_MAX_MB.",
            f"The file is too large ({size / 1048576:.0f} MB; limit {mb} MB). Split it by OPD, or "
            "raise NETRAL_IMPORT_MAX_MB.")
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


StageRow = tuple[int, str, str, str, str, str, int, int | None, str, bytes | None]


def validate_rows(
    rows: Iterable[list[str]],
    mapping: dict[str, int],
    opds: OpdIndex,
    region_code: str,
    report: ImportReport,
    *,
    today: date | None = None,
    on_row: Callable[[int], None] | None = None,
) -> Iterator[tuple[list[StageRow], list[tuple[str, str, str]]]]:
    """Yield batches of valid staging rows and their social accounts; errors go to `report`."""
    ring = keyring()
    i_nip, i_name, i_opd = mapping["nip"], mapping["name"], mapping["opd"]
    i_kind, i_pos, i_gol = mapping.get("kind"), mapping.get("position"), mapping.get("golongan")
    i_unit, i_email = mapping.get("unit"), mapping.get("email")
    i_phone, i_acc = mapping.get("phone"), mapping.get("accounts")
    width = max(mapping.values()) + 1
    seen: dict[str, int] = {}
    batch: list[StageRow] = []
    accounts: list[tuple[str, str, str]] = []
    add = report.add
    by_key, units = opds.by_key, opds.units
    row_no = 1
    for row_no, values in enumerate(rows, start=2):
        if len(values) < width:
            if not any(v.strip() for v in values):
                continue  # a blank line is not an error
            values = values + [""] * (width - len(values))
        report.rows += 1
        ok = True
        nip = values[i_nip]
        if nip.startswith("#NUM:"):
            add(row_no, "nip", "nip.number_cell",
                "NIP tersimpan sebagai angka di Excel sehingga digit terakhirnya hilang; format "
                "kolom NIP sebagai Teks lalu ketik ulang.",
                "The NIP is stored as a number in Excel and has lost its last digits; format the "
                "NIP column as Text and type it again.")
            ok = False
        else:
            if " " in nip or len(nip) != 18:
                nip = nip.replace(" ", "").strip()
            code = nip_error(nip, today)
            if code is not None:
                p = describe(code, values[i_nip])
                add(row_no, "nip", code, p.message_id, p.message_en)
                ok = False
            elif nip in seen:
                add(row_no, "nip", "asn.duplicate_nip",
                    f"NIP {nip} sudah muncul di baris {seen[nip]}.",
                    f"NIP {nip} already appears in row {seen[nip]}.")
                ok = False
            else:
                seen[nip] = row_no
        name = values[i_name].strip()
        if not name:
            add(row_no, "nama", "asn.name_empty", "Nama wajib diisi.", "The name is required.")
            ok = False
        kind = "PNS"
        if i_kind is not None and values[i_kind].strip():
            kind = KINDS.get(values[i_kind].strip().upper(), "")
            if not kind:
                add(row_no, "jenis", "asn.kind",
                    f"Jenis ASN '{values[i_kind]}' tidak dikenal; isi PNS atau PPPK.",
                    f"Unknown ASN kind '{values[i_kind]}'; use PNS or PPPK.")
                ok = False
        opd_raw = values[i_opd].strip()
        opd_id = by_key.get(opd_raw.lower()) or by_key.get(normalise_header(opd_raw))
        unit_id = None
        if opd_id is None:
            add(row_no, "opd", "asn.opd_unknown",
                f"OPD '{opd_raw}' tidak dikenal di wilayah {region_code}. Gunakan kode atau nama "
                "OPD yang terdaftar (lihat halaman OPD).",
                f"Unknown OPD '{opd_raw}' in region {region_code}. Use a registered OPD code or "
                "name (see the OPD page).")
            ok = False
        elif i_unit is not None and values[i_unit].strip():
            unit_raw = values[i_unit].strip()
            unit_id = units.get((opd_id, unit_raw.lower())) or units.get(
                (opd_id, normalise_header(unit_raw)))
            if unit_id is None:
                add(row_no, "unit", "asn.unit_unknown",
                    f"Unit '{unit_raw}' tidak ada di bawah OPD {opds.names[opd_id]}.",
                    f"Unit '{unit_raw}' is not under OPD {opds.names[opd_id]}.")
                ok = False
        golongan = values[i_gol].strip() if i_gol is not None else ""
        if golongan and not GOLONGAN_RE.match(golongan):
            add(row_no, "golongan", "asn.golongan",
                f"Golongan '{golongan}' tidak sah; contoh: III/a (PNS) atau IX (PPPK).",
                f"Invalid golongan '{golongan}'; e.g. III/a (PNS) or IX (PPPK).")
            ok = False
        email = values[i_email].strip() if i_email is not None else ""
        if email and not EMAIL_RE.match(email):
            add(row_no, "email", "asn.email", f"Email '{email}' tidak sah.",
                f"Invalid e-mail '{email}'.")
            ok = False
        phone = values[i_phone].strip() if i_phone is not None else ""
        if phone:
            digits = re.sub(r"[\s\-()]", "", phone)
            if not re.fullmatch(r"\+?\d{8,15}", digits):
                add(row_no, "telepon", "asn.phone", f"Nomor telepon '{phone}' tidak sah.",
                    f"Invalid phone number '{phone}'.")
                ok = False
            phone = digits
        acc_raw = values[i_acc].strip() if i_acc is not None else ""
        parsed = parse_accounts(acc_raw) if acc_raw else []
        if parsed is None:
            add(row_no, "akun", "asn.accounts",
                f"Akun medsos '{acc_raw}' tidak bisa dibaca; tulis seperti 'instagram:@nama; "
                f"x:@nama' (platform: {', '.join(PLATFORMS)}).",
                f"Cannot read social accounts '{acc_raw}'; write e.g. 'instagram:@name; x:@name' "
                f"(platforms: {', '.join(PLATFORMS)}).")
            ok = False
        if not ok:
            continue
        report.valid += 1
        contact = ring.encrypt(email + "\x1f" + phone, nip.encode()) if (email or phone) else None
        batch.append((
            row_no, nip, name, kind,
            values[i_pos].strip() if i_pos is not None else "",
            golongan, opd_id, unit_id, region_code, contact,  # type: ignore[arg-type]
        ))
        if parsed:
            accounts.extend((nip, p, h) for p, h in parsed)
        if len(batch) >= BATCH:
            if on_row:
                on_row(row_no)
            yield batch, accounts
            batch, accounts = [], []
    if on_row:
        on_row(row_no)
    if batch or accounts:
        yield batch, accounts


# ---------------------------------------------------------------- writing

_STAGE_COLS = "row_no, nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc"


def _create_stage(db_session: Session, dialect: str) -> None:
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage"))
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage_account"))
    db_session.execute(text(
        "CREATE TEMP TABLE asn_stage (row_no INTEGER, nip VARCHAR(18), name TEXT, kind TEXT, "
        f"position TEXT, golongan TEXT, opd_id INTEGER, unit_id INTEGER, region_code TEXT, "
        f"contact_enc {blob})"))
    db_session.execute(text(
        "CREATE TEMP TABLE asn_stage_account (nip VARCHAR(18), platform TEXT, handle TEXT)"))


def _load_stage(
    db_session: Session, dialect: str, batch: list[StageRow], accounts: list[tuple[str, str, str]]
) -> None:
    raw = db_session.connection().connection.driver_connection
    assert raw is not None
    if dialect == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY asn_stage ({_STAGE_COLS}) FROM STDIN") as copy:
                for r in batch:
                    copy.write_row(r)
            if accounts:
                with cur.copy("COPY asn_stage_account (nip, platform, handle) FROM STDIN") as copy:
                    for a in accounts:
                        copy.write_row(a)
    else:
        cur = raw.cursor()
        cur.executemany(f"INSERT INTO asn_stage ({_STAGE_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?)",
                        batch)
        if accounts:
            cur.executemany("INSERT INTO asn_stage_account VALUES (?,?,?)", accounts)
        cur.close()


def _reject(db_session: Session, report: ImportReport, sql: str, column: str, code: str,
            msg: Callable[[Any], tuple[str, str]]) -> list[int]:
    bad = db_session.execute(text(sql)).all()
    for r in bad:
        m_id, m_en = msg(r)
        report.add(int(r[0]), column, code, m_id, m_en)
    return [int(r[0]) for r in bad]


def _database_checks(db_session: Session, report: ImportReport, region_code: str) -> list[int]:
    """Checks that need the database: rows owned by another region, handles owned by another ASN."""
    other = _reject(
        db_session, report,
        "SELECT s.row_no, s.nip, a.region_code FROM asn_stage s JOIN asn a ON a.nip = s.nip "
        "WHERE a.region_code <> s.region_code",
        "nip", "asn.other_region",
        lambda r: (f"NIP {r[1]} terdaftar di wilayah {r[2]}; pindah wilayah diurus BKPSDM asal.",
                   f"NIP {r[1]} is registered in region {r[2]}; a transfer is done by its BKPSDM."),
    )
    dup_acc = _reject(
        db_session, report,
        "SELECT MIN(s.row_no), sa.platform, sa.handle FROM asn_stage_account sa "
        "JOIN asn_stage s ON s.nip = sa.nip GROUP BY sa.platform, sa.handle "
        "HAVING COUNT(DISTINCT sa.nip) > 1",
        "akun", "asn.account_duplicate",
        lambda r: (f"Akun {r[1]}:@{r[2]} dicantumkan untuk lebih dari satu ASN di berkas.",
                   f"Account {r[1]}:@{r[2]} is listed for more than one ASN in the file."),
    )
    taken = _reject(
        db_session, report,
        "SELECT s.row_no, sa.platform, sa.handle, a.nip FROM asn_stage_account sa "
        "JOIN asn_stage s ON s.nip = sa.nip "
        "JOIN social_account x ON x.platform = sa.platform AND x.handle = sa.handle "
        "JOIN asn a ON a.id = x.asn_id WHERE a.nip <> sa.nip",
        "akun", "asn.account_taken",
        lambda r: (f"Akun {r[1]}:@{r[2]} sudah tercatat milik ASN lain (NIP {r[3]}).",
                   f"Account {r[1]}:@{r[2]} already belongs to another ASN (NIP {r[3]})."),
    )
    return other + dup_acc + taken


_CHANGED = (
    "asn.name IS NOT excluded.name OR asn.kind IS NOT excluded.kind OR "
    "asn.position IS NOT excluded.position OR asn.golongan IS NOT excluded.golongan OR "
    "asn.opd_id IS NOT excluded.opd_id OR asn.unit_id IS NOT excluded.unit_id OR "
    "asn.contact_enc IS NOT excluded.contact_enc OR asn.is_active IS NOT excluded.is_active"
)


def _merge(db_session: Session, dialect: str, report: ImportReport) -> None:
    changed = _CHANGED if dialect == "sqlite" else _CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")
    existing = db_session.execute(text(
        "SELECT COUNT(*) FROM asn_stage s JOIN asn a ON a.nip = s.nip")).scalar_one()
    now = "CURRENT_TIMESTAMP"
    # contact blobs differ on every import (fresh nonce), so they count as a change only when the
    # file brings contact data; compare the rest
    changed = changed.replace(
        "asn.contact_enc IS NOT excluded.contact_enc OR ", "").replace(
        "asn.contact_enc IS DISTINCT FROM excluded.contact_enc OR ", "")
    result = db_session.execute(text(
        "INSERT INTO asn (nip, name, kind, position, golongan, opd_id, unit_id, region_code, "
        "contact_enc, is_active, created_at, updated_at) "
        f"SELECT nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc, "
        f"TRUE, {now}, {now} FROM asn_stage WHERE TRUE ORDER BY nip "
        "ON CONFLICT (nip) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
        "position = excluded.position, golongan = excluded.golongan, opd_id = excluded.opd_id, "
        "unit_id = excluded.unit_id, is_active = excluded.is_active, "
        "contact_enc = COALESCE(excluded.contact_enc, asn.contact_enc), "
        f"updated_at = excluded.updated_at WHERE {changed} "
        "OR (excluded.contact_enc IS NOT NULL)"))
    touched = result.rowcount if result.rowcount is not None and result.rowcount >= 0 else 0
    staged = db_session.execute(text("SELECT COUNT(*) FROM asn_stage")).scalar_one()
    report.inserted = staged - existing
    report.updated = max(touched - report.inserted, 0)
    report.unchanged = staged - report.inserted - report.updated
    db_session.execute(text(
        "DELETE FROM social_account WHERE asn_id IN (SELECT a.id FROM asn a "
        "JOIN asn_stage s ON s.nip = a.nip) AND EXISTS (SELECT 1 FROM asn_stage_account sa "
        "JOIN asn a2 ON a2.nip = sa.nip WHERE a2.id = social_account.asn_id)"))
    db_session.execute(text(
        "INSERT INTO social_account (asn_id, platform, handle) SELECT DISTINCT a.id, sa.platform, "
        "sa.handle FROM asn_stage_account sa JOIN asn a ON a.nip = sa.nip"))
    db_session.execute(text("DROP TABLE asn_stage"))
    db_session.execute(text("DROP TABLE asn_stage_account"))


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
    headers, rows = open_table(path, max_bytes)
    columns = map_headers(headers, mapping)
    opds = OpdIndex.load(db_session, region_code)
    report = ImportReport()
    dialect = db_session.get_bind().dialect.name
    try:
        _create_stage(db_session, dialect)
        for batch, accounts in validate_rows(rows, columns, opds, region_code, report,
                                             today=today, on_row=on_row):
            _load_stage(db_session, dialect, batch, accounts)
        if report.rows == 0:
            raise _file_problem("import.no_rows", "Berkas hanya berisi judul kolom, tanpa data.",
                                "The file holds only the header row, no data.")
        rejected = set(_database_checks(db_session, report, region_code))
        report.valid -= len(rejected)
        report.errors.sort(key=lambda e: e.row)
        if report.error_count and not partial:
            raise ImportFailed(report)
        if dry_run:
            db_session.rollback()
            return report
        if rejected:
            ids = ",".join(str(r) for r in rejected)
            db_session.execute(text(f"DELETE FROM asn_stage_account WHERE nip IN "  # noqa: S608
                                    f"(SELECT nip FROM asn_stage WHERE row_no IN ({ids}))"))
            db_session.execute(text(f"DELETE FROM asn_stage WHERE row_no IN ({ids})"))  # noqa: S608
        _merge(db_session, dialect, report)
        audit.record(
            db_session, actor=actor, action="registry.import_asn", object_type="region",
            object_id=region_code, region_code=region_code,
            summary={"file": path.name, "rows": report.rows, "inserted": report.inserted,
                     "updated": report.updated, "errors": report.error_count,
                     "partial": partial},
        )
        db_session.commit()
        report.written = True
        return report
    except BaseException:
        db_session.rollback()
        raise
