"""Every route, as every role: allowed or forbidden exactly as roles.yaml says."""

from __future__ import annotations

from typing import Any

import pytest

from netral.core.security import roles

from support.routes import app_routes
from support.web import csrf_from, login


def _permission_of(route: Any) -> frozenset[str]:
    """Every permission the route's dependencies require (a route may need several)."""
    out = set()
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        name = getattr(dep.call, "__name__", "")
        if name.startswith("require_"):
            out.add(name.removeprefix("require_").replace("_", ".", 1))
        stack.extend(dep.dependencies)
    return frozenset(out)


def _concrete(path: str, world) -> str:
    return (
        path.replace("{asn_id}", str(world.bandung_asn[0]))
        .replace("{opd_id}", str(world.dishub_id))
        .replace("{code}", "tidak-ada")
        .replace("{step}", "report_filing")
        .replace("{fmt}", "csv")
    )


# permissions a handler checks itself, beyond those its dependencies require
IN_HANDLER = {("GET", "/laporan/{number}/kasus"): frozenset({"reports.read"})}
# a 403 that is not about the role: the test world's ASN login is bound to no registry NIP
NOT_ABOUT_ROLE = ("pledges.no_asn", "belum terhubung dengan data ASN")


def guarded_routes(app):
    out = []
    for route in app_routes(app):
        if perm := _permission_of(route):
            for method in sorted(route.methods - {"HEAD"}):
                extra = IN_HANDLER.get((method, route.path), frozenset())
                out.append((method, route.path, perm | extra))
    return out


def test_every_registry_route_is_guarded_by_a_permission(app):
    guarded = {path for _, path, _ in guarded_routes(app)}
    for route in app_routes(app):
        if route.path.startswith(("/api/v1/asn", "/api/v1/opd", "/asn", "/opd", "/aturan")):
            assert route.path in guarded, f"{route.path} has no permission check"


@pytest.mark.parametrize("role", sorted(roles()))
def test_role_matrix(app, world, role):
    from fastapi.testclient import TestClient

    client = login(TestClient(app), role)
    csrf = csrf_from(client.get("/").text)
    allowed = set(roles()[role].permissions)
    wrong = []
    for method, path, perm in guarded_routes(app):
        url = _concrete(path, world)
        if "deadline" in url:
            url += "?start=2024-10-10"
        if method == "GET":
            r = client.get(url)
        else:
            r = client.request(
                method,
                url,
                headers={"X-CSRF-Token": csrf},
                files={"file": ("x.csv", b"NIP,Nama,OPD\n", "text/csv")},
            )
        if perm <= allowed:
            if r.status_code in (401, 403) and not any(m in r.text for m in NOT_ABOUT_ROLE):
                wrong.append(f"refused {method} {url} ({r.status_code})")
        elif r.status_code != 403:
            wrong.append(f"reached {method} {url} ({r.status_code}) without {sorted(perm)}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


# Who may do the sensitive things, written from the roles' work (DOMAIN.md), not read from
# roles.yaml: if the two ever disagree, this test says where.
BAWASLU = {"bawaslu_staff", "bawaslu_commissioner"}
POLICY = [
    # the report inbox and a reporter's identity are Bawaslu's alone
    ("GET", "/laporan", BAWASLU),
    ("POST", "/laporan/LAP-2024-000001/identitas", BAWASLU),
    ("POST", "/ekspor/laporan", BAWASLU),
    # cases: Bawaslu, and the bodies that act on its recommendations and watch the discipline
    ("GET", "/kasus", BAWASLU | {"bkpsdm", "inspektorat", "ppk", "admin"}),
    ("GET", "/kasus/baru", BAWASLU),
    # the ASN registry: imported and exported by the HR agency (and the administrator)
    ("POST", "/api/v1/asn/import", {"bkpsdm", "admin"}),
    ("GET", "/api/v1/asn.csv", {"bkpsdm", "admin"}),
    # socialisation is Bakesbangpol's; pledge campaigns BKPSDM's
    ("GET", "/sosialisasi/baru", {"bakesbangpol", "admin"}),
    ("GET", "/ikrar/kampanye/baru", {"bkpsdm", "admin"}),
    # the working calendar is the administrator's
    ("GET", "/kalender", {"admin"}),
    # an ASN's own data, to the ASN
    ("GET", "/data-saya", {"asn"}),
]


@pytest.mark.parametrize("role", sorted(roles()))
def test_the_sensitive_routes_follow_the_written_policy(app, world, role):
    from fastapi.testclient import TestClient

    client = login(TestClient(app), role)
    csrf = csrf_from(client.get("/").text)
    wrong = []
    for method, url, who in POLICY:
        if method == "GET":
            r = client.get(url, follow_redirects=False)
        else:
            r = client.request(
                method,
                url,
                headers={"X-CSRF-Token": csrf},
                data={"csrf_token": csrf},
                follow_redirects=False,
            )
        refused = r.status_code == 403
        if refused == (role in who):
            wrong.append(f"{method} {url}: {r.status_code}")
    assert not wrong, f"{role}: " + "; ".join(wrong)


def test_a_refusal_after_a_rollback_still_renders_its_page(app, world):
    """A handler that rolls back (every object expires) and then refuses renders the error page
    after the request's session closed: the signed-in user is read again, not a 500."""
    from fastapi.testclient import TestClient

    client = login(TestClient(app), "admin")
    csrf = csrf_from(client.get("/").text)
    r = client.post("/partisipasi/tidak-ada/target", data={"csrf_token": csrf, "percent": "82.9"})
    assert r.status_code == 404
    assert "Keluar" in r.text  # the page still knows who is signed in (its menu, sign-out)
