"""Files sent to the browser: a list as CSV or XLSX written to a temporary file (removed once
sent), and a stored object, unsealed as it streams when it is a sealed original."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from netral.core.errors import ValidationFailed, problem
from netral.core.exports import FORMATS, MEDIA_TYPES, write_table
from netral.core.storage import CHUNK, LocalEvidenceStore

# for a route's `responses=`: what a download answers with 200
DOWNLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The list as a file",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in MEDIA_TYPES.values()
        },
    }
}


@dataclass(frozen=True)
class Download:
    response: FileResponse
    rows: int


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationFailed(
            problem(
                "export.format",
                "Format ekspor: csv atau xlsx.",
                "Export format: csv or xlsx.",
                field="fmt",
            )
        )
    return fmt


def table_download(
    *, fmt: str, filename: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> Download:
    """Write the rows now (inside the caller's unit of work) and answer with the file."""
    check_format(fmt)
    fd, name = tempfile.mkstemp(prefix="netral-export-", suffix=f".{fmt}")
    os.close(fd)
    path = Path(name)
    try:
        n = write_table(path, sheet=sheet, headers=headers, rows=rows)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    response = FileResponse(
        name,
        media_type=MEDIA_TYPES[fmt],
        filename=f"{filename}.{fmt}",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )
    return Download(response=response, rows=n)


def blob_response(
    store: LocalEvidenceStore,
    sha256: str,
    *,
    media_type: str,
    filename: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One stored object, inline. A plain object (a derivative) is sent as a file; a sealed one
    is decrypted chunk by chunk as it streams, never written out in the clear."""
    if not store.is_sealed(sha256):
        return FileResponse(
            store.path(sha256),
            media_type=media_type,
            filename=filename,
            headers=headers,
            content_disposition_type="inline",
        )
    fh = store.open(sha256)
    size = fh.seek(0, os.SEEK_END)
    fh.seek(0)

    def chunks() -> Iterable[bytes]:
        with fh:
            while chunk := fh.read(CHUNK):
                yield chunk

    sent = {"Content-Length": str(size), **(headers or {})}
    if filename:
        sent["Content-Disposition"] = f"inline; filename*=utf-8''{quote(filename)}"
    return StreamingResponse(chunks(), media_type=media_type, headers=sent)
