"""Turnout: importing KPU's DPT and voters, the target per election, and turnout per kecamatan.

An import is checked whole before anything is written: every row (code, region, numbers, voters
within DPT, one row per region) and, against the levels already loaded for the election, the sums
(a kecamatan's figures equal the sum of its kelurahan, and those the sum of their TPS). A file
with errors writes nothing unless `partial` is asked; then only its valid rows are kept (a group of
rows whose sum disagrees is dropped as a whole). Loading a level replaces that level's rows.
Sums are compared where both levels hold the region: TPS loaded for only some kelurahan are
compared with those kelurahan, and a kecamatan with only some of its kelurahan loaded disagrees.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.db import utcnow
from netral.core.errors import NetralError, ValidationFailed, problem
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.election import service as election_service
from netral.registry import service as registry
from netral.turnout.checks import (
    LEVEL_NAMES_ID,
    LEVELS,
    CheckError,
    RegionCode,
    parse_code,
    parse_count,
)
from netral.turnout.models import TurnoutRow, TurnoutTarget
from netral.turnout.table import COLUMNS, Cell, read_table

MAX_DETAILED_ERRORS: Final = 1_000
LEVEL_NAMES_EN: Final = {"kecamatan": "kecamatan", "kelurahan": "kelurahan/desa", "tps": "TPS"}


def _n(value: int) -> str:
    """1234 -> '1.234', as Indonesian writes numbers (the English message keeps the comma)."""
    return f"{value:,}".replace(",", ".")


# ---------------------------------------------------------------- what an import answers


@dataclass
class RowError:
    row: int | None  # the line in the file (header = 1); None for the file as a whole
    column: str | None
    code: str
    message_id: str
    message_en: str

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message_en if lang == "en" else self.message_id,
        }


@dataclass
class ImportReport:
    election: str
    level: str | None = None
    rows: int = 0
    valid: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    replaced: int = 0  # rows of the same level this import took the place of
    written: bool = False
    dry_run: bool = False
    partial: bool = False

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_DETAILED_ERRORS:
            self.errors.append(error)

    def summary(self, lang: str = "id") -> str:
        """One sentence on what happened, replacement included."""
        level = (LEVEL_NAMES_EN if lang == "en" else LEVEL_NAMES_ID).get(self.level or "", "?")
        if lang == "en":
            if not self.written:
                verb = "would import" if self.dry_run and not self.error_count else "refused"
                return (
                    f"{verb}: {self.valid} of {self.rows} {level} rows, {self.error_count} errors"
                )
            out = f"imported {self.valid} of {self.rows} {level} rows"
            return out + (
                f"; replaced the {self.replaced} rows loaded before" if self.replaced else ""
            )
        if not self.written:
            verb = (
                "uji coba, tidak disimpan" if self.dry_run and not self.error_count else "ditolak"
            )
            return (
                f"{verb}: {self.valid} dari {self.rows} baris tingkat {level} sah, "
                f"{self.error_count} kesalahan"
            )
        out = f"diimpor {self.valid} dari {self.rows} baris tingkat {level}"
        return out + (
            f"; menggantikan {self.replaced} baris yang dimuat sebelumnya" if self.replaced else ""
        )

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "errors": [e.as_dict(lang) for e in self.errors],
            "error_count": self.error_count,
            "election": self.election,
            "level": self.level,
            "replaced": self.replaced,
            "written": self.written,
            "dry_run": self.dry_run,
            "partial": self.partial,
            "summary": self.summary(lang),
        }


class TurnoutImportFailed(ValidationFailed):
    """The file was refused; `report` lists every row and column at fault. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            problem(
                "turnout.rows_invalid",
                f"{report.error_count} kesalahan pada {report.rows} baris; tidak ada yang "
                "disimpan. Perbaiki berkasnya, atau pilih impor sebagian (--partial) untuk "
                "menyimpan baris yang sah saja.",
                f"{report.error_count} errors in {report.rows} rows; nothing was saved. Fix the "
                "file, or choose a partial import (--partial) to keep only the valid rows.",
            )
        )


# ---------------------------------------------------------------- import


