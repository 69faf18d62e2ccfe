"""The turnout tables as CSV or XLSX downloads, each recorded in the audit log with its download."""

from __future__ import annotations

from fastapi.responses import Response
from sqlalchemy.orm import Session

from netral.core.models import User
from netral.core.security import Scope
from netral.turnout import service
from netral.web.deps import actor_of
from netral.web.downloads import check_format, table_download


def kecamatan_download(db: Session, scope: Scope, user: User, code: str, fmt: str) -> Response:
    """The per-kecamatan table as a file; the export is audited with the download."""
    check_format(fmt)
    items = service.by_kecamatan(db_session=db, scope=scope, election_code=code)
    got = table_download(
        fmt=fmt,
        filename=f"partisipasi-{code}-kecamatan",
        sheet="Partisipasi per kecamatan",
        headers=service.KECAMATAN_HEADERS,
        rows=service.kecamatan_table(items),
    )
    service.record_export(
        db_session=db,
        scope=scope,
        election_code=code,
        what="kecamatan",
        fmt=fmt,
        rows=got.rows,
        actor=actor_of(user),
    )
    return got.response


def rows_download(
    db: Session, scope: Scope, user: User, code: str, level: str, fmt: str
) -> Response:
    """The raw rows of one level as a file; audited."""
    check_format(fmt)
    rows = service.level_rows(db_session=db, scope=scope, election_code=code, level=level)
    got = table_download(
        fmt=fmt,
        filename=f"partisipasi-{code}-{level}",
        sheet=f"Partisipasi {level}",
        headers=service.ROW_HEADERS,
        rows=service.rows_table(rows),
    )
    service.record_export(
        db_session=db,
        scope=scope,
        election_code=code,
        what=level,
        fmt=fmt,
        rows=got.rows,
        actor=actor_of(user),
    )
    return got.response
