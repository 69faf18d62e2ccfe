"""Form errors as people read them: field -> message, in the page's language."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from netral.core.errors import NetralError, Problem
from netral.web.i18n import current_language

Refusal = NetralError | ValidationError | Sequence[Problem]


def _schema_message(e: Any, lang: str) -> str:
    if e["type"] == "missing" or e.get("input") in (None, "", []):
        return "This field is required." if lang == "en" else "Wajib diisi."
    if e["type"].startswith("date"):
        return "Use a valid date." if lang == "en" else "Isi tanggal yang sah."
    return "Invalid value." if lang == "en" else "Isian tidak sah."


def error_lists(*refusals: Refusal) -> dict[str, list[str]]:
    """Every message keyed by the form field at fault ("form" when none), in order, none
    dropped: a form shows them all at once, each beside its field."""
    lang = current_language.get()
    out: dict[str, list[str]] = {}
    for refusal in refusals:
        pairs: Iterable[tuple[str, str]]
        if isinstance(refusal, ValidationError):
            pairs = (
                (str(e["loc"][0]) if e["loc"] else "form", _schema_message(e, lang))
                for e in refusal.errors()
            )
        else:
            problems = refusal.problems if isinstance(refusal, NetralError) else refusal
            pairs = ((p.field or "form", p.message(lang)) for p in problems)
        for field, message in pairs:
            messages = out.setdefault(field, [])
            if message not in messages:
                messages.append(message)
    return out


def field_errors(*refusals: Refusal) -> dict[str, str]:
    """Messages keyed by the form field at fault ("form" when none), ready to highlight."""
    return {field: " ".join(ms) for field, ms in error_lists(*refusals).items()}
