"""Reading the BKPSDM table: CSV or XLSX by its bytes, the guards against bad files, the headers."""

from __future__ import annotations

import codecs
import csv
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from netral.core.errors import ValidationFailed, problem
from netral.core.settings import get_settings
from netral.registry.importer.report import file_problem

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


def normalise_header(name: str) -> str:
    """'No. HP ' -> 'nohp': lower case, letters and digits only."""
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


def sniff_format(path: Path) -> str:
    """'csv' or 'xlsx', decided by the bytes, not the file name."""
    with path.open("rb") as fh:
        head = fh.read(65536)
    if not head:
        raise file_problem("import.empty", "Berkas kosong.", "The file is empty.")
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith((b"\xd0\xcf\x11\xe0", b"%PDF", b"\x7fELF", b"MZ")) or b"\x00" in head:
        raise file_problem(
            "import.format",
            "Berkas bukan CSV atau XLSX. Simpan ulang dari Excel sebagai .xlsx atau CSV UTF-8.",
            "The file is neither CSV nor XLSX. Save it again from Excel as .xlsx or UTF-8 CSV.",
        )
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise file_problem(
            "import.encoding",
            "Berkas CSV bukan UTF-8. Simpan sebagai 'CSV UTF-8 (Comma delimited)'.",
            "The CSV file is not UTF-8. Save it as 'CSV UTF-8 (Comma delimited)'.",
        ) from None
    return "csv"


def estimate_rows(path: Path) -> int:
    """Data rows in a CSV, judged from the length of the lines in its first 64 KiB."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    lines = head.count(b"\n")
    if len(head) >= size:
        return max(lines - 1, 1 if len(head.splitlines()) > 1 else 0)
    return size * lines // max(len(head), 1)


def csv_delimiter(sample: str) -> str:
    """';' when the sample holds more semicolons than commas (Excel in Indonesian), else ','."""
    return ";" if sample.count(";") > sample.count(",") else ","


def _read_csv(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    fh = path.open(newline="", encoding="utf-8-sig")
    sample = fh.read(8192)
    fh.seek(0)
    delimiter = csv_delimiter(sample)
    reader = csv.reader(fh, delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        fh.close()
        raise file_problem("import.empty", "Berkas kosong.", "The file is empty.") from None
    except csv.Error as exc:
        fh.close()
        raise file_problem("import.csv", f"CSV rusak: {exc}", f"Broken CSV: {exc}") from None

    def rows() -> Iterator[list[str]]:
        with fh:
            try:
                yield from reader
            except (csv.Error, UnicodeDecodeError) as exc:
                raise file_problem(
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
                raise file_problem(
                    "import.format",
                    "Berkas ZIP ini bukan buku kerja Excel (.xlsx).",
                    "This ZIP file is not an Excel workbook (.xlsx).",
                )
            if sum(i.file_size for i in zf.infolist()) > 20 * max_bytes:
                raise file_problem(
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
                            raise file_problem(
                                "import.merged_cells",
                                f"Lembar kerja berisi sel gabungan ({ref}). Pisahkan sel gabungan "
                                "dan pastikan baris pertama berisi satu judul per kolom.",
                                f"The sheet has merged cells ({ref}). Unmerge them and make the "
                                "first row hold one title per column.",
                            )
                        tail = chunk[-64:]
    except zipfile.BadZipFile:
        raise file_problem(
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
        raise file_problem("import.empty", "Lembar kerja kosong.", "The sheet is empty.") from None
    headers = ["" if v is None else str(v) for v in first]
    while headers and headers[-1] == "":
        headers.pop()

    def rows() -> Iterator[list[str]]:
        try:
            for n, values in enumerate(it, start=2):
                out = []
                for col, v in enumerate(values):
                    if isinstance(v, str) and v.startswith("="):
                        raise file_problem(
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


def check_file(path: Path, max_bytes: int | None = None) -> tuple[str, int]:
    """('csv' or 'xlsx', the size limit) of a file that passed the checks refusing a bad file."""
    max_bytes = max_bytes or get_settings().import_max_mb * 1024 * 1024
    if not path.is_file():
        raise file_problem(
            "import.not_found", f"Berkas tidak ditemukan: {path}", f"File not found: {path}"
        )
    size = path.stat().st_size
    if size > max_bytes:
        mb = max_bytes // (1024 * 1024)
        raise file_problem(
            "import.too_large",
            f"Berkas terlalu besar ({size / 1048576:.0f} MB; batas {mb} MB). Bagi per OPD, atau "
            "naikkan NETRAL_IMPORT_MAX_MB.",
            f"The file is too large ({size / 1048576:.0f} MB; limit {mb} MB). Split it by OPD, or "
            "raise NETRAL_IMPORT_MAX_MB.",
        )
    return sniff_format(path), max_bytes


def open_table(path: Path, max_bytes: int | None = None) -> tuple[list[str], Iterator[list[str]]]:
    """(headers, data rows) of a CSV or XLSX file, after the checks that refuse a bad file."""
    fmt, max_bytes = check_file(path, max_bytes)
    if fmt == "xlsx":
        return _read_xlsx(path, max_bytes)
    return _read_csv(path)