@dataclass
class _Candidate:
    line: int
    region: RegionCode
    name: str
    dpt: int
    voters: int


def _cell(row: list[Cell], columns: dict[str, int], column: str) -> Cell:
    at = columns.get(column)
    if at is None or at >= len(row):
        return ""
    value = row[at]
    return value.strip() if isinstance(value, str) else value


def _within(area: str, code: str) -> bool:
    return code == area or code.startswith(area + ".")


def _place_label(code: str, names: dict[str, str]) -> str:
    return f"{names[code]} ({code})" if code in names else code


def import_turnout(
    *,
    db_session: Session,
    scope: Scope,
    election_code: str,
    path: Path,
    actor: Actor,
    level: str | None = None,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    partial: bool = False,
    max_bytes: int | None = None,
) -> ImportReport:
    """Check a KPU turnout file and load it into the caller's transaction, or raise with why.

    Raises TurnoutImportFailed (with the report) when any row is refused and `partial` is off, or
    when no row is valid. Only flushes: the command that called it commits.
    """
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    report = ImportReport(election=election.code, dry_run=dry_run, partial=partial)
    if level is not None and level not in LEVELS:
        raise ValidationFailed(
            problem(
                "turnout.level",
                f"Tingkat '{level}' tidak dikenal; pilihan: {', '.join(LEVELS)}.",
                f"Unknown level '{level}'; choose one of: {', '.join(LEVELS)}.",
                field="level",
            )
        )
    try:
        table = read_table(
            path,
            max_bytes=max_bytes or get_settings().import_max_mb * 1024 * 1024,
            mapping=mapping,
        )
    except NetralError as exc:
        for p in exc.problems:
            report.add(RowError(p.extra.get("row"), p.field, p.code, p.message_id, p.message_en))
        raise TurnoutImportFailed(report) from None

    parsed: list[tuple[int, list[Cell], RegionCode | None]] = []
    for line, record in enumerate(table.rows, start=2):
        if not any(str(c).strip() for c in record):
            continue  # a blank line, usually at the end
        raw_code = _cell(record, table.columns, "kode_wilayah")
        try:
            parsed.append((line, record, parse_code(str(raw_code))))
        except CheckError as exc:
            parsed.append((line, record, None))
            report.add(RowError(line, "kode_wilayah", exc.code, exc.message_id, exc.message_en))
    report.rows = len(parsed)
    if not parsed:
        report.add(
            RowError(
                None,
                None,
                "turnout.no_rows",
                "Berkas tidak berisi baris data di bawah judul kolom.",
                "The file holds no data rows below the column titles.",
            )
        )
        raise TurnoutImportFailed(report)
    chosen: str | None = level or next((r.level for _, _, r in parsed if r is not None), None)
    report.level = chosen
    if chosen is None:  # no code could be read: every row already has its error
        raise TurnoutImportFailed(report)

    wanted = {r.kelurahan or r.kecamatan for _, _, r in parsed if r is not None}
    wanted |= {r.kecamatan for _, _, r in parsed if r is not None}
    names = {p.code: p.name for p in registry.places(db_session=db_session, codes=sorted(wanted))}

    candidates: list[_Candidate] = []
    first_line: dict[str, int] = {}
    for line, record, region in parsed:
        if region is None:
            continue
        errors: list[RowError] = []

        def refuse(column: str | None, code: str, msg_id: str, msg_en: str) -> None:
            errors.append(RowError(line, column, code, msg_id, msg_en))  # noqa: B023

        shown = region.code
        if region.level != chosen:
            refuse(
                "kode_wilayah",
                "turnout.level_mismatch",
                f"kode {shown} adalah kode {LEVEL_NAMES_ID[region.level]}, sedangkan berkas ini "
                f"tingkat {LEVEL_NAMES_ID[chosen]}; satu berkas hanya memuat satu tingkat",
                f"code {shown} is a {LEVEL_NAMES_EN[region.level]} code, but this file is at the "
                f"{LEVEL_NAMES_EN[chosen]} level; one file holds one level",
            )
        place = region.kelurahan or region.kecamatan
        if place not in names:
            what_id = "kelurahan/desa" if region.kelurahan else "kecamatan"
            what_en = "kelurahan/desa" if region.kelurahan else "kecamatan"
            refuse(
                "kode_wilayah",
                "turnout.unknown_region",
                f"{what_id} {place} tidak ada di registri wilayah; periksa kodenya atau impor "
                "wilayahnya dulu (netral import wilayah)",
                f"{what_en} {place} is not in the region registry; check the code or import the "
                "region first (netral import wilayah)",
            )
        elif election.region_code and not _within(election.region_code, region.code):
            refuse(
                "kode_wilayah",
                "turnout.outside_election",
                f"{_place_label(place, names)} di luar wilayah pemilihan {election.name} "
                f"({election.region_code})",
                f"{_place_label(place, names)} is outside the region of {election.name} "
                f"({election.region_code})",
            )
        elif not scope.covers(region.code):
            refuse(
                "kode_wilayah",
                "turnout.outside_scope",
                f"{_place_label(place, names)} di luar cakupan wilayah Anda ({scope.label()})",
                f"{_place_label(place, names)} is outside your scope ({scope.label()})",
            )
        if region.code in first_line:
            refuse(
                "kode_wilayah",
                "turnout.duplicate",
                f"wilayah {shown} sudah ada di baris {first_line[region.code]}; satu baris per "
                "wilayah",
                f"region {shown} already appears in row {first_line[region.code]}; one row per "
                "region",
            )
        else:
            first_line[region.code] = line
        counts: dict[str, int] = {}
        for column, label_id, label_en in (
            ("dpt", "DPT", "DPT"),
            ("pengguna_hak_pilih", "pengguna hak pilih", "voters (pengguna hak pilih)"),
        ):
            try:
                counts[column] = parse_count(
                    _cell(record, table.columns, column), label_id=label_id, label_en=label_en
                )
            except CheckError as exc:
                refuse(column, exc.code, exc.message_id, exc.message_en)
        if len(counts) == 2 and counts["pengguna_hak_pilih"] > counts["dpt"]:
            refuse(
                "pengguna_hak_pilih",
                "turnout.voters_exceed_dpt",
                f"pengguna hak pilih {shown} ({_n(counts['pengguna_hak_pilih'])}) lebih banyak "
                f"dari DPT ({_n(counts['dpt'])})",
                f"voters at {shown} ({counts['pengguna_hak_pilih']:,}) exceed the DPT "
                f"({counts['dpt']:,})",
            )
        for e in errors:
            report.add(e)
        if not errors:
            name = str(_cell(record, table.columns, "nama_wilayah"))[:120]
            candidates.append(
                _Candidate(line, region, name, counts["dpt"], counts["pengguna_hak_pilih"])
            )

    candidates = _check_sums(db_session, election.id, chosen, candidates, names, report)
    report.errors.sort(key=_in_file_order)
    report.valid = len(candidates)
    if (report.error_count and not partial) or not candidates:
        raise TurnoutImportFailed(report)
    if dry_run:
        return report

    report.replaced = (
        db_session.execute(
            delete(TurnoutRow).where(
                TurnoutRow.election_id == election.id, TurnoutRow.level == chosen
            )
        ).rowcount  # type: ignore[attr-defined]
        or 0
    )
    now = utcnow()
    db_session.add_all(
        TurnoutRow(
            election_id=election.id,
            level=chosen,
            code=c.region.code,
            kecamatan_code=c.region.kecamatan,
            kelurahan_code=c.region.kelurahan,
            name=c.name,
            dpt=c.dpt,
            voters=c.voters,
            imported_at=now,
        )
        for c in candidates
    )
    db_session.flush()
    report.written = True
    audit.record(
        db_session,
        actor=actor,
        action="turnout.import",
        object_type="election",
        object_id=election.code,
        region_code=election.region_code or "",
        summary={
            "level": chosen,
            "file": path.name,
            "rows": report.rows,
            "valid": report.valid,
            "errors": report.error_count,
            "replaced": report.replaced,
            "partial": partial,
        },
    )
    return report


