"""A finding's stored `why` lines in the page's language, through the phrase table in why.yaml."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

WHY_FILE = Path(__file__).with_name("why.yaml")


@cache
def _table(lang: str) -> tuple[re.Pattern[str], dict[str, str]] | None:
    phrases: dict[str, str] = yaml.safe_load(WHY_FILE.read_text(encoding="utf-8")).get(lang) or {}
    if not phrases:
        return None
    # longest first, so that a sentence wins over the words inside it; words only at boundaries
    ordered = sorted(phrases, key=len, reverse=True)
    pattern = "|".join(
        (r"(?<!\w)" if p[0].isalnum() else "")
        + re.escape(p)
        + (r"(?!\w)" if p[-1].isalnum() else "")
        for p in ordered
    )
    return re.compile(pattern), phrases


def _quoted_spans(line: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"'[^']*'", line)]


# the text model names its class by code in the line it stores ("ciri teratas untuk 'partisan'"):
# shown in words, as the phrase table then reads them in either language
_CLASS_CUES = re.compile(r"ciri teratas untuk '(partisan|political_neutral|other)'")
_CLASS_WORDS = {
    "partisan": "berpihak",
    "political_neutral": "politik netral",
    "other": "bukan politik",
}


def why_text(line: str, lang: str = "id") -> str:
    """The line with each known phrase in `lang`; quoted text (what was read) is left as it is."""
    line = _CLASS_CUES.sub(lambda m: f"ciri teratas untuk {_CLASS_WORDS[m[1]]}", line)
    table = _table(lang)
    if table is None:
        return line
    pattern, phrases = table
    quoted = _quoted_spans(line)

    def swap(m: re.Match[str]) -> str:
        if any(a <= m.start() < b for a, b in quoted):
            return m.group(0)
        return phrases[m.group(0)]

    return pattern.sub(swap, line)
