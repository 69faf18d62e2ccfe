"""Retraining the text model on staff decisions, and refusing a model that would be worse.

The candidate is the base training data plus the posts staff decisions label. It is judged the
way the next election will judge it: leave-one-source-out, each base source (an election, a
dataset) held out in turn and predicted by a model that never saw it. The reference is the same
procedure without the new decisions (or the figures the installed model recorded on the same base
data). A candidate whose macro-F1 or partisan precision falls more than a small tolerance below
the reference is not installed, whatever else it gains: a partisan call names a civil servant.
"""

from __future__ import annotations

import csv
import hashlib
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from netral.screening.decisions import DECISIONS_SOURCE, TEXT_LABELS, TextLabel

# a smaller drop is noise, a larger one a worse model: macro-F1 moves by about this much between
# runs on resampled sources; precision by one standard error of the posts flagged, at least this
TOLERANCE_MACRO_F1 = 0.01
TOLERANCE_PRECISION = 0.02
MIN_SOURCES = 2  # leave-one-source-out needs another source to train on


class TrainingRefused(Exception):
    """Why a retraining did not start or its model was not installed; the message is Indonesian."""


@dataclass(frozen=True)
class Figures:
    """Held-out figures over the base sources: macro-F1 averaged per source (each election counts
    once), partisan precision pooled over every post flagged partisan (0 when none was)."""

    macro_f1: float
    partisan_precision: float
    flagged: int
    per_source: dict[str, dict[str, float | int | None]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Figures:
        return cls(
            float(data["macro_f1"]),
            float(data["partisan_precision"]),
            int(data["flagged"]),
            dict(data.get("per_source", {})),
        )


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    reference: Figures
    reference_from: str  # where the reference figures come from, for the operator
    candidate: Figures
    problems: list[str]  # why refused, in Indonesian
    decisions_used: int
    decisions_repeating_base: int
    decisions_group: dict[str, float | int | None] = field(default_factory=dict)
    model_path: Path | None = None
    model_version: str = ""


@dataclass(frozen=True)
class BaseData:
    rows: list[tuple[str, str, str]]  # text, label, source
    path: Path
    fingerprint: str

    @property
    def sources(self) -> list[str]:
        return sorted({s for _, _, s in self.rows})


def read_base(path: Path) -> BaseData:
    """The labelled posts the model is trained on before any decision (text, label, source)."""
    if not path.is_file():
        raise TrainingRefused(f"berkas data latih dasar tidak ada: {path}")
    rows: list[tuple[str, str, str]] = []
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = {"text", "label", "source"} - set(reader.fieldnames or [])
        if missing:
            raise TrainingRefused(
                f"{path.name}: kolom {', '.join(sorted(missing))} tidak ada "
                "(perlu text, label, source)"
            )
        for row in reader:
            label = (row.get("label") or "").strip()
            text = row.get("text") or ""
            source = (row.get("source") or "").strip()
            if label in TEXT_LABELS and text.strip() and source:
                rows.append((text, label, source))
    digest = hashlib.sha256()
    for text, label, source in rows:
        digest.update(f"{source}\x1f{label}\x1f{text}\x1e".encode())
    base = BaseData(rows, path, digest.hexdigest())
    if DECISIONS_SOURCE in base.sources:
        raise TrainingRefused(
            f"{path.name}: sumber '{DECISIONS_SOURCE}' dipakai untuk keputusan staf; ganti namanya"
        )
    if len(base.sources) < MIN_SOURCES:
        raise TrainingRefused(
            f"{path.name}: perlu data dari sedikitnya {MIN_SOURCES} sumber (kolom source) agar "
            "model baru bisa diuji pada sumber yang tidak dilihatnya"
        )
    return base


def _write_csv(path: Path, rows: Sequence[tuple[str, str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label", "source"])
        writer.writerows(rows)


def figures(evaluation: Any) -> Figures:
    """The held-out figures of `text.evaluate_by_source` over the base data's groups (sources or
    elections, as the text model groups them); the decisions' own group is not among them."""
    per = {g: sc for g, sc in evaluation.per_source.items() if g != DECISIONS_SOURCE}
    if not per:
        raise TrainingRefused("tidak ada sumber yang dapat diuji (setiap sumber perlu semua label)")
    flagged = sum(sc.partisan_flagged for sc in per.values())
    right = sum((sc.partisan_precision or 0.0) * sc.partisan_flagged for sc in per.values())
    return Figures(
        macro_f1=round(sum(sc.macro_f1 for sc in per.values()) / len(per), 4),
        partisan_precision=round(right / flagged, 4) if flagged else 0.0,
        flagged=flagged,
        per_source={
            s: {
                "posts": sc.posts,
                "macro_f1": sc.macro_f1,
                "partisan_precision": sc.partisan_precision,
                "partisan_recall": sc.partisan_recall,
            }
            for s, sc in per.items()
        },
    )


def precision_tolerance(reference: Figures) -> float:
    """The drop in partisan precision that is still noise: one standard error of the reference
    (on the posts it flagged, smoothed so a perfect score on a few posts is not certainty), and
    never less than TOLERANCE_PRECISION."""
    n = reference.flagged
    p = (reference.partisan_precision * n + 1) / (n + 2)
    return round(max(TOLERANCE_PRECISION, math.sqrt(p * (1 - p) / max(n, 1))), 4)


def judge(reference: Figures, candidate: Figures) -> list[str]:
    """Why the candidate is worse than the reference (empty: it is no worse)."""
    problems = []
    if candidate.macro_f1 < reference.macro_f1 - TOLERANCE_MACRO_F1:
        problems.append(
            f"macro-F1 turun: {candidate.macro_f1:.4f} < {reference.macro_f1:.4f} "
            f"(toleransi {TOLERANCE_MACRO_F1})"
        )
    tolerance = precision_tolerance(reference)
    if candidate.partisan_precision < reference.partisan_precision - tolerance:
        problems.append(
            f"presisi partisan turun: {candidate.partisan_precision:.4f} < "
            f"{reference.partisan_precision:.4f} (toleransi {tolerance})"
        )
    return problems


def base_from_model(model_path: Path | None) -> Path | None:
    """The base data the installed model says it was trained on, when that file is here."""
    if model_path is None or not model_path.is_file():
        return None
    payload = _load(model_path)
    for key in ("base_csv", "trained_on"):
        value = payload.get(key)
        if isinstance(value, str) and value and Path(value).is_file():
            return Path(value)
    return None


def _load(model_path: Path) -> dict[str, Any]:
    import joblib

    payload = joblib.load(model_path)
    return payload if isinstance(payload, dict) else {}


def _recorded_reference(model_path: Path | None, base: BaseData) -> Figures | None:
    """The installed model's own held-out figures, when they were measured on this base data by
    this training procedure (another text model version trains differently: measure again)."""
    from netral.screening.text import MODEL_VERSION

    if model_path is None or not model_path.is_file():
        return None
    recorded = _load(model_path).get("validation")
    if (
        isinstance(recorded, dict)
        and recorded.get("base_fingerprint") == base.fingerprint
        and recorded.get("procedure") == MODEL_VERSION
    ):
        own = Figures.from_dict(recorded["figures"])
        judged = recorded.get("reference")
        # the bar never sinks: a model accepted just within the tolerance does not lower it for
        # the next one, so a chain of retrainings cannot drift down a tolerance at a time
        return higher(own, Figures.from_dict(judged)) if isinstance(judged, dict) else own
    return None


def higher(a: Figures, b: Figures) -> Figures:
    """Each figure at the better of the two (precision with the count of posts it rests on)."""
    best = a if a.partisan_precision >= b.partisan_precision else b
    return Figures(
        macro_f1=max(a.macro_f1, b.macro_f1),
        partisan_precision=best.partisan_precision,
        flagged=best.flagged,
        per_source=a.per_source,
    )


def train_from_decisions(
    *,
    base: BaseData,
    labels: Sequence[TextLabel],
    current_model: Path | None,
    out: Path,
    seed: int = 0,
) -> Outcome:
    """Validate base + decisions against the reference; install the model only if no worse."""
    from netral.screening.text import MODEL_VERSION, evaluate_by_source, train

    known = {text.strip() for text, _, _ in base.rows}
    # a post the base data already labels is not new evidence, and in a held-out source it would
    # be a leak: the base label stands
    fresh = [lab for lab in labels if lab.text.strip() not in known]
    repeated = len(labels) - len(fresh)
    if not fresh:
        raise TrainingRefused(
            "belum ada keputusan staf yang menjadi label teks baru (temuan teks yang dibenarkan, "
            "atau ditolak dengan alasan yang menyebut labelnya)"
        )
    rows = [*base.rows, *((lab.text, lab.label, DECISIONS_SOURCE) for lab in fresh)]
    with tempfile.TemporaryDirectory(prefix="netral-train-") as tmp:
        combined = Path(tmp) / "train.csv"
        _write_csv(combined, rows)
        recorded = _recorded_reference(current_model, base)
        if recorded is not None:
            reference, reference_from = recorded, "angka terbaik yang dicatat model terpasang"
        else:
            base_csv = Path(tmp) / "base.csv"
            _write_csv(base_csv, base.rows)
            reference = figures(evaluate_by_source(base_csv, seed=seed))
            reference_from = "data dasar tanpa keputusan staf"
        evaluation = evaluate_by_source(combined, seed=seed)
        candidate = figures(evaluation)
        own = evaluation.per_source.get(DECISIONS_SOURCE)
        group = (
            {
                "posts": own.posts,
                "macro_f1": own.macro_f1,
                "partisan_precision": own.partisan_precision,
            }
            if own is not None
            else {}
        )
        problems = judge(reference, candidate)
        outcome = Outcome(
            accepted=not problems,
            reference=reference,
            reference_from=reference_from,
            candidate=candidate,
            problems=problems,
            decisions_used=len(fresh),
            decisions_repeating_base=repeated,
            decisions_group=group,
        )
        if problems:
            return outcome
        staged = Path(tmp) / "text.joblib"
        train(combined, staged, seed=seed)
        version = _install(
            staged,
            out,
            extra={
                "base_csv": str(base.path),
                "trained_from": "base+decisions",
                "decisions": len(fresh),
                "validation": {
                    "procedure": MODEL_VERSION,
                    "base_fingerprint": base.fingerprint,
                    "held_out": sorted(candidate.per_source),
                    "figures": candidate.as_dict(),
                    "reference": reference.as_dict(),
                },
            },
        )
    return replace(outcome, model_path=out, model_version=version)


def _install(staged: Path, out: Path, *, extra: dict[str, Any]) -> str:
    """Add what the retraining knows to the model file and put it in place in one step."""
    import joblib

    from netral.screening.text import TextScreener

    payload = _load(staged)
    payload.update(extra)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".text-", suffix=".joblib", dir=out.parent)
    os.close(fd)
    try:
        joblib.dump(payload, tmp_name, compress=3)
        version = TextScreener(Path(tmp_name)).model  # it loads, and this is its version
        os.replace(tmp_name, out)  # a running worker sees the old file or the new, never half
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return version
