"""Election JSON API: the elections in scope and their candidate pairs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from netral.core.models import User
from netral.election import service
from netral.election.models import Election
from netral.web.deps import SessionDep, UserScope, require

router = APIRouter(tags=["election"])
Reader = Annotated[User, Depends(require("election.read"))]


def election_out(e: Election) -> dict[str, Any]:
    return {
        "code": e.code,
        "name": e.name,
        "kind": e.kind,
        "region_code": e.region_code,
        "campaign_start": e.campaign_start.isoformat() if e.campaign_start else None,
        "campaign_end": e.campaign_end.isoformat() if e.campaign_end else None,
        "voting_day": e.voting_day.isoformat(),
        "turnout_target": e.turnout_target,
        "candidates": [
            {
                "ballot_number": c.ballot_number,
                "head_name": c.head_name,
                "deputy_name": c.deputy_name,
                "nicknames": c.nicknames,
                "parties": c.parties,
                "slogans": c.slogans,
                "hashtags": c.hashtags,
                "accounts": c.accounts,
            }
            for c in e.candidates
        ],
    }


@router.get("/elections")
def list_elections(db: SessionDep, user: Reader, scope: UserScope) -> list[dict[str, Any]]:
    return [election_out(e) for e in service.list_elections(db_session=db, scope=scope)]


@router.get("/elections/{code}")
def get_election(code: str, db: SessionDep, user: Reader, scope: UserScope) -> dict[str, Any]:
    return election_out(service.get_election(db_session=db, scope=scope, code=code))
