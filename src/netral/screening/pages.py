"""Screening results on the report page (an htmx fragment) and in the API. Advice, with reasons."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.core.models import User
from netral.reports import service as reports
from netral.screening.schemas import FindingOut, ReportFindingsOut, ScreeningLabel
from netral.screening.service import LABELS, findings_for
from netral.web.deps import SessionDep, UserScope, require
from netral.web.i18n import current_language
from netral.web.problems import problem_responses
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["screening"])
Reader = Annotated[User, Depends(require("reports.read"))]


def label_text(label: str) -> str:
    pair = LABELS.get(cast(ScreeningLabel, label), (label, label))
    return pair[1] if current_language.get() == "en" else pair[0]


@router.get("/laporan/{number}/penyaringan")
def findings_fragment(
    number: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    report = reports.get_report(db_session=db, scope=scope, number=number)
    found = findings_for(db_session=db, report_id=report.id)
    return render(
        request,
        "screening/_findings.html",
        {
            "report": report,
            "found": found,
            "label_text": label_text,
            "evidence": {e.id: e for e in report.evidence},
        },
    )


@router.get("/penyaringan/anotasi/{sha256}")
def annotated_image(
    sha256: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    """The annotated photo, for staff who may see the report it belongs to."""
    from fastapi.responses import FileResponse
    from sqlalchemy import select

    from netral.core.errors import NotFound, problem
    from netral.screening.models import ScreeningFinding

    # the same photo may sit in several reports: any one the user may see lets them see it
    report_ids = list(
        db.scalars(
            select(ScreeningFinding.report_id)
            .where(ScreeningFinding.annotated_sha256 == sha256)
            .distinct()
        )
    )
    regions = reports.report_regions(db_session=db, report_ids=report_ids).values()
    if not any(scope.covers(region) for region in regions):
        raise NotFound(problem("evidence.not_found", "Gambar tidak ditemukan.", "Image not found."))
    return FileResponse(
        request.app.state.store.path(sha256),
        media_type="image/jpeg",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@api.get(
    "/reports/{number}/findings",
    response_model=ReportFindingsOut,
    responses=problem_responses(401, 403, 404),
)
def findings_json(number: str, db: SessionDep, user: Reader, scope: UserScope) -> ReportFindingsOut:
    """Every finding for a report: kind, label, score, why, model, rulebook version."""
    report = reports.get_report(db_session=db, scope=scope, number=number)
    found = findings_for(db_session=db, report_id=report.id)
    return ReportFindingsOut(
        number=report.number,
        pending=found.pending,
        failed=found.failed,
        error=found.error,
        evidence={
            str(k): [FindingOut.model_validate(f) for f in v] for k, v in found.by_evidence.items()
        },
        report=[FindingOut.model_validate(f) for f in found.report_level],
    )
