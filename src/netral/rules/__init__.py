"""The rulebook: the law on ASN neutrality as versioned, validated data (see rulebook.yaml).

rb = load_rulebook()
rb.violation("SKB-07").discipline        # ['berat']
due_date(rb, "bawaslu_assessment", date(2024, 9, 6)).due
tracks_for(rb, rb.violation("SKB-07"), date(2024, 9, 21), date(2024, 9, 22)).ethics  # 'moral'
rb.cite(rb.violation("DIS-04").basis[0])  # 'Pasal 5 huruf n angka 4 Peraturan Pemerintah …'
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from netral.core.calendar import DayKind, WorkingCalendar
from netral.core.errors import Problem, problem
from netral.rules.schema import (
    Basis,
    CandidacyPhase,
    CriminalArticle,
    CrossReferenceError,
    Deadline,
    DisciplineLevel,
    Loc,
    Pose,
    PoseCounting,
    PoseShape,
    Rulebook,
    RulebookError,
    Uncertain,
    Violation,
)

__all__ = [
    "PACKAGED_RULEBOOK",
    "Basis",
    "CandidacyPhase",
    "CriminalArticle",
    "Deadline",
    "DeadlineResult",
    "DisciplineLevel",
    "Pose",
    "PoseCounting",
    "PoseShape",
    "Rulebook",
    "RulebookError",
    "Tracks",
    "Uncertain",
    "Violation",
    "due_date",
    "load_rulebook",
    "tracks_for",
]

PACKAGED_RULEBOOK = Path(__file__).with_name("rulebook.yaml")


def load_rulebook(path: Path | None = None) -> Rulebook:
    """Read and validate a rulebook; the packaged one (path None) is read once and cached."""
    if path is None or Path(path).resolve() == PACKAGED_RULEBOOK.resolve():
        return _load_packaged()
    return _load(Path(path))


@functools.cache
def _load_packaged() -> Rulebook:
    return _load(PACKAGED_RULEBOOK)


@dataclass(frozen=True)
class DeadlineResult:
    step: str
    start: date
    due: date
    days: int
    kind: DayKind

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "from": self.start.isoformat(),
            "due": self.due.isoformat(),
            "days": self.days,
            "kind": self.kind,
        }


def due_date(
    rulebook: Rulebook,
    step_code: str,
    start: date,
    *,
    extended: bool = False,
    calendar: WorkingCalendar | None = None,
) -> DeadlineResult:
    """When a step is due, counting the rulebook's days from `start` (start itself not counted)."""
    step = rulebook.deadline(step_code)
    days = step.days
    if extended:
        if step.extension_days is None:
            raise RulebookError(
                problem(
                    "rules.no_extension",
                    f"Tahapan {step.code!r} tidak dapat diperpanjang",
                    f"Step {step.code!r} has no extension",
                    field="extended",
                )
            )
        days += step.extension_days
    cal = calendar if calendar is not None else WorkingCalendar()
    due = cal.add_days(start, days, step.kind)
    return DeadlineResult(step=step.code, start=start, due=due, days=days, kind=step.kind)


@dataclass(frozen=True)
class Tracks:
    """The sanctions an act carries on its date; `phase` None when the date rule did not apply."""

    ethics: str | None
    discipline: list[str]
    dismissal: str | None
    phase: CandidacyPhase | None = None


def tracks_for(
    rulebook: Rulebook,
    violation: Violation,
    act_date: date | None,
    candidates_fixed_on: date | None,
) -> Tracks:
    """The tracks for an act done on `act_date`: the rulebook's bakal calon / calon rule.

    Without both dates, or for an act the rule does not list, the act keeps all its tracks.
    """
    own = Tracks(violation.ethics, list(violation.discipline), violation.dismissal)
    rule = rulebook.candidacy
    if rule is None or act_date is None or candidates_fixed_on is None:
        return own
    if violation.code not in rule.violations:
        return own
    phase = rule.before if act_date < candidates_fixed_on else rule.on_or_after
    return Tracks(
        ethics=(violation.ethics or phase.ethics) if "ethics" in phase.tracks else None,
        discipline=list(violation.discipline) if "discipline" in phase.tracks else [],
        dismissal=violation.dismissal if "discipline" in phase.tracks else None,
        phase=phase,
    )


