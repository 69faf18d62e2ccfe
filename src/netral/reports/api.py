"""Reports JSON API: public intake and receipts; the staff inbox."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, cast

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile as StarletteUpload

from netral.core.closures import calendar_for
from netral.core.errors import NetralError, ValidationFailed, problem
from netral.core.models import User
from netral.core.security import Scope, has_permission
from netral.reports import service
from netral.reports.models import Report
from netral.reports.schemas import (
    Channel,
    DuplicateBasis,
    DuplicateOut,
    EvidenceKind,
    EvidenceOut,
    FormalCheckOut,
    ForwardOut,
    MessageOut,
    ProgressOut,
    ReceiptLookup,
    ReceiptOut,
    ReceiptStatusOut,
    ReplyIn,
    ReportDetailOut,
    ReporterIdentity,
    ReportIn,
    ReportKind,
    ReportOut,
    ReportPage,
    ReportStatus,
    ReportSubject,
    Sender,
)
from netral.rules.schema import Rulebook
from netral.web.deps import (
    DbId,
    DbIdFilter,
    OptionalUser,
    PageNumber,
    SessionDep,
    UserScope,
    actor_of,
    require,
)
from netral.web.i18n import current_language
from netral.web.problems import problem_responses

router = APIRouter(tags=["reports"])
Reader = Annotated[User, Depends(require("reports.read"))]
Handler = Annotated[User, Depends(require("reports.handle"))]


class RateLimited(NetralError):
    status = 429


def client_key(request: Request) -> str:
    from netral.core.crypto import keyring

    host = request.client.host if request.client else "unknown"
    return keyring().mac(f"client:{host}")  # the address itself is never kept


def limit(request: Request, bucket: str) -> None:
    limiter = request.app.state.limits[bucket]
    key = client_key(request)
    if not limiter.hit(key):
        wait = limiter.retry_after(key)
        raise RateLimited(
            problem(
                "rate.limited",
                f"Terlalu banyak permintaan. Coba lagi dalam {wait} detik.",
                f"Too many requests. Try again in {wait} seconds.",
            ),
            headers={"Retry-After": str(wait)},
        )


def uploads_of(files: Sequence[StarletteUpload] | None) -> list[service.Upload]:
    return [service.Upload(f.filename or "", f.file, f.content_type) for f in files or []]


def submit(
    request: Request, db: Session, form: ReportIn, files: list[UploadFile] | None, user: User | None
) -> service.Receipt:
    limit(request, "submit")
    staff = actor_of(user) if user is not None and has_permission(user, "reports.create") else None
    if user is not None and staff is not None and not Scope.of(user).covers(form.region):
        # the staff channel files into the user's own region only (the public form takes any)
        raise ValidationFailed(
            problem(
                "report.region_outside_scope",
                "Sebagai petugas, Anda hanya dapat mencatat laporan untuk wilayah tugas Anda.",
                "As staff, you can file reports only for the region you work in.",
                field="region",
            )
        )
    return service.submit_report(
        db_session=db,
        store=request.app.state.store,
        rulebook=request.app.state.rulebook,
        calendar=calendar_for(db),
        form=form,
        uploads=uploads_of(files),
        channel="staf" if staff else ("api" if request.url.path.startswith("/api/") else "publik"),
        staff=staff,
    )


def receipt_message(receipt: service.Receipt, lang: str, rulebook: Rulebook) -> str:
    r = receipt.report
    standing = next((c for c in r.formal_check if c["code"] == "reporter_standing"), None)
    if r.kind == "informasi_awal" and not r.anonymous and standing and standing["status"] != "ok":
        # who may file is the rulebook's report_requirements.standing (UU 1/2015 art. 134(2))
        who = [c.name for c in rulebook.report_requirements.standing.choices if c.files_laporan]
        msg = (
            "Laporan dicatat sebagai informasi awal untuk pengawasan Bawaslu: laporan formal "
            f"hanya dapat disampaikan oleh {'; '.join(w.id for w in who)}.",
            "Recorded as initial information for Bawaslu's supervision: a formal report can "
            f"only be filed by {'; '.join(w.en for w in who)}.",
        )
    elif r.kind == "informasi_awal":
        msg = (
            "Laporan dicatat sebagai informasi awal untuk pengawasan Bawaslu (tanpa identitas "
            "pelapor, laporan ini bukan laporan formal).",
            "Recorded as initial information for Bawaslu's supervision (without the "
            "reporter's identity it is not a formal report).",
        )
    else:
        msg = (
            "Laporan diterima. Simpan nomor dan kode tanda terima untuk melihat statusnya.",
            "Report received. Keep the number and receipt code to follow it.",
        )
    text = msg[1] if lang == "en" else msg[0]
    if r.is_late and r.filing_due_on is not None:
        # the limit itself is the rulebook's (report_filing / pemilu_report_filing)
        due = r.filing_due_on.strftime("%d-%m-%Y")
        text += (
            f" Late: the time limit to report ended on {due}; kept as information."
            if lang == "en"
            else f" Terlambat: batas waktu pelaporan berakhir {due}; disimpan sebagai informasi."
        )
    return text


@router.post(
    "/reports",
    status_code=201,
    response_model=ReceiptOut,
    responses=problem_responses(403, 413, 422, 429),
)
def create_report(
    request: Request,
    db: SessionDep,
    user: OptionalUser,
    form: Annotated[ReportIn, Form()],
    evidence: Annotated[list[UploadFile] | None, File(description="Up to 10 files")] = None,
) -> ReceiptOut:
    """File a report (multipart). The receipt code is returned once, after the commit."""
    receipt = submit(request, db, form, evidence, user)
    lang = current_language.get()
    return ReceiptOut(
        number=receipt.report.number,
        receipt_code=receipt.formatted_code,
        kind=cast(ReportKind, receipt.report.kind),
        status=cast(ReportStatus, receipt.report.status),
        is_late=receipt.report.is_late,
        filing_due_on=receipt.report.filing_due_on,
        message=receipt_message(receipt, lang, request.app.state.rulebook),
    )


def status_out(db: Session, report: Report) -> ReceiptStatusOut:
    lang = current_language.get()
    label = service.STATUS_LABELS[report.status][1 if lang == "en" else 0]
    progress = service.public_progress(db_session=db, report=report)
    return ReceiptStatusOut(
        number=report.number,
        kind=cast(ReportKind, report.kind),
        status=cast(ReportStatus, report.status),
        status_label=label,
        created_at=report.created_at,
        evidence_count=len(report.evidence),
        messages=messages_out(report),
        progress=[ProgressOut(on=p.on, stage=p.stage, label=p.label(lang)) for p in progress],
    )


def messages_out(report: Report) -> list[MessageOut]:
    return [
        MessageOut(sender=cast(Sender, m.sender), body=m.body, created_at=m.created_at)
        for m in service.conversation(report)
    ]


@router.post(
    "/receipts/lookup",
    response_model=ReceiptStatusOut,
    responses=problem_responses(403, 404, 422, 429),
)
def lookup_receipt(body: ReceiptLookup, request: Request, db: SessionDep) -> ReceiptStatusOut:
    """The report's status and the staff's questions, for whoever holds the receipt."""
    limit(request, "receipt")
    return status_out(db, service.open_receipt(db_session=db, number=body.number, code=body.code))


@router.post(
    "/receipts/reply",
    response_model=ReceiptStatusOut,
    responses=problem_responses(403, 404, 422, 429),
)
def reply(body: ReplyIn, request: Request, db: SessionDep) -> ReceiptStatusOut:
    limit(request, "receipt")
    report = service.open_receipt(db_session=db, number=body.number, code=body.code)
    service.reporter_reply(db_session=db, report=report, body=body.body)
    db.refresh(report)
    return status_out(db, report)


@router.post(
    "/receipts/evidence",
    response_model=ReceiptStatusOut,
    responses=problem_responses(403, 404, 413, 422, 429),
)
def add_evidence(
    request: Request,
    db: SessionDep,
    number: Annotated[str, Form()],
    code: Annotated[str, Form()],
    evidence: Annotated[list[UploadFile], File()],
) -> ReceiptStatusOut:
    limit(request, "receipt")
    report = service.open_receipt(db_session=db, number=number, code=code)
    service.add_evidence(
        db_session=db, store=request.app.state.store, report=report, uploads=uploads_of(evidence)
    )
    db.refresh(report)
    return status_out(db, report)


# ---------------------------------------------------------------- staff


def report_out(r: Report) -> ReportOut:
    return ReportOut(
        number=r.number,
        kind=cast(ReportKind, r.kind),
        channel=cast(Channel, r.channel),
        status=cast(ReportStatus, r.status),
        anonymous=r.anonymous,
        region_code=r.region_code,
        category=r.category,
        reported_name=r.reported_name,
        reported_nip=r.reported_nip,
        reported_position=r.reported_position,
        reported_asn_id=r.reported_asn_id,
        description=r.description,
        place=r.place,
        kecamatan=r.kecamatan_code,
        kelurahan=r.kelurahan_code,
        occurred_on=r.occurred_on,
        known_on=r.known_on,
        filing_due_on=r.filing_due_on,
        is_late=r.is_late,
        formal_check=[FormalCheckOut.model_validate(c) for c in r.formal_check],
        links=r.links,
        rulebook_version=r.rulebook_version,
        created_at=r.created_at,
        evidence=[
            EvidenceOut(
                id=e.id,
                sha256=e.sha256,
                media_type=e.media_type,
                kind=cast(EvidenceKind, e.kind),
                size=e.size,
                preview=f"/bukti/{e.derivative_sha256}" if e.derivative_sha256 else None,
                preparing=e.preparing,
            )
            for e in r.evidence
        ],
        messages=messages_out(r),
        subject=cast(ReportSubject, r.subject),
        place_kind=r.place_kind,
        latitude=r.latitude,
        longitude=r.longitude,
        forwards=[
            ForwardOut(
                recipient=f.recipient,
                addressee=f.addressee,
                letter_number=f.letter_number,
                forwarded_on=f.forwarded_on,
                letter=f"/laporan/{r.number}/surat/{f.id}",
            )
            for f in r.forwards
        ],
    )


@router.get("/reports", response_model=ReportPage, responses=problem_responses(401, 403, 422))
def list_reports(
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    status: str = "",
    category: str = "",
    kecamatan: str = "",
    opd_id: DbIdFilter = None,
    late: bool | None = None,
    anonymous: bool | None = None,
    q: str = "",
    sort: str = "-created",
    subject: str = "",
    place_kind: str = "",
    page: PageNumber = 1,
    per_page: int = 25,
) -> ReportPage:
    rows, total = service.inbox(
        db_session=db,
        scope=scope,
        filters=service.InboxFilter(
            status, category, kecamatan, opd_id, late, anonymous, q, sort, subject, place_kind
        ),
        page=page,
        per_page=min(max(per_page, 1), 200),
    )
    return ReportPage(items=[report_out(r) for r in rows], total=total, page=page)


@router.get(
    "/reports/{number}",
    response_model=ReportDetailOut,
    responses=problem_responses(401, 403, 404),
)
def get_report(number: str, db: SessionDep, user: Reader, scope: UserScope) -> ReportDetailOut:
    r = service.get_report(db_session=db, scope=scope, number=number)
    return ReportDetailOut(
        **dict(report_out(r)),
        duplicates=[
            DuplicateOut(
                id=s.id,
                other=s.other.number,
                basis=cast(DuplicateBasis, s.basis),
                score=round(s.score, 3),
                why=s.why,
            )
            for s in service.open_suggestions(db_session=db, report=r)
        ],
    )


@router.post(
    "/reports/{number}/identity",
    response_model=ReporterIdentity,
    responses=problem_responses(401, 403, 404),
)
def reporter_identity(
    number: str,
    db: SessionDep,
    scope: UserScope,
    user: Annotated[User, Depends(require("reports.identity"))],
) -> ReporterIdentity:
    """The reporter's identity. Every call is written to the audit log."""
    r = service.get_report(db_session=db, scope=scope, number=number)
    return service.reveal_identity(db_session=db, report=r, actor=actor_of(user))


