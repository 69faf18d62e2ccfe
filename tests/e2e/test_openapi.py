"""The OpenAPI document tells the truth: every JSON route says what it answers, errors included.

Each 2xx names a schema; each 4xx is application/problem+json with the Problem shape; a route that
takes an id says it can answer 404, one that needs a session 401, one that needs a permission 403.
Then real error answers are held against the Problem model, so the document and app.py agree.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from netral.app import create_app
from netral.core.settings import Settings
from netral.web.problems import PROBLEM_MEDIA_TYPE, Problem, ProblemItem

ID_PARAMS = {"number", "asn_id", "hearing_id", "suggestion_id", "code"}
UNSAFE = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The document as the real app serves it (the routes do not need a database to describe)."""
    tmp = tmp_path_factory.mktemp("openapi")
    app = create_app(
        Settings(database_url=f"sqlite:///{tmp}/netral.db", data_dir=tmp / "data"),
        check_database=False,
    )
    r = TestClient(app).get("/api/v1/openapi.json")
    assert r.status_code == 200
    document: dict[str, Any] = r.json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, op)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if path.startswith("/api/v1/")
    ]


def resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def test_the_document_covers_every_json_route(spec):
    ops = operations(spec)
    assert len(ops) >= 30
    assert {path for _, path, _ in ops} >= {
        "/api/v1/session",
        "/api/v1/me",
        "/api/v1/roles",
        "/api/v1/asn",
        "/api/v1/elections/{code}",
        "/api/v1/rules/deadline/{step}",
        "/api/v1/reports/{number}",
        "/api/v1/reports/{number}/findings",
        "/api/v1/cases/{number}/transitions/{code}",
        "/api/v1/notifications",
    }


def test_every_operation_answers_2xx_with_a_real_schema(spec):
    for method, path, op in operations(spec):
        ok = {status: r for status, r in op["responses"].items() if status.startswith("2")}
        assert len(ok) == 1, f"{method} {path}: {sorted(op['responses'])}"
        (answer,) = ok.values()
        assert answer.get("content"), f"{method} {path}: 2xx without content"
        for media_type, content in answer["content"].items():
            schema = content.get("schema", {})
            assert schema not in ({}, {"type": "object"}), f"{method} {path} {media_type}"
            resolved = resolve(spec, schema)
            if resolved.get("type") == "object":
                # a dict[str, Any] answer documents nothing: every object names its properties
                assert resolved.get("properties"), f"{method} {path}: untyped object"


def test_every_4xx_is_problem_json_and_nothing_uses_fastapis_422_shape(spec):
    for method, path, op in operations(spec):
        for status, answer in op["responses"].items():
            if not status.startswith("4"):
                continue
            assert list(answer["content"]) == [PROBLEM_MEDIA_TYPE], f"{method} {path} {status}"
            schema = resolve(spec, answer["content"][PROBLEM_MEDIA_TYPE]["schema"])
            assert {"type", "title", "status", "code"} <= set(schema["required"])
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == set(Problem.model_fields)


def test_routes_document_the_errors_they_can_answer(spec):
    for method, path, op in operations(spec):
        documented = set(op["responses"])
        params = set(re.findall(r"{(\w+)}", path))
        where = f"{method.upper()} {path}"
        if params & ID_PARAMS:
            assert "404" in documented, f"{where} takes an id but documents no 404"
        if params:
            assert documented & {"404", "422"}, f"{where}: a path parameter, no 4xx"
        security = op.get("security", [])
        if security:
            assert "401" in documented, f"{where} needs a session but documents no 401"
        if any(scopes for requirement in security for scopes in requirement.values()):
            assert "403" in documented, f"{where} needs a permission but documents no 403"
        if method in UNSAFE:
            assert "403" in documented, f"{where}: a write can be refused for its CSRF token"
        if "requestBody" in op:
            assert "422" in documented, f"{where} takes a body but documents no 422"


def test_the_session_is_a_security_scheme_and_permissions_are_named(spec):
    assert spec["components"]["securitySchemes"]["session"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "netral_session",
        "description": spec["components"]["securitySchemes"]["session"]["description"],
    }
    by_route = {(m, p): op.get("security") for m, p, op in operations(spec)}
    assert by_route[("get", "/api/v1/cases")] == [{"session": ["cases.read"]}]
    assert by_route[("post", "/api/v1/reports/{number}/identity")] == [
        {"session": ["reports.identity"]}
    ]
    assert by_route[("get", "/api/v1/me")] == [{"session": []}]
    assert by_route[("post", "/api/v1/reports")] is None  # the public form
    assert by_route[("post", "/api/v1/receipts/lookup")] is None


def test_states_and_labels_are_enumerated(spec):
    schemas = spec["components"]["schemas"]
    state = schemas["CaseOut"]["properties"]["state"]
    assert "diterima" in state["enum"] and "selesai" in state["enum"]
    assert set(schemas["ReportOut"]["properties"]["status"]["enum"]) == {
        "baru",
        "diperiksa",
        "diteruskan",
        "ditolak",
        "digabung",
    }
    assert "banned_pose" in schemas["FindingOut"]["properties"]["label"]["enum"]
    assert "bawaslu_commissioner" in schemas["MeOut"]["properties"]["role"]["enum"]
    timeline = schemas["TimelineEntryOut"]["properties"]
    assert "from" in timeline and timeline["at"]["format"] == "date-time"


def assert_problem(r: Any, status: int, code: str) -> dict[str, Any]:
    """The answer is problem+json, and the Problem model names every member it has."""
    assert r.status_code == status, r.text[:300]
    assert r.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE)
    body: dict[str, Any] = r.json()
    assert body["code"] == code
    assert set(body) <= set(Problem.model_fields), set(body) - set(Problem.model_fields)
    Problem.model_validate(body)
    for item in body.get("errors", []):
        assert set(item) <= set(ProblemItem.model_fields) | {"row", "file", "line", "valid"}
    return body


def test_real_error_answers_have_the_documented_shape(client, as_user, world):
    assert_problem(client.get("/api/v1/me"), 401, "auth.required")
    assert_problem(
        client.post("/api/v1/session", json={"username": "admin", "password": "salah"}),
        401,
        "auth.failed",
    )
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "http.404")
    assert_problem(as_user("asn").get("/api/v1/cases"), 403, "auth.forbidden")
    staff = as_user("bawaslu_staff")
    missing = assert_problem(staff.get("/api/v1/cases/KASUS-2099-999999"), 404, "case.not_found")
    assert missing["instance"] == "/api/v1/cases/KASUS-2099-999999"
    invalid = assert_problem(staff.get("/api/v1/cases?page=first"), 422, "request.invalid")
    assert invalid["field"] == "page" and invalid["errors"][0]["field"] == "page"
    unsafe = assert_problem(
        staff.post("/api/v1/cases", json={"title": "tanpa token CSRF"}), 403, "auth.csrf"
    )
    assert unsafe["detail"]
    too_large = client.post(
        "/api/v1/reports",
        content=b"x",
        headers={
            "content-type": "multipart/form-data; boundary=x",
            "content-length": str(200 * 1024 * 1024),
        },
    )
    assert_problem(too_large, 413, "request.too_large")
