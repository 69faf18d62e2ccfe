"""Registry JSON API: ASN, OPD, regions; import and export for BKPSDM."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import select
from starlette.background import BackgroundTask

from netral.core.errors import ValidationFailed, problem
from netral.core.models import User
from netral.core.security import Scope, has_permission
from netral.registry import service
from netral.registry.importer import ImportFailed, import_asn
from netral.registry.models import Asn, Wilayah
from netral.registry.schemas import AccountOut, AsnOut, AsnPage, ImportOut, OpdOut, OpdRef
from netral.web.deps import SessionDep, UserScope, actor_of, require
from netral.web.i18n import current_language

router = APIRouter(tags=["registry"])
Reader = Annotated[User, Depends(require("registry.read"))]


def asn_out(asn: Asn, user: User) -> AsnOut:
    out = AsnOut(
        id=asn.id,
        nip=asn.nip,
        name=asn.name,
        kind=asn.kind,
        position=asn.position,
        golongan=asn.golongan,
        region_code=asn.region_code,
        opd=OpdRef(id=asn.opd.id, code=asn.opd.code, name=asn.opd.name),
        unit=OpdRef(id=asn.unit.id, code=asn.unit.code, name=asn.unit.name) if asn.unit else None,
        accounts=[AccountOut(platform=a.platform, handle=a.handle) for a in asn.accounts],
    )
    if has_permission(user, "registry.contact"):
        out.email, out.phone = (v or None for v in service.contact_of(asn))
    return out


@router.get("/asn", response_model=AsnPage)
def list_asn(
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    q: str = "",
    opd_id: int | None = None,
    kind: str | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 25,
) -> AsnPage:
    result = service.list_asn(
        db_session=db, scope=scope, q=q, opd_id=opd_id, kind=kind, page=page, per_page=per_page
    )
    return AsnPage(
        items=[asn_out(a, user) for a in result.items],
        total=result.total,
        page=result.page,
        pages=result.pages,
        per_page=result.per_page,
    )


@router.get("/asn/{asn_id}", response_model=AsnOut)
def get_asn(asn_id: int, db: SessionDep, user: Reader, scope: UserScope) -> AsnOut:
    return asn_out(service.get_asn(db_session=db, scope=scope, asn_id=asn_id), user)


@router.get("/opd", response_model=list[OpdOut])
def list_opd(
    db: SessionDep, user: Reader, scope: UserScope, region: str | None = None
) -> list[OpdOut]:
    return [
        OpdOut(
            id=c.opd.id,
            code=c.opd.code,
            name=c.opd.name,
            kind=c.opd.kind,
            region_code=c.opd.region_code,
            asn_total=c.total,
            pns=c.pns,
            pppk=c.pppk,
            units=c.units,
        )
        for c in service.opd_counts(db_session=db, scope=scope, region_code=region)
    ]


@router.get("/wilayah")
def list_wilayah(
    db: SessionDep, user: Reader, scope: UserScope, parent: str | None = None
) -> list[dict[str, Any]]:
    where = [scope.clause(Wilayah.region_code)] if scope.kind != "national" else []
    where.append(
        Wilayah.parent_code == parent if parent else Wilayah.level.in_(("kota", "kabupaten"))
    )
    return [
        {"code": w.code, "name": w.name, "level": w.level, "parent": w.parent_code}
        for w in db.scalars(select(Wilayah).where(*where).order_by(Wilayah.code))
    ]


def _target_region(scope: Scope, region: str | None) -> str:
    target = region or (scope.code if scope.kind == "region" else "")
    if not target or not scope.covers(target) or target.count(".") != 1:
        raise ValidationFailed(
            problem(
                "import.region",
                "Sebutkan wilayah (kota/kabupaten) dalam cakupan Anda, mis. 32.73.",
                "Name a region (kota/kabupaten) within your scope, e.g. 32.73.",
                field="region",
            )
        )
    return target


@router.post("/asn/import", response_model=ImportOut)
async def import_asn_file(
    request: Request,
    file: UploadFile,
    db: SessionDep,
    user: Annotated[User, Depends(require("registry.import"))],
    scope: UserScope,
    region: str | None = None,
    dry_run: bool = False,
    partial: bool = False,
) -> Response:
    """Upload a CSV/XLSX of ASN; all-or-nothing unless `partial`. Answers the row report."""
    target = _target_region(scope, region)
    limit = request.app.state.settings.import_max_mb * 1024 * 1024
    fd, name = tempfile.mkstemp(prefix="netral-import-", suffix=".upload")
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := await file.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed(
                        problem(
                            "import.too_large",
                            f"Berkas terlalu besar (batas {limit // 1048576} MB).",
                            f"The file is too large (limit {limit // 1048576} MB).",
                            field="file",
                        )
                    )
                out.write(chunk)
        try:
            report = import_asn(
                db_session=db,
                path=Path(name),
                region_code=target,
                actor=actor_of(user),
                dry_run=dry_run,
                partial=partial,
            )
            db.commit()
        except ImportFailed as exc:
            body = exc.problem_json(current_language.get(), request.url.path)
            body["report"] = exc.report.as_dict(current_language.get())
            return JSONResponse(body, status_code=422, media_type="application/problem+json")
        return JSONResponse(report.as_dict(current_language.get()))
    finally:
        Path(name).unlink(missing_ok=True)


@router.get("/asn.{fmt}")
def export_asn(
    fmt: str,
    db: SessionDep,
    user: Annotated[User, Depends(require("registry.export"))],
    scope: UserScope,
    region: str | None = None,
) -> Response:
    """Download the ASN in your scope as CSV or XLSX, in the import's column layout."""
    if fmt not in ("csv", "xlsx"):
        raise ValidationFailed(
            problem(
                "export.format",
                "Format ekspor: csv atau xlsx.",
                "Export format: csv or xlsx.",
                field="fmt",
            )
        )
    fd, name = tempfile.mkstemp(prefix="netral-export-", suffix=f".{fmt}")
    os.close(fd)
    service.export_asn(
        db_session=db,
        scope=scope,
        path=Path(name),
        actor=actor_of(user),
        include_contact=has_permission(user, "registry.contact"),
        region_code=region,
    )
    db.commit()
    return FileResponse(
        name,
        filename=f"asn-{region or scope.code or 'nasional'}.{fmt}",
        background=BackgroundTask(lambda: Path(name).unlink(missing_ok=True)),
    )
