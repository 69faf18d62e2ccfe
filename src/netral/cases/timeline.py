"""A timeline entry's recorded fields as labelled lines in words, never as stored JSON."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

from netral.cases.service import DOCUMENT_KINDS, DOCUMENT_KINDS_EN, FORWARD_TO, FORWARD_TO_EN
from netral.cases.workflow import Workflow
from netral.web.i18n import gettext_
from netral.web.labels import label, register
from netral.web.templating import fmt_date

# the case's own codes, named in every language like the rest of the interface
register("forward_to", {k: (v, FORWARD_TO_EN[k]) for k, v in FORWARD_TO.items()})
register("document_kind", {k: (v, DOCUMENT_KINDS_EN[k]) for k, v in DOCUMENT_KINDS.items()})


class Line(NamedTuple):
    label: str
    text: str
    href: str | None = None


def _date(value: Any) -> str:
    try:
        return fmt_date(date.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _value(wf: Workflow, show: str | None, value: Any, lang: str) -> tuple[str, str | None]:
    if show == "date":
        return _date(value), None
    if show == "document":
        return (
            ("–", None) if value is None else (gettext_("buka dokumen"), f"/kasus/dokumen/{value}")
        )
    if show == "track":
        parts = [
            f"{wf.tracks[n].label_en if lang == 'en' else wf.tracks[n].label_id}: "
            f"{wf.tracks[n].state_label(s, lang)}"
            for n, s in value.items()
            if n in wf.tracks
        ]
        return "; ".join(parts), None
    if isinstance(value, list | tuple):
        return ", ".join(label(v, show, lang) if show else str(v) for v in value) or "–", None
    if show:
        return label(value, show, lang), None
    return str(value), None


def lines(wf: Workflow, fields: Mapping[str, Any] | None, lang: str = "id") -> list[Line]:
    """The fields workflow.yaml names, in its order, as (label, words, link); empty ones left out."""
    fields = fields or {}
    out: list[Line] = []
    for key, rec in wf.recorded.items():
        value = fields.get(key)
        if value is None or value == "" or value == []:
            continue
        if rec.show == "clock" and isinstance(value, Mapping):
            out.append(Line(rec.label(lang), _clock(value, lang)))
            continue
        text, href = _value(wf, rec.show, value, lang)
        out.append(Line(rec.label(lang), text, href))
    return out


def _clock(clock: Mapping[str, Any], lang: str) -> str:
    """'Bawaslu menindaklanjuti laporan: tenggat 13 Oktober 2024, ditutup 16 Oktober 2024 (...)'."""
    due, closed = clock.get("due"), clock.get("closed_on")
    text = gettext_("%(step)s: tenggat %(due)s, ditutup %(closed)s") % {
        "step": label(clock.get("step"), "deadline", lang),
        "due": _date(due),
        "closed": _date(closed),
    }
    late = (date.fromisoformat(closed) - date.fromisoformat(due)).days if due and closed else 0
    if late > 0:
        text += " " + gettext_("(terlambat %(n)s hari)") % {"n": late}
    return text
