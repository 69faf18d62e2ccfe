"""The FastAPI app factory: checks the database and the rulebook, mounts every domain's routers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from netral import __version__
from netral.core.db import (
    database_unavailable,
    ensure_migrated,
    harden_data_dir,
    make_engine,
    pool_options,
    session_factory,
)
from netral.core.errors import NetralError, NotFound, ValidationFailed, problem
from netral.core.ratelimit import RateLimiter, storage_for
from netral.core.settings import Settings, get_settings
from netral.core.storage import LocalEvidenceStore
from netral.rules import load_rulebook
from netral.web.deps import NotAuthenticated, csrf_protect
from netral.web.i18n import current_language, gettext_
from netral.web.middleware import Admission, NetralMiddleware
from netral.web.problems import PROBLEM_MEDIA_TYPE, document_problems
from netral.wiring import wire

log = logging.getLogger("netral.web")
STATIC = Path(__file__).parent / "web" / "static"
PROBLEM = PROBLEM_MEDIA_TYPE
# pydantic's error types for a number outside its declared bounds (or too long to parse at all)
OUT_OF_RANGE = {
    "greater_than",
    "greater_than_equal",
    "less_than",
    "less_than_equal",
    "int_parsing_size",
}


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The embedded default screens in a consumer thread inside the web process."""
    worker = None
    if app.state.settings.jobs == "inprocess":
        from netral.core.jobs import InProcessWorker

        worker = InProcessWorker()
        worker.start()
    try:
        yield
    finally:
        if worker is not None:
            worker.stop()


