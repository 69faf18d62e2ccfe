"""Election JSON API: the elections in scope and their candidate pairs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from netral.core.models import User
from netral.election import service
from netral.election.schemas import ElectionOut
from netral.web.deps import SessionDep, UserScope, require
from netral.web.problems import problem_responses

router = APIRouter(tags=["election"])
Reader = Annotated[User, Depends(require("election.read"))]


@router.get("/elections", response_model=list[ElectionOut], responses=problem_responses(401, 403))
def list_elections(db: SessionDep, user: Reader, scope: UserScope) -> list[ElectionOut]:
    return [
        ElectionOut.model_validate(e) for e in service.list_elections(db_session=db, scope=scope)
    ]


@router.get(
    "/elections/{code}", response_model=ElectionOut, responses=problem_responses(401, 403, 404)
)
def get_election(code: str, db: SessionDep, user: Reader, scope: UserScope) -> ElectionOut:
    return ElectionOut.model_validate(service.get_election(db_session=db, scope=scope, code=code))
