"""Bahasa Indonesia first, English second: message ids are Indonesian, `en.po` translates them.

Catalogs are read from the .po files at start-up (no compiled .mo files to keep in step).
The language of the current request lives in a context variable the templates read.
"""

from __future__ import annotations

import gettext
import io
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("id", "en")
CATALOGS = Path(__file__).parent / "i18n"
current_language: ContextVar[str] = ContextVar("current_language", default="id")


@lru_cache(maxsize=4)
def translations(lang: str) -> gettext.NullTranslations:
    po = CATALOGS / f"{lang}.po"
    if lang == "id" or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def gettext_(message: str) -> str:
    return translations(current_language.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int) -> str:
    return translations(current_language.get()).ngettext(singular, plural, n)


def pick_language(*candidates: str | None) -> str:
    for c in candidates:
        if c:
            code = c.split(",")[0].split(";")[0].split("-")[0].strip().lower()
            if code in LANGUAGES:
                return code
    return "id"
