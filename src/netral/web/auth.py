"""Signing in and out, pages and API. Every login (and every failed one) is in the audit log."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from netral.core import audit
from netral.core.audit import Actor
from netral.core.errors import NetralError
from netral.core.models import User
from netral.core.security import (
    RoleCode,
    ScopeKind,
    authenticate,
    close_session,
    close_sessions,
    hash_password,
    login_key,
    open_session,
    password_problems,
    permission_names,
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


def _login(request: Request, db: SessionDep, username: str, password: str) -> tuple[User, str, str]:
    client = request.client.host if request.client else ""
    try:
        user = authenticate(
            db_session=db,
            username=username,
            password=password,
            client=client,
            settings=request.app.state.settings,
        )
    except NetralError as exc:
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
        raise
    token, csrf = open_session(
        db_session=db, user=user, device=device_of(request.headers.get("user-agent", ""))
    )
    audit.record(
        db,
        actor=actor_of(user),
        action="auth.login",
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
    )
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
        _, token, _ = _login(request, db, username.strip(), password)
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
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_cookie(request, response, token)
    return response


@router.post("/keluar")
def logout(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    close_session(db_session=db, token=request.cookies.get(SESSION_COOKIE, ""))
    audit.record(
        db,
        actor=actor_of(user),
        action="auth.logout",
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
    )
    response = RedirectResponse("/masuk", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


class LoginIn(BaseModel):
    username: str
    password: str


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
    user, token, csrf = _login(request, db, body.username.strip(), body.password)
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
        },
        status_code=status_code,
    )


@router.get("/akun")
def account_page(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    return _account(request, db, user)


@router.post("/akun/sesi/lainnya")
def end_other_sessions(request: Request, db: SessionDep, user: CurrentUser) -> Response:
    n = close_sessions(db_session=db, user=user, keep=request.cookies.get(SESSION_COOKIE, ""))
    audit.record(
        db,
        actor=actor_of(user),
        action="auth.sessions_ended",
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
        summary={"sessions": n},
    )
    return RedirectResponse("/akun?selesai=" + str(n), status_code=303)


@router.post("/akun/sesi/{key}/akhiri")
def end_one_session(key: str, request: Request, db: SessionDep, user: CurrentUser) -> Response:
    if len(key) != 16 or not all(c in "0123456789abcdef" for c in key):
        return RedirectResponse("/akun", status_code=303)
    n = close_sessions(db_session=db, user=user, only=key)
    audit.record(
        db,
        actor=actor_of(user),
        action="auth.sessions_ended",
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
        summary={"sessions": n},
    )
    return RedirectResponse("/akun?selesai=" + str(n), status_code=303)


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
    audit.record(
        db,
        actor=actor_of(user),
        action="auth.password_changed",
        object_type="user",
        object_id=user.username,
        region_code=user.scope_code,
        summary={"sessions_ended": ended},
    )
    return RedirectResponse("/akun?sandi=1", status_code=303)
