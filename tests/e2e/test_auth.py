"""Signing in, sessions, CSRF and throttling, through HTTP on both databases."""

from sqlalchemy import select

from netral.core.models import AuditEntry

from support.web import PASSWORD, csrf_from, login


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(client, db):
    page = client.get("/masuk")
    r = client.post(
        "/masuk",
        data={
            "username": "admin",
            "password": PASSWORD,
            "csrf_token": csrf_from(page.text),
            "next": "/asn",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/asn"
    cookie = r.headers["set-cookie"].lower()
    assert "netral_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    home = client.get("/")
    assert "Uji admin" in home.text
    r = client.post("/keluar", data={"csrf_token": csrf_from(home.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert client.get("/asn", follow_redirects=False).status_code == 303
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "auth.login" in actions and "auth.logout" in actions


def test_wrong_password_is_refused_in_indonesian_and_audited(client, db):
    page = client.get("/masuk")
    r = client.post(
        "/masuk",
        data={"username": "admin", "password": "salah-sekali", "csrf_token": csrf_from(page.text)},
    )
    assert r.status_code == 401
    assert "Nama pengguna atau kata sandi salah" in r.text
    assert "auth.login_failed" in db.scalars(select(AuditEntry.action)).all()


def test_repeated_failures_lock_the_account_even_for_the_right_password(client):
    token = csrf_from(client.get("/masuk").text)
    for _ in range(5):
        r = client.post(
            "/masuk", data={"username": "bkpsdm", "password": "tebakan-salah", "csrf_token": token}
        )
        assert r.status_code == 401
    r = client.post(
        "/masuk", data={"username": "bkpsdm", "password": PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 429
    assert "Terlalu banyak percobaan" in r.text


def test_a_form_post_without_its_csrf_token_is_refused(client):
    client.get("/masuk")
    r = client.post("/masuk", data={"username": "admin", "password": PASSWORD})
    assert r.status_code == 403
    assert "CSRF" in r.text
    login(client, "admin")
    r = client.post("/keluar", data={"csrf_token": "forged"}, follow_redirects=False)
    assert r.status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_api_login_returns_a_csrf_token_that_writes_must_carry(client):
    r = client.post("/api/v1/session", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 200
    token = r.json()["csrf_token"]
    files = {"file": ("asn.csv", b"NIP,Nama,OPD\n", "text/csv")}
    refused = client.post("/api/v1/asn/import?region=32.73", files=files)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["code"] == "auth.csrf"
    allowed = client.post(
        "/api/v1/asn/import?region=32.73", files=files, headers={"X-CSRF-Token": token}
    )
    assert allowed.status_code == 422  # reached the importer: the file has no rows
    assert allowed.json()["code"] == "import.no_rows"


def test_unauthenticated_pages_redirect_and_api_answers_problem_json(client):
    r = client.get("/asn", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/masuk")
    r = client.get("/api/v1/asn")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "auth.required"
