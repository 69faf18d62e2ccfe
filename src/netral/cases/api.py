"""Cases JSON API. Transitions are refused by the workflow table (roles, fields), not here."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, cast

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from netral.cases import forwards, service
from netral.cases.deadlines import basis_text, clock_status, decision_clock, rule_of
from netral.cases.models import Case
from netral.cases.schemas import (
    CaseActOut,
    CaseAsnOut,
    CaseDeadlineBrief,
    CaseDocumentOut,
    CaseListItem,
    CaseOpenIn,
    CaseOrigin,
    CaseOut,
    CasePage,
    CaseState,
    ClosedDeadlineOut,
    DeadlineOut,
    Decision,
    DocumentAddedOut,
    HearingOut,
    HearingParty,
    NotificationOut,
    RecommendationOptionsOut,
    TimelineEntryOut,
    TransitionCode,
    TransitionIn,
)
from netral.cases.workflow import workflow
from netral.core.calendar import WIB, to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import utcnow
from netral.core.models import User
from netral.core.security import RoleCode
from netral.reports.schemas import ForwardIn, ForwardOut
from netral.reports.service import Upload
from netral.rules import load_rulebook
from netral.rules.schema import AsnType
from netral.web.deps import CurrentUser, DbId, PageNumber, SessionDep, UserScope, require
from netral.web.i18n import current_language
from netral.web.problems import problem_responses

router = APIRouter(tags=["cases"])
Reader = Annotated[User, Depends(require("cases.read"))]
Opener = Annotated[User, Depends(require("cases.open"))]
Handler = Annotated[User, Depends(require("cases.handle"))]


def case_out(case: Case, db: Session, user: User | None = None) -> CaseOut:
    lang = current_language.get()
    calendar = calendar_for(db)
    clock = clock_status(case, to_wib_date(utcnow()), calendar)
    decided = decision_clock(case, calendar)
    rb = load_rulebook()
    step = rule_of(case.deadline_step, rb)
    wf = workflow()
    return CaseOut(
        number=case.number,
        region_code=case.region_code,
        origin=cast(CaseOrigin, case.origin),
        title=case.title,
        summary=case.summary,
        register_number=case.register_number,
        state=cast(CaseState, case.state),
        state_label=wf.state_label(case.state, lang),
        tracks=dict(case.tracks or {}),
        rulebook_version=case.rulebook_version,
        asn=[
            CaseAsnOut(
                asn_id=a.asn_id,
                nip=a.nip,
                name=a.name,
                kind=cast(AsnType, a.kind),
                position=a.position,
                opd=a.opd,
            )
            for a in case.asn
        ],
        acts=[CaseActOut(code=a.code, proven=a.proven) for a in case.acts],
        reports=[r.report_id for r in case.reports],
        deadline=None
        if clock is None
        else DeadlineOut(
            step=case.deadline_step,
            name=step.name.get(lang) if step else None,
            start=case.deadline_start,
            counts_from=step.counts_from if step else None,
            due=clock.due,
            days_left=clock.days_left,
            status=clock.status,
            kind=clock.kind,
            extended=case.deadline_extended,
            basis=basis_text(rb, step) if step else [],
            confidence=step.confidence if step else None,
        ),
        decision=cast(Decision | None, case.decision),
        decision_date=case.decision_date,
        decided_late=bool(decided and decided.late),
        decided_days_late=decided.days_late if decided and decided.late else None,
        decision_deadline=None
        if decided is None
        else ClosedDeadlineOut(
            step=decided.step,
            due=decided.due,
            kind=decided.kind,
            extended=decided.extended,
            closed_on=decided.closed_on,
            days_late=decided.days_late,
            late=decided.late,
        ),
        forwarded_to=case.forwarded_to,
        recommendation=case.recommendation or None,
        recommendation_number=case.recommendation_number,
        plenary_members=list(case.plenary_members or []),
        notified_on=case.notified_on,
        bkn_forwarded_on=case.bkn_forwarded_on,
        bkn_number=case.bkn_number,
        bkn_date=case.bkn_date,
        bkn_level=case.bkn_level,
        examination_team=list(case.examination_team or []),
        sk_number=case.sk_number,
        sk_date=case.sk_date,
        ethics_sanction=case.ethics_sanction,
        sanction_level=case.sanction_level,
        penalty=case.penalty,
        delivered_on=case.delivered_on,
        objection_filed_on=case.objection_filed_on,
        objection_decided_on=case.objection_decided_on,
        carried_out_on=case.carried_out_on,
        gakkumdu_forwarded_on=case.gakkumdu_forwarded_on,
        gakkumdu_reference=case.gakkumdu_reference,
        gakkumdu_status=case.gakkumdu_status,
        ppk_substitute=case.ppk_substitute,
        ppk_acting=case.ppk_acting,
        timeline=[
            TimelineEntryOut(
                code=t.code,
                from_=cast(CaseState, t.from_state),
                to=cast(CaseState, t.to_state),
                actor=t.actor_name,
                role=cast(RoleCode, t.role),
                at=t.at,
                reason=t.reason,
                fields=t.fields,
            )
            for t in case.transitions
        ],
        hearings=[
            HearingOut(
                id=h.id,
                party=cast(HearingParty, h.party),
                name=h.name,
                scheduled_at=h.scheduled_at,
                place=h.place,
                held_on=h.held_on,
                attended=h.attended,
                minutes_document_id=h.minutes_document_id,
            )
            for h in case.hearings
        ],
        documents=[
            CaseDocumentOut(
                id=d.id,
                kind=d.kind,
                title=d.title,
                number=d.number,
                sha256=d.sha256,
                media_type=d.media_type,
            )
            for d in case.documents
        ],
        actions=[
            cast(TransitionCode, t.code)
            for t in wf.available(case.state, user.role, dict(case.tracks or {}))
        ]
        if user
        else [],
    )


@router.get("/cases", response_model=CasePage, responses=problem_responses(401, 403, 422))
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
) -> CasePage:
    rows, total = service.list_cases(
        db_session=db,
        scope=scope,
        filters=service.CaseFilter(state, deadline, user.id if mine else None, q),
        page=page,
        per_page=min(max(per_page, 1), 200),
    )
    return CasePage(
        total=total,
        page=page,
        items=[
            CaseListItem(
                number=r.case.number,
                title=r.case.title,
                register_number=r.case.register_number,
                state=cast(CaseState, r.case.state),
                region_code=r.case.region_code,
                asn=[a.name for a in r.case.asn],
                deadline=None
                if r.clock is None
                else CaseDeadlineBrief(
                    step=r.case.deadline_step,
                    due=r.clock.due,
                    days_left=r.clock.days_left,
                    status=r.clock.status,
                ),
            )
            for r in rows
        ],
    )


@router.post(
    "/cases",
    status_code=201,
    response_model=CaseOut,
    responses=problem_responses(401, 403, 422),
)
def open_case(body: CaseOpenIn, db: SessionDep, user: Opener, scope: UserScope) -> CaseOut:
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


@router.get("/cases/{number}", response_model=CaseOut, responses=problem_responses(401, 403, 404))
def get_case(number: str, db: SessionDep, user: Reader, scope: UserScope) -> CaseOut:
    return case_out(service.get_case(db_session=db, scope=scope, number=number), db, user)


@router.get(
    "/cases/{number}/options",
    response_model=RecommendationOptionsOut,
    responses=problem_responses(401, 403, 404),
)
def options(
    number: str, db: SessionDep, user: Reader, scope: UserScope
) -> RecommendationOptionsOut:
    """Both sanction tracks for the acts, with their legal bases and confidence."""
    case = service.get_case(db_session=db, scope=scope, number=number)
    return RecommendationOptionsOut.model_validate(
        service.recommendation_options(case, **service.law_context(case))
    )


@router.post(
    "/cases/{number}/transitions/{code}",
    response_model=CaseOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def make_transition(
    number: str,
    code: str,
    body: TransitionIn,
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
) -> CaseOut:
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


@router.post(
    "/cases/{number}/hearings",
    status_code=201,
    response_model=CaseOut,
    responses=problem_responses(401, 403, 404, 422),
)
def schedule_hearing(
    number: str, body: HearingIn, request: Request, db: SessionDep, user: Handler, scope: UserScope
) -> CaseOut:
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


@router.post(
    "/cases/{number}/hearings/{hearing_id}/held",
    response_model=CaseOut,
    responses=problem_responses(401, 403, 404, 413, 422),
)
def hearing_held(
    number: str,
    hearing_id: DbId,
    request: Request,
    db: SessionDep,
    user: Handler,
    scope: UserScope,
    held_on: Annotated[str, Form()],
    minutes: Annotated[UploadFile, File()],
    attended: Annotated[bool, Form()] = True,
) -> CaseOut:
    """The hearing held (its BAP), or, with attended=false, the minutes of non-attendance."""
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
        attended=attended,
    )
    return case_out(case, db, user)


@router.post(
    "/cases/{number}/documents",
    status_code=201,
    response_model=DocumentAddedOut,
    responses=problem_responses(401, 403, 404, 413, 422),
)
def add_document(
    number: str,
    request: Request,
    db: SessionDep,
    user: Handler,
    scope: UserScope,
    kind: Annotated[str, Form()],
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form()] = "",
) -> DocumentAddedOut:
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
    return DocumentAddedOut(id=doc.id, kind=doc.kind, sha256=doc.sha256)


class ExtendIn(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)


@router.post(
    "/cases/{number}/extend",
    response_model=CaseOut,
    responses=problem_responses(401, 403, 404, 422),
)
def extend(number: str, body: ExtendIn, db: SessionDep, user: Handler, scope: UserScope) -> CaseOut:
    case = service.get_case(db_session=db, scope=scope, number=number)
    service.extend_deadline(db_session=db, case=case, user=user, reason=body.reason)
    return case_out(case, db, user)


@router.get(
    "/notifications", response_model=list[NotificationOut], responses=problem_responses(401)
)
def notifications(db: SessionDep, user: CurrentUser) -> list[NotificationOut]:
    from sqlalchemy import select

    from netral.cases.models import Notification

    rows = db.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
        .limit(50)
    )
    return [
        NotificationOut(
            id=n.id,
            case_id=n.case_id,
            body=n.body,
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in rows
    ]


# ---------------------------------------------------------------- campaign props: forward a report

Forwarder = Annotated[User, Depends(require("reports.forward"))]


@router.post(
    "/reports/{number}/forward",
    status_code=201,
    response_model=ForwardOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def forward_report(
    number: str,
    body: ForwardIn,
    request: Request,
    db: SessionDep,
    user: Forwarder,
    scope: UserScope,
) -> ForwardOut:
    """Forward a campaign-prop (APK) report to Satpol PP or KPU with a letter (PDF)."""
    done = forwards.forward_prop_report(
        db_session=db,
        store=request.app.state.store,
        scope=scope,
        number=number,
        recipient=body.recipient,
        user=user,
        rulebook=request.app.state.rulebook,
    )
    return ForwardOut(
        recipient=done.recipient,
        addressee=done.addressee,
        letter_number=done.letter_number,
        forwarded_on=done.forwarded_on,
        letter=f"/laporan/{done.report_number}/surat/{done.id}",
    )
