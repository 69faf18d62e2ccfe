"""Official letters as PDF: HTML templates (Jinja2, autoescaped) rendered by WeasyPrint.

Five kinds (`LETTER_KINDS`), each in the official Indonesian layout: kop surat, the
Nomor/Sifat/Lampiran/Hal block with the date line, the "Yth." addressee, the body, the signature
and, where given, the tembusan. What each kind is (subject, addressees, which date it carries, the
law it cites, its attachments, its copies) is data in `templates/letters/kinds.yaml`; the office's
own details (kop, signatory, copies, recipients) are in its letterhead YAML; the wording is in
`<kind>.html`, which an office may replace from its own templates directory. The context is a plain
dict so the cases service can pass what it has. A missing *required* key (absent, None or "")
raises `letters.missing_field` naming the key; a missing *optional* key renders as "–". Dates are
`date`, instants are `datetime` (naive = UTC, as stored; shown in WIB); ISO strings are accepted.

Keys every kind accepts (all optional):
    signatory      {name, title, on_behalf_of}: default the letterhead's (never a user's); with
                   `on_behalf_of` the letter is signed "a.n. <on_behalf_of>" by the named official
    sifat          default "Biasa" ("Penting" for rekomendasi and penerusan_bkn)
    lampiran       str, or list of {name, count}: "1 (satu) berkas kajian, ..."; default "–"
    tembusan       list of str: copies to
    basis          list of str: the law the letter rests on, already cited by name (`cite`)

``tanda_terima`` (receipt of a report, to the reporter)
    required: report_number, received_at (datetime), summary
    optional: reporter_name ("Anonim" = no identity: the letter says the report is recorded as
              informasi awal; absent = addressed by the report's number, never "Sdr. Pelapor"),
              reported_name, reported_position, evidence_count (int), filing_due_on (date: last
              day to file), is_late (bool: filed after the limit -> not registered, kept as
              informasi awal), filing_basis (default "Pasal 134 UU Nomor 10 Tahun 2016")

``undangan_klarifikasi`` (invitation to a clarification hearing)
    required: case_number (the register number), addressee_name, hearing_at (datetime, shown in
              WIB), place, matter
    optional: addressee_position, capacity ("terlapor" | "saksi" | "pelapor": in which capacity the
              person is heard), contact_officer (str, or {name, phone})

``pemberitahuan_status`` (status of a report, to the reporter)
    required: report_number, status_label, reason, decided_on (date)
    optional: case_number, reporter_name (absent: addressed by the report's number), anonymous
              (bool: the reporter is never named)

``rekomendasi`` (recommendation to BKN and the PPK)
    required: case_number, asn (list of {name, nip, position, opd, kind "PNS"|"PPPK"}; name and
              nip required), acts (list of {code, name, basis}; name required), follow_up_due
              (date), addressees (list of str), signatory ({name, title})
    optional: ethics ({name, kind, basis}), discipline ({level_name, penalties: [str], basis}),
              criminal ({article, forward_to}), conflict_note (str: the act-8 SKB vs PP 94
              conflict), decided_on (date of the plenary decision)

``penerusan_bkn`` (forward of an alleged neutrality breach to the Kepala BKN, copy to the PPK)
    required: case_number, asn (as rekomendasi), acts (as rekomendasi), decided_on (the plenary
              decision's date), addressees (list of str), signatory ({name, title})
    optional: criminal ({article, forward_to}: forwarded to Gakkumdu in parallel)

``penerusan_apk`` (forward of a campaign-prop report to Satpol PP or KPU; made from a report,
not a case: cases.forwards)
    required: report_number, received_at (datetime), addressees (list of str), signatory,
              category (its name), place_kind (its name), location (kelurahan, kecamatan, place),
              rule ({name, basis: the law cited by name, confidence_note}), request (what is asked)
    optional: occurred_on (date), point ("-6.914700, 107.609800"), photo (a data: URI of the
              EXIF-stripped copy, never the original), summary, reported_name
"""

from __future__ import annotations

import base64
import mimetypes
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from netral.core.calendar import MONTHS_ID, WIB
from netral.core.errors import NetralError, problem
from netral.rules import load_rulebook

TEMPLATES = Path(__file__).parent / "templates" / "letters"
DEFAULT_LETTERHEAD = TEMPLATES / "letterhead.yaml"
KINDS_FILE = TEMPLATES / "kinds.yaml"
# The one mapping from rulebook source ids to the names letters print (see the file's header).

LETTER_KINDS = (
    "tanda_terima",
    "undangan_klarifikasi",
    "pemberitahuan_status",
    "rekomendasi",
    "penerusan_bkn",
    "penerusan_apk",
)
# letters that record a decision: signed by a named official, marked "Penting"
_DECISION_KINDS = ("rekomendasi", "penerusan_bkn", "penerusan_apk")

