"""Briefing pages (/sosialisasi): events, sign-in sheet preview, QR check-in, coverage, exports."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from netral.briefings import service
from netral.briefings.api import opd_limit
from netral.briefings.models import Briefing
from netral.briefings.schemas import BriefingIn
from netral.core.errors import NetralError, ValidationFailed, problem
from netral.core.models import User
from netral.core.security import Scope
from netral.registry import service as registry
from netral.web.deps import DbId, FormDep, SessionDep, UserScope, actor_of, require
from netral.web.downloads import blob_response, check_format, table_download
from netral.web.forms import field_errors
from netral.web.i18n import current_language
from netral.web.tables import sort_rows
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require("briefings.read"))]
Manager = Annotated[User, Depends(require("briefings.manage"))]
Attendee = Annotated[User, Depends(require("briefings.checkin"))]
NO_STORE = {"Cache-Control": "no-store"}


def _lang() -> str:
    return current_language.get()


def _checkin_url(request: Request, b: Briefing) -> str:
    return str(request.base_url).rstrip("/") + f"/sosialisasi/hadir/{b.checkin_token}"


def _form_values(form: Any) -> dict[str, Any]:
    """The event form as BriefingIn's fields (checkboxes absent mean false)."""
    text = {
        k: str(form.get(k, "")).strip()
        for k in (
            "title",
            "region_code",
            "day",
            "start",
            "end",
            "place",
            "organiser",
            "audience_opd",
            "audience_opd_people",
            "checkin_lead_minutes",
            "checkin_closes",
        )
    }
    values: dict[str, Any] = {k: v for k, v in text.items() if v != ""}
    values["camat"] = form.get("camat") == "1"
    values["lurah"] = form.get("lurah") == "1"
    values["topics"] = [str(t) for t in form.getlist("topics")]
    values["opd_ids"] = [int(i) for i in form.getlist("opd_ids") if str(i).isdigit()]
    return values


def _form_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, Any],
    errors: dict[str, str],
    briefing: Briefing | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "briefings/form.html",
        {
            "values": values,
            "errors": errors,
            "briefing": briefing,
            "topics": service.topics(),
            "agencies": registry.agencies(db_session=db, scope=scope),
            "regions": registry.regions(db_session=db, scope=scope),
        },
        status_code=status_code,
    )


@router.get("/sosialisasi")
def briefing_list(
    request: Request, db: SessionDep, user: Reader, scope: UserScope, sort: str = "-date"
) -> Response:
    events = service.list_briefings(db_session=db, scope=scope, opd_id=opd_limit(user))
    counts = service.attendance_counts(db_session=db, briefing_ids=[b.id for b in events])
    keys: dict[str, Callable[[Any], Any]] = {
        "date": lambda b: b.starts_at,
        "title": lambda b: b.title.casefold(),
        "present": lambda b: counts.get(b.id, 0),
    }
    events, sort = sort_rows(events, sort, keys, "-date")
    return render(
        request,
        "briefings/list.html",
        {
            "events": events,
            "counts": counts,
            "topic_names": service.topic_names(_lang()),
            "sort": sort,
        },
    )


@router.get("/sosialisasi/baru")
def briefing_new(request: Request, db: SessionDep, user: Manager, scope: UserScope) -> Response:
    regions = registry.regions(db_session=db, scope=scope)
    values: dict[str, Any] = {
        "organiser": "Bakesbangpol",
        "region_code": regions[0].code if regions else "",
        "audience_opd": "all",
        "audience_opd_people": "heads",
        "topics": [service.coverage_topic()],
        "checkin_lead_minutes": 60,
        "opd_ids": [],
    }
    return _form_page(request, db, scope, values, {})


