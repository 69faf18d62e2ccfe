"""The rulebook, readable: violations and their two sanction tracks, levels, deadlines, poses."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.core.closures import calendar_for
from netral.core.models import User
from netral.dashboard.schemas import DueDateOut
from netral.rules import due_date
from netral.rules.schema import Rulebook
from netral.web.deps import require
from netral.web.problems import problem_responses
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["rules"])
Reader = Annotated[User, Depends(require("rules.read"))]


@router.get("/aturan")
def rulebook_page(request: Request, user: Reader) -> Response:
    return render(request, "rules/rulebook.html", {"rb": request.app.state.rulebook})


@api.get("/rules", response_model=Rulebook, responses=problem_responses(401, 403))
def rulebook_json(request: Request, user: Reader) -> Rulebook:
    """The whole rulebook the server runs with, its version included."""
    rulebook: Rulebook = request.app.state.rulebook
    return rulebook


@api.get(
    "/rules/deadline/{step}",
    response_model=DueDateOut,
    responses=problem_responses(401, 403, 422),
)
def deadline(
    request: Request, user: Reader, step: str, start: date, extended: bool = False
) -> DueDateOut:
    """When a step is due, counted in the rulebook's kind of days (calendar or working)."""
    result = due_date(
        request.app.state.rulebook,
        step,
        start,
        extended=extended,
        calendar=calendar_for(request.app.state.engine),
    )
    return DueDateOut.of(result)
