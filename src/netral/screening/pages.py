"""Screening results on the report page (an htmx fragment) and in the API. Advice, with reasons;
staff confirm or reject each finding there (a label for retraining, never a case decision)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, cast
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.core.errors import NetralError
from netral.core.models import User
from netral.reports import service as reports
from netral.screening import decisions
from netral.screening.models import ScreeningDecision
from netral.screening.schemas import (
    DecisionIn,
    DecisionOut,
    FindingOut,
    ReportFindingsOut,
    ScreeningLabel,
)
from netral.screening.service import LABELS, findings_for
from netral.screening.why import why_text
from netral.web.deps import DbId, FormDep, SessionDep, UserScope, actor_of, require
from netral.web.forms import field_errors
from netral.web.i18n import current_language
from netral.web.problems import problem_responses
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
api = APIRouter(tags=["screening"])
Reader = Annotated[User, Depends(require("reports.read"))]
Decider = Annotated[User, Depends(require("screening.decide"))]
DECISION_TEXT = {
    "confirm": ("Benar", "Correct"),
    "reject": ("Keliru", "Wrong"),
}


def label_text(label: str) -> str:
    pair = LABELS.get(cast(ScreeningLabel, label), (label, label))
    return pair[1] if current_language.get() == "en" else pair[0]


def reason_text(code: str) -> str:
    reason = decisions.reasons().get(code)
    return reason.name(current_language.get()) if reason is not None else code


def decision_text(decision: str) -> str:
    pair = DECISION_TEXT.get(decision, (decision, decision))
    return pair[1] if current_language.get() == "en" else pair[0]


def _deciders(db: Session, rows: Iterable[ScreeningDecision]) -> dict[int, str]:
    ids = {d.decided_by for d in rows}
    if not ids:
        return {}
    users = db.execute(select(User.id, User.full_name, User.username).where(User.id.in_(ids)))
    return {uid: full or username for uid, full, username in users}


def _decision_context() -> dict[str, Any]:
    return {
        "label_text": label_text,
        "reason_text": reason_text,
        "decision_text": decision_text,
        "reasons_for": decisions.reasons_for,
        "decidable": decisions.decidable,
        "why_text": lambda line: why_text(line, current_language.get()),
    }


def _back_to(request: Request, number: str) -> str:
    """The page a decision returns to: the report or case page the fragment sat in."""
    current = request.headers.get("hx-current-url", "")
    path = urlsplit(current).path if current else ""
    return path if _safe_next(path) else f"/laporan/{number}"


def _safe_next(path: str) -> bool:
    # only this app's own report and case pages: never another site, never a scheme
    return path.startswith(("/laporan/", "/kasus/")) and "//" not in path and "\\" not in path


@router.get("/laporan/{number}/penyaringan")
def findings_fragment(
    number: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    report = reports.get_report(db_session=db, scope=scope, number=number)
    found = findings_for(db_session=db, report_id=report.id)
    shown = [*found.decisions.values(), *found.previous.values()]
    return render(
        request,
        "screening/_findings.html",
        {
            "report": report,
            "found": found,
            "evidence": {e.id: e for e in report.evidence},
            "deciders": _deciders(db, shown),
            "back_to": _back_to(request, report.number),
            **_decision_context(),
        },
    )


def _decision_page(
    request: Request,
    db: Session,
    report: Any,
    finding: Any,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    next_path: str = "",
    status_code: int = 200,
) -> Response:
    past = decisions.history(db_session=db, finding_id=finding.id)
    return render(
        request,
        "screening/decision.html",
        {
            "report": report,
            "f": finding,
            "history": past,
            "deciders": _deciders(db, past),
            "errors": errors or {},
            "form": form or {},
            "back_to": next_path if _safe_next(next_path) else f"/laporan/{report.number}",
            **_decision_context(),
        },
        status_code=status_code,
    )


@router.get("/laporan/{number}/penyaringan/{finding_id}")
def finding_page(
    number: str,
    finding_id: DbId,
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
) -> Response:
    """One finding with every decision made on it, newest first."""
    report = reports.get_report(db_session=db, scope=scope, number=number)
    finding = decisions.get_finding(db_session=db, report_id=report.id, finding_id=finding_id)
    return _decision_page(
        request, db, report, finding, next_path=str(request.query_params.get("next", ""))
    )


@router.post("/laporan/{number}/penyaringan/{finding_id}/keputusan")
def decide_finding(
    number: str,
    finding_id: DbId,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Decider,
    scope: UserScope,
) -> Response:
    """Confirm or reject a finding. A label for retraining; no case moves because of it."""
    report = reports.get_report(db_session=db, scope=scope, number=number)
    finding = decisions.get_finding(db_session=db, report_id=report.id, finding_id=finding_id)
    values = {k: str(form.get(k, "")) for k in ("decision", "reason", "note", "next")}
    try:
        decisions.decide(
            db_session=db,
            finding=finding,
            actor=actor_of(user),
            decision=values["decision"],
            reason=values["reason"],
            note=values["note"],
            store=request.app.state.store,
        )
    except NetralError as exc:
        return _decision_page(
            request,
            db,
            report,
            finding,
            errors=field_errors(exc),
            form=values,
            next_path=values["next"],
            status_code=exc.status,
        )
    target = values["next"] if _safe_next(values["next"]) else f"/laporan/{report.number}"
    return RedirectResponse(f"{target}#temuan-{finding.id}", status_code=303)


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


@api.post(
    "/reports/{number}/findings/{finding_id}/decisions",
    status_code=201,
    response_model=DecisionOut,
    responses=problem_responses(401, 403, 404, 422),
)
def decide_json(
    number: str,
    finding_id: DbId,
    body: DecisionIn,
    request: Request,
    db: SessionDep,
    user: Decider,
    scope: UserScope,
) -> DecisionOut:
    """Confirm or reject a finding (a training label; no case moves because of it)."""
    report = reports.get_report(db_session=db, scope=scope, number=number)
    finding = decisions.get_finding(db_session=db, report_id=report.id, finding_id=finding_id)
    row = decisions.decide(
        db_session=db,
        finding=finding,
        actor=actor_of(user),
        decision=body.decision,
        reason=body.reason,
        note=body.note,
        store=request.app.state.store,
    )
    return DecisionOut.model_validate(row)


@api.get(
    "/reports/{number}/findings/{finding_id}/decisions",
    response_model=list[DecisionOut],
    responses=problem_responses(401, 403, 404, 422),
)
def decisions_json(
    number: str, finding_id: DbId, db: SessionDep, user: Reader, scope: UserScope
) -> list[DecisionOut]:
    """Every decision on a finding, newest first (the first is the one that counts)."""
    report = reports.get_report(db_session=db, scope=scope, number=number)
    finding = decisions.get_finding(db_session=db, report_id=report.id, finding_id=finding_id)
    return [
        DecisionOut.model_validate(d)
        for d in decisions.history(db_session=db, finding_id=finding.id)
    ]
