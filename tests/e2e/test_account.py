"""The account page: a user's sessions by device, ending the others, changing the password."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from netral.core.models import AuditEntry
from netral.core.security import password_problems

from support.web import PASSWORD, csrf_from, login

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = (
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Mobile Safari/537.36"
)


def _as(app, ua: str) -> TestClient:
    return login(TestClient(app, headers={"User-Agent": ua}), "bawaslu_staff")


def test_a_user_sees_their_sessions_by_device_and_ends_the_others(app, world, db):
    desk, phone = _as(app, FIREFOX), _as(app, PHONE)
    page = desk.get("/akun").text
    assert "Firefox · Linux" in page and "Chrome · Android" in page and "(sesi ini)" in page
    r = desk.post("/akun/sesi/lainnya", data={"csrf_token": csrf_from(page)})
    assert r.status_code == 200 and "1 sesi diakhiri" in r.text
    assert phone.get("/akun", follow_redirects=False).status_code == 303  # signed out
    assert desk.get("/akun").status_code == 200
    assert "auth.sessions_ended" in db.scalars(select(AuditEntry.action)).all()


def test_a_password_change_needs_the_old_one_refuses_a_weak_one_and_ends_other_sessions(
    app, world, db
):
    desk, phone = _as(app, FIREFOX), _as(app, PHONE)
    token = csrf_from(desk.get("/akun").text)
    wrong = desk.post(
        "/akun/kata-sandi",
        data={"current": "bukan-ini-123", "new": "x", "again": "y", "csrf_token": token},
    )
    assert wrong.status_code == 422
    assert "Kata sandi saat ini salah" in wrong.text and "minimal 10 karakter" in wrong.text
    assert "Kedua kata sandi baru berbeda" in wrong.text
    weak = desk.post(
        "/akun/kata-sandi",
        data={
            "current": PASSWORD,
            "new": "Bawaslu2024!",
            "again": "Bawaslu2024!",
            "csrf_token": token,
        },
    )
    assert weak.status_code == 422 and "mudah ditebak" in weak.text
    new = "kopi pahit di pagi hari"
    done = desk.post(
        "/akun/kata-sandi",
        data={"current": PASSWORD, "new": new, "again": new, "csrf_token": token},
    )
    assert done.status_code == 200 and "Kata sandi sudah diganti" in done.text
    assert phone.get("/akun", follow_redirects=False).status_code == 303
    login(TestClient(app), "bawaslu_staff", password=new)
    assert "auth.password_changed" in db.scalars(select(AuditEntry.action)).all()


def test_the_password_policy_names_what_is_wrong():
    def codes(pw: str, **who: str) -> list[str]:
        return [p.code for p in password_problems(pw, **who)]

    assert codes("pendek") == ["user.password_short"]
    for guessable in ("password123", "1234567890", "aaaaaaaaaaaa", "Pilkada2024!!"):
        assert codes(guessable) == ["user.password_weak"], guessable
    assert codes("budi-santoso-99", username="budi.s", full_name="Budi Santoso") == [
        "user.password_weak"
    ]
    assert codes("kopi pahit di pagi hari", username="budi", full_name="Budi Santoso") == []
