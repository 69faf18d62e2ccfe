"""Turnout JSON API: turnout per kecamatan, the import, the target, the exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from netral.core.models import User
from netral.turnout import service
from netral.turnout.exports import kecamatan_download, rows_download
from netral.turnout.schemas import (
    KecamatanTurnoutOut,
    TargetIn,
    TargetOut,
    TurnoutImportOut,
    TurnoutImportProblem,
    TurnoutOut,
    TurnoutTotalsOut,
)
from netral.turnout.service import TurnoutImportFailed
from netral.turnout.upload import saved_upload
from netral.web.deps import SessionDep, UserScope, actor_of, require
from netral.web.downloads import DOWNLOAD_RESPONSES
from netral.web.i18n import current_language
from netral.web.problems import PROBLEM_MEDIA_TYPE, problem_responses

router = APIRouter(tags=["turnout"])
Reader = Annotated[User, Depends(require("turnout.read"))]
Manager = Annotated[User, Depends(require("turnout.manage"))]


def turnout_out(db: SessionDep, scope: UserScope, code: str) -> TurnoutOut:
    total = service.totals(db_session=db, scope=scope, election_code=code)
    return TurnoutOut(
        election=code,
        target=TargetOut.model_validate(
            service.target_info(db_session=db, scope=scope, election_code=code)
        ),
        totals=None
        if total is None
        else TurnoutTotalsOut.model_validate(total.__dict__ | {"levels": list(total.levels)}),
        kecamatan=[
            KecamatanTurnoutOut.model_validate(k)
            for k in service.by_kecamatan(db_session=db, scope=scope, election_code=code)
        ],
    )


@router.get(
    "/turnout/{code}", response_model=TurnoutOut, responses=problem_responses(401, 403, 404)
)
def get_turnout(code: str, db: SessionDep, user: Reader, scope: UserScope) -> TurnoutOut:
    """The election's turnout, its target, and each kecamatan lowest first with its gap."""
    return turnout_out(db, scope, code)


@router.post(
    "/turnout/{code}/import",
    response_model=TurnoutImportOut,
    responses=problem_responses(401, 403, 404, 413)
    | problem_responses(422, model=TurnoutImportProblem),
)
def import_turnout(
    code: str,
    request: Request,
    file: UploadFile,
    db: SessionDep,
    user: Manager,
    scope: UserScope,
    level: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
    map_: Annotated[
        list[str] | None, Query(alias="map", description="column=Header as in the file")
    ] = None,
) -> TurnoutImportOut | Response:
    """Upload KPU's CSV/XLSX; all or nothing unless `partial`; replaces the level's rows."""
    limit = request.app.state.settings.import_max_mb * 1024 * 1024
    mapping = dict(m.split("=", 1) for m in (map_ or []) if "=" in m)
    lang = current_language.get()
    with saved_upload(file, limit) as path:
        try:
            report = service.import_turnout(
                db_session=db,
                scope=scope,
                election_code=code,
                path=path,
                actor=actor_of(user),
                level=level,
                mapping=mapping,
                dry_run=dry_run,
                partial=partial,
            )
        except TurnoutImportFailed as exc:
            body = exc.problem_json(lang, request.url.path)
            body["report"] = exc.report.as_dict(lang)
            return JSONResponse(body, status_code=422, media_type=PROBLEM_MEDIA_TYPE)
    return TurnoutImportOut.of(report, lang)


@router.put(
    "/turnout/{code}/target",
    response_model=TargetOut,
    responses=problem_responses(401, 403, 404, 422),
)
def put_target(
    code: str, body: TargetIn, db: SessionDep, user: Manager, scope: UserScope
) -> TargetOut:
    """Set the election's turnout target (audited)."""
    return TargetOut.model_validate(
        service.set_target(
            db_session=db,
            scope=scope,
            election_code=code,
            percent=body.percent,
            actor=actor_of(user),
        )
    )


@router.get(
    "/turnout/{code}/kecamatan.{fmt}",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES | problem_responses(401, 403, 404, 422),
)
def export_kecamatan(
    code: str, fmt: str, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    """Download turnout per kecamatan (lowest first) as CSV or XLSX."""
    return kecamatan_download(db, scope, user, code, fmt)


@router.get(
    "/turnout/{code}/rows/{level}.{fmt}",
    response_class=Response,
    responses=DOWNLOAD_RESPONSES | problem_responses(401, 403, 404, 422),
)
def export_rows(
    code: str, level: str, fmt: str, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    """Download the rows loaded at one level (kecamatan, kelurahan, tps) as CSV or XLSX."""
    return rows_download(db, scope, user, code, level, fmt)