@router.post("/sosialisasi")
def briefing_create(
    request: Request, form: FormDep, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    values = _form_values(form)
    try:
        data = BriefingIn.model_validate(values)
        b = service.create_briefing(
            db_session=db, scope=scope, briefing_in=data, actor=actor_of(user)
        )
    except (NetralError, ValidationError) as exc:
        return _form_page(request, db, scope, values, field_errors(exc), status_code=422)
    return RedirectResponse(f"/sosialisasi/{b.id}", status_code=303)


@router.get("/sosialisasi/cakupan")
def coverage_page(request: Request, db: SessionDep, user: Reader, scope: UserScope) -> Response:
    limit = opd_limit(user)
    return render(
        request,
        "briefings/coverage.html",
        {
            "opd": service.coverage_by_opd(db_session=db, scope=scope, opd_id=limit),
            "areas": service.coverage_by_kecamatan(db_session=db, scope=scope, opd_id=limit),
            "missed": service.missed_all(db_session=db, scope=scope, opd_id=limit),
            "totals": service.totals(db_session=db, scope=scope, opd_id=limit),
            "rule": service.COVERAGE_RULE[_lang() if _lang() == "en" else "id"],
        },
    )


@router.get("/sosialisasi/cakupan/tidak-hadir.{fmt}")
def missed_export(fmt: str, db: SessionDep, user: Reader, scope: UserScope) -> Response:
    check_format(fmt)
    rows = service.missed_rows(
        db_session=db, scope=scope, opd_id=opd_limit(user), actor=actor_of(user), fmt=fmt
    )
    return table_download(
        fmt=fmt,
        filename="sosialisasi-tidak-pernah-hadir",
        sheet="Tidak pernah hadir",
        headers=service.MISSED_HEADERS,
        rows=rows,
    ).response


@router.get("/sosialisasi/hadir/{token}")
def checkin_page(token: str, request: Request, db: SessionDep, user: Attendee) -> Response:
    b = service.briefing_by_token(db_session=db, token=token)
    done = service.has_checked_in(db_session=db, briefing=b, nip=user.nip)
    return _checkin(request, b, "already" if done else None, None)


def _checkin(
    request: Request, b: Briefing, outcome: str | None, message: str | None, status: int = 200
) -> Response:
    return render(
        request,
        "briefings/checkin.html",
        {
            "b": b,
            "state": service.checkin_state(b),
            "outcome": outcome,
            "message": message,
            "topic_names": service.topic_names(_lang()),
        },
        status_code=status,
    )


@router.post("/sosialisasi/hadir/{token}")
def checkin_submit(token: str, request: Request, db: SessionDep, user: Attendee) -> Response:
    b = service.briefing_by_token(db_session=db, token=token)
    try:
        done = service.check_in(db_session=db, token=token, nip=user.nip, actor=actor_of(user))
    except NetralError as exc:
        return _checkin(request, b, "refused", exc.message(_lang()), status=exc.status)
    return _checkin(request, b, "already" if done.already else "recorded", None)


def _detail(
    request: Request, db: Session, user: User, scope: Scope, briefing_id: int, **extra: Any
) -> Response:
    limit = opd_limit(user)
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id, opd_id=limit)
    opd_names = {a.id: a.name for a in registry.agencies(db_session=db, scope=scope)}
    ctx = {
        "b": b,
        "attendees": service.attendees(db_session=db, briefing=b, opd_id=limit),
        "topic_names": service.topic_names(_lang()),
        "opd_names": opd_names,
        "state": service.checkin_state(b),
        "checkin_url": _checkin_url(request, b),
        "material_errors": [],
    }
    ctx.update(extra)
    return render(request, "briefings/detail.html", ctx, status_code=extra.pop("status", 200))


def _refusal(exc: NetralError, errors: str) -> dict[str, Any]:
    """`_detail`'s arguments that show a refusal beside the form that sent it (`errors`)."""
    return {errors: [p.message(_lang()) for p in exc.problems], "status": exc.status}


def _uploaded(
    form: Any, field: str, code: str, message_id: str, message_en: str
) -> tuple[UploadFile, str]:
    """The file the form sent in `field` and its name; none chosen is refused with that message."""
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ValidationFailed(problem(code, message_id, message_en, field))
    return upload, upload.filename


@router.get("/sosialisasi/{briefing_id}")
def briefing_detail(
    briefing_id: DbId, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    return _detail(request, db, user, scope, briefing_id)


@router.get("/sosialisasi/{briefing_id}/ubah")
def briefing_edit(
    briefing_id: DbId, request: Request, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id)
    return _form_page(request, db, scope, service.briefing_in_of(b), {}, briefing=b)


@router.post("/sosialisasi/{briefing_id}/ubah")
def briefing_update(
    briefing_id: DbId,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Manager,
    scope: UserScope,
) -> Response:
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id)
    values = _form_values(form)
    try:
        data = BriefingIn.model_validate(values)
        service.update_briefing(
            db_session=db, scope=scope, briefing_id=b.id, briefing_in=data, actor=actor_of(user)
        )
    except (NetralError, ValidationError) as exc:
        return _form_page(
            request, db, scope, values, field_errors(exc), briefing=b, status_code=422
        )
    return RedirectResponse(f"/sosialisasi/{b.id}", status_code=303)


@router.post("/sosialisasi/{briefing_id}/materi")
def material_upload(
    briefing_id: DbId,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Manager,
    scope: UserScope,
) -> Response:
    try:
        upload, filename = _uploaded(
            form, "file", "briefing.material_missing", "Pilih berkas materi.", "Choose a file."
        )
        service.add_material(
            db_session=db,
            scope=scope,
            briefing_id=briefing_id,
            store=request.app.state.store,
            source=upload.file,
            filename=filename,
            declared_type=upload.content_type,
            actor=actor_of(user),
        )
    except NetralError as exc:
        db.rollback()
        return _detail(request, db, user, scope, briefing_id, **_refusal(exc, "material_errors"))
    return RedirectResponse(f"/sosialisasi/{briefing_id}#materi", status_code=303)


