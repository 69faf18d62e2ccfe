"""Signing in, sessions, CSRF and throttling, through HTTP on both databases."""

from fastapi.testclient import TestClient
from sqlalchemy import select, text

from netral.app import create_app
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


def _try(client, username: str, password: str):
    token = csrf_from(client.get("/masuk").text)
    return client.post(
        "/masuk", data={"username": username, "password": password, "csrf_token": token}
    )


def test_a_lockout_holds_the_guessing_client_and_says_when_to_retry(app):
    guesser = TestClient(app, client=("203.0.113.7", 50000))
    for _ in range(5):
        assert _try(guesser, "bkpsdm", "tebakan-salah").status_code == 401
    locked = _try(guesser, "bkpsdm", PASSWORD)
    assert locked.status_code == 429 and "Terlalu banyak percobaan" in locked.text
    assert 0 < int(locked.headers["retry-after"]) <= 15 * 60
    # the owner, elsewhere, is not locked out by someone else's guessing
    owner = TestClient(app, client=("198.51.100.20", 50000))
    assert _try(owner, "bkpsdm", PASSWORD).status_code in (200, 303)


def test_guessing_spread_over_many_addresses_locks_the_account_for_all(settings, world):
    app = create_app(settings.model_copy(update={"login_max_failures_account": 6}))
    for i in range(3):
        c = TestClient(app, client=(f"203.0.113.{i}", 50000))
        assert [_try(c, "bkpsdm", "salah").status_code for _ in range(2)] == [401, 401]
    elsewhere = TestClient(app, client=("198.51.100.20", 50000))
    assert _try(elsewhere, "bkpsdm", PASSWORD).status_code == 429


def test_what_was_typed_as_a_username_is_not_kept_in_the_clear(client, db, engine):
    typed = "KataSandiRahasia99"  # a password typed into the username field
    assert _try(client, typed, "x").status_code == 401
    assert _try(client, "bkpsdm", "salah").status_code == 401
    with engine.connect() as conn:
        dumped = " ".join(
            str(row)
            for table in ("audit_entry", "login_attempt")
            for row in conn.execute(text(f"SELECT * FROM {table}"))
        )
    assert typed not in dumped and typed.lower() not in dumped.lower()
    failed = db.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "auth.login_failed")
    ).all()
    assert failed[0].startswith("#") and failed[1] == "bkpsdm"  # a real account is named


def test_forwarded_addresses_count_only_from_a_trusted_proxy(settings, world):
    def lookups(app, via: str) -> list[int]:
        c = TestClient(app, client=(via, 50000))
        return [
            c.post(
                "/api/v1/receipts/lookup",
                json={"number": "LAP-2024-000001", "code": f"{i:016d}"},
                headers={"X-Forwarded-For": f"192.0.2.{i}"},
            ).status_code
            for i in range(4)
        ]

    limited = settings.model_copy(update={"receipt_lookups_per_minute": 2})
    # no proxy trusted: rotating the header changes nothing, the caller is limited
    assert lookups(create_app(limited), "127.0.0.1")[2:] == [429, 429]
    # behind the trusted proxy, each forwarded client has its own allowance
    behind = create_app(limited.model_copy(update={"trusted_proxies": "10.0.0.1"}))
    assert 429 not in lookups(behind, "10.0.0.1")


def test_pages_forbid_base_and_foreign_form_targets_and_tls_adds_hsts(client, settings, world):
    csp = client.get("/masuk").headers["content-security-policy"]
    assert "base-uri 'none'" in csp and "form-action 'self'" in csp
    assert "strict-transport-security" not in client.get("/masuk").headers
    tls = TestClient(create_app(settings.model_copy(update={"cookie_secure": True})))
    assert "max-age=31536000" in tls.get("/masuk").headers["strict-transport-security"]
