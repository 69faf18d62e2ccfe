"""The personal data the fixtures put into the app, and a check that no log line carries any.

Reporters' and ASN's names, NIPs, e-mail addresses and phone numbers must never be logged (the
house rule on personal data). Every test session writes the app's own log records (`netral`,
`uvicorn`, `huey`, at DEBUG) to `test-artifacts/logs/`; at the end of the session those files and
the logs of the servers the tests started are scanned for these values.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from pathlib import Path

# from tests/support/web.py's world and the report forms of tests/e2e (reporters and ASN)
PERSONAL = (
    # ASN of the world, by name and NIP
    "Budi Santoso",
    "198503122010011003",
    "Siti Rahmawati",
    "199001012015032001",
    "Andi Pratama",
    "199204052020121002",
    "Dewi Kartika",
    "198807082012012004",
    # reporters
    "Nina Marlina",
    "nina@example.com",
    "081234567890",
    "Jl. Setiabudi 12",
    "rahmat.pelapor@example.id",
    "p@example.id",
    # ASN contact details
    "budi@bandung.go.id",
    "budi@example.go.id",
    "081200000000",
    "0811111111",
)
LOGGERS = ("netral", "uvicorn", "huey")


def start_log_capture(path: Path) -> logging.Handler:
    """Write every record of the app's loggers to `path` (DEBUG and up)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in LOGGERS:
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    return handler


def leaks(files: Iterable[Path]) -> list[str]:
    """Each log line (file: line) that names one of the fixtures' personal values."""
    pattern = re.compile("|".join(re.escape(v) for v in PERSONAL), re.IGNORECASE)
    found: list[str] = []
    for f in files:
        if not f.is_file():
            continue
        with f.open(encoding="utf-8", errors="replace") as fh:
            for n, line in enumerate(fh, start=1):
                if pattern.search(line):
                    found.append(f"{f}:{n}: {line.strip()[:300]}")
    return found
