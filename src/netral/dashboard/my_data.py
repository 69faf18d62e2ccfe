"""What the system holds about me: an ASN sees and downloads their own data (registry record and
contact, pledges signed, briefings attended, their login), every download on the audit log.

Cases that name them are not in it: while Bawaslu examines a case its file is closed to the person
concerned, who hears of it through the notice and the clarification letters (and the decision)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.briefings import service as briefings
from netral.core import audit
from netral.core.db import utcnow
from netral.core.models import User
from netral.pledges import service as pledges
from netral.registry import service as registry
from netral.web.deps import SessionDep, actor_of, require
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Self = Annotated[User, Depends(require("self.export"))]


def _held(db: SessionDep, user: User) -> dict[str, Any]:
    person = registry.subject_data(db_session=db, nip=user.nip) if user.nip else None
    asn_id = (
        registry.asn_by_nips(db_session=db, nips=[user.nip])[user.nip].id
        if person and user.nip
        else None
    )
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "email": user.email or "",
            "role": user.role,
            "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        },
        "asn": person,
        "pledges": pledges.subject_data(db_session=db, asn_id=asn_id) if asn_id else [],
        "briefings": briefings.subject_data(db_session=db, asn_id=asn_id) if asn_id else [],
    }


@router.get("/data-saya")
def my_data(request: Request, db: SessionDep, user: Self) -> Response:
    return render(request, "dashboard/my_data.html", {"held": _held(db, user)})


@router.get("/data-saya.json")
def my_data_download(db: SessionDep, user: Self) -> Response:
    held = _held(db, user)
    audit.record(
        db,
        actor=actor_of(user),
        action="asn.own_data_exported",
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
    )
    db.commit()
    return Response(
        json.dumps(held, ensure_ascii=False, indent=1),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="data-saya-netral.json"',
            "Cache-Control": "no-store",
        },
    )
