"""Error answers in OpenAPI: the one `Problem` shape (RFC 9457) and the `responses=` a route lists.

The bodies themselves are written by `NetralError.problem_json` and the handlers in `app.py`; this
model only describes them, and a test holds the two together.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

PROBLEM_MEDIA_TYPE = "application/problem+json"
_REF = "#/components/schemas/{model}"

# what each status means here; a route lists only the ones it can answer
MEANINGS = {
    401: "Not signed in (`auth.required`), or the credentials are wrong.",
    403: "The role lacks the permission (`auth.forbidden`) or the CSRF token is missing "
    "(`auth.csrf`).",
    404: "Not found, or outside the signed-in user's region.",
    409: "Not allowed in the current state (e.g. a transition the workflow table refuses).",
    413: "The request body is larger than the server accepts (`request.too_large`).",
    422: "The request or its data is not valid: `errors` names each field at fault.",
    429: "Too many requests: wait the seconds the message says.",
}


class ProblemItem(BaseModel):
    """One thing wrong, in the language asked for; some codes add their own members (`row`)."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(examples=["case.reason_required"])
    message: str
    field: str | None = None


class Problem(BaseModel):
    """An error answer, `application/problem+json` (RFC 9457)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(
        description="`urn:netral:error:<code>`, or `about:blank` for plain HTTP errors",
        examples=["urn:netral:error:case.not_found"],
    )
    title: str = Field(description="The first problem's message, in the request's language")
    status: int = Field(ge=400, le=599)
    code: str = Field(
        description="Stable: clients and tests key on it", examples=["case.not_found"]
    )
    detail: str | None = Field(default=None, description="Every problem's message, joined")
    field: str | None = Field(default=None, description="The (first) field at fault")
    instance: str | None = Field(default=None, description="The path that answered")
    errors: list[ProblemItem] = Field(default_factory=list)


_MODELS: dict[str, type[BaseModel]] = {}


def problem_responses(
    *statuses: int, model: type[Problem] = Problem
) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status it can answer, as `application/problem+json`."""
    known = _MODELS.setdefault(model.__name__, model)
    if known is not model:
        raise ValueError(f"two problem models named {model.__name__}")
    unknown = set(statuses) - set(MEANINGS)
    if unknown or not statuses:
        raise ValueError(f"no meaning written for status {sorted(unknown) or '(none given)'}")
    schema = {"$ref": _REF.format(model=model.__name__)}
    return {
        status: {
            "description": MEANINGS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": schema}},
        }
        for status in statuses
    }


def _drop_default_422(spec: dict[str, Any]) -> None:
    """FastAPI documents a 422 in its own body shape for every route with parameters; this app
    never answers with that shape (app.py answers `request.invalid` as a Problem), so a route
    lists its 422 itself, where it can really answer one."""
    default = "#/components/schemas/HTTPValidationError"
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            answer = operation.get("responses", {}).get("422", {})
            if answer.get("content", {}).get("application/json", {}).get("schema") == {
                "$ref": default
            }:
                del operation["responses"]["422"]
    schemas = spec.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):  # FastAPI's, once nothing refers to it
        definition = schemas.pop(name, None)
        if definition is not None and f'"#/components/schemas/{name}"' in json.dumps(spec):
            schemas[name] = definition


def document_problems(app: FastAPI) -> None:
    """Add the problem models the routes refer to to the app's OpenAPI components."""
    build: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = build()
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        _drop_default_422(spec)
        for name, model in sorted(_MODELS.items()):
            schema = model.model_json_schema(ref_template=_REF, mode="serialization")
            for sub, definition in {**schema.pop("$defs", {}), name: schema}.items():
                if schemas.setdefault(sub, definition) != definition:
                    raise ValueError(f"OpenAPI already has a different schema named {sub}")
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
