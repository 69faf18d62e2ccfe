"""Jinja2 with gettext: one `render` every page uses, carrying user, CSRF token, language, menu."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from starlette.responses import Response

from netral.core.calendar import MONTHS_EN, MONTHS_ID, WIB
from netral.core.models import User, UserSession
from netral.core.security import has_permission, roles
from netral.web.deps import PRE_CSRF_COOKIE, _session_row, csrf_token_for
from netral.web.i18n import current_language, gettext_, ngettext_
from netral.web.labels import label, rule_fact

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


def fmt_isodate(value: str | None) -> str:
    """A date kept as ISO text in a JSON record ("2024-10-15"), written like any other date."""
    if not value:
        return "–"
    try:
        return fmt_date(date.fromisoformat(value))
    except ValueError:
        return value


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


def fmt_decimal(x: float | None, digits: int = 1) -> str:
    """0.8312 -> "0,83" in Indonesian (decimal comma, point for thousands), "0.83" in English."""
    if x is None:
        return "–"
    s = f"{x:,.{digits}f}"
    if current_language.get() == "en":
        return s
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_percent(p: float | None, digits: int = 1) -> str:
    """82.9 -> "82,9%" in Indonesian, "82.9%" in English; a whole number loses its ",0"."""
    if p is None:
        return "–"
    text = fmt_decimal(p, digits)
    zero = ("," if current_language.get() == "id" else ".") + "0" * digits
    return (text.removesuffix(zero) if digits else text) + "%"


def url_with(request: Request, **changes: Any) -> str:
    """This page's address with some query parameters changed (None drops one): sort links and
    pagers keep the filters the list was opened with."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    query += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
    return f"{request.url.path}?{urlencode(query)}" if query else request.url.path


templates.env.globals["url_with"] = url_with
templates.env.filters["date"] = fmt_date
templates.env.filters["decimal"] = fmt_decimal
templates.env.filters["percent"] = fmt_percent
templates.env.filters["datetime"] = fmt_datetime
templates.env.filters["isodate"] = fmt_isodate
templates.env.filters["int"] = fmt_int
templates.env.filters["label"] = label
templates.env.globals["rule_fact"] = rule_fact


def switch_language_href(request: Request, lang: str, canonical: str | None = None) -> str:
    """The other language's link to the page shown: a page answering a form POST links to the
    resource's GET page (its canonical URL, else the page the form was on), never the POST URL."""
    other = "en" if lang == "id" else "id"
    if canonical is None and request.method in ("GET", "HEAD"):
        query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
        return f"{request.url.path}?{urlencode([*query, ('lang', other)])}"
    if canonical is None:
        referer = urlsplit(request.headers.get("referer", ""))
        same_site = not referer.netloc or referer.netloc == request.url.netloc
        canonical = (
            urlunsplit(("", "", referer.path, referer.query, ""))
            if referer.path and same_site
            else "/"
        )
    parts = urlsplit(canonical)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "lang"]
    return f"{parts.path}?{urlencode([*query, ('lang', other)])}"


def _loaded(
    request: Request, db: Session, row: tuple[User, UserSession]
) -> tuple[User, UserSession]:
    """The signed-in user and session with their columns loaded. A handler that rolled back
    (which expires every object) and then raised has its error page rendered after the request's
    session closed: reading the expired user there failed with a 500. They are read again in a
    short session of their own, closed here."""
    user, user_session = row
    if not (sa_inspect(user).expired_attributes or sa_inspect(user_session).expired_attributes):
        return row
    if not sa_inspect(user).detached:
        return row  # the request's session is open: the columns load on first use
    with Session(db.get_bind()) as again:
        fresh_user = again.get(User, sa_inspect(user).identity)
        fresh_session = again.get(UserSession, sa_inspect(user_session).identity)
    if fresh_user is None or fresh_session is None:
        return row
    request.state.auth = (fresh_user, fresh_session)
    return fresh_user, fresh_session


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    if status_code >= 400:
        # a page that answers with a refusal writes nothing: the request's unit of work rolls back
        request.state.refused = True
    db = request.state.db if hasattr(request.state, "db") else None
    row = _session_row(request, db) if db is not None else getattr(request.state, "auth", None)
    if row is not None and db is not None:
        row = _loaded(request, db, row)
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
        scope_label = user.scope_code
        if namer and db is not None:
            # a session of its own, closed here: an error page renders after the request's
            # session has ended, and a lookup on that one left a transaction open (a PostgreSQL
            # TRUNCATE then waited on it for ever)
            with Session(db.get_bind()) as lookup:
                scope_label = namer(lookup, user.scope_code)
    ctx = {
        "request": request,
        "user": user,
        "scope_label": scope_label,
        "role": roles().get(user.role) if user else None,
        "lang": lang,
        "menu": menu,
        "path": request.url.path,
        "lang_href": switch_language_href(request, lang, (context or {}).get("canonical_url")),
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
