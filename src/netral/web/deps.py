"""Request dependencies as named aliases: the session, the current user, permissions, CSRF, and
the bounded types of ids and page numbers in paths and queries."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request, Security
from fastapi.security import APIKeyCookie
from pydantic import AfterValidator
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from netral.core.audit import Actor
from netral.core.db import MAX_ROW_ID
from netral.core.errors import NetralError, problem
from netral.core.models import User, UserSession
from netral.core.security import Scope, check_permission, csrf_matches, session_user

SESSION_COOKIE = "netral_session"
PRE_CSRF_COOKIE = "netral_csrf"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# read by _session_row; declared so OpenAPI says which routes need a session, and which permission
session_cookie = APIKeyCookie(
    name=SESSION_COOKIE,
    scheme_name="session",
    description="Set by POST /api/v1/session. Writes also send its `csrf_token` as X-CSRF-Token.",
    auto_error=False,
)


class NotAuthenticated(NetralError):
    status = 401


class CsrfFailed(NetralError):
    status = 403


def open_session(request: Request) -> Iterator[Session]:
    """The request's session, open until the response (an error page included) is sent."""
    session: Session = request.app.state.sessions()
    request.state.db = session  # pages render with it (user, CSRF token)
    try:
        yield session
    finally:
        session.close()


def get_session(
    request: Request, session: Annotated[Session, Depends(open_session)]
) -> Iterator[Session]:
    """The request's unit of work: committed when the route returns, rolled back if it raises.

    Function scope: the commit happens before the response is sent, so a client is never told
    "201 Created" about a report whose transaction then failed. A page that catches a domain
    error and renders a 4xx answer (`templating.render` marks the request refused) rolls back
    too: a refusal never commits half of what the route had written.
    """
    try:
        yield session
        if getattr(request.state, "refused", False):
            session.rollback()
        else:
            session.commit()
    except BaseException:
        # close() rolls the transaction back without expiring what was loaded: the error page
        # (rendered after this, outside the route) still knows who is signed in
        session.close()
        raise


SessionDep = Annotated[Session, Depends(get_session, scope="function")]

# A path id names one row. Outside 1..MAX_ROW_ID it names none: app.py answers 404, as for an id
# that is merely unused, and the value never reaches the database (where it would overflow).
DbId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="Database id")]
# A filter on an id no row can have is a malformed request (422), not an empty result.
DbIdFilter = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID, description="Database id")]
# Pages hold at least one row each, so none lies past MAX_ROW_ID; the bound also keeps the
# offset (page - 1) * per_page inside the database's BIGINT.
PageNumber = Annotated[int, Query(ge=1, le=MAX_ROW_ID, description="Page, from 1")]


def _id_text(value: str) -> str:
    """Refuse digits that are not an id a row can have; other text means "no filter"."""
    # str.isdigit() also holds for "²" or "٣", which int() then refuses: the route would crash
    if value.isdigit() and not (value.isascii() and len(value) <= 10 and int(value) <= MAX_ROW_ID):
        raise ValueError(f"not an id (1..{MAX_ROW_ID})")
    return value


# For page filters kept as text ("" = all, digits = one id), which the route turns into an int.
IdText = Annotated[str, Query(description="Database id, or empty"), AfterValidator(_id_text)]


def _session_row(request: Request, db: Session) -> tuple[User, UserSession] | None:
    if "auth" not in request.state._state:
        token = request.cookies.get(SESSION_COOKIE, "")
        request.state.auth = session_user(db_session=db, token=token) if token else None
    auth: tuple[User, UserSession] | None = request.state.auth
    return auth


def optional_user(request: Request, db: SessionDep) -> User | None:
    row = _session_row(request, db)
    return row[0] if row else None


def current_user(
    request: Request, db: SessionDep, _cookie: Annotated[str | None, Depends(session_cookie)]
) -> User:
    row = _session_row(request, db)
    if row is None:
        raise NotAuthenticated(
            problem("auth.required", "Silakan masuk terlebih dahulu.", "Please sign in first.")
        )
    return row[0]


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(current_user)]


def require(permission: str) -> Callable[[User], User]:
    """A dependency that lets the request through only for roles holding `permission`."""

    # a default, not Annotated: with postponed annotations the closure's `permission` is unseen
    def check(user: User = Security(current_user, scopes=[permission])) -> User:
        check_permission(user, permission)
        return user

    check.__name__ = f"require_{permission.replace('.', '_')}"
    return check


def scope_of(user: CurrentUser) -> Scope:
    return Scope.of(user)


UserScope = Annotated[Scope, Depends(scope_of)]


def actor_of(user: User) -> Actor:
    return Actor.of(user)


def csrf_token_for(request: Request, db: Session) -> str:
    """The token a form must send back: the session's, or a pre-login double-submit cookie."""
    row = _session_row(request, db)
    if row is not None:
        return row[1].csrf_token
    token = request.cookies.get(PRE_CSRF_COOKIE) or getattr(request.state, "new_pre_csrf", None)
    if not token:
        token = secrets.token_urlsafe(32)
        request.state.new_pre_csrf = token
    return token


async def form_data(request: Request) -> FormData:
    """The request's form (parsed once and cached by Starlette), read on the event loop so that
    the page handler taking it can be a plain function: FastAPI runs those in the threadpool, and
    their database work and file handling never stop the other requests of the process."""
    return await request.form()


FormDep = Annotated[FormData, Depends(form_data)]


async def csrf_protect(request: Request, db: SessionDep) -> None:
    """Every unsafe request carries the CSRF token, in a form field or the X-CSRF-Token header."""
    if request.method not in UNSAFE:
        return
    # a blocking query: off the event loop, which would otherwise stop for every request of the
    # process while it waits for a pooled connection (benchmarks/load.py: a full pool froze both
    # web processes until its 30 s timeout)
    row = await run_in_threadpool(_session_row, request, db)
    if row is None and (
        request.url.path.startswith("/api/")
        or request.headers.get("content-type", "").startswith("application/json")
    ):
        # no ambient credential to abuse: an anonymous API call acts with no one's authority
        return
    given = request.headers.get("x-csrf-token")
    if given is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    expected = row[1].csrf_token if row else request.cookies.get(PRE_CSRF_COOKIE, "")
    if not expected or not csrf_matches(expected, given):
        raise CsrfFailed(
            problem(
                "auth.csrf",
                "Formulir kedaluwarsa atau tidak sah (token CSRF). "
                "Muat ulang halaman lalu coba lagi.",
                "The form expired or is not valid (CSRF token). Reload the page and try again.",
            )
        )
