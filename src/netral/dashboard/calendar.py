"""Closure days (local closures, a cuti bersama the package lacks) an admin adds on top of the
public holidays and cuti bersama.

They move every working-day deadline counted from then on; the holidays and cuti bersama
themselves come from the `holidays` package and are listed here so the admin sees what is counted.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from netral.core.calendar import to_wib_date
from netral.core.closures import add_closure, calendar_for, list_closures
from netral.core.db import utcnow
from netral.core.models import User
from netral.web.deps import SessionDep, actor_of, require
from netral.web.i18n import current_language
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Manager = Annotated[User, Depends(require("calendar.manage"))]


def _page(
    request: Request, db: SessionDep, year: int, error: str = "", status_code: int = 200
) -> Response:
    cal = calendar_for(db)
    days = [
        date.fromordinal(d)
        for d in range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
    ]
    lang = current_language.get()
    holidays = [(d, cal.holiday_name(d, lang)) for d in days if cal.is_holiday(d)]
    return render(
        request,
        "calendar.html",
        {
            "year": year,
            "holidays": holidays,
            "closures": list_closures(db_session=db),
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/kalender")
def calendar_page(request: Request, db: SessionDep, user: Manager, year: int = 0) -> Response:
    return _page(request, db, year or to_wib_date(utcnow()).year)


@router.post("/kalender")
async def calendar_add(request: Request, db: SessionDep, user: Manager) -> Response:
    form = await request.form()
    name = str(form.get("name", "")).strip()
    try:
        day = date.fromisoformat(str(form.get("day", "")))
    except ValueError:
        return _page(
            request, db, to_wib_date(utcnow()).year, "Tanggal tidak sah (format YYYY-MM-DD).", 422
        )
    if not name:
        return _page(request, db, day.year, "Nama hari libur wajib diisi.", 422)
    add_closure(db_session=db, day=day, name=name[:200], actor=actor_of(user))
    return RedirectResponse(f"/kalender?year={day.year}", status_code=303)