class StatusIn(BaseModel):
    status: ReportStatus
    reason: str = Field(default="", max_length=2000)
    duplicate_of: str | None = None
    # required when not taking a report further: a rulebook ground the reporter reads
    ground: str = Field(default="", max_length=40)


@router.post(
    "/reports/{number}/status",
    response_model=ReportOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def set_status(
    number: str, body: StatusIn, db: SessionDep, user: Handler, scope: UserScope
) -> ReportOut:
    r = service.get_report(db_session=db, scope=scope, number=number)
    other = (
        service.get_report(db_session=db, scope=scope, number=body.duplicate_of)
        if body.duplicate_of
        else None
    )
    service.change_status(
        db_session=db,
        report=r,
        actor=actor_of(user),
        to=body.status,
        reason=body.reason,
        duplicate_of=other,
        ground=body.ground,
    )
    return report_out(r)


class QuestionIn(BaseModel):
    body: str = Field(min_length=1, max_length=5000)


@router.post(
    "/reports/{number}/questions",
    response_model=ReportOut,
    responses=problem_responses(401, 403, 404, 422),
)
def ask(
    number: str, body: QuestionIn, db: SessionDep, user: Handler, scope: UserScope
) -> ReportOut:
    r = service.get_report(db_session=db, scope=scope, number=number)
    service.ask_reporter(db_session=db, report=r, actor=actor_of(user), body=body.body)
    db.refresh(r)
    return report_out(r)


@router.post(
    "/reports/{number}/duplicates/{suggestion_id}/{decision}",
    response_model=ReportOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
def duplicate_decision(
    number: str, suggestion_id: DbId, decision: str, db: SessionDep, user: Handler, scope: UserScope
) -> ReportOut:
    if decision not in ("merge", "dismiss"):
        raise ValidationFailed(
            problem(
                "duplicate.decision",
                "Pilih merge atau dismiss.",
                "Choose merge or dismiss.",
                field="decision",
            )
        )
    r = service.get_report(db_session=db, scope=scope, number=number)
    service.decide_duplicate(
        db_session=db,
        report=r,
        suggestion_id=suggestion_id,
        actor=actor_of(user),
        merge=decision == "merge",
    )
    return report_out(r)
