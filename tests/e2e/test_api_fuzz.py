"""The API fuzzed against its own OpenAPI (schemathesis) as several roles: no 5xx, and every
answer's status, content type and body as the schema declares them. Bounded: a few generated
requests per operation, so it runs in a minute or two."""

from __future__ import annotations

import os
import re
import warnings
from collections import Counter

import pytest
import schemathesis
import schemathesis.specs.openapi.checks as conformance
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from schemathesis.checks import not_a_server_error

from support.web import csrf_from, login

EXAMPLES = int(os.environ.get("NETRAL_FUZZ_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    conformance.status_code_conformance,
    conformance.content_type_conformance,
    conformance.response_schema_conformance,
]
# signing in and out would change who the rest of the run is
SKIP = re.compile(r"^(POST|DELETE) /api/v1/session")


@pytest.mark.parametrize("role", ["bawaslu_staff", "bkpsdm", "asn", None])
def test_every_operation_answers_as_its_schema_says(app, world, role):
    warnings.filterwarnings("ignore")
    client = TestClient(app)
    headers: dict[str, str] = {}
    if role is not None:
        login(client, role)
        headers = {
            "X-CSRF-Token": csrf_from(client.get("/").text),
            "Cookie": f"netral_session={client.cookies.get('netral_session')}",
        }
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for result in schema.get_all_operations():
        op = result.ok()
        if SKIP.match(op.label):
            continue

        @given(case=op.as_strategy())
        @hsettings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,  # the same requests every run: a failure is reproducible
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            case.headers = {**(case.headers or {}), **headers}
            response = case.call()
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS)
            except BaseException as exc:  # a failure group: count it and go on
                failures[f"{op.label}: {str(exc).strip().splitlines()[0][:160]}"] += 1

        call()
    assert sum(statuses.values()) > 100  # it really ran
    assert not failures, "\n".join(f"{n}× {f}" for f, n in failures.most_common(20))
