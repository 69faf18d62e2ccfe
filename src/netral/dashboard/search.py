"""One search across ASN, reports and cases: by number, NIP or name, each group only for the roles
that may read it, in the user's scope. Reports match on their number and the reported ASN's NIP,
never on what the reporter gave about themselves."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from netral.cases import service as cases
from netral.core.errors import Forbidden, problem
from netral.core.models import User
from netral.core.security import has_permission
from netral.registry import service as registry
from netral.reports import service as reports
from netral.web.deps import CurrentUser, SessionDep, UserScope
from netral.web.templating import render

router = APIRouter(include_in_schema=False)

PER_GROUP = 20
MAX_TERM = 100  # longer than any number, NIP or name: the rest is cut, not searched
# a whole public number: one report or one case, opened straight away
WHOLE_NUMBER = re.compile(r"^(LAP|KASUS)-\d{4}-\d{6}$")


def _may_search(user: User) -> dict[str, bool]:
    return {
        "asn": has_permission(user, "registry.read"),
        "reports": has_permission(user, "reports.read"),
        "cases": has_permission(user, "cases.read"),
    }


@router.get("/cari")
def search(
    request: Request, db: SessionDep, user: CurrentUser, scope: UserScope, q: str = ""
) -> Response:
    may = _may_search(user)
    if not any(may.values()):
        raise Forbidden(
            problem(
                "search.forbidden",
                "Pencarian ASN, laporan dan kasus hanya untuk peran yang boleh melihat registri "
                "ASN, laporan atau kasus. Peran Anda tidak memiliki wewenang itu.",
                "Searching ASN, reports and cases is for roles that may view the ASN registry, "
                "reports or cases. Your role has none of these.",
            )
        )
    term = " ".join(q.split())[:MAX_TERM]
    upper = term.upper()
    if WHOLE_NUMBER.match(upper):
        kind = upper.split("-")[0]
        if kind == "LAP" and may["reports"]:
            found = reports.search_reports(db_session=db, scope=scope, term=upper, limit=1)
            if found[1] == 1 and found[0][0].number == upper:
                return RedirectResponse(f"/laporan/{upper}", status_code=303)
        if kind == "KASUS" and may["cases"]:
            hits = cases.search_cases(db_session=db, scope=scope, term=upper, limit=1)
            if hits[1] == 1 and hits[0][0].number == upper:
                return RedirectResponse(f"/kasus/{upper}", status_code=303)
    groups: dict[str, tuple[Sequence[object], int]] = {}
    if term:
        if may["asn"]:
            groups["asn"] = registry.search_asn(
                db_session=db, scope=scope, term=term, limit=PER_GROUP
            )
        if may["reports"]:
            groups["reports"] = reports.search_reports(
                db_session=db, scope=scope, term=term, limit=PER_GROUP
            )
        if may["cases"]:
            groups["cases"] = cases.search_cases(
                db_session=db, scope=scope, term=term, limit=PER_GROUP
            )
    digits = term.replace(" ", "")
    return render(
        request,
        "dashboard/search.html",
        {
            "search_q": term,
            "may": may,
            "groups": groups,
            "found": sum(total for _, total in groups.values()),
            "short_nip": digits.isdigit() and len(digits) < registry.NIP_PREFIX_MIN,
            "too_short": 0 < len(term) < 2,
            "per_group": PER_GROUP,
        },
    )
