"""Cases JSON API. Transitions are refused by the workflow table (roles, fields), not here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field

from netral.cases import service
from netral.cases.deadlines import clock_status
from netral.cases.models import Case
from netral.cases.schemas import CaseOpenIn, TransitionIn
from netral.cases.workflow import workflow
from netral.core.calendar import WIB, to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import utcnow
from netral.core.models import User
from netral.reports.service import Upload
from netral.web.deps import CurrentUser, DbId, PageNumber, SessionDep, UserScope, require
from netral.web.i18n import current_language

router = APIRouter(tags=["cases"])
Reader = Annotated[User, Depends(require("cases.read"))]
Opener = Annotated[User, Depends(require("cases.open"))]
Handler = Annotated[User, Depends(require("cases.handle"))]


def case_out(case: Case, db: Any, user: User | None = None) -> dict[str, Any]:
    lang = current_language.get()
    clock = clock_status(case, to_wib_date(utcnow()), calendar_for(db))
    wf = workflow()
    return {
        "number": case.number,
        "region_code": case.region_code,
        "origin": case.origin,
        "title": case.title,
        "summary": case.summary,
        "state": case.state,
        "state_label": wf.state_label(case.state, lang),
        "rulebook_version": case.rulebook_version,
        "asn": [
            {
                "asn_id": a.asn_id,
                "nip": a.nip,
                "name": a.name,
                "kind": a.kind,
                "position": a.position,
                "opd": a.opd,
            }
            for a in case.asn
        ],
        "acts": [{"code": a.code, "proven": a.proven} for a in case.acts],
        "reports": [r.report_id for r in case.reports],
        "deadline": None
        if clock is None
        else {
            "step": case.deadline_step,
            "start": str(case.deadline_start),
            "due": str(clock.due),
            "days_left": clock.days_left,
            "status": clock.status,
            "kind": clock.kind,
            "extended": case.deadline_extended,
        },
        "decision": case.decision,
        "decision_date": str(case.decision_date or "") or None,
        "forwarded_to": case.forwarded_to,
        "recommendation": case.recommendation or None,
        "recommendation_number": case.recommendation_number,
        "sk_number": case.sk_number,
        "sk_date": str(case.sk_date or "") or None,
        "sanction_level": case.sanction_level,
        "penalty": case.penalty,
        "carried_out_on": str(case.carried_out_on or "") or None,
        "timeline": [
            {
                "code": t.code,
                "from": t.from_state,
                "to": t.to_state,
                "actor": t.actor_name,
                "role": t.role,
                "at": t.at.isoformat(),
                "reason": t.reason,
                "fields": t.fields,
            }
            for t in case.transitions
        ],
        "hearings": [
            {
                "id": h.id,
                "party": h.party,
                "name": h.name,
                "scheduled_at": h.scheduled_at.isoformat(),
                "place": h.place,
                "held_on": str(h.held_on or "") or None,
                "minutes_document_id": h.minutes_document_id,
            }
            for h in case.hearings
        ],
        "documents": [
            {
                "id": d.id,
                "kind": d.kind,
                "title": d.title,
                "number": d.number,
                "sha256": d.sha256,
                "media_type": d.media_type,
            }
            for d in case.documents
        ],
        "actions": [t.code for t in wf.available(case.state, user.role)] if user else [],
    }


@router.get("/cases")
def list_cases(
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    state: str = "",
    deadline: str = "",
    q: str = "",
    mine: bool = False,
    page: PageNumber = 1,
    per_page: int = 25,
) -> dict[str, Any]:
    rows, total = service.list_cases(
        db_session=db,
        scope=scope,
        filters=service.CaseFilter(state, deadline, user.id if mine else None, q),
        page=page,
        per_page=min(max(per_page, 1), 200),
    )
    return {
        "total": total,
        "page": page,
        "items": [
            {
                "number": r.case.number,
                "title": r.case.title,
                "state": r.case.state,
                "region_code": r.case.region_code,
                "asn": [a.name for a in r.case.asn],
                "deadline": None
                if r.clock is None
                else {
                    "step": r.case.deadline_step,
                    "due": str(r.clock.due),
                    "days_left": r.clock.days_left,
                    "status": r.clock.status,
                },
            }
            for r in rows
        ],
    }


@router.post("/cases", status_code=201)
def open_case(body: CaseOpenIn, db: SessionDep, user: Opener, scope: UserScope) -> dict[str, Any]:
    case = service.open_case(
        db_session=db,
        scope=scope,
        user=user,
        title=body.title,
        summary=body.summary,
        origin=body.origin,
        region=body.region,
        report_numbers=body.reports,
        asn_ids=body.asn_ids,
        acts=body.acts,
    )
    return case_out(case, db, user)


@router.get("/cases/{number}")
def get_case(number: str, db: SessionDep, user: Reader, scope: UserScope) -> dict[str, Any]:
    return case_out(service.get_case(db_session=db, scope=scope, number=number), db, user)


@router.get("/cases/{number}/options")
def options(number: str, db: SessionDep, user: Reader, scope: UserScope) -> dict[str, Any]:
    """Both sanction tracks for the acts, with their legal bases and confidence."""
    return service.recommendation_options(
        service.get_case(db_session=db, scope=scope, number=number)
    )


@router.post("/cases/{number}/transitions/{code}")
def make_transition(
    number: str,
    code: str,
    body: TransitionIn,
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
) -> dict[str, Any]:
    case = service.get_case(db_session=db, scope=scope, number=number)
    service.transition(
        db_session=db,
        case=case,
        code=code,
        user=user,
        fields=body,
        store=request.app.state.store,
    )
    return case_out(case, db, user)


class HearingIn(BaseModel):
    party: str
    name: str = Field(max_length=200)
    position: str = Field(default="", max_length=200)
    scheduled_at: datetime
    place: str = Field(default="", max_length=300)


@router.post("/cases/{number}/hearings", status_code=201)
def schedule_hearing(
    number: str, body: HearingIn, request: Request, db: SessionDep, user: Handler, scope: UserScope
) -> dict[str, Any]:
    case = service.get_case(db_session=db, scope=scope, number=number)
    at = body.scheduled_at if body.scheduled_at.tzinfo else body.scheduled_at.replace(tzinfo=WIB)
    service.schedule_hearing(
        db_session=db,
        store=request.app.state.store,
        case=case,
        user=user,
        party=body.party,
        name=body.name,
        position=body.position,
        scheduled_at=at,
        place=body.place,
    )
    return case_out(case, db, user)


@router.post("/cases/{number}/hearings/{hearing_id}/held")
def hearing_held(
    number: str,
    hearing_id: DbId,
    request: Request,
    db: SessionDep,
    user: Handler,
    scope: UserScope,
    held_on: Annotated[str, Form()],
    minutes: Annotated[UploadFile, File()],
) -> dict[str, Any]:
    from datetime import date

    case = service.get_case(db_session=db, scope=scope, number=number)
    service.record_hearing(
        db_session=db,
        store=request.app.state.store,
        case=case,
        user=user,
        hearing_id=hearing_id,
        held_on=date.fromisoformat(held_on),
        minutes=Upload(minutes.filename or "", minutes.file, minutes.content_type),
    )
    return case_out(case, db, user)


@router.post("/cases/{number}/documents", status_code=201)
def add_document(
    number: str,
    request: Request,
    db: SessionDep,
    user: Handler,
    scope: UserScope,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form()] = "",
) -> dict[str, Any]:
    case = service.get_case(db_session=db, scope=scope, number=number)
    doc = service.add_document(
        db_session=db,
        store=request.app.state.store,
        case=case,
        user=user,
        kind=kind,
        title=title,
        upload=Upload(file.filename or "", file.file, file.content_type),
    )
    return {"id": doc.id, "kind": doc.kind, "sha256": doc.sha256}


class ExtendIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.post("/cases/{number}/extend")
def extend(
    number: str, body: ExtendIn, db: SessionDep, user: Handler, scope: UserScope
) -> dict[str, Any]:
    case = service.get_case(db_session=db, scope=scope, number=number)
    service.extend_deadline(db_session=db, case=case, user=user, reason=body.reason)
    return case_out(case, db, user)


@router.get("/notifications")
def notifications(db: SessionDep, user: CurrentUser) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from netral.cases.models import Notification

    rows = db.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
        .limit(50)
    )
    return [
        {
            "id": n.id,
            "case_id": n.case_id,
            "body": n.body,
            "created_at": n.created_at.isoformat(),
            "read": n.read_at is not None,
        }
        for n in rows
    ]