def _in_file_order(error: RowError) -> tuple[int, int]:
    column = COLUMNS.index(error.column) if error.column in COLUMNS else -1
    return (error.row or 0, column)


def _parent(level: str, region: RegionCode | TurnoutRow) -> str | None:
    """The code of the region at `level` that contains this row."""
    if isinstance(region, TurnoutRow):
        return region.kecamatan_code if level == "kecamatan" else region.kelurahan_code
    return region.kecamatan if level == "kecamatan" else region.kelurahan


def _check_sums(
    db_session: Session,
    election_id: int,
    level: str,
    candidates: list[_Candidate],
    names: dict[str, str],
    report: ImportReport,
) -> list[_Candidate]:
    """Compare the file with the other levels already loaded; drop the rows that disagree."""
    loaded = list(
        db_session.scalars(
            select(TurnoutRow).where(
                TurnoutRow.election_id == election_id, TurnoutRow.level != level
            )
        )
    )
    if not loaded:
        return candidates
    extra = {
        p.code: p.name
        for p in registry.places(
            db_session=db_session,
            codes=sorted({r.kelurahan_code or r.kecamatan_code for r in loaded} - set(names)),
        )
    }
    names = {**names, **extra}
    rank: dict[str, int] = {lv: i for i, lv in enumerate(LEVELS)}
    refused: set[int] = set()
    for other_level in LEVELS:
        other: str = other_level
        rows = [r for r in loaded if r.level == other]
        if not rows or other == level:
            continue
        if rank[other] < rank[level]:
            # the file is finer: each loaded coarse row against the sum of the file's rows in it
            coarse_level, fine_level = other, level
            coarse = {r.code: (r.dpt, r.voters) for r in rows}
            groups: dict[str, list[_Candidate]] = defaultdict(list)
            for c in candidates:
                key = _parent(other, c.region)
                if key in coarse:
                    groups[key].append(c)
            for key, members in groups.items():
                fine = (sum(m.dpt for m in members), sum(m.voters for m in members))
                for error in _disagreements(
                    key, coarse[key], fine, coarse_level, fine_level, names, members[0].line
                ):
                    report.add(error)
                    refused.update(m.line for m in members)
        else:
            # the file is coarser: each of its rows against the sum of the loaded rows in it
            coarse_level, fine_level = level, other
            sums: dict[str, list[int]] = defaultdict(lambda: [0, 0])
            for r in rows:
                key = _parent(level, r)
                if key is not None:
                    sums[key][0] += r.dpt
                    sums[key][1] += r.voters
            for c in candidates:
                if c.region.code in sums:
                    got = sums[c.region.code]
                    for error in _disagreements(
                        c.region.code,
                        (c.dpt, c.voters),
                        (got[0], got[1]),
                        coarse_level,
                        fine_level,
                        names,
                        c.line,
                    ):
                        report.add(error)
                        refused.add(c.line)
    return [c for c in candidates if c.line not in refused]


