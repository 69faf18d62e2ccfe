"""Validating rows, one at a time, into batches ready for staging; errors go to the report.

This is the seam for a columnar validator: `validate_rows` takes raw rows and a `RowContext`,
yields `Batch`es and reports `RowError`s, and touches no database.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from netral.registry.importer.report import ImportReport
from netral.registry.importer.tables import normalise_header
from netral.registry.nip import describe, nip_error

KINDS = {"PNS": "PNS", "PPPK": "PPPK", "P3K": "PPPK"}
PLATFORMS = ("instagram", "facebook", "x", "tiktok", "youtube", "threads")
GOLONGAN_RE = re.compile(
    r"^(I|II|III|IV)/[a-e]$|^(I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII|XIII|XIV|XV|XVI|XVII)$"
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
BATCH = 20_000

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
class OpdIndex:
    """OPD and units of one region, by code and by normalised name."""

    by_key: dict[str, int]
    units: dict[tuple[int, str], int]
    names: dict[int, str]


@dataclass
class RowContext:
    """What every row is checked against: the file's columns, the region, its OPD, the date."""

    columns: dict[str, int]  # canonical column -> index in the file (see `map_headers`)
    opds: OpdIndex
    region_code: str
    today: date | None = None


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
    # (index into rows, nip, "email\x1fphone"): sealed just before staging (see `staging`)
    contacts: list[tuple[int, str, str]] = field(default_factory=list)
    # (row, nip, platform, handle)
    accounts: list[tuple[int, str, str, str]] = field(default_factory=list)


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


def validate_rows(
    rows: Iterable[list[str]],
    context: RowContext,
    report: ImportReport,
    *,
    on_row: Callable[[int], None] | None = None,
    start: int = 2,
    state: SeenState | None = None,
    row_numbers: Iterable[int] | None = None,
) -> Iterator[Batch]:
    """Yield batches of valid staging rows; errors go to `report`.

    This loop is the import's cost: everything that can be decided once per distinct value (OPD
    and unit, kind, golongan) is memoised, and a valid row does no more than it must. The
    columnar engine hands over only the rows it could not clear in bulk, with their file rows in
    `row_numbers`; otherwise rows are numbered from `start`.
    """
    mapping, opds, region_code = context.columns, context.opds, context.region_code
    today = context.today
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
    numbered = (
        enumerate(rows, start=start) if row_numbers is None else zip(row_numbers, rows, strict=True)
    )
    for row_no, values in numbered:
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
    """Report which of the row's OPD or unit is unknown (`_place` found no place)."""
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
