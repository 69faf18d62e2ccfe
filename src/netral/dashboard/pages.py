"""The start page: what this user must do today, with links straight to it; for the public, how
to report and how to follow a report."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.responses import Response

from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.security import Scope, has_permission
from netral.dashboard.today import work_for
from netral.election.service import list_elections
from netral.registry import service as registry
from netral.web.deps import OptionalUser, SessionDep
from netral.web.templating import render

router = APIRouter(include_in_schema=False)

FAVICON = Path(__file__).parent.parent / "web" / "static" / "favicon.ico"


@router.get("/")
def home(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return render(request, "home_public.html")
    scope = Scope.of(user)
    now = utcnow()
    work = work_for(db_session=db, user=user, scope=scope, today=to_wib_date(now), now=now)
    stats = {}
    if has_permission(user, "registry.read"):
        counts = registry.counts(db_session=db, scope=scope)
        stats = {"asn": counts.asn, "opd": counts.opd}
    elections = list_elections(db_session=db, scope=scope)
    return render(
        request,
        "home.html",
        {
            "work": work,
            "stats": stats,
            "elections": elections,
            "scope": scope,
            "now": now,
        },
    )


def place_namer() -> Callable[[Session, str], str]:
    """A lookup of a region's name by code for the page chrome, remembered per process."""
    known: dict[str, str] = {}

    def name(db: Session, code: str) -> str:
        if code not in known:
            try:
                place = registry.get_place(db_session=db, code=code)
            except SQLAlchemyError:  # an error page after a failed statement: the code will do
                return code
            if place is None:
                return code
            known[code] = place.name
        return known[code]

    return name


@router.get("/favicon.ico")
def favicon() -> Response:
    # browsers ask for it at the root whatever the page links; it ships in the package
    return FileResponse(FAVICON, media_type="image/x-icon")
