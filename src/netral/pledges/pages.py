"""Pledge pages: the ASN's own pledge (/ikrar), a campaign's coverage and joint declaration, the
OPD admin's paper sheets, and the exports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.errors import NetralError, NotFound, ValidationFailed, problem
from netral.core.models import User
from netral.core.security import Scope, check_permission, has_permission
from netral.election import service as election_service
from netral.pledges import documents, service
from netral.pledges.models import PledgeCampaign
from netral.pledges.schemas import CampaignIn
from netral.registry import service as registry_service
from netral.web.deps import (
    CurrentUser,
    DbId,
    FormDep,
    IdText,
    PageNumber,
    SessionDep,
    UserScope,
    require,
)
from netral.web.downloads import table_download
from netral.web.forms import field_errors
from netral.web.i18n import current_language
from netral.web.tables import sort_rows
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Signer = Annotated[User, Depends(require("pledges.sign"))]
Reader = Annotated[User, Depends(require("pledges.read"))]
Recorder = Annotated[User, Depends(require("pledges.record"))]
Manager = Annotated[User, Depends(require("pledges.manage"))]
PER_PAGE = 50
PDF_HEADERS = {"Cache-Control": "no-store"}


def _opd_param(user: User, opd: str) -> int | None:
    return service.visible_opd(user, int(opd) if opd.isdigit() else None)


# ---------------------------------------------------------------- the ASN's own pledge


@router.get("/ikrar")
def own_pledge(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    if not has_permission(user, "pledges.sign") and has_permission(user, "pledges.read"):
        return RedirectResponse("/ikrar/kampanye", status_code=303)
    check_permission(user, "pledges.sign")
    return _own_page(request, db, user, {})


def _own_page(
    request: Request,
    db: Session,
    user: User,
    extra: dict[str, Any],
    status_code: int = 200,
) -> Response:
    try:
        signer = service.signer_of(db_session=db, user=user)
    except NetralError as exc:
        return render(
            request,
            "pledges/own.html",
            {"signer": None, "error": exc.message(current_language.get())},
        )
    today = to_wib_date(utcnow())
    items = []
    for c in service.campaigns_for(db_session=db, signer=signer):
        items.append(
            {
                "campaign": c,
                "open": service.is_open(c, today),
                "signature": service.signature_of(db_session=db, campaign=c, asn_id=signer.asn_id),
            }
        )
    ctx: dict[str, Any] = {"signer": signer, "items": items, "errors": {}, "sent": None}
    ctx.update(extra)
    return render(request, "pledges/own.html", ctx, status_code=status_code)


@router.post("/ikrar/{code}/kode")
def request_code(code: str, request: Request, db: SessionDep, user: Signer) -> Response:
    campaign = _own_campaign(db, user, code)
    try:
        sent = service.request_code(
            db_session=db, settings=request.app.state.settings, campaign=campaign, user=user
        )
    except NetralError as exc:
        return _own_page(
            request, db, user, {"errors": field_errors(exc), "for_code": code}, exc.status
        )
    return _own_page(request, db, user, {"sent": sent, "for_code": code})


@router.post("/ikrar/{code}/tandatangan")
def sign(code: str, request: Request, form: FormDep, db: SessionDep, user: Signer) -> Response:
    campaign = _own_campaign(db, user, code)
    try:
        service.sign_online(
            db_session=db,
            settings=request.app.state.settings,
            campaign=campaign,
            user=user,
            nip=str(form.get("nip", "")),
            code=str(form.get("code", "")),
        )
    except NetralError as exc:
        return _own_page(
            request, db, user, {"errors": field_errors(exc), "for_code": code}, exc.status
        )
    return RedirectResponse("/ikrar", status_code=303)


@router.get("/ikrar/{code}/ikrar.pdf")
def own_pdf(code: str, db: SessionDep, user: Signer) -> Response:
    campaign = _own_campaign(db, user, code)
    signer = service.signer_of(db_session=db, user=user)
    doc = service.signed_document(
        db_session=db, scope=service.NATIONAL, campaign=campaign, asn_id=signer.asn_id
    )
    return _pdf_response(documents.signed_pdf(doc), f"pakta-integritas-{signer.nip}.pdf")


def _own_campaign(db: Session, user: User, code: str) -> PledgeCampaign:
    signer = service.signer_of(db_session=db, user=user)
    return service.get_campaign(db_session=db, scope=Scope("region", signer.region_code), code=code)


def _pdf_response(data: bytes, filename: str) -> Response:
    return Response(
        data,
        media_type="application/pdf",
        headers={**PDF_HEADERS, "Content-Disposition": f'inline; filename="{filename}"'},
    )


# ---------------------------------------------------------------- campaigns


@router.get("/ikrar/kampanye")
def campaigns(
    request: Request, db: SessionDep, user: Reader, scope: UserScope, sort: str = "-opens"
) -> Response:
    items = service.list_campaigns(db_session=db, scope=scope)
    if len(items) == 1:
        return RedirectResponse(f"/ikrar/kampanye/{items[0].code}", status_code=303)
    totals = {
        c.code: service.totals(db_session=db, scope=scope, campaign_code=c.code) for c in items
    }
    keys: dict[str, Callable[[Any], Any]] = {
        "title": lambda c: c.title.casefold(),
        "opens": lambda c: c.opens_on,
        "percent": lambda c: getattr(totals[c.code], "percent", 0) or 0,
    }
    items, sort = sort_rows(items, sort, keys, "-opens")
    return render(
        request, "pledges/campaigns.html", {"items": items, "totals": totals, "sort": sort}
    )


CAMPAIGN_FIELDS = (
    "code",
    "title",
    "region",
    "election",
    "issuer",
    "ikrar",
    "pakta_integritas",
    "document_version",
    "opens_on",
    "closes_on",
)


def _new_campaign_page(
    request: Request,
    db: Session,
    scope: Scope,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    regions = registry_service.regions(db_session=db, scope=scope)
    ctx = {
        "regions": regions,
        "elections": election_service.list_elections(db_session=db, scope=scope),
        "opds": {
            r.code: registry_service.top_level_opd_refs(db_session=db, region_code=r.code)
            for r in regions
        },
        "values": values,
        "errors": errors,
    }
    return render(request, "pledges/new_campaign.html", ctx, status_code=status_code)


@router.get("/ikrar/kampanye/baru")
def new_campaign_form(
    request: Request, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    today = to_wib_date(utcnow())
    values: dict[str, Any] = {"document_version": "1", "opens_on": today.isoformat(), "opd": []}
    return _new_campaign_page(request, db, scope, values, {})


@router.post("/ikrar/kampanye/baru")
def new_campaign(
    request: Request, form: FormDep, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    values: dict[str, Any] = {k: str(form.get(k, "")).strip() for k in CAMPAIGN_FIELDS}
    values["opd"] = [str(v) for v in form.getlist("opd")]
    data = {k: v for k, v in values.items() if v not in ("", [])}
    # every problem at once: the scope, the schema's, then (when those pass) the service's
    refusals: list[Any] = []
    if data.get("region") and not scope.covers(str(data["region"])):
        refusals.append(
            [
                problem(
                    "pledges.region_scope",
                    "Wilayah itu di luar cakupan Anda.",
                    "That region is outside your scope.",
                    field="region",
                )
            ]
        )
    status = 422
    try:
        campaign_in = CampaignIn.model_validate(data)
        if not refusals:
            campaign = service.create_campaign(
                db_session=db, campaign_in=campaign_in, actor=Actor.of(user)
            )
    except (NetralError, ValidationError) as exc:
        refusals.append(exc)
        status = exc.status if isinstance(exc, NetralError) else 422
    if refusals:
        return _new_campaign_page(request, db, scope, values, field_errors(*refusals), status)
    return RedirectResponse(f"/ikrar/kampanye/{campaign.code}", status_code=303)


def _campaign_context(
    db: Session, user: User, scope: Scope, campaign: PledgeCampaign, opd: str, page: int
) -> dict[str, Any]:
    opd_id = _opd_param(user, opd)
    coverage = service.campaign_coverage(
        db_session=db, scope=scope, campaign=campaign, opd_id=user.opd_id
    )
    units = (
        service.coverage_by_unit(db_session=db, scope=scope, campaign=campaign, opd_id=opd_id)
        if opd_id is not None
        else []
    )
    total, people = service.unsigned(
        db_session=db,
        scope=scope,
        campaign=campaign,
        opd_id=opd_id,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    return {
        "campaign": campaign,
        "totals": service.totals(db_session=db, scope=scope, campaign_code=campaign.code),
        "coverage": sorted(coverage, key=lambda r: r.opd),
        "units": units,
        "opd_id": opd_id,
        "opd_locked": user.opd_id is not None,
        "unsigned": people,
        "unsigned_total": total,
        "page": page,
        "pages": max(1, -(-total // PER_PAGE)),
        "joint": service.joint_signatories(db_session=db, campaign=campaign),
        "notices": service.notices_for(db_session=db, user=user),
        "today": to_wib_date(utcnow()),
        "open": service.is_open(campaign, to_wib_date(utcnow())),
        "errors": {},
        "values": {},
    }


@router.get("/ikrar/kampanye/{code}")
def campaign_page(
    code: str,
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    opd: IdText = "",
    page: PageNumber = 1,
) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    return render(
        request, "pledges/campaign.html", _campaign_context(db, user, scope, campaign, opd, page)
    )


@router.post("/ikrar/kampanye/{code}/deklarasi")
def add_joint(
    code: str, request: Request, form: FormDep, db: SessionDep, user: Manager, scope: UserScope
) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    values = {k: str(form.get(k, "")) for k in ("name", "office", "signed_on")}
    try:
        signed_on = _date(values["signed_on"], "signed_on")
        service.add_joint_signatory(
            db_session=db,
            campaign=campaign,
            name=values["name"],
            office=values["office"],
            signed_on=signed_on,
            actor=Actor.of(user),
        )
    except NetralError as exc:
        ctx = _campaign_context(db, user, scope, campaign, "", 1)
        ctx.update(errors=field_errors(exc), values=values)
        return render(request, "pledges/campaign.html", ctx, status_code=exc.status)
    return RedirectResponse(f"/ikrar/kampanye/{code}#deklarasi", status_code=303)


@router.get("/ikrar/kampanye/{code}/deklarasi.pdf")
def joint_pdf(code: str, db: SessionDep, user: Reader, scope: UserScope) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    t = service.totals(db_session=db, scope=service.NATIONAL, campaign_code=campaign.code)
    assert t is not None
    data = documents.joint_pdf(
        campaign, service.joint_signatories(db_session=db, campaign=campaign), t.signed, t.asn
    )
    return _pdf_response(data, f"deklarasi-bersama-{campaign.code}.pdf")


@router.get("/ikrar/kampanye/{code}/asn/{asn_id}/ikrar.pdf")
def signed_pdf(code: str, asn_id: DbId, db: SessionDep, user: Reader, scope: UserScope) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    doc = service.signed_document(db_session=db, scope=scope, campaign=campaign, asn_id=asn_id)
    if user.opd_id is not None and doc.person.opd_id != user.opd_id:
        raise NotFound(
            problem(
                "pledges.signature_not_found",
                "Tanda tangan ikrar tidak ditemukan.",
                "Pledge signature not found.",
            )
        )
    return _pdf_response(documents.signed_pdf(doc), f"pakta-integritas-{doc.person.nip}.pdf")


# ---------------------------------------------------------------- exports


@router.get("/ikrar/kampanye/{code}/ekspor/{what}")
def export(
    code: str,
    what: str,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    fmt: Annotated[str, Query()] = "csv",
    opd: IdText = "",
    method: str = "",
) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    opd_id = _opd_param(user, opd)
    if what == "tanda-tangan":
        chosen = method if method in service.METHODS else None
        rows = service.signature_rows(
            db_session=db, scope=scope, campaign=campaign, opd_id=opd_id, method=chosen
        )
        headers, sheet, kind = service.SIGNATURE_HEADERS, "Tanda tangan", "signatures"
    elif what == "belum":
        rows = service.unsigned_rows(db_session=db, scope=scope, campaign=campaign, opd_id=opd_id)
        headers, sheet, kind, chosen = service.UNSIGNED_HEADERS, "Belum", "unsigned", None
    else:
        raise NotFound(problem("pledges.export", "Ekspor tidak dikenal.", "Unknown export."))
    download = table_download(
        fmt=fmt, filename=f"ikrar-{campaign.code}-{what}", sheet=sheet, headers=headers, rows=rows
    )
    service.record_export(
        db_session=db,
        actor=Actor.of(user),
        campaign=campaign,
        what=kind,
        rows=download.rows,
        filters={"opd_id": opd_id, "method": chosen, "fmt": fmt},
    )
    return download.response


# ---------------------------------------------------------------- paper sheets


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            problem("pledges.date", "Isi tanggal yang sah.", "Fill in a valid date.", field=field)
        ) from None


def _sheet_context(
    db: Session, user: User, scope: Scope, campaign: PledgeCampaign, opd: str
) -> dict[str, Any]:
    opds = service.campaign_opds(db_session=db, campaign=campaign)
    opd_id = _opd_param(user, opd)
    if opd_id is None and len(opds) == 1:
        opd_id = opds[0][0]
    staff = (
        service.opd_staff(db_session=db, scope=scope, campaign=campaign, opd_id=opd_id)
        if opd_id is not None
        else []
    )
    signed = service.signed_ids(db_session=db, campaign=campaign, asn_ids=[p.id for p in staff])
    return {
        "campaign": campaign,
        "opds": opds if user.opd_id is None else [o for o in opds if o[0] == user.opd_id],
        "opd_id": opd_id,
        "staff": staff,
        "signed": signed,
        "sheets": service.sheets(db_session=db, campaign=campaign, opd_id=opd_id)
        if opd_id is not None
        else [],
        "notices": service.notices_for(db_session=db, user=user),
        "today": to_wib_date(utcnow()),
        "errors": {},
        "values": {},
        "recorded": None,
    }


@router.get("/ikrar/kampanye/{code}/lembar")
def sheet_form(
    code: str, request: Request, db: SessionDep, user: Recorder, scope: UserScope, opd: IdText = ""
) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    ctx = _sheet_context(db, user, scope, campaign, opd)
    recorded = request.query_params.get("dicatat", "")
    ctx["recorded"] = int(recorded) if recorded.isdigit() and len(recorded) < 7 else None
    return render(request, "pledges/sheet.html", ctx)


@router.post("/ikrar/kampanye/{code}/lembar")
def sheet_record(
    code: str, request: Request, form: FormDep, db: SessionDep, user: Recorder, scope: UserScope
) -> Response:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    opd = str(form.get("opd_id", ""))
    values = {"signed_on": str(form.get("signed_on", "")), "opd_id": opd}
    ticked = [
        int(v)
        for v in form.getlist("asn_ids")
        if isinstance(v, str) and v.isdigit() and len(v) < 11
    ]
    scan = form.get("sheet")
    try:
        opd_id = _opd_param(user, opd)
        if opd_id is None:
            raise ValidationFailed(
                problem("pledges.opd_required", "Pilih OPD.", "Choose an OPD.", field="opd_id")
            )
        if not isinstance(scan, UploadFile) or not scan.filename:
            raise ValidationFailed(
                problem(
                    "pledges.sheet_required",
                    "Unggah pindaian lembar bertanda tangan (PDF, JPG atau PNG).",
                    "Upload the scan of the signed sheet (PDF, JPG or PNG).",
                    field="sheet",
                )
            )
        result = service.record_paper(
            db_session=db,
            store=request.app.state.store,
            scope=scope,
            campaign=campaign,
            user=user,
            opd_id=opd_id,
            asn_ids=ticked,
            signed_on=_date(values["signed_on"], "signed_on"),
            upload=service.SheetUpload(scan.file, scan.filename, scan.content_type),
        )
    except NetralError as exc:
        ctx = _sheet_context(db, user, scope, campaign, opd)
        ctx.update(errors=field_errors(exc), values=values, ticked=set(ticked))
        return render(request, "pledges/sheet.html", ctx, status_code=exc.status)
    return RedirectResponse(
        f"/ikrar/kampanye/{code}/lembar?opd={opd_id}&dicatat={result.signed}", status_code=303
    )
