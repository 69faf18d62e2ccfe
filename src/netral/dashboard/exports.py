"""The report, case and sanction lists as XLSX or CSV, with the list pages' own filters.

Every cell goes through core.exports (no cell a spreadsheet would run); every export is an audit
row with its filters and row count. The reporter's name is written only for a role holding
`reports.identity` that ticks the box (and the audit row says so); no contact detail ever is.
POST with the form's CSRF token: an export writes to the audit log, so no link may trigger it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from netral.cases import service as cases
from netral.core import audit
from netral.core.calendar import WIB
from netral.core.errors import Forbidden, problem
from netral.core.models import User
from netral.core.security import has_permission
from netral.registry import service as registry
from netral.reports import service as reports
from netral.web.deps import SessionDep, UserScope, actor_of, require
from netral.web.downloads import check_format, table_download
from netral.web.i18n import current_language

router = APIRouter(include_in_schema=False)
ReportExporter = Annotated[User, Depends(require("reports.export"))]
CaseExporter = Annotated[User, Depends(require("cases.export"))]

REPORT_HEADERS = [
    "Nomor laporan", "Diterima (WIB)", "Jenis", "Saluran", "Status", "Kode kategori",
    "Kategori", "Kecamatan", "Kelurahan", "Tempat kejadian", "Tanggal kejadian",
    "Tanggal diketahui", "Batas lapor", "Terlambat", "Anonim", "Nama terlapor", "NIP terlapor",
    "Jabatan terlapor", "Uraian", "Jumlah bukti",
]  # fmt: skip
CASE_HEADERS = [
    "Nomor kasus", "Nomor register", "Dibuka (WIB)", "Asal", "Perkara", "Status", "ASN (NIP)",
    "OPD", "Perbuatan", "Tenggat berjalan", "Jatuh tempo", "Lewat tenggat", "Tanggal putusan pleno",
    "Nomor rekomendasi BKN", "Tanggal rekomendasi BKN", "Tingkat rekomendasi BKN", "Nomor SK PPK",
    "Tanggal SK", "Sanksi etik", "Tingkat hukuman disiplin", "Jenis hukuman", "Disampaikan",
    "Dilaksanakan",
]  # fmt: skip
SANCTION_HEADERS = [
    "Nomor kasus", "ASN (NIP)", "OPD", "Tingkat rekomendasi BKN", "Nomor SK PPK", "Tanggal SK",
    "Sanksi etik", "Tingkat hukuman disiplin", "Jenis hukuman", "Disampaikan", "Dilaksanakan",
    "Status",
]  # fmt: skip


def _wib(value: datetime) -> datetime:
    return value.astimezone(WIB)


def _yes(flag: bool) -> str:
    return "ya" if flag else "tidak"


def _flag(value: str) -> bool | None:
    return {"ya": True, "tidak": False}.get(value)


def _form_str(form: Any, name: str) -> str:
    return str(form.get(name) or "").strip()


@router.post("/ekspor/laporan")
async def export_reports(
    request: Request, db: SessionDep, user: ReportExporter, scope: UserScope
) -> Response:
    form = await request.form()
    fmt = check_format(_form_str(form, "fmt") or "xlsx")
    wants_identity = _form_str(form, "identitas") == "1"
    if wants_identity and not has_permission(user, "reports.identity"):
        raise Forbidden(
            problem(
                "export.identity",
                "Anda tidak berwenang mengekspor identitas pelapor.",
                "You may not export reporters' identities.",
                field="identitas",
            )
        )
    opd = _form_str(form, "opd")
    filters = reports.InboxFilter(
        status=_form_str(form, "status"),
        category=_form_str(form, "category"),
        kecamatan=_form_str(form, "kecamatan"),
        opd_id=int(opd) if opd.isdigit() and len(opd) < 12 else None,
        late=_flag(_form_str(form, "late")),
        anonymous=_flag(_form_str(form, "anonymous")),
        q=_form_str(form, "q")[:200],
        replied=True if _form_str(form, "balasan") else None,
        subject=_form_str(form, "subject"),  # the inbox's own filters: "this list" is what it shows
        place_kind=_form_str(form, "place_kind"),
    )
    rb = request.app.state.rulebook
    lang = current_language.get()
    categories = {v.code: v.name.get(lang) for v in rb.violations}
    places = {
        p.code: p.name
        for p in registry.places(db_session=db, scope=scope)
        if p.level not in ("kota", "kabupaten", "provinsi")
    }
    headers = [*REPORT_HEADERS, *(["Nama pelapor"] if wants_identity else [])]

    def rows() -> Iterator[list[Any]]:
        for r in reports.export_reports(
            db_session=db, scope=scope, filters=filters, with_identity=wants_identity
        ):
            row: list[Any] = [
                r.number, _wib(r.received_at), r.kind, r.channel, r.status, r.category or "",
                categories.get(r.category or "", ""), places.get(r.kecamatan_code or "", ""),
                places.get(r.kelurahan_code or "", ""), r.place, r.occurred_on, r.known_on,
                r.filing_due_on, _yes(r.is_late), _yes(r.anonymous), r.reported_name,
                r.reported_nip, r.reported_position, r.description, r.evidence_count,
            ]  # fmt: skip
            if wants_identity:
                row.append(r.reporter_name or "")
            yield row

    download = table_download(
        fmt=fmt,
        filename=f"laporan-{date.today().isoformat()}",
        sheet="Laporan",
        headers=headers,
        rows=rows(),
    )
    audit.record(
        db,
        actor=actor_of(user),
        action="report.exported",
        object_type="report_list",
        object_id=fmt,
        region_code=scope.code,
        summary={
            # the order of the rows is not a filter
            "filters": {
                k: v for k, v in vars(filters).items() if v not in ("", None) and k != "sort"
            },
            "rows": download.rows,
            "identity": wants_identity,
        },
    )
    return download.response


def _case_filters(form: Any, user: User) -> cases.CaseFilter:
    return cases.CaseFilter(
        state=_form_str(form, "state"),
        deadline=_form_str(form, "deadline"),
        owner_id=user.id if _form_str(form, "mine") else None,
        q=_form_str(form, "q")[:200],
        queue=queue if (queue := _form_str(form, "antrean")) in cases.QUEUES else "",
        turn_of=user.role if _form_str(form, "giliran") else "",
    )


def _audit_cases(db: Any, user: User, scope: Any, what: str, fmt: str, f: Any, n: int) -> None:
    audit.record(
        db,
        actor=actor_of(user),
        action=f"{what}.exported",
        object_type=f"{what}_list",
        object_id=fmt,
        region_code=scope.code,
        summary={
            "filters": {k: v for k, v in vars(f).items() if v not in ("", None)},
            "rows": n,
        },
    )


@router.post("/ekspor/kasus")
async def export_cases(
    request: Request, db: SessionDep, user: CaseExporter, scope: UserScope
) -> Response:
    form = await request.form()
    fmt = check_format(_form_str(form, "fmt") or "xlsx")
    filters = _case_filters(form, user)
    lang = current_language.get()

    def rows() -> Iterator[list[Any]]:
        for c in cases.export_cases(db_session=db, scope=scope, filters=filters, lang=lang):
            yield [
                c.number, c.register_number, _wib(c.opened_at), c.origin, c.title, c.state_label,
                c.asn, c.opd, c.acts, c.deadline_step, c.deadline_due, _yes(c.overdue),
                c.decision_date, c.bkn_number, c.bkn_date, c.bkn_level, c.sk_number, c.sk_date,
                c.ethics_sanction, c.sanction_level, c.penalty, c.delivered_on, c.carried_out_on,
            ]  # fmt: skip

    download = table_download(
        fmt=fmt,
        filename=f"kasus-{date.today().isoformat()}",
        sheet="Kasus",
        headers=CASE_HEADERS,
        rows=rows(),
    )
    _audit_cases(db, user, scope, "case", fmt, filters, download.rows)
    return download.response


@router.post("/ekspor/sanksi")
async def export_sanctions(
    request: Request, db: SessionDep, user: CaseExporter, scope: UserScope
) -> Response:
    form = await request.form()
    fmt = check_format(_form_str(form, "fmt") or "xlsx")
    filters = _case_filters(form, user)
    lang = current_language.get()

    def rows() -> Iterator[list[Any]]:
        for c in cases.export_cases(
            db_session=db, scope=scope, filters=filters, sanctions_only=True, lang=lang
        ):
            yield [
                c.number, c.asn, c.opd, c.bkn_level, c.sk_number, c.sk_date, c.ethics_sanction,
                c.sanction_level, c.penalty, c.delivered_on, c.carried_out_on, c.state_label,
            ]  # fmt: skip

    download = table_download(
        fmt=fmt,
        filename=f"sanksi-{date.today().isoformat()}",
        sheet="Sanksi",
        headers=SANCTION_HEADERS,
        rows=rows(),
    )
    _audit_cases(db, user, scope, "sanction", fmt, filters, download.rows)
    return download.response