@router.get("/sosialisasi/{briefing_id}/materi/{material_id}")
def material_file(
    briefing_id: DbId,
    material_id: DbId,
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
) -> Response:
    m = service.get_material(
        db_session=db,
        scope=scope,
        briefing_id=briefing_id,
        material_id=material_id,
        opd_id=opd_limit(user),
    )
    # an image is sent as its metadata-free copy, as evidence is
    sha = m.derivative_sha256 or m.sha256
    return blob_response(
        request.app.state.store,
        sha,
        media_type=m.media_type,
        filename=m.filename,
        headers={"Cache-Control": "private, max-age=3600"},
    )


@dataclass(frozen=True)
class _Row:
    row: int
    asn_id: int
    nip: str
    name: str
    opd: str
    position: str
    written: str


@router.post("/sosialisasi/{briefing_id}/daftar-hadir")
def sheet_preview(
    briefing_id: DbId,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Manager,
    scope: UserScope,
) -> Response:
    """Read the uploaded sheet and show what it would record; nothing is written yet."""
    try:
        upload, filename = _uploaded(
            form,
            "sheet",
            "attendance.file_missing",
            "Pilih berkas daftar hadir (CSV atau XLSX).",
            "Choose a sign-in sheet (CSV or XLSX).",
        )
        with tempfile.TemporaryDirectory(prefix="netral-sheet-") as tmp:
            path = Path(tmp) / "sheet"
            with path.open("wb") as out:
                shutil.copyfileobj(upload.file, out)
            plan = service.plan_sheet(
                db_session=db, scope=scope, briefing_id=briefing_id, path=path
            )
    except NetralError as exc:
        return _detail(request, db, user, scope, briefing_id, **_refusal(exc, "sheet_errors"))
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id)

    def rows(matches: list[Any]) -> list[_Row]:
        return [
            _Row(m.row, m.asn.id, m.asn.nip, m.asn.name, m.asn.opd, m.asn.position, m.written_name)
            for m in matches
        ]

    return render(
        request,
        "briefings/preview.html",
        {
            "b": b,
            "filename": filename,
            "plan": plan,
            "by_nip": rows(plan.by_nip),
            "by_name": rows(plan.by_name),
            "errors": [e.as_dict(_lang()) for e in plan.errors],
        },
        status_code=200,
    )


def _entries(values: list[str], by: str) -> list[tuple[int, str, int | None]]:
    out: list[tuple[int, str, int | None]] = []
    for v in values:
        asn_id, _, row = v.partition(":")
        if asn_id.isdigit() and row.isdigit():
            out.append((int(asn_id), by, int(row)))
    return out


@router.post("/sosialisasi/{briefing_id}/daftar-hadir/simpan")
def sheet_save(
    briefing_id: DbId,
    form: FormDep,
    db: SessionDep,
    user: Manager,
    scope: UserScope,
) -> Response:
    """Record the rows matched by NIP and the name matches the organiser accepted."""
    errors = int(str(form.get("error_count", "0")) or 0)
    if errors and form.get("partial") != "1":
        raise ValidationFailed(
            problem(
                "attendance.rows_invalid",
                "Daftar hadir masih berisi kesalahan; tidak ada yang disimpan. Perbaiki berkasnya "
                "atau pilih 'simpan baris yang sah saja'.",
                "The sheet still has errors; nothing was saved. Fix the file or choose 'keep "
                "only the valid rows'.",
            )
        )
    entries = _entries([str(v) for v in form.getlist("nip_row")], "nip") + _entries(
        [str(v) for v in form.getlist("name_row")], "name"
    )
    recorded, already = service.confirm_rows(
        db_session=db, scope=scope, briefing_id=briefing_id, entries=entries, actor=actor_of(user)
    )
    return RedirectResponse(
        f"/sosialisasi/{briefing_id}?tercatat={recorded}&sudah={already}#hadir", status_code=303
    )


@router.get("/sosialisasi/{briefing_id}/qr")
def qr_page(
    briefing_id: DbId, request: Request, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    """The printable page with the check-in QR code."""
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id)
    url = _checkin_url(request, b)
    # segno draws the SVG from the code's modules alone: no text of the request reaches markup
    svg = Markup(segno.make(url, error="m").svg_inline(scale=8, border=2))  # noqa: S704
    return render(
        request,
        "briefings/qr.html",
        {"b": b, "url": url, "qr": svg, "topic_names": service.topic_names(_lang())},
    )


@router.get("/sosialisasi/{briefing_id}/hadir.{fmt}")
def attendance_export(
    briefing_id: DbId, fmt: str, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    check_format(fmt)
    limit = opd_limit(user)
    b = service.get_briefing(db_session=db, scope=scope, briefing_id=briefing_id, opd_id=limit)
    rows = service.attendance_rows(
        db_session=db, briefing=b, opd_id=limit, actor=actor_of(user), fmt=fmt
    )
    return table_download(
        fmt=fmt,
        filename=f"sosialisasi-{b.id}-daftar-hadir",
        sheet="Daftar hadir",
        headers=service.ATTENDANCE_HEADERS,
        rows=rows,
    ).response
