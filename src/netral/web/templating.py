"""Jinja2 with gettext: one `render` every page uses, carrying user, CSRF token, language, menu."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from netral.core.calendar import MONTHS_EN, MONTHS_ID, WIB
from netral.core.security import has_permission, roles
from netral.web.deps import PRE_CSRF_COOKIE, _session_row, csrf_token_for
from netral.web.i18n import current_language, gettext_, ngettext_

TEMPLATES = Path(__file__).parent / "templates"
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES)),
    autoescape=jinja2.select_autoescape(("html", "xml")),
    extensions=["jinja2.ext.i18n"],
)
_env.install_gettext_callables(gettext_, ngettext_, newstyle=True)  # type: ignore[attr-defined]
templates = Jinja2Templates(env=_env)

# (permission needed, path, label) — labels are message ids, translated in the template
MENU = [
    (None, "/", "Beranda"),
    ("reports.read", "/laporan", "Laporan"),
    ("cases.read", "/kasus", "Kasus"),
    ("registry.read", "/asn", "ASN"),
    ("registry.read", "/opd", "OPD"),
    ("election.read", "/pemilihan", "Pemilihan"),
    ("turnout.read", "/partisipasi", "Partisipasi"),
    ("briefings.read", "/sosialisasi", "Sosialisasi"),
    ("rules.read", "/aturan", "Aturan"),
    ("calendar.manage", "/kalender", "Kalender"),
    ("pledges.read", "/ikrar/kampanye", "Ikrar"),
    ("pledges.sign", "/ikrar", "Ikrar"),
    ("dashboard.read", "/dasbor", "Dasbor"),
]


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = value.astimezone(WIB).date()
    months = MONTHS_EN if current_language.get() == "en" else MONTHS_ID
    return f"{value.day} {months[value.month]} {value.year}"


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return "–"
    local = value.astimezone(WIB)
    return f"{fmt_date(local.date())} {local:%H:%M} WIB"


def fmt_int(n: int | None) -> str:
    if n is None:
        return "–"
    s = f"{n:,}"
    return s.replace(",", ".") if current_language.get() == "id" else s


templates.env.filters["date"] = fmt_date
templates.env.filters["datetime"] = fmt_datetime
templates.env.filters["int"] = fmt_int


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    if status_code >= 400:
        # a page that answers with a refusal writes nothing: the request's unit of work rolls back
        request.state.refused = True
    db = request.state.db if hasattr(request.state, "db") else None
    row = _session_row(request, db) if db is not None else getattr(request.state, "auth", None)
    user = row[0] if row else None
    lang = current_language.get()
    menu = [
        (path, label)
        for perm, path, label in MENU
        if perm is None or (user is not None and has_permission(user, perm))
    ]
    scope_label = ""
    if user is not None and user.scope_kind != "national":
        namer = getattr(request.app.state, "place_name", None)
        scope_label = namer(db, user.scope_code) if namer and db is not None else user.scope_code
    ctx = {
        "request": request,
        "user": user,
        "scope_label": scope_label,
        "role": roles().get(user.role) if user else None,
        "lang": lang,
        "menu": menu,
        "path": request.url.path,
        "csrf_token": csrf_token_for(request, db) if db is not None else "",
        "can": (lambda perm: user is not None and has_permission(user, perm)),
    }
    ctx.update(context or {})
    response = templates.TemplateResponse(request, name, ctx, status_code=status_code)
    new_pre = getattr(request.state, "new_pre_csrf", None)
    if new_pre:
        response.set_cookie(
            PRE_CSRF_COOKIE,
            new_pre,
            httponly=True,
            samesite="strict",
            secure=request.app.state.settings.cookie_secure,
        )
    return response
