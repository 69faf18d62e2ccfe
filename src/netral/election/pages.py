"""Election pages: the season's dates and the candidate pairs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.core.models import User
from netral.election import service
from netral.web.deps import SessionDep, UserScope, require
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require("election.read"))]


@router.get("/pemilihan")
def elections(request: Request, db: SessionDep, user: Reader, scope: UserScope) -> Response:
    return render(
        request,
        "election/list.html",
        {"elections": service.list_elections(db_session=db, scope=scope)},
    )


@router.get("/pemilihan/{code}")
def election(
    code: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    return render(
        request,
        "election/detail.html",
        {"election": service.get_election(db_session=db, scope=scope, code=code)},
    )