# Example classification codes (kode klasifikasi arsip), not taken from an official Bawaslu
# table: each deployment puts its own in letterhead.yaml under `numbering.codes`.
DEFAULT_CODES: dict[str, str] = {
    "tanda_terima": "PP.01.00",
    "undangan_klarifikasi": "PP.01.02",
    "pemberitahuan_status": "PP.01.03",
    "rekomendasi": "PP.02.00",
    "penerusan_bkn": "PP.02.01",
    "penerusan_apk": "PP.02.02",
}

DASH = "–"

DAYS_ID = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
ROMAN_MONTHS = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

CAPACITIES = {"terlapor": "Terlapor", "saksi": "Saksi", "pelapor": "Pelapor"}

# (required, optional) top-level keys per kind
_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "tanda_terima": (
        ("report_number", "received_at", "summary"),
        (
            "reporter_name",
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
        ("addressee_position", "capacity", "contact_officer"),
    ),
    "pemberitahuan_status": (
        ("report_number", "status_label", "reason", "decided_on"),
        ("case_number", "reporter_name", "anonymous"),
    ),
    "rekomendasi": (
        ("case_number", "asn", "acts", "follow_up_due", "addressees", "signatory"),
        ("ethics", "discipline", "criminal", "conflict_note", "decided_on"),
    ),
    "penerusan_bkn": (
        ("case_number", "asn", "acts", "decided_on", "addressees", "signatory"),
        ("criminal",),
    ),
    "penerusan_apk": (
        (
            "report_number",
            "received_at",
            "addressees",
            "signatory",
            "category",
            "place_kind",
            "location",
            "rule",
            "request",
        ),
        ("occurred_on", "point", "photo", "summary", "reported_name"),
    ),
}
_COMMON_OPTIONAL = ("signatory", "sifat", "lampiran", "tembusan", "basis")
_DATETIME_KEYS = {"received_at", "hearing_at"}
_DATE_KEYS = {"filing_due_on", "decided_on", "follow_up_due", "occurred_on"}
# nested mappings / list items: every key the templates read, and the required ones among them
_NESTED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "asn": (("name", "nip"), ("position", "opd", "kind")),
    "acts": (("name",), ("code", "basis")),
    "signatory": ((), ("name", "title", "on_behalf_of")),
    "ethics": ((), ("name", "kind", "basis")),
    "discipline": ((), ("level_name", "penalties", "basis")),
    "criminal": ((), ("article", "forward_to")),
    "contact_officer": ((), ("name", "phone")),
    "rule": (("name", "basis"), ("confidence_note",)),
}
_LISTS = {"asn", "acts", "addressees", "tembusan", "basis"}


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
class Signatory:
    """Who signs this office's letters: its Ketua, or an official signing "a.n." the Ketua."""

    name: str = ""  # blank: a line to sign by hand
    title: str = ""
    on_behalf_of: str = ""

    def as_context(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "on_behalf_of": self.on_behalf_of}


DEFAULT_RECIPIENTS = {
    "bkn": "Kepala Badan Kepegawaian Negara",
    "ppk": "Pejabat Pembina Kepegawaian",
    # campaign props: an office names its own city's (letterhead.yaml `recipients`)
    "satpol_pp": "Kepala Satuan Polisi Pamong Praja",
    "kpu": "Ketua Komisi Pemilihan Umum",
}


def _letterhead_invalid(path: Path, msg_id: str, msg_en: str) -> NetralError:
    return NetralError(
        problem(
            "letters.letterhead_invalid",
            f"Kop surat {path}: {msg_id}",
            f"Letterhead {path}: {msg_en}",
            field="letterhead",
        )
    )


