"""Form errors as people read them: field -> message, in the page's language."""

from __future__ import annotations

from pydantic import ValidationError

from netral.core.errors import NetralError
from netral.web.i18n import current_language


def field_errors(exc: NetralError | ValidationError) -> dict[str, str]:
    """Messages keyed by the form field at fault ("form" when none), ready to highlight."""
    lang = current_language.get()
    if isinstance(exc, ValidationError):
        out = {}
        for e in exc.errors():
            field = str(e["loc"][0]) if e["loc"] else "form"
            out[field] = (
                ("This field is required." if lang == "en" else "Wajib diisi.")
                if e["type"] == "missing"
                else ("Invalid value." if lang == "en" else "Isian tidak sah.")
            )
            if e["type"].startswith("date"):
                out[field] = "Use a valid date." if lang == "en" else "Isi tanggal yang sah."
        return out
    return {p.field or "form": p.message(lang) for p in reversed(exc.problems)}
