"""Case pages: the list with its deadline column and saved filters, and one case's page with its
timeline, evidence, recommendation panel and the actions this user may take (and only those)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from netral.cases import forwards, service, timeline
from netral.cases.deadlines import basis_text, clock_status, decision_clock, rule_of
from netral.cases.models import Case, CaseDocument, Reminder, SavedFilter
from netral.cases.schemas import TransitionIn
from netral.cases.workflow import Transition, workflow
from netral.core.calendar import WIB, to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import utcnow
from netral.core.errors import NetralError, NotFound, ValidationFailed, problem
from netral.core.models import User
from netral.core.security import check_permission, has_permission
from netral.registry import service as registry
from netral.reports import service as reports
from netral.web.confirm import confirm_page, confirmed
from netral.web.deps import DbId, FormDep, PageNumber, SessionDep, UserScope, require
from netral.web.downloads import blob_response
from netral.web.forms import field_errors
from netral.web.i18n import current_language, gettext_
from netral.web.labels import label
from netral.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[User, Depends(require("cases.read"))]
Opener = Annotated[User, Depends(require("cases.open"))]
Handler = Annotated[User, Depends(require("cases.handle"))]


@router.get("/kasus")
def case_list(
    request: Request,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
    state: str = "",
    deadline: str = "",
    q: str = "",
    mine: str = "",
    antrean: str = "",
    giliran: str = "",
    sort: str = "deadline",
    page: PageNumber = 1,
) -> Response:
    sort = sort if sort in service.CASE_SORTS else "deadline"
    filters = service.CaseFilter(
        state,
        deadline,
        user.id if mine else None,
        q,
        queue=antrean if antrean in service.QUEUES else "",
        turn_of=user.role if giliran else "",
    )
    rows, total = service.list_cases(
        db_session=db, scope=scope, filters=filters, page=page, sort=sort
    )
    if total and page > -(-total // 25):  # past the end (an old link): the last page
        page = -(-total // 25)
        rows, total = service.list_cases(
            db_session=db, scope=scope, filters=filters, page=page, sort=sort
        )
    saved = list(
        db.scalars(
            select(SavedFilter).where(SavedFilter.user_id == user.id).order_by(SavedFilter.name)
        )
    )
    shown = {
        "state": state,
        "deadline": deadline,
        "q": q,
        "mine": mine,
        "antrean": filters.queue,
        "giliran": "1" if giliran else "",
    }
    query = urlencode({k: v for k, v in shown.items() if v})
    return render(
        request,
        "cases/list.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // 25)),
            "f": shown,
            "sort": sort,
            "filtered": any(shown.values()),
            "query": query,
            "states": workflow().states,
            "saved": saved,
            "wf": workflow(),
        },
    )


@router.post("/kasus/filter")
def save_filter(request: Request, form: FormDep, db: SessionDep, user: Reader) -> Response:
    name, query = str(form.get("name", "")).strip()[:80], str(form.get("query", ""))[:500]
    if name:
        row = db.scalar(
            select(SavedFilter).where(SavedFilter.user_id == user.id, SavedFilter.name == name)
        )
        if row is None:
            db.add(SavedFilter(user_id=user.id, name=name, query=query))
        else:
            row.query = query
    return RedirectResponse(f"/kasus?{query}", status_code=303)


@router.get("/kasus/baru")
def case_new(
    request: Request, db: SessionDep, user: Opener, scope: UserScope, laporan: str = ""
) -> Response:
    report = reports.find_report(db_session=db, scope=scope, number=laporan) if laporan else None
    return render(request, "cases/new.html", _new_context(db, report, {}, {}))


def _new_context(
    db: Session, report: reports.ReportRef | None, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    from netral.rules import load_rulebook

    suggestions: list[registry.AsnRef] = []
    if report is not None and report.reported_asn_id:
        suggestions = list(
            registry.asn_by_ids(db_session=db, asn_ids=[report.reported_asn_id]).values()
        )
    return {
        "report": report,
        "values": values,
        "errors": errors,
        "suggestions": suggestions,
        "violations": load_rulebook().violations,
        "error_links": {"origin", "reports", "title", "summary", "nips", "acts"},
    }


@router.post("/kasus")
def case_create(
    request: Request, form: FormDep, db: SessionDep, user: Opener, scope: UserScope
) -> Response:
    numbers = [n.strip() for n in str(form.get("reports", "")).replace(",", " ").split() if n]
    nips = [
        n.strip().replace(" ", "")
        for n in str(form.get("nips", "")).replace(",", "\n").splitlines()
        if n.strip()
    ]
    # only the user's region's ASN are found: a NIP elsewhere reads as one not in the registry
    known = {
        nip: a
        for nip, a in registry.asn_by_nips(db_session=db, nips=nips).items()
        if scope.covers(a.region_code)
    }
    asn_ids = [a.id for a in known.values()]
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    values["acts"] = [str(a) for a in form.getlist("acts")]
    missing = sorted(set(nips) - set(known))
    refusals: list[Any] = []
    if missing:
        refusals.append(
            [
                problem(
                    "case.asn_unknown",
                    f"NIP tidak ada di registri wilayah Anda: {', '.join(missing)}",
                    f"NIP not in your region's registry: {', '.join(missing)}",
                    field="nips",
                )
            ]
        )
    status = 422
    try:
        case = service.open_case(
            db_session=db,
            scope=scope,
            user=user,
            title=str(form.get("title", "")),
            summary=str(form.get("summary", "")),
            origin=str(form.get("origin", "laporan")),
            report_numbers=numbers,
            asn_ids=asn_ids,
            acts=values["acts"],
        )
    except NetralError as exc:
        refusals.append(exc)
        status = exc.status
    if refusals:
        # every problem at once; a case opened despite an unknown NIP is not kept
        db.rollback()
        errors = field_errors(*refusals)
        # the registry's refusals name the ASN the NIPs were turned into: shown at the NIPs
        if "asn_ids" in errors:
            errors["nips"] = " ".join(filter(None, (errors.get("nips"), errors.pop("asn_ids"))))
        report = None
        if numbers:
            try:
                report = reports.find_report(db_session=db, scope=scope, number=numbers[0])
            except NetralError:
                report = None
        return render(
            request,
            "cases/new.html",
            _new_context(db, report, values, errors),
            status_code=status,
        )
    return RedirectResponse(f"/kasus/{case.number}", status_code=303)


def _detail(
    request: Request,
    db: Session,
    user: User,
    case: Case,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    failed: str = "",
    values: dict[str, Any] | None = None,
) -> Response:
    """The case page; after a refused step (`failed`), its form open with what was typed."""
    from netral.rules import load_rulebook

    wf = workflow()
    today = to_wib_date(utcnow())
    linked = reports.report_refs(db_session=db, ids=[r.report_id for r in case.reports])
    rb = load_rulebook()
    calendar = calendar_for(db)
    clock_rule = rule_of(case.deadline_step, rb)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "wf": wf,
            # the timeline names people as the case file does, by name, not by login
            "actor_names": dict(
                db.execute(
                    select(User.id, User.full_name).where(
                        User.id.in_({t.actor_id for t in case.transitions if t.actor_id})
                    )
                ).all()
            ),
            "chain": service.case_chain(case),
            "timeline": lambda fields: timeline.lines(wf, fields, current_language.get()),
            "clock": clock_status(case, today, calendar),
            "clock_rule": clock_rule,
            "clock_basis": basis_text(rb, clock_rule) if clock_rule else [],
            "law_names": _law_names(rb),
            "decided": decision_clock(case, calendar),
            "actions": wf.available(case.state, user.role, dict(case.tracks or {})),
            "other_actions": [
                t
                for t in wf.available(case.state, None, dict(case.tracks or {}))
                if user.role not in t.roles and t.target
            ],
            "options": service.recommendation_options(case, **service.law_context(case)),
            "errors": errors or {},
            "failed": failed,
            "values": values or {"proven_acts": []},
            # the summary links only to fields a step's form has (workflow.yaml's `requires`)
            "error_links": (TransitionIn.model_fields.keys() - _NO_INPUT) | _HEARING_INPUTS,
            "linked": [r for r in linked if r is not None],
            "violations": rb.violations,
            "can_handle": has_permission(user, "cases.handle"),
            "can_read_reports": has_permission(user, "reports.read"),
            "forward_to": service.FORWARD_TO,
            "document_kinds": service.DOCUMENT_KINDS,
            "document_kinds_en": service.DOCUMENT_KINDS_EN,
            "levels": service.bkn_levels(),
            "today": today,
            "reminders": list(
                db.scalars(
                    select(Reminder).where(Reminder.case_id == case.id).order_by(Reminder.for_date)
                )
            ),
        },
        status_code=status_code,
    )


def _law_names(rb: Any) -> dict[str, Any]:
    """Code -> its name in the rulebook (levels, penalties, ethics kinds): people read names."""
    names: dict[str, Any] = {}
    for lvl in rb.discipline_levels:
        names[lvl.code] = lvl.name
        names.update({p.code: p.name for p in lvl.penalties})
    for e in rb.ethics_sanctions:
        names.update({k.code: k.name for k in e.kinds})
    names.update({d.code: d.name for d in rb.dismissals})
    return names


def _refused(request: Request, db: Session, user: User, case: Case, exc: NetralError) -> Response:
    """The case page again, unchanged, with the refusal's messages at the fields at fault."""
    db.rollback()
    db.refresh(case)
    return _detail(request, db, user, case, field_errors(exc), status_code=exc.status)


