"""Briefings JSON API: events, attendance (sheet upload, QR check-in), coverage."""

from __future__ import annotations

import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from sqlalchemy.orm import Session

from netral.briefings import service
from netral.briefings.models import Briefing
from netral.briefings.schemas import (
    AreaCoverageOut,
    AttendanceReportOut,
    AttendeeOut,
    BriefingIn,
    BriefingOut,
    CheckInOut,
    CoverageOut,
    MaterialOut,
    MissedOut,
    OpdCoverageOut,
    TopicOut,
)
from netral.core.errors import ValidationFailed, problem
from netral.core.models import User
from netral.web.deps import DbId, SessionDep, UserScope, actor_of, require
from netral.web.i18n import current_language
from netral.web.problems import problem_responses

router = APIRouter(tags=["briefings"])
Reader = Annotated[User, Depends(require("briefings.read"))]
Manager = Annotated[User, Depends(require("briefings.manage"))]
Attendee = Annotated[User, Depends(require("briefings.checkin"))]


def opd_limit(user: User) -> int | None:
    """A login bound to an OPD (an OPD admin) sees only what concerns that OPD."""
    return user.opd_id


def briefing_out(db: Session, b: Briefing) -> BriefingOut:
    return BriefingOut(
        id=b.id,
        title=b.title,
        region_code=b.region_code,
        starts_at=b.starts_at,
        ends_at=b.ends_at,
        place=b.place,
        organiser=b.organiser,
        audience_opd=b.audience_opd,
        audience_opd_people=b.audience_opd_people,
        opd_ids=[o.opd_id for o in b.opds],
        camat=b.audience_camat,
        lurah=b.audience_lurah,
        topics=[t.topic for t in b.topics],
        checkin_opens_at=b.checkin_opens_at,
        checkin_closes_at=b.checkin_closes_at,
        materials=[MaterialOut.model_validate(m) for m in b.materials],
        attendance=service.attendance_counts(db_session=db, briefing_ids=[b.id]).get(b.id, 0),
    )


@router.get(
    "/briefings/topics", response_model=list[TopicOut], responses=problem_responses(401, 403)
)
def list_topics(user: Reader) -> list[TopicOut]:
    lang = current_language.get()
    return [TopicOut(id=t.id, name=t.name(lang)) for t in service.topics()]


@router.get("/briefings", response_model=list[BriefingOut], responses=problem_responses(401, 403))
def list_briefings(db: SessionDep, user: Reader, scope: UserScope) -> list[BriefingOut]:
    return [
        briefing_out(db, b)
        for b in service.list_briefings(db_session=db, scope=scope, opd_id=opd_limit(user))
    ]


@router.post(
    "/briefings",
    status_code=201,
    response_model=BriefingOut,
    responses=problem_responses(401, 403, 422),
)
def create_briefing(
    body: BriefingIn, db: SessionDep, user: Manager, scope: UserScope
) -> BriefingOut:
    b = service.create_briefing(db_session=db, scope=scope, briefing_in=body, actor=actor_of(user))
    return briefing_out(db, b)


@router.get(
    "/briefings/coverage", response_model=CoverageOut, responses=problem_responses(401, 403)
)
def coverage(db: SessionDep, user: Reader, scope: UserScope) -> CoverageOut:
    """Briefed OPD, camat and lurah, and who missed every session (rule: see `rule`)."""
    limit = opd_limit(user)
    return CoverageOut(
        rule=service.COVERAGE_RULE["en" if current_language.get() == "en" else "id"],
        opd=[
            OpdCoverageOut(**asdict(o))
            for o in service.coverage_by_opd(db_session=db, scope=scope, opd_id=limit)
        ],
        kecamatan=[
            AreaCoverageOut(**asdict(a))
            for a in service.coverage_by_kecamatan(db_session=db, scope=scope, opd_id=limit)
        ],
        missed=[
            MissedOut(**asdict(m))
            for m in service.missed_all(db_session=db, scope=scope, opd_id=limit)
        ],
    )


@router.get(
    "/briefings/{briefing_id}",
    response_model=BriefingOut,
    responses=problem_responses(401, 403, 404),
)
def get_briefing(briefing_id: DbId, db: SessionDep, user: Reader, scope: UserScope) -> BriefingOut:
    b = service.get_briefing(
        db_session=db, scope=scope, briefing_id=briefing_id, opd_id=opd_limit(user)
    )
    return briefing_out(db, b)


@router.put(
    "/briefings/{briefing_id}",
    response_model=BriefingOut,
    responses=problem_responses(401, 403, 404, 422),
)
def update_briefing(
    briefing_id: DbId, body: BriefingIn, db: SessionDep, user: Manager, scope: UserScope
) -> BriefingOut:
    b = service.update_briefing(
        db_session=db, scope=scope, briefing_id=briefing_id, briefing_in=body, actor=actor_of(user)
    )
    return briefing_out(db, b)


@router.get(
    "/briefings/{briefing_id}/attendance",
    response_model=list[AttendeeOut],
    responses=problem_responses(401, 403, 404),
)
def attendance(
    briefing_id: DbId, db: SessionDep, user: Reader, scope: UserScope
) -> list[AttendeeOut]:
    limit = opd_limit(user)
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id, opd_id=limit)
    return [
        AttendeeOut(**asdict(a)) for a in service.attendees(db_session=db, briefing=b, opd_id=limit)
    ]


@router.post(
    "/briefings/{briefing_id}/attendance",
    response_model=AttendanceReportOut,
    responses=problem_responses(401, 403, 404, 413, 422),
)
def import_attendance(
    briefing_id: DbId,
    db: SessionDep,
    user: Manager,
    scope: UserScope,
    sheet: Annotated[UploadFile, File(description="Sign-in sheet, CSV or XLSX")],
    dry_run: Annotated[bool, Form()] = False,
    partial: Annotated[bool, Form()] = False,
    confirm_names: Annotated[bool, Form()] = False,
) -> AttendanceReportOut:
    """Attendance from a sign-in sheet; a refused sheet answers 422 with one error per row."""
    lang = current_language.get()
    with tempfile.TemporaryDirectory(prefix="netral-sheet-") as tmp:
        path = Path(tmp) / "sheet"
        path.write_bytes(sheet.file.read())
        try:
            report = service.import_attendance(
                db_session=db,
                scope=scope,
                briefing_id=briefing_id,
                path=path,
                actor=actor_of(user),
                dry_run=dry_run,
                partial=partial,
                confirm_names=confirm_names,
            )
        except service.AttendanceRefused as exc:
            raise ValidationFailed(
                exc.problems[0],
                *[
                    problem(e.code, e.message, e.message_en, field=e.column, row=e.row)
                    for e in exc.report.errors
                ],
            ) from None
    if dry_run:
        db.rollback()
    return AttendanceReportOut.model_validate(report.as_dict(lang))


@router.post(
    "/briefings/checkin/{token}",
    response_model=CheckInOut,
    responses=problem_responses(401, 403, 404, 409),
)
def check_in(token: str, db: SessionDep, user: Attendee) -> CheckInOut:
    """Check in as the signed-in ASN while the event's window is open."""
    done = service.check_in(db_session=db, token=token, nip=user.nip, actor=actor_of(user))
    return CheckInOut(status="already" if done.already else "recorded", nip=done.attendee.nip)
