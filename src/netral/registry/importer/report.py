"""What an import answers: the row report, its errors, and the refusals of a whole file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from netral.core.errors import ValidationFailed, problem

MAX_DETAILED_ERRORS = 1_000


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str
    message_en: str = ""

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "code": self.code,
            "message": self.message_en if lang == "en" and self.message_en else self.message,
        }


@dataclass
class ImportReport:
    rows: int = 0
    valid: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    written: bool = False

    def add(self, row: int, column: str, code: str, msg_id: str, msg_en: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_DETAILED_ERRORS:
            self.errors.append(RowError(row, column, code, msg_id, msg_en))

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        return {
            "rows": self.rows,
            "valid": self.valid,
            "error_count": self.error_count,
            "errors": [e.as_dict(lang) for e in self.errors],
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "written": self.written,
        }


class ImportFailed(ValidationFailed):
    """The file was refused; `report` says which rows and why. Nothing was written."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            problem(
                "import.rows_invalid",
                f"{report.error_count} kesalahan pada {report.rows} baris; tidak ada yang "
                "disimpan. "
                "Perbaiki berkasnya, atau gunakan --partial untuk menyimpan baris yang sah saja.",
                f"{report.error_count} errors in {report.rows} rows; nothing was saved. Fix the "
                "file, or use --partial to keep only the valid rows.",
            )
        )


def file_problem(code: str, msg_id: str, msg_en: str) -> ValidationFailed:
    """A refusal of the whole file (not of a row), reported against the `file` field."""
    return ValidationFailed(problem(code, msg_id, msg_en, field="file"))
