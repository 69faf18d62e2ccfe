"""An uploaded file saved to a temporary path for the import, within the size limit."""

from __future__ import annotations

import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.datastructures import UploadFile

from netral.core.errors import ValidationFailed, problem


@asynccontextmanager
async def saved_upload(upload: UploadFile, limit: int) -> AsyncIterator[Path]:
    """The upload on disk (removed afterwards); refused past `limit` bytes before it is all read."""
    fd, name = tempfile.mkstemp(prefix="netral-turnout-", suffix=".upload")
    path = Path(name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := await upload.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise ValidationFailed(
                        problem(
                            "turnout.file_too_large",
                            f"Berkas terlalu besar (batas {limit // 1048576} MB).",
                            f"The file is too large (limit {limit // 1048576} MB).",
                            field="file",
                        )
                    )
                out.write(chunk)
        yield path
    finally:
        path.unlink(missing_ok=True)
