"""A sign-in sheet (daftar hadir) read into rows and matched to the registry: by NIP, or by name.

Pure logic over what the registry answered, so the rules are tested without a database: a row
with a NIP must name a registered ASN; a row with only a name matches when exactly one ASN of
the region carries that name (narrowed by instansi and jabatan when the sheet gives them), and
such a match waits for the organiser's confirmation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from netral.core.errors import Problem, ValidationFailed, problem
from netral.registry.service import AsnRef

# canonical column -> accepted spellings of its header, after normalise_header
COLUMNS: dict[str, tuple[str, ...]] = {
    "nip": ("nip", "nipbaru", "nomorindukpegawai", "nipasn"),
    "nama": ("nama", "namalengkap", "namapegawai", "name", "namaasn", "namapeserta"),
    "jabatan": ("jabatan", "namajabatan", "position"),
    "instansi": ("instansi", "opd", "perangkatdaerah", "unitkerja", "skpd", "asalinstansi"),
}
DEFAULT_HEADER = ("nip", "nama", "jabatan", "instansi")
# Academic and religious titles written around a name on a sheet but not always in the registry.
_TITLES = frozenset({"dr", "drs", "dra", "ir", "h", "hj", "prof", "kh", "apt", "ns"})

MatchedBy = Literal["nip", "name"]


def normalise_header(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.strip().lower())


def normalise_name(name: str) -> str:
    """'Dr. Hj. Siti Aminah, S.E., M.Si.' -> 'siti aminah': no titles, degrees or punctuation."""
    before_degrees = name.split(",", 1)[0]
    words = re.sub(r"[^a-z\s]", " ", before_degrees.lower().replace(".", ". ")).split()
    while words and words[0] in _TITLES:
        words.pop(0)
    return " ".join(words)


def _loose(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def map_columns(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, int]:
    """Canonical column -> index; `overrides` maps canonical -> the header as written (--map)."""
    norm = [normalise_header(h) for h in headers]
    mapping: dict[str, int] = {}
    problems: list[Problem] = []
    for canonical, header in (overrides or {}).items():
        if canonical not in COLUMNS:
            problems.append(
                problem(
                    "attendance.mapping_unknown",
                    f"Kolom tujuan '{canonical}' tidak dikenal; pilihan: {', '.join(COLUMNS)}.",
                    f"Unknown target column '{canonical}'; choices: {', '.join(COLUMNS)}.",
                    field="mapping",
                )
            )
        elif normalise_header(header) not in norm:
            problems.append(
                problem(
                    "attendance.mapping_missing",
                    f"Kolom '{header}' tidak ada di berkas.",
                    f"The file has no column '{header}'.",
                    field="mapping",
                )
            )
        else:
            mapping[canonical] = norm.index(normalise_header(header))
    for canonical, aliases in COLUMNS.items():
        if canonical not in mapping:
            found = next((i for i, h in enumerate(norm) if h in aliases), None)
            if found is not None:
                mapping[canonical] = found
    if not problems and "nip" not in mapping and "nama" not in mapping:
        problems.append(
            problem(
                "attendance.header_missing",
                f"Kolom NIP atau nama tidak ditemukan. Baris pertama harus berisi judul kolom, "
                f"mis. {','.join(DEFAULT_HEADER)} (ditemukan: {', '.join(headers) or 'kosong'}).",
                f"No NIP or name column. The first row must hold the column titles, e.g. "
                f"{','.join(DEFAULT_HEADER)} (found: {', '.join(headers) or 'none'}).",
                field="header",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    return mapping


@dataclass(frozen=True)
class SheetRow:
    row: int  # the line in the file; the header is line 1
    nip: str
    nama: str
    jabatan: str
    instansi: str


def read_rows(rows: Iterable[list[str]], mapping: dict[str, int]) -> list[SheetRow]:
    """The sheet's data rows (blank lines skipped but counted, so row numbers stay exact)."""
    out = []
    for n, values in enumerate(rows, start=2):

        def cell(col: str, values: list[str] = values) -> str:
            i = mapping.get(col)
            return values[i].strip() if i is not None and i < len(values) else ""

        if not any(v.strip() for v in values):
            continue
        out.append(
            SheetRow(
                n, cell("nip").replace(" ", ""), cell("nama"), cell("jabatan"), cell("instansi")
            )
        )
    return out


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    message: str
    message_en: str

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message_en if lang == "en" else self.message,
        }


