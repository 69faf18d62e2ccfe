"""Every code a person may see, said through its name in the page's language.

Names live in data: roles and permissions in core/roles.yaml, the law's terms (deadlines, levels,
penalties, ethics kinds, dismissals, violations) in the rulebook, and the rest of the interface's
codes in labels.yaml. A domain whose data names codes of its own (the case workflow's states and
recorded fields) adds them with `register`, since this layer may not import the domains.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from netral.core.security import permission_names, roles
from netral.web.i18n import current_language

LABELS_FILE = Path(__file__).with_name("labels.yaml")

# kind -> code -> (Indonesian, English)
Names = dict[str, dict[str, tuple[str, str]]]
_registered: Names = {}


def _pair(text: Any) -> tuple[str, str]:
    if isinstance(text, Mapping):
        return str(text["id"]), str(text["en"])
    if isinstance(text, tuple | list):
        return str(text[0]), str(text[1])
    return str(text.id), str(text.en)  # a rulebook Text


def register(kind: str, names: Mapping[str, Any]) -> None:
    """Add a domain's codes of one kind: code -> {id, en}, (id, en) or a rulebook Text."""
    _registered.setdefault(kind, {}).update({c: _pair(t) for c, t in names.items()})


@cache
def _shipped() -> Names:
    from netral.rules import load_rulebook

    data = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    names: Names = {kind: {c: _pair(t) for c, t in codes.items()} for kind, codes in data.items()}
    names["role"] = {c: (r.name_id, r.name_en) for c, r in roles().items()}
    names["permission"] = {c: _pair(t) for c, t in permission_names().items()}
    rb = load_rulebook()
    names["deadline"] = {d.code: _pair(d.name) for d in rb.deadlines}
    names["violation"] = {v.code: _pair(v.name) for v in rb.violations}
    if rb.campaign_props is not None:  # coded like the violations; the two never share a code
        names["violation"].update({c.code: _pair(c.name) for c in rb.campaign_props.categories})
    names["level"] = {lvl.code: _pair(lvl.name) for lvl in rb.discipline_levels}
    names["level"].update({d.code: _pair(d.name) for d in rb.dismissals})
    names["penalty"] = {
        p.code: _pair(p.name) for lvl in rb.discipline_levels for p in lvl.penalties
    }
    names["ethics"] = {k.code: _pair(k.name) for e in rb.ethics_sanctions for k in e.kinds}
    names["ethics"].update({e.code: _pair(e.name) for e in rb.ethics_sanctions})
    names["criminal"] = {c.code: _pair(c.name) for c in rb.criminal_articles}
    names["criminal"].update(
        {
            f"{c.code}.penalty": (f"{c.name.id}: ancaman pidana", f"{c.name.en}: penalty")
            for c in rb.criminal_articles
        }
    )
    names["pose"] = {p.code: _pair(p.name) for p in rb.poses}
    if rb.candidacy is not None:
        names["candidacy"] = {
            ph.code: _pair(ph.name) for ph in (rb.candidacy.before, rb.candidacy.on_or_after)
        }
    if rb.campaign_props is not None:
        names["place"] = {p.code: _pair(p.name) for p in rb.campaign_props.places}
        names["recipient"] = {r.code: _pair(r.name) for r in rb.campaign_props.recipients}
    return names


def names_of(kind: str) -> dict[str, tuple[str, str]]:
    return {**_shipped().get(kind, {}), **_registered.get(kind, {})}


def label(code: Any, kind: str, lang: str | None = None) -> str:
    """The name of `code` among the codes of `kind`; an unknown code is shown as it is."""
    if code is None or code == "":
        return "–"
    pair = names_of(kind).get(str(code))
    if pair is None:
        return str(code)
    return pair[1] if (lang or current_language.get()) == "en" else pair[0]


# the rulebook's sections (Rulebook.uncertain) -> the kind of code each holds
RULE_SECTION_KINDS = {
    "violations": "violation",
    "criminal_articles": "criminal",
    "ethics_sanctions": "ethics",
    "discipline_levels": "level",
    "dismissals": "level",
    "deadlines": "deadline",
    "poses": "pose",
    "candidacy": "candidacy",
    "campaign_props.categories": "violation",
    "campaign_props.places": "place",
    "campaign_props.recipients": "recipient",
}


def rule_fact(section: str, code: str, lang: str | None = None) -> str:
    """'Tenggat · Bawaslu menindaklanjuti laporan (Pemilihan)': a rulebook fact in words."""
    where = label(section, "rule_section", lang)
    if code in ("", "-"):
        return where
    return f"{where} · {label(code, RULE_SECTION_KINDS.get(section, ''), lang)}"
