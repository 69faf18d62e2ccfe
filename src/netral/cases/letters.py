"""Official letters as PDF: HTML templates (Jinja2, autoescaped) rendered by WeasyPrint.

Four kinds (`LETTER_KINDS`), each in the official Indonesian layout: kop surat, the
Nomor/Sifat/Lampiran/Hal block with the date line, the "Yth." addressee, the body, the signature
and, where given, the tembusan. The context is a plain dict so the cases service can pass what it
has. A missing *required* key (absent, None or "") raises `letters.missing_field` naming the key; a
missing *optional* key renders as "–". Dates are `date`, instants are `datetime` (naive = UTC, as
stored; shown in WIB); ISO strings are accepted for both.

Keys every kind accepts (all optional):
    signatory      {name, title}: default title "Ketua <lembaga>", name left blank to sign by hand
    sifat          default "Biasa" ("Penting" for rekomendasi)
    lampiran       default "–"
    tembusan       list of str: copies to

``tanda_terima`` (receipt of a report, to the reporter)
    required: report_number, received_at (datetime), reporter_name ("Anonim" = no identity: the
              letter says the report is recorded as informasi awal), summary
    optional: reported_name, reported_position, evidence_count (int), filing_due_on (date: last
              day to file), is_late (bool: filed after the limit -> not registered, kept as
              informasi awal), filing_basis (default "Pasal 134 UU Nomor 10 Tahun 2016")

``undangan_klarifikasi`` (invitation to a clarification hearing)
    required: case_number, addressee_name, hearing_at (datetime, shown in WIB), place, matter
    optional: addressee_position, contact_officer (str, or {name, phone})

``pemberitahuan_status`` (status of a report, to the reporter)
    required: report_number, status_label, reason, decided_on (date)
    optional: case_number, reporter_name (default "Pelapor")

``rekomendasi`` (recommendation to BKN and the PPK)
    required: case_number, asn (list of {name, nip, position, opd, kind "PNS"|"PPPK"}; name and
              nip required), acts (list of {code, name, basis}; name required), follow_up_due
              (date), addressees (list of str), signatory ({name, title})
    optional: ethics ({name, kind, basis}), discipline ({level_name, penalties: [str], basis}),
              criminal ({article, forward_to}), conflict_note (str: the act-8 SKB vs PP 94
              conflict), rulebook_version
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from netral.core.calendar import MONTHS_ID, WIB
from netral.core.errors import NetralError, problem

TEMPLATES = Path(__file__).parent / "templates" / "letters"
DEFAULT_LETTERHEAD = TEMPLATES / "letterhead.yaml"

LETTER_KINDS = (
    "tanda_terima",
    "undangan_klarifikasi",
    "pemberitahuan_status",
    "rekomendasi",
    "penerusan_bkn",  # minimal, from the workflow branch: the letters branch replaces it
)

# Example classification codes (kode klasifikasi arsip), not taken from an official Bawaslu
# table: each deployment puts its own in letterhead.yaml under `numbering.codes`.
DEFAULT_CODES: dict[str, str] = {
    "tanda_terima": "PP.01.00",
    "undangan_klarifikasi": "PP.01.02",
    "pemberitahuan_status": "PP.01.03",
    "rekomendasi": "PP.02.00",
    "penerusan_bkn": "PP.02.01",
}

DASH = "–"

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAN_MONTHS = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

_SUBJECTS = {
    "tanda_terima": "Tanda Terima Laporan Dugaan Pelanggaran Netralitas ASN",
    "undangan_klarifikasi": "Undangan Klarifikasi",
    "pemberitahuan_status": "Pemberitahuan Status Laporan",
    "rekomendasi": "Rekomendasi Penjatuhan Sanksi atas Pelanggaran Netralitas ASN",
    "penerusan_bkn": "Penerusan Dugaan Pelanggaran Netralitas ASN",
}

# (required, optional) top-level keys per kind
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tanda_terima": (
        ("report_number", "received_at", "reporter_name", "summary"),
        (
            "reported_name",
            "reported_position",
            "evidence_count",
            "filing_due_on",
            "is_late",
            "filing_basis",
        ),
    ),
    "undangan_klarifikasi": (
        ("case_number", "addressee_name", "hearing_at", "place", "matter"),
        ("addressee_position", "contact_officer"),
    ),
    "pemberitahuan_status": (
        ("report_number", "status_label", "reason", "decided_on"),
        ("case_number", "reporter_name"),
    ),
    "rekomendasi": (
        ("case_number", "asn", "acts", "follow_up_due", "addressees", "signatory"),
        ("ethics", "discipline", "criminal", "conflict_note", "rulebook_version"),
    ),
    "penerusan_bkn": (
        ("case_number", "register_number", "asn", "acts", "decided_on", "signatory"),
        ("addressees",),
    ),
}
_COMMON_OPTIONAL = ("signatory", "sifat", "lampiran", "tembusan")
_DATETIME_KEYS = {"received_at", "hearing_at"}
_DATE_KEYS = {"filing_due_on", "decided_on", "follow_up_due"}
# nested mappings / list items: every key the templates read, and the required ones among them
_NESTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "asn": (("name", "nip"), ("position", "opd", "kind")),
    "acts": (("name",), ("code", "basis")),
    "signatory": ((), ("name", "title")),
    "ethics": ((), ("name", "kind", "basis")),
    "discipline": ((), ("level_name", "penalties", "basis")),
    "criminal": ((), ("article", "forward_to")),
    "contact_officer": ((), ("name", "phone")),
}
_LISTS = {"asn", "acts", "addressees", "tembusan"}


def _missing(key: str) -> NetralError:
    return NetralError(
        problem(
            "letters.missing_field",
            f"Data surat belum lengkap: '{key}' wajib diisi",
            f"Letter data incomplete: '{key}' is required",
            field=key,
        )
    )


def _bad(key: str, expected_id: str, expected_en: str) -> NetralError:
    return NetralError(
        problem(
            "letters.bad_value",
            f"Nilai '{key}' tidak sah: harus {expected_id}",
            f"Invalid value for '{key}': must be {expected_en}",
            field=key,
        )
    )


def _unknown_kind(kind: str) -> NetralError:
    return NetralError(
        problem(
            "letters.unknown_kind",
            f"Jenis surat tidak dikenal: '{kind}' (pilihan: {', '.join(LETTER_KINDS)})",
            f"Unknown letter kind: '{kind}' (one of: {', '.join(LETTER_KINDS)})",
            field="kind",
        )
    )


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


# ---------------------------------------------------------------------------------------------
# Letterhead and numbering: data, per deployment
# ---------------------------------------------------------------------------------------------


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise NetralError(
            problem(
                "letters.letterhead_invalid",
                f"Berkas kop surat {path} tidak dapat dibaca: {exc}",
                f"Letterhead file {path} cannot be read: {exc}",
                field="letterhead",
            )
        ) from exc
    if not isinstance(data, dict):
        raise NetralError(
            problem(
                "letters.letterhead_invalid",
                f"Berkas kop surat {path} harus berisi pemetaan YAML",
                f"Letterhead file {path} must hold a YAML mapping",
                field="letterhead",
            )
        )
    return data


@dataclass(frozen=True)
class Letterhead:
    """The kop surat; loaded from YAML so each deployment sets its own office."""

    institution: str
    address: str
    phone: str = ""
    email: str = ""
    website: str = ""
    city: str = "Bandung"
    logo_path: Path | None = None
    short_name: str = ""  # "Bawaslu Kota Bandung": used in the body and default signatory title

    @property
    def name(self) -> str:
        return self.short_name or self.institution.title()

    @classmethod
    def load(cls, path: Path | None = None) -> Letterhead:
        """Read `path` (default: the packaged example); its `numbering:` section is not ours."""
        path = path or DEFAULT_LETTERHEAD
        data = _read_yaml(path)
        data.pop("numbering", None)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown or not data.get("institution") or not data.get("address"):
            raise NetralError(
                problem(
                    "letters.letterhead_invalid",
                    f"Kop surat {path}: wajib 'institution' dan 'address'; kunci tak dikenal: "
                    f"{', '.join(unknown) or '-'}",
                    f"Letterhead {path}: 'institution' and 'address' are required; unknown keys: "
                    f"{', '.join(unknown) or '-'}",
                    field="letterhead",
                )
            )
        logo = data.pop("logo_path", None)
        logo_path = (path.parent / str(logo)).resolve() if logo else None
        values = {k: str(v) for k, v in data.items() if v is not None}
        return cls(logo_path=logo_path, **values)


class LetterNumbering:
    """Letter numbers like ``001/PP.01.02/K.JB-12/11/2024`` from a pattern and a code table.

    Pattern fields: seq, code, office, month, month_roman, year. The default codes
    (`DEFAULT_CODES`) are examples; pass the office's own table as `codes`.
    """

    def __init__(
        self,
        pattern: str = "{seq:03d}/{code}/{office}/{month:02d}/{year}",
        office: str = "K.JB-12",
        codes: Mapping[str, str] | None = None,
    ) -> None:
        self.pattern = pattern
        self.office = office
        self.codes: dict[str, str] = dict(DEFAULT_CODES if codes is None else codes)

    @classmethod
    def load(cls, path: Path | None = None) -> LetterNumbering:
        """From the `numbering:` section of a letterhead YAML (pattern, office, codes)."""
        section = _read_yaml(path or DEFAULT_LETTERHEAD).get("numbering") or {}
        kwargs: dict[str, Any] = {k: section[k] for k in ("pattern", "office") if k in section}
        if "codes" in section:
            kwargs["codes"] = {str(k): str(v) for k, v in section["codes"].items()}
        return cls(**kwargs)

    def format(self, *, seq: int, kind: str, when: date) -> str:
        if kind not in self.codes:
            raise _unknown_kind(kind)
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1:
            raise _bad("seq", "bilangan bulat ≥ 1", "an integer ≥ 1")
        return self.pattern.format(
            seq=seq,
            code=self.codes[kind],
            office=self.office,
            month=when.month,
            month_roman=ROMAN_MONTHS[when.month],
            year=when.year,
        )


# ---------------------------------------------------------------------------------------------
# Formatting: Indonesian dates, WIB times, NIP, numbers in words
# ---------------------------------------------------------------------------------------------


def _wib(value: datetime) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # stored as UTC
    return value.astimezone(WIB)


def fmt_date(value: date | datetime | None) -> str:
    """``16 Oktober 2024``; a datetime is taken to its WIB date."""
    if value is None:
        return DASH
    if isinstance(value, datetime):
        value = _wib(value).date()
    return f"{value.day} {MONTHS_ID[value.month]} {value.year}"


def fmt_day_date(value: date | datetime | None) -> str:
    """``Rabu, 16 Oktober 2024``."""
    if value is None:
        return DASH
    d = _wib(value).date() if isinstance(value, datetime) else value
    return f"{DAYS_ID[d.weekday()]}, {fmt_date(d)}"


def fmt_time(value: datetime | None) -> str:
    """``09.30 WIB`` (Indonesian writes the time with a dot)."""
    if value is None:
        return DASH
    return f"{_wib(value):%H.%M} WIB"


def fmt_datetime(value: date | datetime | None) -> str:
    """``Rabu, 16 Oktober 2024 pukul 10.15 WIB``; a plain date prints without the time."""
    if value is None:
        return DASH
    if not isinstance(value, datetime):
        return fmt_day_date(value)
    return f"{fmt_day_date(value)} pukul {fmt_time(value)}"


def fmt_nip(value: Any) -> str:
    """``19850312 201001 1 003``; anything that is not 18 digits is printed as given."""
    if value is None:
        return DASH
    digits = re.sub(r"\s+", "", str(value))
    if len(digits) == 18 and digits.isdigit():
        return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"
    return str(value).strip()


_ONES = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
    "sepuluh",
    "sebelas",
)


def terbilang(n: int) -> str:
    """A number in Indonesian words, as letters write counts: 3 -> "tiga" (0 to 9,999)."""
    if n < 0 or n > 9999:
        return str(n)
    if n < 12:
        return _ONES[n]
    if n < 20:
        return f"{_ONES[n - 10]} belas"
    if n < 100:
        rest = f" {_ONES[n % 10]}" if n % 10 else ""
        return f"{_ONES[n // 10]} puluh{rest}"
    if n < 1000:
        head = "seratus" if n < 200 else f"{_ONES[n // 100]} ratus"
        return head + (f" {terbilang(n % 100)}" if n % 100 else "")
    head = "seribu" if n < 2000 else f"{_ONES[n // 1000]} ribu"
    return head + (f" {terbilang(n % 1000)}" if n % 1000 else "")


def _finalize(value: Any) -> Any:
    # every {{ }} that has nothing to show prints a dash, so a missing optional key is visible
    return DASH if value is None or value == "" else value


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    filters: dict[str, Callable[..., Any]] = {
        "date_id": fmt_date,
        "day_date": fmt_day_date,
        "time_wib": fmt_time,
        "datetime_id": fmt_datetime,
        "nip": fmt_nip,
        "terbilang": terbilang,
    }
    env.filters.update(filters)
    return env


@lru_cache(maxsize=1)
def _css() -> str:
    return (TEMPLATES / "letter.css").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Context checking
# ---------------------------------------------------------------------------------------------


def _coerce_datetime(key: str, value: Any) -> datetime | date:
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(key, "tanggal dan waktu (ISO 8601)", "a date-time (ISO 8601)")


def _coerce_date(key: str, value: Any) -> date:
    if isinstance(value, datetime):
        return _wib(value).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(key, "tanggal (YYYY-MM-DD)", "a date (YYYY-MM-DD)")


def _nested_item(where: str, item: Any, keys: tuple[tuple[str, ...], tuple[str, ...]]) -> Any:
    if not isinstance(item, Mapping):
        raise _bad(where, "pemetaan (dict)", "a mapping (dict)")
    required, optional = keys
    for sub in required:
        if _empty(item.get(sub)):
            raise _missing(f"{where}.{sub}")
    return {**item, **{k: None if _empty(item.get(k)) else item[k] for k in (*required, *optional)}}


def _nested(key: str, value: Any) -> Any:
    """Check a nested value's required keys and give it every key the template reads."""
    if key in _LISTS:
        if not isinstance(value, list | tuple):
            raise _bad(key, "daftar", "a list")
        if key not in _NESTED:
            return [str(v) for v in value]
        return [_nested_item(f"{key}[{i}]", item, _NESTED[key]) for i, item in enumerate(value)]
    if key in _NESTED and not (key == "contact_officer" and isinstance(value, str)):
        return _nested_item(key, value, _NESTED[key])
    return value


