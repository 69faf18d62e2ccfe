"""Turnout pages: each election's turnout per kecamatan against its target, the import, the target."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from netral.core.errors import NetralError, ValidationFailed, problem
from netral.core.models import User
from netral.core.security import Scope
from netral.election import service as elections
from netral.turnout import service
from netral.turnout.checks import LEVELS
from netral.turnout.exports import kecamatan_download, rows_download
from netral.turnout.service import ImportReport, RowError, TurnoutImportFailed
from netral.turnout.upload import saved_upload
from netral.web.deps import FormDep, SessionDep, UserScope, actor_of, require
from netral.web.forms import field_errors
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require("turnout.read"))]
Manager = Annotated[User, Depends(require("turnout.manage"))]


@router.get("/partisipasi")
def turnout_list(request: Request, db: SessionDep, user: Reader, scope: UserScope) -> Response:
    found = elections.list_elections(db_session=db, scope=scope)
    if len(found) == 1:  # one election in season: straight to it
        return RedirectResponse(f"/partisipasi/{found[0].code}", status_code=303)
    rows = [(e, service.totals(db_session=db, scope=scope, election_code=e.code)) for e in found]
    return render(request, "turnout/list.html", {"rows": rows})


def _detail(
    request: Request,
    db: Session,
    scope: Scope,
    code: str,
    extra: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    election = elections.get_election(db_session=db, scope=scope, code=code)
    context: dict[str, Any] = {
        "election": election,
        "totals": service.totals(db_session=db, scope=scope, election_code=code),
        "items": service.by_kecamatan(db_session=db, scope=scope, election_code=code),
        "target": service.target_info(db_session=db, scope=scope, election_code=code),
        "levels": LEVELS,
        "errors": {},
        "report": None,
    }
    context.update(extra or {})
    return render(request, "turnout/detail.html", context, status_code=status_code)


@router.get("/partisipasi/{code}")
def turnout_detail(
    code: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    saved = request.query_params.get("target") == "ok"
    return _detail(request, db, scope, code, {"target_saved": saved})


def _mapping(text: str) -> dict[str, str]:
    """'dpt=Jumlah DPT; pengguna_hak_pilih=Hadir' (or one per line) as a column map."""
    pairs = [p for chunk in text.replace("\n", ";").split(";") if (p := chunk.strip())]
    return {k.strip(): v.strip() for k, _, v in (p.partition("=") for p in pairs)}


@router.post("/partisipasi/{code}/impor")
def turnout_import(
    code: str, request: Request, form: FormDep, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    elections.get_election(db_session=db, scope=scope, code=code)  # 404 before reading the upload
    upload = form.get("file")
    level = str(form.get("level") or "") or None
    partial, dry_run = form.get("partial") == "1", form.get("dry_run") == "1"
    report: ImportReport
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed(
                problem(
                    "turnout.file_required",
                    "Pilih berkas CSV atau XLSX dari KPU.",
                    "Choose a CSV or XLSX file from KPU.",
                    field="file",
                )
            )
        limit = request.app.state.settings.import_max_mb * 1024 * 1024
        with saved_upload(upload, limit) as path:
            report = service.import_turnout(
                db_session=db,
                scope=scope,
                election_code=code,
                path=path,
                actor=actor_of(user),
                level=level,
                mapping=_mapping(str(form.get("map") or "")),
                dry_run=dry_run,
                partial=partial,
            )
    except TurnoutImportFailed as exc:
        db.rollback()
        return _detail(request, db, scope, code, {"report": exc.report}, status_code=422)
    except NetralError as exc:
        db.rollback()
        report = ImportReport(election=code, level=level, dry_run=dry_run, partial=partial)
        for p in exc.problems:
            report.add(RowError(None, p.field, p.code, p.message_id, p.message_en))
        return _detail(request, db, scope, code, {"report": report}, status_code=exc.status)
    return _detail(request, db, scope, code, {"report": report})


@router.post("/partisipasi/{code}/target")
def turnout_target(
    code: str, request: Request, form: FormDep, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    try:
        service.set_target(
            db_session=db,
            scope=scope,
            election_code=code,
            percent=str(form.get("percent") or ""),
            actor=actor_of(user),
        )
    except NetralError as exc:
        db.rollback()
        return _detail(
            request, db, scope, code, {"errors": field_errors(exc)}, status_code=exc.status
        )
    return RedirectResponse(f"/partisipasi/{code}?target=ok#target", status_code=303)


@router.get("/partisipasi/{code}/kecamatan.{fmt}")
def turnout_kecamatan_file(
    code: str, fmt: str, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    return kecamatan_download(db, scope, user, code, fmt)


@router.get("/partisipasi/{code}/baris/{level}.{fmt}")
def turnout_rows_file(
    code: str, level: str, fmt: str, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    return rows_download(db, scope, user, code, level, fmt)