# --- reading a file -------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice: a silently overwritten rule is a wrong rule."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping",
                node.start_mark,
                f"found duplicate key {key!r}",
                key_node.start_mark,
            )
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load(path: Path) -> Rulebook:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulebookError(
            problem(
                "rules.unreadable",
                f"{name}: berkas rulebook tidak dapat dibaca: {exc}",
                f"{name}: cannot read the rulebook file: {exc}",
                file=str(path),
            )
        ) from exc
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        where_id = f"baris {mark.line + 1}, kolom {mark.column + 1}" if mark else "?"
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        raise RulebookError(
            problem(
                "rules.yaml_syntax",
                f"{name}: {where_id}: YAML tidak sah: {what}",
                f"{name}: {where}: invalid YAML: {what}",
                file=str(path),
                line=mark.line + 1 if mark else None,
            )
        ) from exc
    except yaml.YAMLError as exc:
        raise RulebookError(
            problem(
                "rules.yaml_syntax",
                f"{name}: YAML tidak sah: {exc}",
                f"{name}: invalid YAML: {exc}",
                file=str(path),
            )
        ) from exc
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RulebookError(
            problem(
                "rules.invalid",
                f"{name}: isi teratas harus berupa mapping (version, sources, violations, …)",
                f"{name}: the top level must be a mapping (version, sources, violations, …)",
                file=str(path),
            )
        )
    try:
        return Rulebook.model_validate(data)
    except ValidationError as exc:
        raise RulebookError(*_problems(exc, data, node, path)) from exc


def _problems(exc: ValidationError, data: Any, node: yaml.Node | None, path: Path) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors():
        ctx_error = err.get("ctx", {}).get("error")
        if isinstance(ctx_error, CrossReferenceError):
            for issue in ctx_error.issues:
                loc = (*err["loc"], *issue.loc)
                out.append(_located(path, data, node, loc, issue.message_en, issue.message_id))
        else:
            en, id_ = _messages(err)
            out.append(_located(path, data, node, tuple(err["loc"]), en, id_))
    return out


def _located(
    path: Path, data: Any, node: yaml.Node | None, loc: Loc, message_en: str, message_id: str
) -> Problem:
    where = _render_loc(data, loc)
    line = _line_of(node, loc)
    at_en = f" (line {line})" if line else ""
    at_id = f" (baris {line})" if line else ""
    return problem(
        "rules.invalid",
        f"{path.name}: {where}: {message_id}{at_id}",
        f"{path.name}: {where}: {message_en}{at_en}",
        field=where,
        file=str(path),
        line=line,
    )


def _render_loc(data: Any, loc: Loc) -> str:
    """('violations', 6, 'discipline', 0) -> 'violations[SKB-07].discipline[0]'."""
    out = ""
    cur: Any = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            if isinstance(cur, list) and 0 <= part < len(cur):
                cur = cur[part]
                # Sources are named by `id`; elsewhere `id` is Indonesian text, so use `code`.
                key = (
                    cur.get("id" if out == "sources" else "code") if isinstance(cur, dict) else None
                )
                if isinstance(key, str) and key:
                    label = key
            else:
                cur = None
            out += f"[{label}]"
        else:
            out += f".{part}" if out else str(part)
            cur = cur.get(part) if isinstance(cur, dict) else None
    return out or "(top level)"


def _line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """The 1-based line of the deepest YAML node the loc reaches."""
    if node is None:
        return None
    found = node
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(part, int) and isinstance(found, yaml.SequenceNode):
            if 0 <= part < len(found.value):
                nxt = found.value[part]
        elif isinstance(found, yaml.MappingNode):
            for key_node, value_node in found.value:
                if getattr(key_node, "value", None) == part:
                    nxt = value_node
                    break
        if nxt is None:
            break
        found = nxt
    return int(found.start_mark.line) + 1


_ID_MESSAGES = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal (tidak ada di skema)",
    "literal_error": "harus salah satu dari {expected}",
    "greater_than": "harus lebih besar dari {gt}",
    "greater_than_equal": "harus paling sedikit {ge}",
    "less_than_equal": "harus paling banyak {le}",
    "string_pattern_mismatch": "tidak sesuai pola {pattern}",
    "string_too_short": "tidak boleh kosong",
    "too_short": "harus berisi paling sedikit {min_length} butir",
    "date_from_datetime_parsing": "harus tanggal YYYY-MM-DD",
    "date_parsing": "harus tanggal YYYY-MM-DD",
    "int_parsing": "harus bilangan bulat",
    "bool_parsing": "harus true atau false",
    "string_type": "harus teks",
    "list_type": "harus daftar (list)",
    "model_type": "harus mapping",
    "dict_type": "harus mapping",
}


def _messages(err: ErrorDetails) -> tuple[str, str]:
    """Pydantic's message in English, ours in Indonesian; the value given where it helps."""
    ctx = err.get("ctx", {})
    en = err["msg"]
    template = _ID_MESSAGES.get(err["type"])
    if template:
        id_ = template.format(**{k: str(v).replace(" or ", " atau ") for k, v in ctx.items()})
    else:
        id_ = f"nilai tidak sah ({en})"
    if err["type"] not in ("missing", "extra_forbidden") and not isinstance(
        err["input"], dict | list
    ):
        got = f" (got {err['input']!r})"
        en, id_ = en + got, id_ + got.replace("got", "diberi")
    return en, id_
