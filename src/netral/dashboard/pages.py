"""The start page: what this user can reach, and the registry and election at a glance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from netral.core.security import Scope, has_permission
from netral.election.service import list_elections
from netral.registry import service as registry
from netral.web.deps import OptionalUser, SessionDep
from netral.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, db: SessionDep, user: OptionalUser) -> Response:
    if user is None:
        return RedirectResponse("/masuk", status_code=303)
    scope = Scope.of(user)
    stats = {}
    if has_permission(user, "registry.read"):
        counts = registry.counts(db_session=db, scope=scope)
        stats = {"asn": counts.asn, "opd": counts.opd}
    elections = list_elections(db_session=db, scope=scope)
    return render(request, "home.html", {"stats": stats, "elections": elections, "scope": scope})
