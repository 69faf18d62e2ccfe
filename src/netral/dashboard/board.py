"""The dashboard pages: one per audience, each chart's numbers as CSV, the season report PDF, and
the public transparency page (no login, counts only, small counts masked)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.errors import Forbidden, NotFound, problem
from netral.core.models import User
from netral.core.security import Scope, has_permission
from netral.dashboard import season
from netral.dashboard.filters import Filters, context, read_filters, season_of
from netral.dashboard.sections import AUDIENCES, PUBLIC, Audience, Context, Section, build
from netral.election import service as elections
from netral.registry import service as registry
from netral.web.deps import CurrentUser, SessionDep, UserScope, actor_of
from netral.web.downloads import table_download
from netral.web.i18n import current_language
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
public = APIRouter(include_in_schema=False)
From = Annotated[str, Query(alias="from", description="YYYY-MM-DD")]
To = Annotated[str, Query(alias="to", description="YYYY-MM-DD")]
SEASON_PERMISSIONS = ("dashboard.supervision", "dashboard.sanctions")
PUBLIC_TTL_SECONDS = 300.0
STAFF_TTL_SECONDS = 60.0  # the staff pages say their figures may be a minute old
T = TypeVar("T")


def _not_found() -> NotFound:
    return NotFound(problem("dashboard.not_found", "Dasbor tidak ditemukan.", "No such dashboard."))


def audiences_for(user: User) -> list[Audience]:
    return [a for a in AUDIENCES.values() if has_permission(user, a.permission)]


def _audience(user: User, key: str) -> Audience:
    audience = AUDIENCES.get(key)
    if audience is None:
        raise _not_found()
    if not has_permission(user, audience.permission):
        raise Forbidden(
            problem(
                "auth.forbidden",
                "Anda tidak berwenang membuka dasbor ini.",
                "You may not open this dashboard.",
            )
        )
    return audience


def _ctx(
    request: Request, db: Session, scope: Scope, filters: Filters, user: User | None = None
) -> Context:
    return context(
        db_session=db,
        scope=scope,
        filters=filters,
        rulebook=request.app.state.rulebook,
        lang=current_language.get(),
        # a login bound to one OPD (an OPD admin) sees that OPD's rows only
        opd_id=user.opd_id if user is not None else None,
    )


@router.get("/dasbor")
def dashboard_home(user: CurrentUser) -> Response:
    mine = audiences_for(user)
    if not mine:
        raise Forbidden(
            problem(
                "auth.forbidden", "Peran Anda tidak memiliki dasbor.", "Your role has no dashboard."
            )
        )
    return RedirectResponse(f"/dasbor/{mine[0].key}", status_code=303)


@router.get("/dasbor/laporan-musim.pdf")
def season_report(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    scope: UserScope,
    since: From = "",
    until: To = "",
    region: str = "",
) -> Response:
    if not any(has_permission(user, p) for p in SEASON_PERMISSIONS):
        raise Forbidden(
            problem(
                "auth.forbidden",
                "Anda tidak berwenang mencetak laporan musim.",
                "You may not print the season report.",
            )
        )
    filters = read_filters(db_session=db, scope=scope, since=since, until=until, region=region)
    pdf = season.render_pdf(_ctx(request, db, scope, filters, user), filters)
    audit.record(
        db,
        actor=actor_of(user),
        action="dashboard.season_report",
        object_type="dashboard",
        object_id="laporan-musim",
        region_code=filters.region_code or scope.code,
        summary={"filters": filters.query()},
    )
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="laporan-netralitas-asn.pdf"'},
    )


@router.get("/dasbor/{key}")
def dashboard_page(
    key: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    scope: UserScope,
    since: From = "",
    until: To = "",
    region: str = "",
) -> Response:
    audience = _audience(user, key)
    filters = read_filters(db_session=db, scope=scope, since=since, until=until, region=region)
    ctx = _ctx(request, db, scope, filters, user)
    sections = _cached(
        (_db_key(db), "staff", audience.key, scope.kind, scope.code, filters.query(), ctx.lang,
         ctx.today.isoformat(), str(ctx.opd_id)),
        STAFF_TTL_SECONDS,
        lambda: build(ctx, audience.builders),
    )  # fmt: skip
    return render(
        request,
        "dashboard/board.html",
        {
            "audience": audience,
            "audiences": audiences_for(user),
            "sections": [(b.__name__, s) for b, s in zip(audience.builders, sections, strict=True)],
            "f": filters,
            "regions": registry.regions(db_session=db, scope=scope),
            "can_season": any(has_permission(user, p) for p in SEASON_PERMISSIONS),
        },
    )


@router.get("/dasbor/{key}/unduh/{builder}/{figure}.csv")
def figure_csv(
    key: str,
    builder: str,
    figure: str,
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    scope: UserScope,
    since: From = "",
    until: To = "",
    region: str = "",
) -> Response:
    """Exactly the numbers of one chart, as CSV."""
    audience = _audience(user, key)
    build_section = audience.builder(builder)
    if build_section is None:
        raise _not_found()
    filters = read_filters(db_session=db, scope=scope, since=since, until=until, region=region)
    fig = build_section(_ctx(request, db, scope, filters, user)).figure(figure)
    if fig is None:
        raise _not_found()
    headers, rows = fig.table()
    download = table_download(
        fmt="csv", filename=f"dasbor-{key}-{figure}", sheet=fig.title, headers=headers, rows=rows
    )
    audit.record(
        db,
        actor=actor_of(user),
        action="dashboard.exported",
        object_type="dashboard",
        object_id=f"{key}/{builder}/{figure}",
        region_code=filters.region_code or scope.code,
        summary={"filters": filters.query(), "rows": download.rows},
    )
    return download.response


# ---------------------------------------------------------------- the public transparency page

_cache: dict[tuple[str, ...], tuple[float, Any]] = {}
_cache_lock = threading.Lock()


def _db_key(db: Session) -> str:
    bind = db.get_bind()
    return str(getattr(bind, "url", id(bind)))


def _cached(key: tuple[str, ...], ttl: float, make: Callable[[], T]) -> T:
    """`make()` once per `ttl` seconds per key, in this process: a page opened over and over (a
    wall screen, a busy morning) costs one set of GROUP BYs a minute, not one per view."""
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
        if hit and hit[0] > now:
            return cast(T, hit[1])
    value = make()
    with _cache_lock:
        if len(_cache) > 512:  # many distinct filters: start over rather than grow unbounded
            _cache.clear()
        _cache[key] = (now + ttl, value)
    return value


def _public_sections(
    request: Request, db: Session, region: str, lang: str
) -> tuple[list[Section], Filters]:
    """The public sections for a region, cached a few minutes: the page needs no login, so it
    must stay cheap however often it is opened."""

    def make() -> tuple[list[Section], Filters]:
        scope = Scope("region", region)
        s = season_of(db_session=db, scope=scope, region_code=region)
        # a fixed window (the whole season): a free date range would let two windows be
        # subtracted from each other down to one small count
        filters = Filters(s.since, s.until, region, s)
        return build(_ctx(request, db, scope, filters), PUBLIC), filters

    return _cached((_db_key(db), "public", region, lang), PUBLIC_TTL_SECONDS, make)


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


clear_public_cache = clear_cache  # the name the tests and the benchmark use


def _public_region(db: Session, region: str) -> tuple[str, list[tuple[str, str]]]:
    codes = elections.election_regions(db_session=db)
    names = {p.code: p.name for p in registry.places(db_session=db, codes=codes)}
    options = [(c, names.get(c, c)) for c in codes]
    if not codes:
        raise NotFound(
            problem(
                "dashboard.no_election",
                "Belum ada pemilihan yang diawasi.",
                "No election is being supervised yet.",
            )
        )
    chosen = region if region in codes else codes[0]
    return chosen, options


@public.get("/transparansi")
def transparency(request: Request, db: SessionDep, region: str = "") -> Response:
    chosen, options = _public_region(db, region)
    sections, filters = _public_sections(request, db, chosen, current_language.get())
    response = render(
        request,
        "dashboard/public.html",
        {
            "sections": sections,
            "f": filters,
            "region": chosen,
            "region_name": dict(options)[chosen],
            "regions": options,
        },
    )
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@public.get("/transparansi/unduh/{section}/{figure}.csv")
def transparency_csv(
    section: str, figure: str, request: Request, db: SessionDep, region: str = ""
) -> Response:
    """A public chart's numbers as CSV: the same masked counts the page shows."""
    chosen, _ = _public_region(db, region)
    sections, _filters = _public_sections(request, db, chosen, current_language.get())
    found = next((s for s in sections if s.key == section), None)
    fig = found.figure(figure) if found else None
    if fig is None:
        raise _not_found()
    headers, rows = fig.table()
    # no audit row: the numbers are public, and an anonymous caller could flood the log
    return table_download(
        fmt="csv",
        filename=f"transparansi-{chosen}-{section}-{figure}",
        sheet=fig.title,
        headers=headers,
        rows=rows,
    ).response
