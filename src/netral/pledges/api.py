"""Pledges JSON API: campaigns, coverage, who has not signed, signing online, the joint declaration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from netral.core.audit import Actor
from netral.core.errors import ValidationFailed, problem
from netral.core.models import User
from netral.core.security import Scope
from netral.pledges import service
from netral.pledges.schemas import (
    CampaignIn,
    CampaignOut,
    CodeSentOut,
    CoverageOut,
    JointIn,
    JointOut,
    SignatureOut,
    SignIn,
    TotalsOut,
    UnsignedOut,
    UnsignedPage,
)
from netral.web.deps import DbIdFilter, PageNumber, SessionDep, UserScope, require
from netral.web.problems import problem_responses

router = APIRouter(prefix="/pledges", tags=["pledges"])
Reader = Annotated[User, Depends(require("pledges.read"))]
Signer = Annotated[User, Depends(require("pledges.sign"))]
Manager = Annotated[User, Depends(require("pledges.manage"))]


@router.get("/campaigns", response_model=list[CampaignOut], responses=problem_responses(401, 403))
def list_campaigns(db: SessionDep, user: Reader, scope: UserScope) -> list[CampaignOut]:
    return [
        CampaignOut.model_validate(c) for c in service.list_campaigns(db_session=db, scope=scope)
    ]


@router.post(
    "/campaigns",
    response_model=CampaignOut,
    status_code=201,
    responses=problem_responses(401, 403, 422),
)
def create_campaign(
    body: CampaignIn, db: SessionDep, user: Manager, scope: UserScope
) -> CampaignOut:
    if not scope.covers(body.region):
        raise ValidationFailed(
            problem(
                "pledges.region",
                f"Wilayah '{body.region}' di luar cakupan Anda.",
                f"Region '{body.region}' is outside your scope.",
                field="region",
            )
        )
    campaign = service.create_campaign(db_session=db, campaign_in=body, actor=Actor.of(user))
    return CampaignOut.model_validate(campaign)


@router.get(
    "/campaigns/{code}", response_model=CampaignOut, responses=problem_responses(401, 403, 404)
)
def get_campaign(code: str, db: SessionDep, user: Reader, scope: UserScope) -> CampaignOut:
    return CampaignOut.model_validate(service.get_campaign(db_session=db, scope=scope, code=code))


@router.get(
    "/campaigns/{code}/totals", response_model=TotalsOut, responses=problem_responses(401, 403, 404)
)
def campaign_totals(code: str, db: SessionDep, user: Reader, scope: UserScope) -> TotalsOut:
    t = service.totals(db_session=db, scope=scope, campaign_code=code)
    assert t is not None  # a code that names no campaign raised NotFound
    return TotalsOut(**{f: getattr(t, f) for f in TotalsOut.model_fields})


@router.get(
    "/campaigns/{code}/coverage",
    response_model=list[CoverageOut],
    responses=problem_responses(401, 403, 404),
)
def coverage(code: str, db: SessionDep, user: Reader, scope: UserScope) -> list[CoverageOut]:
    """Per OPD, lowest percentage first (an OPD admin sees their own OPD only)."""
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    rows = service.campaign_coverage(
        db_session=db, scope=scope, campaign=campaign, opd_id=user.opd_id
    )
    return [
        CoverageOut(
            opd_id=r.opd_id,
            opd_code=r.opd_code,
            opd=r.opd,
            asn=r.asn,
            signed=r.signed,
            percent=r.percent,
        )
        for r in rows
    ]


@router.get(
    "/campaigns/{code}/unsigned",
    response_model=UnsignedPage,
    responses=problem_responses(401, 403, 404, 422),
)
def unsigned(
    code: str,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    opd_id: DbIdFilter = None,
    page: PageNumber = 1,
) -> UnsignedPage:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    total, people = service.unsigned(
        db_session=db,
        scope=scope,
        campaign=campaign,
        opd_id=service.visible_opd(user, opd_id),
        limit=100,
        offset=(page - 1) * 100,
    )
    return UnsignedPage(
        total=total,
        items=[
            UnsignedOut(
                asn_id=p.id,
                nip=p.nip,
                name=p.name,
                position=p.position,
                opd_code=p.opd_code,
                opd=p.opd,
                unit=p.unit,
            )
            for p in people
        ],
    )


@router.post(
    "/campaigns/{code}/code",
    response_model=CodeSentOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def request_code(code: str, request: Request, db: SessionDep, user: Signer) -> CodeSentOut:
    """Send a one-time code to the signed-in ASN's registered e-mail."""
    signer = service.signer_of(db_session=db, user=user)
    campaign = service.get_campaign(
        db_session=db, scope=Scope("region", signer.region_code), code=code
    )
    sent = service.request_code(
        db_session=db, settings=request.app.state.settings, campaign=campaign, user=user
    )
    return CodeSentOut(sent_to=sent.sent_to, expires_at=sent.expires_at)


@router.post(
    "/campaigns/{code}/signature",
    response_model=SignatureOut,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def sign(code: str, body: SignIn, request: Request, db: SessionDep, user: Signer) -> SignatureOut:
    """Sign as the signed-in ASN with their own NIP and the live code."""
    signer = service.signer_of(db_session=db, user=user)
    campaign = service.get_campaign(
        db_session=db, scope=Scope("region", signer.region_code), code=code
    )
    sig = service.sign_online(
        db_session=db,
        settings=request.app.state.settings,
        campaign=campaign,
        user=user,
        nip=body.nip,
        code=body.code,
    )
    return SignatureOut(
        campaign_code=campaign.code,
        nip=sig.nip,
        method=sig.method,
        signed_at=sig.signed_at,
        document_sha256=sig.document_sha256,
        sheet_sha256=sig.sheet_sha256,
    )


@router.get(
    "/campaigns/{code}/joint",
    response_model=list[JointOut],
    responses=problem_responses(401, 403, 404),
)
def joint(code: str, db: SessionDep, user: Reader, scope: UserScope) -> list[JointOut]:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    return [
        JointOut.model_validate(j)
        for j in service.joint_signatories(db_session=db, campaign=campaign)
    ]


@router.post(
    "/campaigns/{code}/joint",
    response_model=JointOut,
    status_code=201,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def add_joint(
    code: str, body: JointIn, db: SessionDep, user: Manager, scope: UserScope
) -> JointOut:
    campaign = service.get_campaign(db_session=db, scope=scope, code=code)
    row = service.add_joint_signatory(
        db_session=db,
        campaign=campaign,
        name=body.name,
        office=body.office,
        signed_on=body.signed_on,
        actor=Actor.of(user),
    )
    return JointOut.model_validate(row)