@router.get("/kasus/{number}")
def case_detail(
    number: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    return _detail(request, db, user, service.get_case(db_session=db, scope=scope, number=number))


def _date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


# fields a step records that are not typed into its form (documents uploaded beforehand)
_NO_INPUT = frozenset(
    {
        "plenary_minutes_document_id",
        "bkn_document_id",
        "examination_report_document_id",
        "proof_document_id",
    }
)

# the hearing scheduling form's fields (ids on the page; its refusals link to them)
_HEARING_INPUTS = frozenset({"party", "name", "position", "scheduled_at", "place"})

# form fields holding several lines or values (one name per line, or repeated checkboxes)
_LINES = ("commissioners_present", "examination_team")


def _transition_fields(form: Any) -> TransitionIn:
    """The transition form as the API's body: the form is generated from `requires`."""
    values: dict[str, Any] = {}
    for name in TransitionIn.model_fields:
        if name == "proven_acts":
            values[name] = [str(a) for a in form.getlist(name)]
        elif name in _LINES:
            values[name] = [
                line.strip() for line in str(form.get(name, "")).splitlines() if line.strip()
            ]
        elif form.get(name) not in (None, ""):
            values[name] = str(form.get(name))
    return TransitionIn.model_validate(values)


# Steps that decide or hand over, and cannot be taken back (only answered by another recorded
# step): a page asks once more before them, also with JavaScript off.
CONFIRM = frozenset(
    {
        "tolak_registrasi",
        "terbukti",
        "tidak_terbukti",
        "bukan_netralitas",
        "teruskan_bkn",
        "putusan_ppk",
        "ppk_tidak_terbukti",
        "dilaksanakan",
        "selesai",
        "hentikan",
        "teruskan_gakkumdu",
    }
)


def _consequences(case: Case, t: Transition, lang: str) -> list[str]:
    """What the step will do, in words: the state it leaves and enters, who hears of it."""
    wf = workflow()
    out = []
    if t.target and t.target != case.state:
        out.append(
            gettext_("Status kasus %(number)s berubah dari “%(before)s” menjadi “%(after)s”.")
            % {
                "number": case.register_number or case.number,
                "before": wf.state_label(case.state, lang),
                "after": wf.state_label(t.target, lang),
            }
        )
    if t.track is not None:
        track = wf.tracks[t.track.name]
        out.append(
            gettext_("%(track)s: %(after)s.")
            % {
                "track": track.label_en if lang == "en" else track.label_id,
                "after": track.state_label(t.track.target, lang),
            }
        )
    if t.letters:
        out.append(
            gettext_("Surat dibuat dan disimpan di dokumen kasus: %(letters)s.")
            % {"letters": ", ".join(label(k, "document_kind", lang) for k in t.letters)}
        )
    if t.public_stage:
        out.append(gettext_("Pelapor melihat langkah ini pada halaman status laporannya."))
    if t.notify:
        out.append(
            gettext_("Pemberitahuan dikirim kepada: %(roles)s.")
            % {"roles": ", ".join(label(r, "role", lang) for r in sorted(t.notify))}
        )
    out.append(
        gettext_(
            "Langkah ini tercatat di linimasa dan jejak audit dan tidak dapat dibatalkan; "
            "perbaikan hanya melalui langkah berikutnya yang juga tercatat."
        )
    )
    return out


@router.post("/kasus/{number}/transisi/{code}")
def case_transition(
    number: str,
    code: str,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Reader,
    scope: UserScope,
) -> Response:
    case = service.get_case(db_session=db, scope=scope, number=number)
    if code in CONFIRM and not confirmed(form):
        try:
            step = service.check_transition(
                case=case, code=code, user=user, fields=_transition_fields(form)
            )
        except (NetralError, ValidationError, ValueError):
            pass  # refused below, with its reasons beside the fields and on the record
        else:
            lang = current_language.get()
            return confirm_page(
                request,
                form,
                title=gettext_("%(step)s: lanjutkan?") % {"step": step.label(lang)},
                consequences=_consequences(case, step, lang),
                back=f"/kasus/{case.number}#tindakan",
            )
    try:
        fields = _transition_fields(form)
        service.transition(
            db_session=db,
            case=case,
            code=code,
            user=user,
            fields=fields,
            store=request.app.state.store,
        )
    except (NetralError, ValidationError, ValueError) as exc:
        db.refresh(case)
        err = (
            exc
            if isinstance(exc, (NetralError, ValidationError))
            else ValidationFailed(
                problem("form.date", "Tanggal tidak sah.", "Invalid date.", field="date")
            )
        )
        status = err.status if isinstance(err, NetralError) else 422
        values: dict[str, Any] = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        values["proven_acts"] = [str(a) for a in form.getlist("proven_acts")]
        return _detail(
            request,
            db,
            user,
            case,
            field_errors(err),
            status_code=status,
            failed=code,
            values=values,
        )
    return RedirectResponse(f"/kasus/{case.number}", status_code=303)


@router.post("/kasus/{number}/klarifikasi")
def case_hearing(
    number: str, request: Request, form: FormDep, db: SessionDep, user: Handler, scope: UserScope
) -> Response:
    case = service.get_case(db_session=db, scope=scope, number=number)
    try:
        at = _wib_time(form.get("scheduled_at"))
        service.schedule_hearing(
            db_session=db,
            store=request.app.state.store,
            case=case,
            user=user,
            party=str(form.get("party", "")),
            name=str(form.get("name", "")),
            position=str(form.get("position", "")),
            scheduled_at=at,
            place=str(form.get("place", "")),
        )
    except NetralError as exc:
        db.rollback()
        db.refresh(case)
        values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        return _detail(
            request,
            db,
            user,
            case,
            field_errors(exc),
            status_code=exc.status,
            failed="klarifikasi",
            values=values,
        )
    return RedirectResponse(f"/kasus/{case.number}#klarifikasi", status_code=303)


def _wib_time(value: Any) -> datetime | None:
    """A datetime-local field's value in WIB, or None when empty or unreadable."""
    try:
        return datetime.fromisoformat(str(value or "")).replace(tzinfo=WIB)
    except ValueError:
        return None


@router.post("/kasus/{number}/klarifikasi/{hearing_id}")
def case_hearing_held(
    number: str,
    hearing_id: DbId,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Handler,
    scope: UserScope,
) -> Response:
    case = service.get_case(db_session=db, scope=scope, number=number)
    minutes = form.get("minutes")
    try:
        if not isinstance(minutes, UploadFile) or not minutes.filename:
            raise ValidationFailed(
                problem(
                    "case.minutes_required",
                    "Unggah berita acara (BAP).",
                    "Upload the minutes (BAP).",
                    field="minutes",
                )
            )
        held = _date(form.get("held_on"))
        if held is None:
            raise ValidationFailed(
                problem(
                    "case.held_on",
                    "Tanggal klarifikasi wajib.",
                    "The hearing date is required.",
                    field="held_on",
                )
            )
        service.record_hearing(
            db_session=db,
            store=request.app.state.store,
            case=case,
            user=user,
            hearing_id=hearing_id,
            held_on=held,
            minutes=reports.Upload(minutes.filename, minutes.file, minutes.content_type),
            attended=str(form.get("attended", "1")) != "0",
        )
    except (NetralError, ValueError) as exc:
        db.rollback()
        db.refresh(case)
        err = (
            exc
            if isinstance(exc, NetralError)
            else ValidationFailed(
                problem("form.date", "Tanggal tidak sah.", "Invalid date.", field="held_on")
            )
        )
        return _detail(request, db, user, case, field_errors(err), status_code=err.status)
    return RedirectResponse(f"/kasus/{case.number}#klarifikasi", status_code=303)


@router.post("/kasus/{number}/dokumen")
def case_document(
    number: str, request: Request, form: FormDep, db: SessionDep, user: Handler, scope: UserScope
) -> Response:
    case = service.get_case(db_session=db, scope=scope, number=number)
    upload = form.get("file")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ValidationFailed(
                problem("case.file_required", "Pilih berkas.", "Choose a file.", field="file")
            )
        service.add_document(
            db_session=db,
            store=request.app.state.store,
            case=case,
            user=user,
            kind=str(form.get("kind", "")),
            title=str(form.get("title", "")),
            upload=reports.Upload(upload.filename, upload.file, upload.content_type),
        )
    except NetralError as exc:
        return _refused(request, db, user, case, exc)
    return RedirectResponse(f"/kasus/{case.number}#dokumen", status_code=303)


@router.post("/kasus/{number}/surat/{kind}")
def case_letter(
    number: str, kind: str, request: Request, db: SessionDep, user: Handler, scope: UserScope
) -> Response:
    from netral.cases.documents import generate_letter

    case = service.get_case(db_session=db, scope=scope, number=number)
    try:
        generate_letter(
            db_session=db, store=request.app.state.store, case=case, user=user, kind=kind
        )
    except NetralError as exc:
        return _refused(request, db, user, case, exc)
    return RedirectResponse(f"/kasus/{case.number}#dokumen", status_code=303)


@router.post("/kasus/{number}/perpanjang")
def case_extend(
    number: str, request: Request, form: FormDep, db: SessionDep, user: Handler, scope: UserScope
) -> Response:
    case = service.get_case(db_session=db, scope=scope, number=number)
    try:
        service.extend_deadline(
            db_session=db, case=case, user=user, reason=str(form.get("reason", ""))
        )
    except NetralError as exc:
        return _refused(request, db, user, case, exc)
    return RedirectResponse(f"/kasus/{case.number}", status_code=303)


@router.get("/kasus/dokumen/{doc_id}")
def case_document_file(
    doc_id: DbId, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    doc = db.get(CaseDocument, doc_id)
    case = db.get(Case, doc.case_id) if doc else None
    if doc is None or case is None or not scope.covers(case.region_code):
        raise NotFound(
            problem("case.document_not_found", "Dokumen tidak ditemukan.", "Document not found.")
        )
    ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        doc.media_type, "bin"
    )
    return blob_response(
        request.app.state.store,
        doc.sha256,
        media_type=doc.media_type,
        filename=f"{case.number}-{doc.kind}-{doc.id}.{ext}",
    )


# ---------------------------------------------------------------- campaign props: forward a report


@router.post("/laporan/{number}/teruskan")
def forward_report(
    number: str,
    request: Request,
    form: FormDep,
    db: SessionDep,
    user: Annotated[User, Depends(require("reports.forward"))],
    scope: UserScope,
) -> Response:
    """Forward a campaign-prop report with a letter; a refusal shows its reason (nothing kept).
    A forward cannot be taken back (the letter is numbered and sent): asked again first."""
    recipient = str(form.get("recipient", ""))
    if not confirmed(form):
        try:
            report = reports.find_report(db_session=db, scope=scope, number=number)
            reports.forward_problems(
                db_session=db,
                report_id=report.id,
                recipient=recipient,
                rulebook=request.app.state.rulebook,
            )
        except NetralError:
            pass  # refused below, as without the question
        else:
            who = label(recipient, "recipient")
            return confirm_page(
                request,
                form,
                title=gettext_("Teruskan %(number)s kepada %(who)s: lanjutkan?")
                % {"number": report.number, "who": who},
                consequences=[
                    gettext_(
                        "Surat penerusan kepada %(who)s dibuat, diberi nomor surat, dan "
                        "disimpan bersama laporan."
                    )
                    % {"who": who},
                    gettext_("Nomor surat yang sudah dipakai tidak dapat ditarik kembali."),
                ],
                back=f"/laporan/{report.number}#penerusan",
            )
    forwards.forward_prop_report(
        db_session=db,
        store=request.app.state.store,
        scope=scope,
        number=number,
        recipient=recipient,
        user=user,
        rulebook=request.app.state.rulebook,
    )
    return RedirectResponse(f"/laporan/{number.strip().upper()}#penerusan", status_code=303)


# ---------------------------------------------------------------- from a report to its case


@router.get("/laporan/{number}/kasus")
def case_of_report(
    number: str, request: Request, db: SessionDep, user: Reader, scope: UserScope
) -> Response:
    """The report page's "its case" link: straight to the case the report became."""
    check_permission(user, "reports.read")
    report = reports.find_report(db_session=db, scope=scope, number=number)
    case_number = service.case_number_of_report(db_session=db, scope=scope, report_id=report.id)
    if case_number is None:
        raise NotFound(
            problem(
                "report.no_case",
                f"Laporan {report.number} belum menjadi kasus. Kasus dibuka dari halaman "
                "laporan oleh Bawaslu.",
                f"Report {report.number} has not become a case. Bawaslu opens a case from the "
                "report's page.",
            )
        )
    return RedirectResponse(f"/kasus/{case_number}", status_code=303)