@dataclass(frozen=True)
class Letterhead:
    """The kop surat, signatory and copies; loaded from YAML so each office sets its own."""

    institution: str
    address: str
    phone: str = ""
    email: str = ""
    website: str = ""
    city: str = "Bandung"
    logo_path: Path | None = None
    short_name: str = ""  # "Bawaslu Kota Bandung": used in the body and default signatory title
    signatory: Signatory = field(default_factory=Signatory)
    tembusan: tuple[str, ...] = ()
    recipients: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_RECIPIENTS))
    contact: str = ""  # whom an invitation names for questions

    @property
    def name(self) -> str:
        return self.short_name or self.institution.title()

    @property
    def signed_by(self) -> Signatory:
        """The configured signatory; the title defaults to "Ketua <office>"."""
        sig = self.signatory
        return Signatory(sig.name, sig.title or f"Ketua {self.name}", sig.on_behalf_of)

    @classmethod
    def load(cls, path: Path | None = None) -> Letterhead:
        """Read `path` (default: the packaged example); its `numbering:` section is not ours."""
        path = path or DEFAULT_LETTERHEAD
        data = _read_yaml(path)
        data.pop("numbering", None)
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown or not data.get("institution") or not data.get("address"):
            raise _letterhead_invalid(
                path,
                "wajib 'institution' dan 'address'; kunci tak dikenal: "
                f"{', '.join(unknown) or '-'}",
                "'institution' and 'address' are required; unknown keys: "
                f"{', '.join(unknown) or '-'}",
            )
        logo = data.pop("logo_path", None)
        logo_path = (path.parent / str(logo)).resolve() if logo else None
        sig = data.pop("signatory", None) or {}
        tembusan = data.pop("tembusan", None) or []
        recipients = data.pop("recipients", None) or {}
        sig_keys = {f.name for f in fields(Signatory)}
        if (
            not isinstance(sig, dict)
            or set(sig) - sig_keys
            or not isinstance(tembusan, list)
            or not isinstance(recipients, dict)
        ):
            raise _letterhead_invalid(
                path,
                "'signatory' berisi name, title, on_behalf_of; 'tembusan' sebuah daftar; "
                "'recipients' sebuah pemetaan",
                "'signatory' holds name, title, on_behalf_of; 'tembusan' is a list; "
                "'recipients' is a mapping",
            )
        values = {k: str(v) for k, v in data.items() if v is not None}
        return cls(
            logo_path=logo_path,
            signatory=Signatory(**{k: str(v) for k, v in sig.items() if v is not None}),
            tembusan=tuple(str(t) for t in tembusan),
            recipients={**DEFAULT_RECIPIENTS, **{str(k): str(v) for k, v in recipients.items()}},
            **values,
        )


# ---------------------------------------------------------------------------------------------
# What each kind is, and how the law is named: data beside the templates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterKind:
    """One kind of letter as `kinds.yaml` declares it."""

    code: str
    subject: str
    date: str  # decision | issue | receipt
    to: tuple[str, ...]
    basis: tuple[tuple[str, str | None], ...]  # (source id, article)
    attachments: tuple[tuple[str, int | str], ...]  # (name, count or "evidence")
    tembusan: tuple[str, ...]

    def addressees(self, letterhead: Letterhead) -> list[str]:
        return [letterhead.recipients[r] for r in self.to]

    def copies(self, letterhead: Letterhead, ppk: str | None = None) -> list[str]:
        """The tembusan; `ppk` names the acting PPK when the usual one is the person reported."""
        out: list[str] = []
        for item in self.tembusan:
            if item == "office":
                out += list(letterhead.tembusan)
            elif item == "ppk" and ppk:
                out.append(ppk)
            else:
                out.append(letterhead.recipients[item])
        return out


@lru_cache(maxsize=1)
def letter_kinds() -> dict[str, LetterKind]:
    """Every kind in `kinds.yaml`; each must be in `LETTER_KINDS` and the other way round."""
    raw = _read_yaml(KINDS_FILE)
    if set(raw) != set(LETTER_KINDS):
        raise ValueError(f"{KINDS_FILE}: kinds {sorted(raw)} != LETTER_KINDS {LETTER_KINDS}")
    out = {}
    for code, spec in raw.items():
        if spec["date"] not in ("decision", "issue", "receipt", "forwarded"):
            raise ValueError(f"{KINDS_FILE}: {code}.date must be decision, issue or receipt")
        out[code] = LetterKind(
            code=code,
            subject=str(spec["subject"]),
            date=str(spec["date"]),
            to=tuple(spec.get("to") or ()),
            basis=tuple((str(b["source"]), b.get("article")) for b in spec.get("basis") or ()),
            attachments=tuple((str(a["name"]), a["count"]) for a in spec.get("attachments") or ()),
            tembusan=tuple(spec.get("tembusan") or ()),
        )
    known = {src.id for src in load_rulebook().sources}
    unknown = {s for k in out.values() for s, _ in k.basis} - known
    if unknown:
        raise ValueError(f"{KINDS_FILE}: unknown sources {sorted(unknown)}")
    return out


def letter_kind(kind: str) -> LetterKind:
    if kind not in LETTER_KINDS:
        raise _unknown_kind(kind)
    return letter_kinds()[kind]


