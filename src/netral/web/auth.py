"""Signing in and out, pages and API. Every login (and every failed one) is in the audit log."""

from __future__ import annotations

from typing import Annotated, Any, cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from pydantic import BaseModel, Field
from sqlalchemy import select

from netral.core import audit, twofactor
from netral.core.audit import Actor
from netral.core.crypto import keyring
from netral.core.db import utcnow
from netral.core.errors import Forbidden, NetralError, problem
from netral.core.models import User
from netral.core.security import (
    LoginFailed,
    RoleCode,
    ScopeKind,
    authenticate,
    check_lockout,
    close_session,
    close_sessions,
    hash_password,
    login_key,
    open_session,
    password_problems,
    permission_names,
    record_attempt,
    roles,
    session_key,
    session_key_of,
    sessions_of,
    verify_password,
)
from netral.web.deps import SESSION_COOKIE, CurrentUser, SessionDep, actor_of
from netral.web.i18n import current_language
from netral.web.problems import problem_responses
from netral.web.templating import render

router = APIRouter(tags=["auth"], include_in_schema=False)
api = APIRouter(tags=["auth"])


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else ""


def _failed(db: SessionDep, username: str, exc: NetralError) -> None:
    """Put a failed sign-in on the record (the request itself then fails)."""
    db.rollback()
    # an existing account is named; anything else typed (a mistyped name, a password typed
    # into the wrong field) is kept only as its keyed hash
    known = db.scalar(select(User.username).where(User.username == username[:64]))
    who = known or "#" + login_key("account", username)[:16]
    audit.record(
        db,
        actor=Actor(None, who, "anonymous"),
        action="auth.login_failed",
        object_type="user",
        object_id=who,
        summary={"code": exc.code},
    )
    db.commit()  # the failed attempt stays on the record although the request fails


def _password(request: Request, db: SessionDep, username: str, password: str) -> User:
    try:
        return authenticate(
            db_session=db,
            username=username,
            password=password,
            client=_client(request),
            settings=request.app.state.settings,
        )
    except NetralError as exc:
        _failed(db, username, exc)
        raise


def _second_factor(request: Request, db: SessionDep, user: User, code: str) -> None:
    """Check the code after the password; a wrong one counts towards the lockout."""
    settings = request.app.state.settings
    now = utcnow()
    try:
        check_lockout(
            db, username=user.username, client=_client(request), now=now, settings=settings
        )
        if not twofactor.verify(db, user, code):
            record_attempt(
                db, username=user.username, client=_client(request), now=now, settings=settings
            )
            db.commit()  # the failure counts although the request fails
            raise LoginFailed(
                problem(
                    "auth.otp_wrong",
                    "Kode verifikasi salah atau sudah dipakai.",
                    "The verification code is wrong or was already used.",
                    field="code",
                )
            )
    except NetralError as exc:
        _failed(db, user.username, exc)
        raise


def _own_record(
    db: SessionDep, user: User, action: str, summary: dict[str, Any] | None = None
) -> None:
    """An audit row of what a signed-in user did to their own account."""
    audit.record(
        db,
        actor=actor_of(user),
        action=action,
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
        summary=summary,
    )


def _open(request: Request, db: SessionDep, user: User) -> tuple[str, str]:
    token, csrf = open_session(
        db_session=db, user=user, device=device_of(request.headers.get("user-agent", ""))
    )
    _own_record(db, user, "auth.login")
    return token, csrf


def _login(
    request: Request, db: SessionDep, username: str, password: str, code: str | None = None
) -> tuple[User, str, str]:
    """Password and, where the user has or needs it, the second factor, in one call (the API)."""
    user = _password(request, db, username, password)
    if twofactor.required(user, request.app.state.settings):
        if user.totp_enc is None:
            raise Forbidden(
                problem(
                    "auth.otp_enrol",
                    "Aktifkan verifikasi dua langkah lewat halaman masuk di peramban lebih dulu.",
                    "Turn on two-step verification through the sign-in page in a browser first.",
                )
            )
        if not code:
            raise LoginFailed(
                problem(
                    "auth.otp_required",
                    "Masukkan kode verifikasi dari aplikasi autentikator Anda.",
                    "Enter the verification code from your authenticator app.",
                    field="otp",
                )
            )
        _second_factor(request, db, user, code)
    token, csrf = _open(request, db, user)
    return user, token, csrf


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))  # fmt: skip
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS", "macOS"), ("Linux", "Linux"))  # fmt: skip