def _disagreements(
    code: str,
    coarse: tuple[int, int],
    fine: tuple[int, int],
    coarse_level: str,
    fine_level: str,
    names: dict[str, str],
    line: int,
) -> Iterable[RowError]:
    """One error per figure (DPT, voters) on which a region and the sum of its parts differ."""
    where = _place_label(code, names)
    for column, label_id, label_en, a, b in (
        ("dpt", "DPT", "DPT", coarse[0], fine[0]),
        ("pengguna_hak_pilih", "pengguna hak pilih", "voters", coarse[1], fine[1]),
    ):
        if a != b:
            yield RowError(
                line,
                column,
                "turnout.sum_mismatch",
                f"{label_id} {where}: tingkat {LEVEL_NAMES_ID[coarse_level]} {_n(a)}, tetapi "
                f"jumlah tingkat {LEVEL_NAMES_ID[fine_level]} di dalamnya {_n(b)}",
                f"{label_en} of {where}: {a:,} at the {LEVEL_NAMES_EN[coarse_level]} level, but "
                f"the {LEVEL_NAMES_EN[fine_level]} rows in it sum to {b:,}",
            )


# ---------------------------------------------------------------- the target


@dataclass(frozen=True)
class TargetInfo:
    """The target in force: set by staff, else the election file's; where it came from."""

    percent: float | None
    from_file: float | None
    set_by: str | None = None
    set_at: Any = None