@dataclass(frozen=True)
class Match:
    row: int
    asn: AsnRef
    by: MatchedBy
    written_name: str = ""  # what the sheet said, shown beside the registry's name


@dataclass
class Plan:
    rows: int = 0
    matches: list[Match] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def by_nip(self) -> list[Match]:
        return [m for m in self.matches if m.by == "nip"]

    @property
    def by_name(self) -> list[Match]:
        return [m for m in self.matches if m.by == "name"]


def _error(row: int, column: str, code: str, msg_id: str, msg_en: str) -> RowError:
    return RowError(row, column, code, msg_id, msg_en)


def match_rows(
    rows: list[SheetRow],
    *,
    by_nip: dict[str, AsnRef],
    people: Callable[[], list[AsnRef]],
    nip_problem: Callable[[str], Problem | None],
) -> Plan:
    """Match each row to one ASN, or say exactly why not. `people` is asked only if a row needs
    a name search (it lists the region's ASN)."""
    plan = Plan(rows=len(rows))
    seen: dict[int, int] = {}  # asn id -> the first row naming them
    names: dict[str, list[AsnRef]] | None = None

    def take(r: SheetRow, asn: AsnRef, by: MatchedBy) -> None:
        first = seen.get(asn.id)
        if first is not None:
            what_id = f"NIP {asn.nip}" if by == "nip" else f"{asn.name} (NIP {asn.nip})"
            plan.errors.append(
                _error(
                    r.row,
                    "nip" if by == "nip" else "nama",
                    "attendance.duplicate",
                    f"{what_id} sudah tercatat pada baris {first}; satu orang hadir sekali.",
                    f"{what_id} is already on row {first}; a person attends once.",
                )
            )
            return
        seen[asn.id] = r.row
        plan.matches.append(Match(r.row, asn, by, r.nama))

    for r in rows:
        if r.nip:
            bad = nip_problem(r.nip)
            if bad is not None:
                plan.errors.append(_error(r.row, "nip", bad.code, bad.message_id, bad.message_en))
                continue
            asn = by_nip.get(r.nip)
            if asn is None:
                plan.errors.append(
                    _error(
                        r.row,
                        "nip",
                        "attendance.nip_unknown",
                        f"NIP {r.nip} tidak ada di registri ASN.",
                        f"NIP {r.nip} is not in the ASN registry.",
                    )
                )
                continue
            take(r, asn, "nip")
            continue
        key = normalise_name(r.nama)
        if not key:
            plan.errors.append(
                _error(
                    r.row,
                    "nip",
                    "attendance.missing",
                    "Baris tanpa NIP dan tanpa nama.",
                    "A row with neither NIP nor name.",
                )
            )
            continue
        if names is None:
            names = {}
            for person in people():
                names.setdefault(normalise_name(person.name), []).append(person)
        found = narrow(names.get(key, []), r)
        if not found:
            plan.errors.append(
                _error(
                    r.row,
                    "nama",
                    "attendance.name_unknown",
                    f"Nama '{r.nama}' tidak ditemukan di registri; tuliskan NIP-nya.",
                    f"No ASN named '{r.nama}' in the registry; write their NIP.",
                )
            )
        elif len(found) > 1:
            plan.errors.append(
                _error(
                    r.row,
                    "nama",
                    "attendance.name_ambiguous",
                    f"Nama '{r.nama}' cocok dengan {len(found)} ASN; tuliskan NIP-nya, atau "
                    "lengkapi instansi dan jabatan.",
                    f"The name '{r.nama}' matches {len(found)} ASN; write their NIP, or add the "
                    "agency and position.",
                )
            )
        else:
            take(r, found[0], "name")
    return plan


def narrow(candidates: list[AsnRef], r: SheetRow) -> list[AsnRef]:
    """Keep the candidates whose OPD and post agree with the sheet, where the sheet says them."""
    for given, attr in ((r.instansi, "opd"), (r.jabatan, "position")):
        want = _loose(given)
        if not want or len(candidates) <= 1:
            continue
        agree = [
            c
            for c in candidates
            if want in _loose(getattr(c, attr)) or _loose(getattr(c, attr)) in want
        ]
        if agree:
            candidates = agree
    return candidates