def device_of(user_agent: str) -> str:
    """'Firefox · Linux' from a User-Agent: enough to recognise a session, nothing more."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    return " · ".join(p for p in (browser, system) if p) or "?"


def _set_cookie(request: Request, response: Response, token: str) -> None:
    settings = request.app.state.settings
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
        max_age=settings.session_hours * 3600,
    )


@router.get("/masuk")
def login_page(request: Request, db: SessionDep, next: str | None = None) -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/masuk")
def login_submit(
    request: Request,
    db: SessionDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        user = _password(request, db, username.strip(), password)
    except NetralError as exc:
        page = render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "error": exc.message(current_language.get()),
                "username": username,
            },
            status_code=exc.status,
        )
        page.headers.update(exc.headers)  # Retry-After on a lockout
        return page
    if twofactor.required(user, request.app.state.settings):
        # the password was right: the second step, for five minutes, on a signed cookie
        pending = {"u": user.id, "n": _safe_next(next)}
        if user.totp_enc is None:
            pending["s"] = twofactor.new_secret()  # enrolment: the secret the QR will carry
        return _to_second_step(request, pending)
    token, _ = _open(request, db, user)
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_cookie(request, response, token)
    return response


PENDING_COOKIE = "netral_2fa"
PENDING_SECONDS = 300


def _pending() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(keyring().mac("two-factor-pending"), salt="netral-2fa")


def _to_second_step(request: Request, pending: dict[str, Any]) -> Response:
    """On to the code page, what it needs carried for five minutes on a signed cookie."""
    response = RedirectResponse("/masuk/kode", status_code=303)
    response.set_cookie(
        PENDING_COOKIE,
        _pending().dumps(pending),
        httponly=True,
        samesite="strict",
        max_age=PENDING_SECONDS,
        secure=request.app.state.settings.cookie_secure,
    )
    return response


def _pending_user(request: Request, db: SessionDep) -> tuple[User, dict[str, Any]] | None:
    raw = request.cookies.get(PENDING_COOKIE, "")
    try:
        data = _pending().loads(raw, max_age=PENDING_SECONDS) if raw else None
    except BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user = db.get(User, int(data["u"]))
    if user is None or not user.is_active:
        return None
    return user, data


def _code_page(
    request: Request, user: User, data: dict[str, Any], error: str = "", status_code: int = 200
) -> Response:
    secret = data.get("s")
    return render(
        request,
        "login_code.html",
        {
            "enrol": secret is not None,
            "secret": secret,
            "qr": Markup(twofactor.qr_svg(secret, user.username)) if secret else None,  # noqa: S704 -- segno's SVG of our own URI
            "error": error,
        },
        status_code=status_code,
    )


@router.get("/masuk/kode")
def code_page(request: Request, db: SessionDep) -> Response:
    pending = _pending_user(request, db)
    if pending is None:
        return RedirectResponse("/masuk", status_code=303)
    return _code_page(request, *pending)


@router.post("/masuk/kode")
def code_submit(request: Request, db: SessionDep, code: Annotated[str, Form()] = "") -> Response:
    pending = _pending_user(request, db)
    if pending is None:
        return RedirectResponse("/masuk", status_code=303)
    user, data = pending
    lang = current_language.get()
    codes: list[str] | None = None
    try:
        if "s" in data:  # enrolment: the first code of the new secret turns it on
            check_lockout(
                db,
                username=user.username,
                client=_client(request),
                now=utcnow(),
                settings=request.app.state.settings,
            )
            codes = twofactor.enrol(db, user, str(data["s"]), code)
            if codes is None:
                _second_factor(request, db, user, "")  # counts the failure, raises
        else:
            _second_factor(request, db, user, code)
    except NetralError as exc:
        page = _code_page(request, user, data, exc.message(lang), status_code=exc.status)
        page.headers.update(exc.headers)
        return page
    if codes is not None:
        _own_record(db, user, "auth.two_factor_on")
    token, _ = _open(request, db, user)
    target = str(data.get("n") or "/")
    if codes is not None:  # shown once, then the user goes on
        response: Response = render(
            request, "recovery_codes.html", {"codes": codes, "next": _safe_next(target)}
        )
        response.headers["Cache-Control"] = "no-store"
    else:
        response = RedirectResponse(_safe_next(target), status_code=303)
    response.delete_cookie(PENDING_COOKIE)
    _set_cookie(request, response, token)
    return response


@router.post("/keluar")
def logout(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    close_session(db_session=db, token=request.cookies.get(SESSION_COOKIE, ""))
    _own_record(db, user, "auth.logout")
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


class LoginIn(BaseModel):
    username: str
    password: str
    otp: str | None = Field(
        default=None, description="The 6-digit code (or a recovery code) when two-factor is on"
    )


class SessionOut(BaseModel):
    username: str
    role: RoleCode
    scope: str = Field(description="`<kind>:<code>`, e.g. `region:32.73` or `national:`")
    csrf_token: str = Field(description="Send it back as X-CSRF-Token on every write")


class ScopeOut(BaseModel):
    kind: ScopeKind
    code: str


class MeOut(BaseModel):
    username: str
    full_name: str
    role: RoleCode
    scope: ScopeOut
    permissions: list[str]


class RoleOut(BaseModel):
    name: str
    permissions: list[str]


class RolesOut(BaseModel):
    roles: dict[RoleCode, RoleOut]
    permissions: dict[str, str] = Field(description="Each permission's name, in the language asked")


@api.post("/session", response_model=SessionOut, responses=problem_responses(401, 403, 422, 429))
def api_login(body: LoginIn, request: Request, db: SessionDep, response: Response) -> SessionOut:
    """Sign in; the session cookie is set and the CSRF token for later writes is returned."""
    user, token, csrf = _login(request, db, body.username.strip(), body.password, body.otp)
    _set_cookie(request, response, token)
    return SessionOut(
        username=user.username,
        role=cast(RoleCode, user.role),
        scope=f"{user.scope_kind}:{user.scope_code}",
        csrf_token=csrf,
    )


@api.get("/me", response_model=MeOut, responses=problem_responses(401))
def me(user: CurrentUser) -> MeOut:
    role = roles()[user.role]
    return MeOut(
        username=user.username,
        full_name=user.full_name,
        role=cast(RoleCode, user.role),
        scope=ScopeOut(kind=cast(ScopeKind, user.scope_kind), code=user.scope_code),
        permissions=sorted(role.permissions),
    )


@api.get("/roles", response_model=RolesOut, responses=problem_responses(401))
def list_roles(user: CurrentUser) -> RolesOut:
    lang = current_language.get()
    return RolesOut(
        roles={
            cast(RoleCode, code): RoleOut(
                name=r.name_en if lang == "en" else r.name_id, permissions=sorted(r.permissions)
            )
            for code, r in roles().items()
        },
        permissions={k: v[lang] for k, v in permission_names().items()},
    )


# ---------------------------------------------------------------- the account page


def _account(
    request: Request,
    db: SessionDep,
    user: User,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    sessions = [
        {"key": session_key(s), "device": s.device, "since": s.created_at, "until": s.expires_at}
        for s in sessions_of(db_session=db, user=user)
    ]
    return render(
        request,
        "account.html",
        {
            "sessions": sessions,
            "current": session_key_of(request.cookies.get(SESSION_COOKIE, "")),
            "errors": errors or {},
            "two_factor_on": user.totp_enc is not None,
            "recovery_left": twofactor.recovery_left(db, user),
        },
        status_code=status_code,
    )


@router.get("/akun")
def account_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _account(request, db, user)


def _sessions_ended(db: SessionDep, user: User, n: int) -> Response:
    _own_record(db, user, "auth.sessions_ended", {"sessions": n})
    return RedirectResponse("/akun?selesai=" + str(n), status_code=303)


@router.post("/akun/sesi/lainnya")
def end_other_sessions(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    n = close_sessions(db_session=db, user=user, keep=request.cookies.get(SESSION_COOKIE, ""))
    return _sessions_ended(db, user, n)


@router.post("/akun/sesi/{key}/akhiri")
def end_one_session(key: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    if len(key) != 16 or not all(c in "0123456789abcdef" for c in key):
        return RedirectResponse("/akun", status_code=303)
    return _sessions_ended(db, user, close_sessions(db_session=db, user=user, only=key))


@router.post("/akun/kata-sandi")
def change_password(
    request: Request,
    db: SessionDep,
    user: CurrentUser,
    current: Annotated[str, Form()] = "",
    new: Annotated[str, Form()] = "",
    again: Annotated[str, Form()] = "",
) -> Response:
    """A new password, the old one given; every other session of the account ends with it."""
    lang = current_language.get()
    errors: dict[str, str] = {}
    if not verify_password(user, current):
        errors["current"] = (
            "The current password is wrong." if lang == "en" else "Kata sandi saat ini salah."
        )
    for p in password_problems(new, username=user.username, full_name=user.full_name):
        errors["new"] = p.message(lang)
    if new != again:
        errors["again"] = (
            "The two new passwords differ." if lang == "en" else "Kedua kata sandi baru berbeda."
        )
    if errors:
        return _account(request, db, user, errors=errors, status_code=422)
    user.password_hash = hash_password(new)
    ended = close_sessions(db_session=db, user=user, keep=request.cookies.get(SESSION_COOKIE, ""))
    _own_record(db, user, "auth.password_changed", {"sessions_ended": ended})
    return RedirectResponse("/akun?sandi=1", status_code=303)


@router.post("/akun/dua-langkah")
def start_two_factor(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    """Turn two-step verification on from the account page: the same enrolment as at sign-in."""
    if user.totp_enc is not None:
        return RedirectResponse("/akun", status_code=303)
    return _to_second_step(request, {"u": user.id, "n": "/akun", "s": twofactor.new_secret()})
