"""Report pages: the public form and receipt (no login), and the staff inbox."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from pydantic import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from netral.core import audit
from netral.core.calendar import to_wib_date
from netral.core.crypto import keyring
from netral.core.db import utcnow
from netral.core.errors import NetralError, NotFound, Problem, problem
from netral.core.models import User
from netral.core.security import has_permission
from netral.election import service as elections
from netral.registry import service as registry
from netral.registry.service import Place
from netral.reports import service
from netral.reports.api import limit, receipt_message, submit, uploads_of
from netral.reports.models import Evidence, Report
from netral.reports.schemas import ReportIn
from netral.rules import load_rulebook
from netral.rules.schema import Rulebook
from netral.web.confirm import confirm_page, confirmed
from netral.web.deps import (
    DbId,
    FormDep,
    IdText,
    OptionalUser,
    PageNumber,
    SessionDep,
    UserScope,
    actor_of,
    require,
)
from netral.web.downloads import blob_response
from netral.web.forms import error_lists, field_errors
from netral.web.i18n import current_language, gettext_
from netral.web.labels import label
from netral.web.templating import render

public = APIRouter(include_in_schema=False)
router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require("reports.read"))]
Handler = Annotated[User, Depends(require("reports.handle"))]
RECEIPT_COOKIE = "netral_receipt"
RECEIPT_MINUTES = 30
NO_STORE = {"Cache-Control": "no-store"}


def _t(text: Any) -> str:
    return str(text.en if current_language.get() == "en" else text.id)


def _kecamatan(db: Session) -> list[Place]:
    """The kecamatan of the regions holding an election (all kecamatan when none does)."""
    regions = elections.election_regions(db_session=db)
    return registry.places(db_session=db, level="kecamatan", region_codes=regions or None)


def _form_context(
    request: Request, db: Session, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    rb = request.app.state.rulebook
    kec = values.get("kecamatan", "")
    kelurahan = registry.places(db_session=db, parent_code=kec) if kec else []
    # campaign props: their own categories and kinds of place (the rulebook's campaign_props)
    props = rb.campaign_props
    subject = "apk" if values.get("subject") == "apk" and props is not None else "asn"
    categories = (
        [(c.code, _t(c.name)) for c in props.categories]
        if subject == "apk" and props is not None
        else [(v.code, _t(v.name)) for v in rb.violations]
    )
    return {
        "values": values,
        "errors": errors,
        "subject": subject,
        "props": props,
        "place_kinds": props.places if props else [],
        "kecamatan": _kecamatan(db),
        "kelurahan": kelurahan,
        "categories": categories,
        # UU 1/2015 art. 134(2): who may file a laporan (the rulebook's, with its basis)
        "standing": rb.report_requirements.standing,
        "sources": {s.id: s.title for s in rb.sources},
        "max_files": service.MAX_FILES,
        # the kecamatan is asked for only where the report's region cannot be told without it
        # (validate_report): a season with one region fills it in; the place itself is a
        # syarat materiil (report_requirements), completed at the office when missing
        "kecamatan_required": subject == "apk"
        or len(elections.election_regions(db_session=db)) != 1,
        # Pilkada: UU 10/2016 art. 134 (the rulebook's `report_filing`)
        "filing": rb.deadline("report_filing"),
    }


@public.get("/lapor")
def report_form(request: Request, db: SessionDep) -> Response:
    return render(request, "reports/form.html", _form_context(request, db, {}, {}))


@public.get("/lapor/apk")
def prop_report_form(request: Request, db: SessionDep) -> Response:
    """The same public form, for campaign props at a forbidden place (a report of its own kind)."""
    return render(request, "reports/form.html", _form_context(request, db, {"subject": "apk"}, {}))


@public.get("/lapor/kelurahan")
def kelurahan_options(request: Request, db: SessionDep, kecamatan: str = "") -> Response:
    rows = registry.places(db_session=db, parent_code=kecamatan) if kecamatan else []
    return render(request, "reports/_kelurahan.html", {"kelurahan": rows, "values": {}})


# problems about fields the form has no input for are shown where the reporter can act
_FORM_FIELD = {"region": "kecamatan", "subject": "form", "anonymous": "form"}
_DATES = ("occurred_on", "known_on")
# the form's fields top to bottom: the error summary lists them in the order they are met
_FORM_ORDER = (
    "form",
    "description",
    "occurred_on",
    "known_on",
    "kecamatan",
    "kelurahan",
    "place",
    "latitude",
    "longitude",
    "place_kind",
    "category",
    "reported_name",
    "reported_position",
    "reported_nip",
    "evidence",
    "links",
    "witnesses",
    "reporter_standing",
    "reporter_name",
    "reporter_birth_place",
    "reporter_birth_date",
    "reporter_sex",
    "reporter_occupation",
    "reporter_address",
    "reporter_phone",
    "reporter_email",
)


def _draft(values: dict[str, Any], errors: dict[str, str], today: date) -> ReportIn | None:
    """What did parse, so the law's checks run on it too; a missing date borrows the other one
    (or today), which no check can fault, and the fields at fault are left out."""
    kept = {k: v for k, v in values.items() if k not in errors}
    kept.setdefault("description", "")
    for name, other in (_DATES, _DATES[::-1]):
        if name not in kept or kept[name] in ("", None):
            fallback = kept.get(other)
            kept[name] = fallback if fallback and other not in errors else today.isoformat()
    try:
        return ReportIn.model_validate(kept)
    except ValidationError:
        return None


def _report_refused(
    request: Request,
    db: Session,
    values: dict[str, Any],
    refusals: list[NetralError | ValidationError | list[Problem]],
    status: int,
) -> Response:
    """The form again with every problem at once: a summary on top, each beside its field."""
    lists: dict[str, list[str]] = {}
    for field, messages in error_lists(*refusals).items():
        lists.setdefault(_FORM_FIELD.get(field, field), []).extend(messages)
    place = {field: i for i, field in enumerate(_FORM_ORDER)}
    lists = dict(sorted(lists.items(), key=lambda kv: place.get(kv[0], len(place))))
    errors = {field: " ".join(messages) for field, messages in lists.items()}
    ctx = _form_context(request, db, values, errors) | {"error_lists": lists}
    return render(request, "reports/form.html", ctx, status_code=status)


@public.post("/lapor")
def report_submit(request: Request, form: FormDep, db: SessionDep, user: OptionalUser) -> Response:
    values: dict[str, Any] = {
        k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"
    }
    values["anonymous"] = "anonymous" in form
    if values["anonymous"]:
        # an anonymous reporter's identity is discarded here, never stored nor shown back
        values = {k: v for k, v in values.items() if not k.startswith("reporter_")}
    files = [f for f in form.getlist("evidence") if isinstance(f, UploadFile) and f.filename]
    try:
        report_in = ReportIn.model_validate(values)
    except ValidationError as exc:
        # the schema's errors, and with them the law's checks and each refused file: all at once
        try:
            limit(request, "submit")
        except NetralError as limited:
            return _report_refused(request, db, values, [limited], limited.status)
        draft = _draft(values, field_errors(exc), to_wib_date(utcnow()))
        more: list[Problem] = []
        if draft is not None:
            schema_fields = set(field_errors(exc))
            more = [
                p
                for p in service.report_problems(
                    db_session=db,
                    store=request.app.state.store,
                    rulebook=request.app.state.rulebook,
                    form=draft,
                    uploads=uploads_of(files),
                    today=to_wib_date(utcnow()),
                )
                if (p.field or "form") not in schema_fields
            ]
        return _report_refused(request, db, values, [exc, more], 422)
    try:
        receipt = submit(request, db, report_in, files, user)  # type: ignore[arg-type]
    except NetralError as exc:
        return _report_refused(request, db, values, [exc], exc.status)
    response = render(
        request,
        "reports/receipt.html",
        {
            "receipt": receipt,
            "message": receipt_message(receipt, current_language.get(), request.app.state.rulebook),
        },
        status_code=201,
    )
    response.headers.update(NO_STORE)
    return response


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(keyring().mac("receipt-cookie"), salt="netral-receipt")


def _receipt_report(request: Request, db: Session) -> Report | None:
    token = request.cookies.get(RECEIPT_COOKIE, "")
    try:
        number = _serializer().loads(token, max_age=RECEIPT_MINUTES * 60) if token else None
    except BadSignature:
        return None
    return db.scalar(select(Report).where(Report.number == number)) if number else None


@public.get("/lapor/cek")
def receipt_form(request: Request, db: SessionDep) -> Response:
    return render(request, "reports/lookup.html", {"values": {}, "errors": {}})


@public.post("/lapor/cek")
def receipt_open(request: Request, form: FormDep, db: SessionDep) -> Response:
    number, code = str(form.get("number", "")), str(form.get("code", ""))
    try:
        limit(request, "receipt")
        report = service.open_receipt(db_session=db, number=number, code=code)
    except NetralError as exc:
        return render(
            request,
            "reports/lookup.html",
            {"values": {"number": number}, "errors": field_errors(exc)},
            status_code=exc.status,
        )
    response = RedirectResponse("/lapor/status", status_code=303)
    response.set_cookie(
        RECEIPT_COOKIE,
        _serializer().dumps(report.number),
        httponly=True,
        samesite="strict",
        max_age=RECEIPT_MINUTES * 60,
        secure=request.app.state.settings.cookie_secure,
    )
    return response


def _status_context(db: Session, report: Report) -> dict[str, Any]:
    """The receipt page: the status, what happened so far (the case's outcome too), messages."""
    lang = current_language.get()
    progress = service.public_progress(db_session=db, report=report)
    stages = [p for p in progress if p.stage in service.PUBLIC_STAGES]
    # once the report became a case, its latest public step says more than "Diteruskan"
    rejected = [p for p in progress if p.stage == "ditolak"]
    if stages:
        label = stages[-1].label(lang)
    elif report.status == "ditolak" and rejected:  # with the ground the reporter is told
        label = rejected[-1].label(lang)
    else:
        label = service.STATUS_LABELS[report.status][1 if lang == "en" else 0]
    return {
        "report": report,
        "errors": {},
        "label": label,
        "progress": [(p.on, p.stage, p.label(lang)) for p in progress],
        "conversation": service.conversation(report),
    }


@public.get("/lapor/status")
def receipt_status(request: Request, db: SessionDep) -> Response:
    report = _receipt_report(request, db)
    if report is None:
        return RedirectResponse("/lapor/cek", status_code=303)
    response = render(request, "reports/status.html", _status_context(db, report))
    response.headers.update(NO_STORE)
    return response


@public.post("/lapor/status/balas")
def receipt_reply(request: Request, form: FormDep, db: SessionDep) -> Response:
    report = _receipt_report(request, db)
    if report is None:
        return RedirectResponse("/lapor/cek", status_code=303)
    try:
        service.reporter_reply(db_session=db, report=report, body=str(form.get("body", "")))
    except NetralError as exc:
        return _status_error(request, db, report, exc)
    return RedirectResponse("/lapor/status", status_code=303)


@public.post("/lapor/status/bukti")
def receipt_evidence(request: Request, form: FormDep, db: SessionDep) -> Response:
    report = _receipt_report(request, db)
    if report is None:
        return RedirectResponse("/lapor/cek", status_code=303)
    files = [f for f in form.getlist("evidence") if isinstance(f, UploadFile) and f.filename]
    try:
        service.add_evidence(
            db_session=db, store=request.app.state.store, report=report, uploads=uploads_of(files)
        )
    except NetralError as exc:
        return _status_error(request, db, report, exc)
    return RedirectResponse("/lapor/status", status_code=303)


def _status_error(request: Request, db: Session, report: Report, exc: NetralError) -> Response:
    ctx = _status_context(db, report) | {
        "errors": field_errors(exc),
        "error_lists": error_lists(exc),
    }
    return render(request, "reports/status.html", ctx, status_code=exc.status)


@public.post("/lapor/keluar")
def receipt_close() -> Response:
    response = RedirectResponse("/lapor/cek", status_code=303)
    response.delete_cookie(RECEIPT_COOKIE)
    return response


# ---------------------------------------------------------------- staff


def _flag(value: str) -> bool | None:
    return {"ya": True, "tidak": False}.get(value)


FILTER_OPTIONS_MAX = 500


@router.get("/laporan")
def inbox(
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    status: str = "",
    category: str = "",
    kecamatan: str = "",
    opd: IdText = "",
    late: str = "",
    anonymous: str = "",
    q: str = "",
    sort: str = "-created",
    subject: str = "",
    place_kind: str = "",
    balasan: str = "",
    page: PageNumber = 1,
) -> Response:
    filters = service.InboxFilter(
        status,
        category,
        kecamatan,
        int(opd) if opd.isdigit() else None,
        _flag(late),
        _flag(anonymous),
        q,
        sort,
        subject,
        place_kind,
        replied=True if balasan else None,
    )
    rows, total = service.inbox(db_session=db, scope=scope, filters=filters, page=page)
    if total and page > -(-total // 25):  # past the end (an old link): the last page
        page = -(-total // 25)
        rows, total = service.inbox(db_session=db, scope=scope, filters=filters, page=page)
    opds = registry.top_level_opds(db_session=db, scope=scope)
    kec = sorted(
        registry.places(db_session=db, level="kecamatan", scope=scope), key=lambda w: w.name
    )
    kec_names = {w.code: w.name for w in kec}
    # a province or the nation holds thousands of OPD and kecamatan: a list nobody picks from,
    # and a megabyte on every page (benchmarks/national.py); those filters stay in the link
    if len(opds) > FILTER_OPTIONS_MAX:
        opds = [o for o in opds if opd == str(o.id)]
    if len(kec) > FILTER_OPTIONS_MAX:
        kec = [w for w in kec if w.code == kecamatan]
    rb = request.app.state.rulebook
    return render(
        request,
        "reports/inbox.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // 25)),
            "f": {
                "status": status,
                "category": category,
                "kecamatan": kecamatan,
                "opd": opd,
                "late": late,
                "anonymous": anonymous,
                "q": q,
                "sort": sort,
                "subject": subject,
                "place_kind": place_kind,
                "balasan": "1" if balasan else "",
            },
            "opds": opds,
            "kec": kec,
            "statuses": list(service.STATUS_LABELS),
            "sort": sort if sort in service.SORTS else "-created",
            "filtered": any(
                (status, category, kecamatan, opd, late, anonymous, q, subject, place_kind, balasan)
            ),
            "categories": [(v.code, _t(v.name)) for v in rb.violations]
            + [
                (c.code, _t(c.name))
                for c in (rb.campaign_props.categories if rb.campaign_props else [])
            ],
            "place_kinds": [
                (p.code, _t(p.name))
                for p in (rb.campaign_props.places if rb.campaign_props else [])
            ],
            "kec_names": kec_names,
        },
    )


def _detail(
    request: Request,
    db: Session,
    user: User,
    report: Report,
    identity: Any = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    values: dict[str, str] | None = None,
) -> Response:
    rb = request.app.state.rulebook
    codes = [c for c in (report.kecamatan_code, report.kelurahan_code) if c]
    names = {w.code: w.name for w in registry.places(db_session=db, codes=codes)}
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "identity": identity,
            "errors": errors or {},
            "values": values or {},
            "suggestions": service.open_suggestions(db_session=db, report=report),
            # in the order a report moves, with no default: merging must be chosen, never fallen into
            "transitions": [
                s for s in service.STATUS_LABELS if s in service.TRANSITIONS.get(report.status, ())
            ],
            "category": _category(rb, report),
            "grounds": rb.report_requirements.rejection_grounds,
            "props": rb.campaign_props,
            "place": (
                rb.campaign_props.place(report.place_kind)
                if report.place_kind and rb.campaign_props
                else None
            ),
            "sources": {src.id: src for src in rb.sources},
            "can_forward": has_permission(user, "reports.forward"),
            "names": names,
            "t": _t,
            "conversation": service.conversation(report),
            "progress": [
                (p.on, p.stage, p.label(current_language.get()))
                for p in service.public_progress(db_session=db, report=report)
            ],
            "standing_label": lambda code: _standing_label(rb, code),
            "field_label": lambda f: service.FIELD_LABELS.get(f, (f, f))[
                1 if current_language.get() == "en" else 0
            ],
            "can_identity": has_permission(user, "reports.identity"),
            "can_handle": has_permission(user, "reports.handle"),
            "can_original": has_permission(user, "evidence.original"),
        },
        status_code=status_code,
    )


