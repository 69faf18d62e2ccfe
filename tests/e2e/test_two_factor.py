"""Two-step sign-in for staff: enrolment on first sign-in under the rule, a TOTP code after the
password, one-time recovery codes, a wrong code counted towards the lockout, and the API."""

from __future__ import annotations

import re
import time

import pyotp
from fastapi.testclient import TestClient
from sqlalchemy import select

from netral.app import create_app
from netral.core.models import AuditEntry, User

from support.web import PASSWORD, csrf_from


def _password(c: TestClient, username: str = "bawaslu_staff"):
    token = csrf_from(c.get("/masuk").text)
    return c.post(
        "/masuk",
        data={"username": username, "password": PASSWORD, "csrf_token": token, "next": "/kasus"},
        follow_redirects=False,
    )


def _code(c: TestClient, code: str):
    token = csrf_from(c.get("/masuk/kode").text)
    return c.post("/masuk/kode", data={"code": code, "csrf_token": token})


def _enrolled(app) -> tuple[TestClient, str, list[str]]:
    c = TestClient(app)
    r = _password(c)
    assert r.status_code == 303 and r.headers["location"] == "/masuk/kode"
    assert c.get("/kasus", follow_redirects=False).status_code == 303  # not signed in yet
    page = c.get("/masuk/kode").text
    assert "<svg" in page and "Pindai kode QR" in page
    secret = re.search(r'<code class="mono">([A-Z2-7]+)</code>', page).group(1)
    shown = _code(c, pyotp.TOTP(secret).now())
    assert shown.status_code == 200 and "Verifikasi dua langkah sudah aktif" in shown.text
    codes = re.findall(r"<li>([a-z2-9]{5}-[a-z2-9]{5})</li>", shown.text)
    assert len(codes) == 10
    assert c.get("/kasus").status_code == 200  # signed in
    return c, secret, codes


def test_staff_enrol_on_first_sign_in_then_need_a_code_each_time(settings, world, db):
    app = create_app(settings.model_copy(update={"staff_two_factor": True}))
    _, secret, codes = _enrolled(app)
    user = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    db.refresh(user)
    assert user.totp_enc and secret.encode() not in user.totp_enc  # sealed at rest

    later = TestClient(app)
    assert _password(later).headers["location"] == "/masuk/kode"
    page = later.get("/masuk/kode").text
    assert "<svg" not in page  # no new secret: the enrolled one is asked for
    current = {pyotp.TOTP(secret).at(time.time() + d) for d in (-30, 0, 30)}
    wrong = _code(later, next(c for c in ("000000", "111111", "222222") if c not in current))
    assert wrong.status_code == 401 and "Kode verifikasi salah" in wrong.text
    ok = _code(later, codes[0])  # a recovery code, once
    assert ok.status_code == 200 and later.get("/kasus").status_code == 200
    again = TestClient(app)
    _password(again)
    assert _code(again, codes[0]).status_code == 401
    actions = db.scalars(select(AuditEntry.action)).all()
    assert "auth.two_factor_on" in actions and "auth.login_failed" in actions


def test_wrong_codes_lock_the_account_for_that_client(settings, world):
    app = create_app(settings.model_copy(update={"staff_two_factor": True}))
    _enrolled(app)
    c = TestClient(app)
    _password(c)
    statuses = [_code(c, "123456").status_code for _ in range(5)]
    assert statuses.count(401) >= 4 and statuses[-1] in (401, 429)
    assert _code(c, "123456").status_code == 429


def test_the_asn_role_is_not_held_to_the_staff_rule_and_the_api_asks_for_the_code(settings, world):
    app = create_app(settings.model_copy(update={"staff_two_factor": True}))
    asn = TestClient(app)
    assert _password(asn, "asn").headers["location"] == "/kasus"  # straight in
    api = TestClient(app)
    body = {"username": "bawaslu_staff", "password": PASSWORD}
    assert api.post("/api/v1/session", json=body).json()["type"].endswith("auth.otp_enrol")
    _, secret, _ = _enrolled(app)
    asked = api.post("/api/v1/session", json=body)
    assert asked.status_code == 401 and asked.json()["type"].endswith("auth.otp_required")
    # the enrolment used this step's code, which works once; the next step's is accepted
    code = pyotp.TOTP(secret).at(time.time() + 30)
    assert api.post("/api/v1/session", json={**body, "otp": code}).status_code == 200


def test_a_user_turns_it_on_from_the_account_page(client, world):
    from support.web import login

    c = login(client, "bkpsdm")
    page = c.get("/akun").text
    assert "Belum aktif" in page
    r = c.post("/akun/dua-langkah", data={"csrf_token": csrf_from(page)}, follow_redirects=False)
    assert r.headers["location"] == "/masuk/kode"
    secret = re.search(r'<code class="mono">([A-Z2-7]+)</code>', c.get("/masuk/kode").text)
    assert _code(c, pyotp.TOTP(secret.group(1)).now()).status_code == 200
    assert "Aktif. Sisa kode pemulihan: 10" in c.get("/akun").text