def _prepare(kind: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """Every documented key present (None when absent), required ones checked, dates parsed."""
    if kind not in _FIELDS:
        raise _unknown_kind(kind)
    required, optional = _FIELDS[kind]
    out: dict[str, Any] = dict(context)
    for key in required:
        if _empty(context.get(key)):
            raise _missing(key)
    for key in (*required, *optional, *_COMMON_OPTIONAL):
        value = context.get(key)
        if _empty(value):
            out[key] = None
            continue
        if key in _DATETIME_KEYS:
            value = _coerce_datetime(key, value)
        elif key in _DATE_KEYS:
            value = _coerce_date(key, value)
        out[key] = _nested(key, value)
    if kind == "rekomendasi":  # a recommendation is signed by a named commissioner
        for sub in ("name", "title"):
            if _empty(out["signatory"][sub]):
                raise _missing(f"signatory.{sub}")
    return out


# ---------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------


def _logo_data_uri(path: Path | None) -> str | None:
    """Inline the logo so WeasyPrint never has to fetch a file."""
    if path is None:
        return None
    mime = mimetypes.guess_type(path.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def render_html(
    kind: str, context: Mapping[str, Any], *, letterhead: Letterhead, number: str, when: date
) -> str:
    """The letter as one self-contained HTML page (CSS inline, logo as a data URI)."""
    data = _prepare(kind, context)
    anonymous = kind == "tanda_terima" and str(data["reporter_name"]).strip().lower() in (
        "anonim",
        "anonymous",
    )
    template = _env().get_template(f"{kind}.html")
    return template.render(
        **data,
        kind=kind,
        css=_css(),
        letterhead=letterhead,
        logo=_logo_data_uri(letterhead.logo_path),
        number=number,
        when=when,
        subject=_SUBJECTS[kind],
        anonymous=anonymous,
        default_title=f"Ketua {letterhead.name}",
        default_sifat="Penting" if kind == "rekomendasi" else "Biasa",
    )


def render_pdf(
    kind: str, context: Mapping[str, Any], *, letterhead: Letterhead, number: str, when: date
) -> bytes:
    """The letter as PDF bytes (A4)."""
    # heavy import (cairo, pango): only paid by whoever prints
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(kind, context, letterhead=letterhead, number=number, when=when)
    # The HTML is self-contained (inline CSS, logo as data URI). Allowing nothing but data: means
    # a value that slipped past escaping still could not make the server fetch a URL or a file.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
