"""An uploaded file saved to a temporary path for the import, within the size limit."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from starlette.datastructures import UploadFile

from netral.core.errors import ValidationFailed, problem


@contextmanager
def saved_upload(upload: UploadFile, limit: int) -> Iterator[Path]:
    """The upload on disk (removed afterwards); refused past `limit` bytes before it is all read.
    Blocking: the handlers calling it are plain functions, run in the threadpool."""
    fd, name = tempfile.mkstemp(prefix="netral-turnout-", suffix=".upload")
    path = Path(name)
    try:
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := upload.file.read(1 << 20):
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