def parse_percent(text: str) -> float:
    """'82,9' or '82.9' (a form, a CLI option) as a percent in (0, 100]."""
    try:
        value = float(text.strip().rstrip("%").replace(",", "."))
    except ValueError:
        value = math.nan
    if not (0 < value <= 100):
        raise ValidationFailed(
            problem(
                "turnout.target_invalid",
                f"Target partisipasi '{text}' tidak sah; isi persen lebih dari 0 sampai 100, "
                "mis. 82,9.",
                f"Turnout target '{text}' is not valid; give a percent above 0 up to 100, "
                "e.g. 82.9.",
                field="percent",
            )
        )
    return round(value, 2)


def target_info(*, db_session: Session, scope: Scope, election_code: str) -> TargetInfo:
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    own = db_session.get(TurnoutTarget, election.id)
    if own is None:
        return TargetInfo(election.turnout_target, election.turnout_target)
    return TargetInfo(own.percent, election.turnout_target, own.updated_by, own.updated_at)


def set_target(
    *, db_session: Session, scope: Scope, election_code: str, percent: str | float, actor: Actor
) -> TargetInfo:
    """Set an election's turnout target (audited with the value before and after)."""
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    value = parse_percent(str(percent))
    own = db_session.get(TurnoutTarget, election.id)
    before = own.percent if own is not None else election.turnout_target
    if own is None:
        own = TurnoutTarget(election_id=election.id, percent=value)
        db_session.add(own)
    own.percent, own.updated_by, own.updated_at = value, actor.name, utcnow()
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="turnout.target",
        object_type="election",
        object_id=election.code,
        region_code=election.region_code or "",
        summary={"from": before, "to": value},
    )
    return TargetInfo(value, election.turnout_target, own.updated_by, own.updated_at)


# ---------------------------------------------------------------- turnout per kecamatan


@dataclass(frozen=True)
class KecamatanTurnout:
    code: str
    name: str
    dpt: int
    voters: int
    percent: float
    target: float | None
    gap: int  # more voters that would have reached the target; 0 when reached


@dataclass(frozen=True)
class TurnoutTotals:
    election_code: str
    dpt: int
    voters: int
    percent: float | None
    target: float | None
    gap: int
    levels: tuple[str, ...]


def gap_to_target(dpt: int, voters: int, target: float | None) -> int:
    """ceil(target% × DPT) − voters, never below 0."""
    if target is None:
        return 0
    # Decimal: in floats 82.9 × 1000 / 100 is 829.0000000000001, and its ceiling one voter too many
    needed = math.ceil(Decimal(str(target)) * dpt / 100)
    return max(0, needed - voters)


def _percent(voters: int, dpt: int) -> float:
    return round(voters * 100 / dpt, 2) if dpt else 0.0


def _sums_by_kecamatan(
    db_session: Session, scope: Scope, election_id: int
) -> tuple[dict[str, tuple[int, int]], tuple[str, ...]]:
    """Per kecamatan: (DPT, voters) from its coarsest loaded level; and the levels loaded."""
    rows = db_session.execute(
        select(
            TurnoutRow.level,
            TurnoutRow.kecamatan_code,
            func.sum(TurnoutRow.dpt),
            func.sum(TurnoutRow.voters),
        )
        .where(TurnoutRow.election_id == election_id, scope.clause(TurnoutRow.kecamatan_code))
        .group_by(TurnoutRow.level, TurnoutRow.kecamatan_code)
    ).all()
    by_level: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for level, kecamatan, dpt, voters in rows:
        by_level[level][kecamatan] = (int(dpt), int(voters))
    out: dict[str, tuple[int, int]] = {}
    for level in reversed(LEVELS):  # finest first, so a coarser level's figure wins
        out.update(by_level.get(level, {}))
    return out, tuple(lv for lv in LEVELS if lv in by_level)


