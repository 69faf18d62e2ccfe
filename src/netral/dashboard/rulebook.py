"""The rulebook, readable: violations and their two sanction tracks, levels, deadlines, poses."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.core.closures import calendar_for
from netral.core.models import User
from netral.rules import due_date
from netral.web.deps import require
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["rules"])
Reader = Annotated[User, Depends(require("rules.read"))]


@router.get("/aturan")
def rulebook_page(request: Request, user: Reader) -> Response:
    return render(request, "rules/rulebook.html", {"rb": request.app.state.rulebook})


@api.get("/rules")
def rulebook_json(request: Request, user: Reader) -> dict[str, Any]:
    """The whole rulebook the server runs with, its version included."""
    data: dict[str, Any] = request.app.state.rulebook.model_dump(mode="json")
    return data


@api.get("/rules/deadline/{step}")
def deadline(
    request: Request, user: Reader, step: str, start: date, extended: bool = False
) -> dict[str, Any]:
    """When a step is due, counted in the rulebook's kind of days (calendar or working)."""
    result = due_date(
        request.app.state.rulebook,
        step,
        start,
        extended=extended,
        calendar=calendar_for(request.app.state.engine),
    )
    return {
        "step": result.step,
        "from": result.start.isoformat(),
        "due": result.due.isoformat(),
        "days": result.days,
        "kind": result.kind,
    }