def cite(source: str, article: str | None = None, *, full: bool = False) -> str | None:
    """The law by its real name: "Pasal 8 ayat (4) Peraturan Pemerintah Nomor 94 Tahun 2021".

    Names come from the rulebook's sources (one place for the law's names). `full` keeps what
    it is about ("tentang Disiplin Pegawai Negeri Sipil"). A source that is not law gives None:
    a letter never cites it. An unknown id raises, so an internal id can never reach paper.
    """
    entry = load_rulebook().source(source)  # an unknown id is a domain error, never on paper
    if not entry.law:
        return None
    title = " ".join(str(entry.title).split())
    name = title if full else title.split(" tentang ", 1)[0]
    return f"{article} {name}" if article else name


def cite_all(bases: Any, *, full: bool = False) -> str:
    """Several bases (objects or mappings with source, article) as one "; "-joined citation."""
    out: list[str] = []
    for b in bases:
        source = b["source"] if isinstance(b, Mapping) else b.source
        article = b.get("article") if isinstance(b, Mapping) else b.article
        text = cite(source, article, full=full)
        if text and text not in out:
            out.append(text)
    return "; ".join(out)


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


def fmt_attachments(items: Any) -> str | None:
    """``1 (satu) berkas kajian, 3 (tiga) berkas bukti``; a plain string is printed as given."""
    if items is None or isinstance(items, str):
        return items
    parts = []
    for item in items:
        count = int(item["count"])
        if count > 0:  # nothing of it goes with the letter: do not list it
            parts.append(f"{count} ({terbilang(count)}) berkas {item['name']}")
    return ", ".join(parts) or None


@lru_cache(maxsize=8)
def _env(templates_dir: Path | None = None) -> jinja2.Environment:
    # an office's own templates first; whatever it does not replace comes from the package
    loaders = [jinja2.FileSystemLoader(str(templates_dir))] if templates_dir else []
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([*loaders, jinja2.FileSystemLoader(str(TEMPLATES))]),
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


def _css(env: jinja2.Environment) -> str:
    assert env.loader is not None
    return env.loader.get_source(env, "letter.css")[0]


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


def _prepare(kind: str, context: Mapping[str, Any], letterhead: Letterhead) -> dict[str, Any]:
    """Every documented key present (None when absent), required ones checked, dates parsed."""
    if kind not in _FIELDS:
        raise _unknown_kind(kind)
    required, optional = _FIELDS[kind]
    context = dict(context)
    # the office signs, as configured (the cases service passes the letterhead's signatory);
    # a decision letter must be given its signatory explicitly
    if "signatory" not in required and _empty(context.get("signatory")):
        context["signatory"] = letterhead.signed_by.as_context()
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
        elif key == "lampiran":
            value = fmt_attachments(value)
        out[key] = _nested(key, value)
    if kind in _DECISION_KINDS:  # a decision is signed by a named official
        for sub in ("name", "title"):
            if _empty(out["signatory"][sub]):
                raise _missing(f"signatory.{sub}")
    if out.get("capacity") is not None and out["capacity"] not in CAPACITIES:
        raise _bad("capacity", ", ".join(CAPACITIES), ", ".join(CAPACITIES))
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
    kind: str,
    context: Mapping[str, Any],
    *,
    letterhead: Letterhead,
    number: str,
    when: date,
    templates_dir: Path | None = None,
) -> str:
    """The letter as one self-contained HTML page (CSS inline, logo as a data URI).

    `templates_dir` holds an office's own `<kind>.html`, `base.html` or `letter.css`; a file it
    does not hold comes from the package.
    """
    data = _prepare(kind, context, letterhead)
    spec = letter_kind(kind)
    reporter = str(data.get("reporter_name") or "").strip().lower()
    anonymous = bool(data.get("anonymous")) or reporter in ("anonim", "anonymous")
    env = _env(templates_dir)
    template = env.get_template(f"{kind}.html")
    return template.render(
        **{**data, "anonymous": anonymous},
        kind=kind,
        css=_css(env),
        letterhead=letterhead,
        logo=_logo_data_uri(letterhead.logo_path),
        number=number,
        when=when,
        subject=spec.subject,
        capacity_label=CAPACITIES.get(data.get("capacity") or ""),
        default_title=f"Ketua {letterhead.name}",
        default_sifat="Penting" if kind in _DECISION_KINDS else "Biasa",
    )


def render_pdf(
    kind: str,
    context: Mapping[str, Any],
    *,
    letterhead: Letterhead,
    number: str,
    when: date,
    templates_dir: Path | None = None,
) -> bytes:
    """The letter as PDF bytes (A4)."""
    # heavy import (cairo, pango): only paid by whoever prints
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    html = render_html(
        kind, context, letterhead=letterhead, number=number, when=when, templates_dir=templates_dir
    )
    # The HTML is self-contained (inline CSS, logo as data URI). Allowing nothing but data: means
    # a value that slipped past escaping still could not make the server fetch a URL or a file.
    fetcher = URLFetcher(allowed_protocols=("data",))
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
