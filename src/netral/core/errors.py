"""Domain errors: a stable code, a message in Bahasa Indonesia and English, the field at fault.

The API answers them as application/problem+json (RFC 9457); the CLI prints the message in the
user's language. Codes are stable: tests, clients and translations key on them.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, in both languages."""

    code: str
    message_id: str
    message_en: str
    field: str | None = None
    extra: dict[str, Any] = dc_field(default_factory=dict)

    def message(self, lang: str = "id") -> str:
        return self.message_en if lang == "en" else self.message_id

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message(lang)}
        if self.field is not None:
            out["field"] = self.field
        out.update(self.extra)
        return out


class NetralError(Exception):
    """Base of every domain error; `status` is the HTTP status the API answers with."""

    status: int = 400

    def __init__(
        self,
        *problems: Problem,
        status: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if not problems:
            raise ValueError("NetralError needs at least one Problem")
        self.problems: tuple[Problem, ...] = problems
        if status is not None:
            self.status = status
        # sent with the answer, page or JSON alike (Retry-After on a 429)
        self.headers: dict[str, str] = dict(headers or {})
        super().__init__(problems[0].message_en)

    @property
    def code(self) -> str:
        return self.problems[0].code

    def message(self, lang: str = "id") -> str:
        return "; ".join(p.message(lang) for p in self.problems)

    def problem_json(self, lang: str = "id", instance: str | None = None) -> dict[str, Any]:
        first = self.problems[0]
        body: dict[str, Any] = {
            "type": f"urn:netral:error:{first.code}",
            "title": first.message(lang),
            "status": self.status,
            "code": first.code,
            "detail": self.message(lang),
            "errors": [p.as_dict(lang) for p in self.problems],
        }
        if first.field is not None:
            body["field"] = first.field
        if instance is not None:
            body["instance"] = instance
        return body


def problem(
    code: str, message_id: str, message_en: str, field: str | None = None, **extra: Any
) -> Problem:
    return Problem(
        code=code, message_id=message_id, message_en=message_en, field=field, extra=extra
    )


class ValidationFailed(NetralError):
    status = 422


class NotFound(NetralError):
    status = 404


class Forbidden(NetralError):
    status = 403


class Conflict(NetralError):
    status = 409
