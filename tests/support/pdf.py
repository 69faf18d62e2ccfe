"""Reading a PDF back as text, as a person would read the letter (poppler's pdftotext)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path


def pdf_text(data: bytes, *, layout: bool = True) -> str:
    """The PDF's text; `layout` keeps a line across the page whole, without it a table cell's
    lines stay together (reading order)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        args = ["-layout"] if layout else []
        return subprocess.run(
            ["pdftotext", *args, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