def create_app(settings: Settings | None = None, *, check_database: bool = True) -> FastAPI:
    settings = settings or get_settings()
    harden_data_dir(settings)
    engine = make_engine(settings.database_url, **pool_options(settings))
    if check_database:
        ensure_migrated(engine)
    rulebook = load_rulebook()  # a bad rulebook stops start-up with file, entry and field

    app = FastAPI(
        title="netral",
        version=__version__,
        description="Netralitas ASN: ikrar, laporan, penyaringan, kasus. / ASN neutrality.",
        docs_url=None,  # served below from vendored files: the intranet may have no internet
        openapi_url="/api/v1/openapi.json",
        redoc_url=None,
        dependencies=[Depends(csrf_protect)],
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = session_factory(engine)
    app.state.rulebook = rulebook
    app.state.store = LocalEvidenceStore(settings.data_dir / "evidence")
    # one storage for both: Redis (every process and machine counts together) or memory
    limit_store = storage_for(settings.redis_url)
    app.state.limits = {
        "submit": RateLimiter(
            settings.report_submissions_per_minute, 60, name="submit", storage=limit_store
        ),
        "receipt": RateLimiter(
            settings.receipt_lookups_per_minute, 60, name="receipt", storage=limit_store
        ),
    }
    wire(settings=settings, engine=engine)
    max_body = settings.max_request_mb * 1024 * 1024

    if not settings.is_sqlite:
        # no more requests inside than the pool can serve (web/middleware.py); half leaves the
        # rest to the in-process worker and the periodic jobs, which draw on the same pool
        connections = settings.db_pool_size + settings.db_max_overflow
        app.add_middleware(Admission, limit=max(1, connections // 2))
    app.add_middleware(
        NetralMiddleware,
        max_body=max_body,
        default_language=settings.default_language,
        hsts=settings.cookie_secure,
    )
    if settings.trusted_proxies:
        # outermost: the client address (rate limits, sign-in lockout) and the scheme come from
        # X-Forwarded-For/-Proto only when the connection is from one of these proxies
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)

    @app.exception_handler(NetralError)
    async def domain_error(request: Request, exc: NetralError) -> Response:
        lang = current_language.get()
        if isinstance(exc, NotAuthenticated) and not _wants_json(request):
            return RedirectResponse(f"/masuk?next={request.url.path}", status_code=303)
        if _wants_json(request):
            return JSONResponse(
                exc.problem_json(lang, request.url.path),
                status_code=exc.status,
                media_type=PROBLEM,
                headers=exc.headers,
            )
        from netral.web.templating import render

        page = render(
            request,
            "error.html",
            {"error": exc, "message": exc.message(lang)},
            status_code=exc.status,
        )
        page.headers.update(exc.headers)
        return page

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def database_gone(request: Request, exc: DBAPIError) -> Response:
        # the statement and its parameters may hold personal data: log the kind only
        log.warning("database unavailable: %s", type(exc.orig).__name__)
        # the error page must not ask the database who is signed in
        request.state.db = None
        request.state.auth = None
        return await domain_error(request, database_unavailable())

    @app.exception_handler(RequestValidationError)
    async def request_invalid(request: Request, exc: RequestValidationError) -> Response:
        if any(e["loc"][:1] == ("path",) and e["type"] in OUT_OF_RANGE for e in exc.errors()):
            # a path id outside its type's range (deps.DbId) names no row: not found, like an
            # unused id, rather than "your request is malformed"
            return await domain_error(
                request,
                NotFound(problem("request.not_found", "Data tidak ditemukan.", "Not found.")),
            )
        errors = [
            {
                "code": "request.invalid",
                "field": ".".join(str(p) for p in e["loc"][1:]),
                "message": e["msg"],
            }
            for e in exc.errors()
        ]
        if not _wants_json(request):
            if any(e["loc"][:1] == ("path",) for e in exc.errors()):
                # a malformed id in the address (/asn/abc) names no page: the 404 page
                return await domain_error(
                    request,
                    NotFound(
                        problem(
                            "request.not_found",
                            "Halaman yang Anda buka tidak ditemukan. Periksa alamatnya.",
                            "The page you opened was not found. Check its address.",
                        )
                    ),
                )
            # a person reads no parameter or field code: the address or the form, in words
            where = {e["loc"][0] for e in exc.errors()}
            return await domain_error(
                request,
                ValidationFailed(
                    problem(
                        "request.invalid",
                        "Alamat halaman ini tidak dapat dibaca. Periksa tautannya atau kembali ke "
                        "halaman sebelumnya."
                        if where <= {"query"}
                        else "Isian formulir tidak dapat dibaca. Kembali ke formulir dan periksa "
                        "isiannya.",
                        "This page's address cannot be read. Check the link or go back to the "
                        "previous page."
                        if where <= {"query"}
                        else "The form's input cannot be read. Go back to the form and check it.",
                    )
                ),
            )
        body = {
            "type": "urn:netral:error:request.invalid",
            "title": gettext_("Permintaan tidak sah"),
            "status": 422,
            "code": "request.invalid",
            "errors": errors,
            "field": errors[0]["field"] if errors else None,
        }
        return JSONResponse(body, status_code=422, media_type=PROBLEM)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = gettext_("Halaman tidak ditemukan") if exc.status_code == 404 else str(exc.detail)
        if _wants_json(request):
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": title,
                    "status": exc.status_code,
                    "code": f"http.{exc.status_code}",
                },
                status_code=exc.status_code,
                media_type=PROBLEM,
            )
        from netral.web.templating import render

        return render(
            request, "error.html", {"error": None, "message": title}, status_code=exc.status_code
        )

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    from netral.briefings import api as briefings_api
    from netral.briefings import pages as briefings_pages
    from netral.cases import api as cases_api
    from netral.cases import pages as cases_pages
    from netral.dashboard import board as dashboard_board
    from netral.dashboard import calendar as calendar_pages
    from netral.dashboard import exports as dashboard_exports
    from netral.dashboard import my_data
    from netral.dashboard import pages as home
    from netral.dashboard import rulebook as rules_pages
    from netral.dashboard import search as search_pages
    from netral.election import api as election_api
    from netral.election import pages as election_pages
    from netral.pledges import api as pledges_api
    from netral.pledges import pages as pledges_pages
    from netral.registry import api as registry_api
    from netral.registry import pages as registry_pages
    from netral.reports import api as reports_api
    from netral.reports import pages as reports_pages
    from netral.screening import pages as screening_pages
    from netral.turnout import api as turnout_api
    from netral.turnout import pages as turnout_pages
    from netral.web import auth

    # the top bar names a user's scope ("Kota Bandung", not "32.73"); web plumbing knows no
    # registry, so the app hands it the lookup (names of regions hardly change: kept per process)
    app.state.place_name = home.place_namer()

    for router in (
        auth.router,
        home.router,
        calendar_pages.router,
        registry_pages.router,
        election_pages.router,
        rules_pages.router,
        reports_pages.router,
        reports_pages.public,
        screening_pages.router,
        cases_pages.router,
        turnout_pages.router,
        pledges_pages.router,
        briefings_pages.router,
        dashboard_board.router,
        dashboard_board.public,
        dashboard_exports.router,
        search_pages.router,
        my_data.router,
    ):
        app.include_router(router)
    for router in (
        auth.api,
        registry_api.router,
        election_api.router,
        rules_pages.api,
        reports_api.router,
        screening_pages.api,
        cases_api.router,
        turnout_api.router,
        pledges_api.router,
        briefings_api.router,
    ):
        app.include_router(router, prefix="/api/v1")
    document_problems(app)

    @app.get("/api/docs", include_in_schema=False)
    def api_docs() -> Response:
        from fastapi.responses import HTMLResponse

        return HTMLResponse(
            "<!doctype html><html><head><meta charset='utf-8'><title>netral API</title>"
            "<link rel='stylesheet' href='/static/swagger/swagger-ui.css'></head><body>"
            "<div id='swagger-ui'></div><script src='/static/swagger/swagger-ui-bundle.js'>"
            "</script><script src='/static/swagger/init.js'></script></body></html>"
        )

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__, "rulebook": rulebook.version}

    return app