def _category(rb: Rulebook, report: Report) -> Any:
    """The report's category from the rulebook: an SKB act, or a campaign-prop category."""
    if not report.category:
        return None
    if report.subject == "apk" and rb.campaign_props is not None:
        return rb.campaign_props.category(report.category)
    return rb.violation(report.category)


def _standing_label(rb: Rulebook, code: str) -> str:
    choice = rb.report_requirements.standing.choice(code) if code else None
    return _t(choice.name) if choice else (code or "–")


@router.get("/laporan/{number}")
def report_detail(
    number: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    report = service.get_report(db_session=db, scope=scope, number=number)
    return _detail(request, db, user, report)


@router.post("/laporan/{number}/identitas")
def report_identity(
    number: str,
    request: Request,
    db: SessionDep,
    scope: UserScope,
    user: Annotated[User, Depends(require("reports.identity"))],
) -> Response:
    report = service.get_report(db_session=db, scope=scope, number=number)
    identity = service.reveal_identity(db_session=db, report=report, actor=actor_of(user))
    response = _detail(request, db, user, report, identity=identity)
    response.headers.update(NO_STORE)
    return response


# a rejected or merged report leaves the inbox's work and the reporter is told: asked again first
CONFIRM_STATUS = frozenset({"ditolak", "digabung"})


def _status_consequences(
    report: Report, to: str, other: Report | None, ground: str = ""
) -> list[str]:
    lang = current_language.get()
    out = [
        gettext_("Status laporan %(number)s berubah dari “%(before)s” menjadi “%(after)s”.")
        % {
            "number": report.number,
            "before": label(report.status, "report_status", lang),
            "after": label(to, "report_status", lang),
        }
    ]
    if to == "digabung" and other is not None:
        out.append(
            gettext_("Laporan ini digabungkan ke %(other)s; penanganannya berlanjut di sana.")
            % {"other": other.number}
        )
    out.append(
        gettext_("Pelapor melihat status “%(status)s” pada halaman status laporannya.")
        % {"status": service.STATUS_LABELS[to][1 if lang == "en" else 0]}
    )
    chosen = load_rulebook().report_requirements.rejection_ground(ground)
    if to == "ditolak" and chosen is not None:
        out.append(
            gettext_(
                "Pelapor membaca dasar penolakannya: “%(ground)s” Catatan internal Anda tidak ditampilkan kepadanya."
            )
            % {"ground": chosen.public.en if lang == "en" else chosen.public.id}
        )
    out.append(gettext_("Perubahan ini tercatat di jejak audit."))
    return out


@router.post("/laporan/{number}/status")
def report_status(
    number: str, request: Request, form: FormDep, db: SessionDep, user: Handler, scope: UserScope
) -> Response:
    report = service.get_report(db_session=db, scope=scope, number=number)
    values = {k: str(form.get(k, "")) for k in ("status", "reason", "duplicate_of", "ground")}
    try:
        other_no = values["duplicate_of"].strip()
        other = (
            service.get_report(db_session=db, scope=scope, number=other_no) if other_no else None
        )
        to = values["status"]
        if to in CONFIRM_STATUS and not confirmed(form):
            service.check_status_change(
                report=report,
                to=to,
                reason=values["reason"],
                duplicate_of=other,
                ground=values["ground"],
            )
            return confirm_page(
                request,
                form,
                title=gettext_("Ubah status menjadi “%(status)s”: lanjutkan?")
                % {"status": label(to, "report_status")},
                consequences=_status_consequences(report, to, other, values["ground"]),
                back=f"/laporan/{report.number}#tindakan",
            )
        service.change_status(
            db_session=db,
            report=report,
            actor=actor_of(user),
            to=to,
            reason=values["reason"],
            duplicate_of=other,
            ground=values["ground"],
        )
    except NetralError as exc:
        db.rollback()
        errors = field_errors(exc)
        if isinstance(exc, NotFound) and "form" in errors:
            errors["duplicate_of"] = errors.pop("form")  # the main report's number is not found
        return _detail(
            request, db, user, report, errors=errors, values=values, status_code=exc.status
        )
    return RedirectResponse(f"/laporan/{report.number}", status_code=303)


@router.post("/laporan/{number}/pertanyaan")
def report_question(
    number: str, request: Request, form: FormDep, db: SessionDep, user: Handler, scope: UserScope
) -> Response:
    report = service.get_report(db_session=db, scope=scope, number=number)
    try:
        service.ask_reporter(
            db_session=db, report=report, actor=actor_of(user), body=str(form.get("body", ""))
        )
    except NetralError as exc:
        return _detail(request, db, user, report, errors=field_errors(exc), status_code=exc.status)
    return RedirectResponse(f"/laporan/{report.number}#pesan", status_code=303)


@router.post("/laporan/{number}/duplikat/{suggestion_id}/{decision}")
def report_duplicate(
    number: str,
    suggestion_id: DbId,
    decision: str,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Handler,
    scope: UserScope,
) -> Response:
    report = service.get_report(db_session=db, scope=scope, number=number)
    merge = decision == "gabung"
    if merge and not confirmed(form):
        other = next(
            (
                s.other
                for s in service.open_suggestions(db_session=db, report=report)
                if s.id == suggestion_id
            ),
            None,
        )
        if other is not None:
            try:
                service.check_status_change(report=report, to="digabung", duplicate_of=other)
            except NetralError as exc:
                return _detail(
                    request, db, user, report, errors=field_errors(exc), status_code=exc.status
                )
            return confirm_page(
                request,
                form,
                title=gettext_("Gabungkan %(number)s ke %(other)s: lanjutkan?")
                % {"number": report.number, "other": other.number},
                consequences=_status_consequences(report, "digabung", other),
                back=f"/laporan/{report.number}",
            )
    service.decide_duplicate(
        db_session=db,
        report=report,
        suggestion_id=suggestion_id,
        actor=actor_of(user),
        merge=merge,
    )
    return RedirectResponse(f"/laporan/{report.number}", status_code=303)


@router.get("/laporan/{number}/surat/{forward_id}")
def forward_letter(
    number: str,
    forward_id: DbId,
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
) -> Response:
    """The letter a campaign-prop report was forwarded with (PDF)."""
    row = service.forward_letter(db_session=db, scope=scope, number=number, forward_id=forward_id)
    return blob_response(
        request.app.state.store,
        row.letter_sha256,
        media_type="application/pdf",
        filename=f"penerusan-{row.report.number}-{row.recipient}.pdf",
        headers={"Cache-Control": "private, max-age=3600"},
    )


@router.get("/bukti/{sha256}")
def evidence_file(
    sha256: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    """Staff see the EXIF-stripped copy; the sealed original only with the evidence role."""
    row = db.scalar(
        select(Evidence)
        .join(Report, Report.id == Evidence.report_id)
        .where(
            or_(Evidence.derivative_sha256 == sha256, Evidence.sha256 == sha256),
            scope.clause(Report.region_code),
        )
        .limit(1)
    )
    original = row is not None and row.sha256 == sha256 and row.derivative_sha256 != sha256
    # a photo's, a video's or a PDF's original may carry EXIF/GPS, the container's location and
    # device, or the author: sealed (staff see the clean copy); plain text carries none
    sealed = original and row is not None and row.kind in ("image", "video", "pdf")
    # a photo still being prepared: its original is not shown before its clean copy exists
    if row is None or (sealed and (row.preparing or not has_permission(user, "evidence.original"))):
        raise NotFound(
            problem("evidence.not_found", "Bukti tidak ditemukan.", "Evidence not found.")
        )
    store = request.app.state.store
    if not store.exists(sha256):  # an original deleted at the end of its retention
        raise NotFound(
            problem(
                "evidence.deleted",
                "Berkas ini telah dihapus karena masa retensinya berakhir.",
                "This file was deleted at the end of its retention.",
            )
        )
    if sealed:  # the original, GPS and all: who opened it is on the record
        audit.record(
            db,
            actor=actor_of(user),
            action="evidence.original_viewed",
            object_type="evidence",
            object_id=row.id,
            region_code=row.report.region_code,
        )
    media = row.media_type if original or not row.derivative_sha256 else _derivative_type(row)
    return blob_response(
        store,
        sha256,
        media_type=media,
        headers={"Cache-Control": "private, max-age=3600", "Content-Disposition": "inline"},
    )


def _derivative_type(row: Evidence) -> str:
    if row.kind == "pdf":  # its pages as pictures, in a new PDF
        return "application/pdf"
    return {"image/png": "image/png", "image/webp": "image/webp"}.get(row.media_type, "image/jpeg")