def by_kecamatan(
    *, db_session: Session, scope: Scope, election_code: str
) -> list[KecamatanTurnout]:
    """Turnout against target per kecamatan, lowest first."""
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    target = target_info(db_session=db_session, scope=scope, election_code=election_code).percent
    sums, _ = _sums_by_kecamatan(db_session, scope, election.id)
    names = {p.code: p.name for p in registry.places(db_session=db_session, codes=sorted(sums))}
    items = [
        KecamatanTurnout(
            code=code,
            name=names.get(code, code),
            dpt=dpt,
            voters=voters,
            percent=_percent(voters, dpt),
            target=target,
            gap=gap_to_target(dpt, voters, target),
        )
        for code, (dpt, voters) in sums.items()
    ]
    return sorted(items, key=lambda k: (k.percent, k.code))


def totals(*, db_session: Session, scope: Scope, election_code: str) -> TurnoutTotals | None:
    """The whole election's figure (in the user's scope); None when nothing is loaded."""
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    sums, levels = _sums_by_kecamatan(db_session, scope, election.id)
    if not sums:
        return None
    target = target_info(db_session=db_session, scope=scope, election_code=election_code).percent
    dpt = sum(d for d, _ in sums.values())
    voters = sum(v for _, v in sums.values())
    return TurnoutTotals(
        election_code=election.code,
        dpt=dpt,
        voters=voters,
        percent=_percent(voters, dpt) if dpt else None,
        target=target,
        gap=gap_to_target(dpt, voters, target),
        levels=levels,
    )


# ---------------------------------------------------------------- the raw rows and exports


@dataclass(frozen=True)
class LoadedRow:
    code: str
    name: str
    kecamatan_code: str
    dpt: int
    voters: int
    percent: float


def level_rows(
    *, db_session: Session, scope: Scope, election_code: str, level: str
) -> list[LoadedRow]:
    """The rows loaded at one level, in code order."""
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    if level not in LEVELS:
        raise ValidationFailed(
            problem(
                "turnout.level",
                f"Tingkat '{level}' tidak dikenal; pilihan: {', '.join(LEVELS)}.",
                f"Unknown level '{level}'; choose one of: {', '.join(LEVELS)}.",
                field="level",
            )
        )
    rows = db_session.scalars(
        select(TurnoutRow)
        .where(
            TurnoutRow.election_id == election.id,
            TurnoutRow.level == level,
            scope.clause(TurnoutRow.kecamatan_code),
        )
        .order_by(TurnoutRow.code)
    )
    return [
        LoadedRow(r.code, r.name, r.kecamatan_code, r.dpt, r.voters, _percent(r.voters, r.dpt))
        for r in rows
    ]


KECAMATAN_HEADERS: Final = (
    "kode_kecamatan",
    "nama_kecamatan",
    "dpt",
    "pengguna_hak_pilih",
    "partisipasi_persen",
    "target_persen",
    "kekurangan_pemilih",
)
ROW_HEADERS: Final = (
    "kode_wilayah",
    "nama_wilayah",
    "dpt",
    "pengguna_hak_pilih",
    "partisipasi_persen",
)


def kecamatan_table(items: Sequence[KecamatanTurnout]) -> list[tuple[Any, ...]]:
    return [(k.code, k.name, k.dpt, k.voters, k.percent, k.target, k.gap) for k in items]


def rows_table(rows: Sequence[LoadedRow]) -> list[tuple[Any, ...]]:
    return [(r.code, r.name, r.dpt, r.voters, r.percent) for r in rows]


def record_export(
    *,
    db_session: Session,
    scope: Scope,
    election_code: str,
    what: str,
    fmt: str,
    rows: int,
    actor: Actor,
) -> None:
    """The audit row of an export, in the same unit of work as the download."""
    election = election_service.get_election(db_session=db_session, scope=scope, code=election_code)
    audit.record(
        db_session,
        actor=actor,
        action="turnout.export",
        object_type="election",
        object_id=election.code,
        region_code=election.region_code or "",
        summary={"table": what, "format": fmt, "rows": rows},
    )
