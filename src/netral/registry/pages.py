"""Registry pages: search and list ASN, one ASN, OPD with counts, one OPD."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.core.models import User
from netral.core.security import has_permission
from netral.registry import service
from netral.registry.nip import parse_nip
from netral.web.deps import DbId, IdText, PageNumber, SessionDep, UserScope, require
from netral.web.tables import sort_rows
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require("registry.read"))]


FILTER_OPTIONS_MAX = 500


@router.get("/asn")
def asn_list(
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    q: str = "",
    opd: IdText = "",
    kind: str = "",
    sort: str = "name",
    page: PageNumber = 1,
) -> Response:
    opd_id = int(opd) if opd.isdigit() else None
    sort = service.asn_sort_key(sort)

    def listed(page: int) -> service.Page:
        return service.list_asn(
            db_session=db,
            scope=scope,
            q=q,
            opd_id=opd_id,
            kind=kind or None,
            page=page,
            per_page=25,
            sort=sort,
        )

    result = listed(page)
    if result.total and page > result.pages:  # past the end (an old link): the last page
        result = listed(result.pages)
    opds = service.opd_counts(db_session=db, scope=scope, counted=False)
    # the nation holds thousands of OPD: a list nobody picks from, and most of a megabyte on
    # every page (benchmarks/national.py); the chosen one stays
    if len(opds) > FILTER_OPTIONS_MAX:
        opds = [c for c in opds if c.opd.id == opd_id]
    template = (
        "registry/_asn_rows.html" if request.headers.get("hx-request") else "registry/asn_list.html"
    )
    return render(
        request,
        template,
        {"result": result, "q": q, "opd_id": opd_id, "kind": kind, "opds": opds, "sort": sort},
    )


@router.get("/asn/{asn_id}")
def asn_detail(
    asn_id: DbId, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    asn = service.get_asn(db_session=db, scope=scope, asn_id=asn_id)
    contact = service.contact_of(asn) if has_permission(user, "registry.contact") else None
    return render(
        request,
        "registry/asn_detail.html",
        {"asn": asn, "nip": parse_nip(asn.nip), "contact": contact},
    )


OPD_SORTS: dict[str, Callable[[Any], Any]] = {
    "code": lambda c: c.opd.code,
    "name": lambda c: c.opd.name.casefold(),
    "total": lambda c: c.total,
}


@router.get("/opd")
def opd_list(
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    kind: str = "",
    sort: str = "",
) -> Response:
    counts = service.opd_counts(db_session=db, scope=scope)
    if kind == "wilayah":
        counts = [c for c in counts if c.opd.kind == "kecamatan"]
    elif kind == "perangkat":
        counts = [c for c in counts if c.opd.kind != "kecamatan"]
    if sort:  # without one, the registry's own order (agencies, then their units)
        counts, sort = sort_rows(counts, sort, OPD_SORTS, "name")
    return render(
        request,
        "registry/opd_list.html",
        {"counts": counts, "kind": kind, "total": sum(c.total for c in counts), "sort": sort},
    )


@router.get("/opd/{opd_id}")
def opd_detail(
    opd_id: DbId, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    opd = service.get_opd(db_session=db, scope=scope, opd_id=opd_id)
    units = service.opd_units(db_session=db, opd_id=opd.id)
    people = service.list_asn(db_session=db, scope=scope, opd_id=opd.id, per_page=50)
    return render(
        request, "registry/opd_detail.html", {"opd": opd, "units": units, "people": people}
    )
