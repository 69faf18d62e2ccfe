"""Accounts, roles, scopes and sessions: who is asking, what they may do, which region they see."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, delete, func, literal, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from netral.core.db import utcnow
from netral.core.errors import Forbidden, NetralError, Problem, ValidationFailed, problem
from netral.core.models import LoginAttempt, User, UserSession
from netral.core.settings import Settings, get_settings

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("netral-dummy-password")
# roles.yaml is data: a test holds RoleCode to it, so the API can name the roles it answers with
RoleCode = Literal[
    "admin",
    "bawaslu_staff",
    "bawaslu_commissioner",
    "bkpsdm",
    "inspektorat",
    "ppk",
    "bakesbangpol",
    "opd_admin",
    "asn",
]
ScopeKind = Literal["national", "province", "region"]
SCOPE_KINDS: tuple[ScopeKind, ...] = get_args(ScopeKind)


@dataclass(frozen=True)
class Role:
    code: str
    name_id: str
    name_en: str
    permissions: frozenset[str]
    bound_to_opd: bool = False
    staff: bool = True  # NETRAL_STAFF_TWO_FACTOR applies to staff roles


@lru_cache(maxsize=1)
def roles() -> dict[str, Role]:
    data: dict[str, Any] = yaml.safe_load((Path(__file__).parent / "roles.yaml").read_text())
    known = set(data["permissions"])
    out: dict[str, Role] = {}
    for code, spec in data["roles"].items():
        unknown = set(spec["permissions"]) - known
        if unknown:
            raise ValueError(f"roles.yaml: roles[{code}].permissions: unknown {sorted(unknown)}")
        out[code] = Role(
            code,
            spec["name"]["id"],
            spec["name"]["en"],
            frozenset(spec["permissions"]),
            bool(spec.get("bound_to_opd", False)),
            bool(spec.get("staff", True)),
        )
    return out


def permission_names() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, dict[str, str]]] = yaml.safe_load(
        (Path(__file__).parent / "roles.yaml").read_text()
    )
    return data["permissions"]


def has_permission(user: User, permission: str) -> bool:
    role = roles().get(user.role)
    return role is not None and permission in role.permissions


def who_may(permission: str, lang: str = "id") -> list[str]:
    """The names of the roles that hold a permission, as roles.yaml lists them."""
    return [
        r.name_en if lang == "en" else r.name_id
        for r in roles().values()
        if permission in r.permissions
    ]


def _either(names: list[str], word: str) -> str:
    """ "A, B atau C"."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def check_permission(user: User, permission: str) -> None:
    """Refuse in words: what the permission allows, and which roles hold it."""
    if has_permission(user, permission):
        return
    names = permission_names().get(permission, {"id": permission, "en": permission})
    mine = roles().get(user.role)
    role_id, role_en = (mine.name_id, mine.name_en) if mine else (user.role, user.role)
    holders_id = _either(who_may(permission, "id"), "atau") or "tidak ada peran"
    holders_en = _either(who_may(permission, "en"), "or") or "no role"
    what_id = names["id"][:1].lower() + names["id"][1:]
    what_en = names["en"][:1].lower() + names["en"][1:]
    raise Forbidden(
        problem(
            "auth.forbidden",
            f"Hanya {holders_id} yang berwenang {what_id}. Peran Anda: {role_id}.",
            f"Only {holders_en} may {what_en}. Your role: {role_en}.",
        )
    )


@dataclass(frozen=True)
class Scope:
    """The part of the country a user sees: national, a province ("32") or a region ("32.73")."""

    kind: str
    code: str = ""
    # a role bound to an OPD (roles.yaml `bound_to_opd`) sees the registry of that OPD and its
    # units only: its id, or 0 when the user is bound to none (then nobody); None: not bound
    opd_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Scope:
        role = roles().get(user.role)
        bound = role is not None and role.bound_to_opd
        return cls(user.scope_kind, user.scope_code, (user.opd_id or 0) if bound else None)

    def covers(self, region_code: str | None) -> bool:
        if self.kind == "national":
            return True
        if not region_code:
            return False
        return region_code == self.code or region_code.startswith(self.code + ".")

    def clause(
        self, column: InstrumentedAttribute[str] | ColumnElement[str]
    ) -> ColumnElement[bool]:
        """A WHERE clause limiting `column` (a Kemendagri region code) to this scope."""
        if self.kind == "national":
            return literal(True)
        return or_(column == self.code, column.startswith(self.code + "."))

    def label(self) -> str:
        return "Nasional" if self.kind == "national" else self.code


def validate_scope(kind: str, code: str) -> None:
    parts = code.split(".") if code else []
    ok = (
        (kind == "national" and not parts)
        or (kind == "province" and len(parts) == 1 and parts[0].isdigit() and len(parts[0]) == 2)
        or (
            kind == "region" and len(parts) == 2 and all(p.isdigit() and len(p) == 2 for p in parts)
        )
    )
    if not ok:
        raise ValidationFailed(
            problem(
                "user.scope",
                f"Cakupan tidak sah: {kind} '{code}'. Gunakan national, province (mis. 32) "
                "atau region (mis. 32.73).",
                f"Invalid scope: {kind} '{code}'. Use national, province (e.g. 32) "
                "or region (e.g. 32.73).",
                field="scope",
            )
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    *,
    db_session: Session,
    username: str,
    password: str,
    full_name: str,
    role: str,
    scope_kind: str,
    scope_code: str = "",
    email: str | None = None,
    nip: str | None = None,
    opd_id: int | None = None,
) -> User:
    problems = []
    if role not in roles():
        problems.append(
            problem(
                "user.role",
                f"Peran '{role}' tidak dikenal. Pilihan: {', '.join(roles())}.",
                f"Unknown role '{role}'. Choices: {', '.join(roles())}.",
                field="role",
            )
        )
    problems += password_problems(password, username=username, full_name=full_name)
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        problems.append(
            problem(
                "user.username",
                "Nama pengguna hanya boleh huruf, angka, titik dan garis bawah.",
                "A username may contain only letters, digits, dots and underscores.",
                field="username",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    validate_scope(scope_kind, scope_code)
    if db_session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ValidationFailed(
            problem(
                "user.exists",
                f"Nama pengguna '{username}' sudah dipakai.",
                f"The username '{username}' is taken.",
                field="username",
            )
        )
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        password_hash=hash_password(password),
        role=role,
        scope_kind=scope_kind,
        scope_code=scope_code,
        nip=nip,
        opd_id=opd_id,
    )
    db_session.add(user)
    db_session.flush()
    return user


class LoginFailed(NetralError):
    status = 401


class LoginThrottled(NetralError):
    status = 429


def login_key(kind: str, value: str, settings: Settings | None = None) -> str:
    """The keyed hash a sign-in attempt is kept under (`kind`: "account" or "client")."""
    from netral.core.crypto import keyring

    return keyring(settings).mac(f"login-{kind}:{value}")


def _lockout(
    db_session: Session,
    *,
    account: str,
    client: str,
    now: datetime,
    settings: Settings,
) -> int:
    """Seconds until the next try may count (0: not locked). Three counts, each in the window
    since the account's last success: this account from this client, this account from any
    client, and this client over every account."""
    window = timedelta(minutes=settings.login_lockout_minutes)
    window_start = now - window
    last_success = db_session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.account_key == account, LoginAttempt.success.is_(True)
        )
    )
    since = max(window_start, last_success) if last_success else window_start
    a, c = LoginAttempt.account_key == account, LoginAttempt.client_key == client
    counts = (  # (which attempts, how many fail before the lock, counted since)
        ((a, c), settings.login_max_failures, since),
        ((a,), settings.login_max_failures_account, since),
        ((c,), settings.login_max_failures_client, window_start),
    )
    for where, limit, start in counts:
        n, latest = db_session.execute(
            select(func.count(), func.max(LoginAttempt.at)).where(
                *where, LoginAttempt.success.is_(False), LoginAttempt.at > start
            )
        ).one()
        if n >= limit and latest is not None:
            return max(1, int((latest + window - now).total_seconds()) + 1)
    return 0


def check_lockout(
    db_session: Session, *, username: str, client: str, now: datetime, settings: Settings
) -> None:
    """Refuse (429, with Retry-After) while this account is locked for this client."""
    wait = _lockout(
        db_session,
        account=login_key("account", username, settings),
        client=login_key("client", client, settings),
        now=now,
        settings=settings,
    )
    if wait:
        minutes = -(-wait // 60)
        raise LoginThrottled(
            problem(
                "auth.throttled",
                f"Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam {minutes} menit.",
                f"Too many failed sign-in attempts. Try again in {minutes} minutes.",
            ),
            headers={"Retry-After": str(wait)},
        )


def record_attempt(
    db_session: Session,
    *,
    username: str,
    client: str,
    now: datetime,
    settings: Settings,
    success: bool = False,
) -> None:
    """A step of signing in, kept by keyed hash; a failed one (a wrong password or second-factor
    code) counts towards the lockout."""
    db_session.add(
        LoginAttempt(
            account_key=login_key("account", username, settings),
            client_key=login_key("client", client, settings),
            at=now,
            success=success,
        )
    )


def authenticate(
    *,
    db_session: Session,
    username: str,
    password: str,
    client: str = "",
    now: datetime | None = None,
    settings: Settings | None = None,
) -> User:
    """Check a password; after repeated failures the account is locked, for that client (and
    for everyone only after many failures from many clients). `client` is the address."""
    settings = settings or get_settings()
    now = now or utcnow()
    check_lockout(db_session, username=username, client=client, now=now, settings=settings)
    user = db_session.scalar(select(User).where(User.username == username))
    ok = False
    try:
        # verify against a dummy hash for unknown users so timing does not reveal which exist
        ok = _hasher.verify(user.password_hash if user else _DUMMY_HASH, password) and (
            user is not None and user.is_active
        )
    except (VerificationError, InvalidHashError):
        ok = False
    record_attempt(
        db_session, username=username, client=client, now=now, settings=settings, success=ok
    )
    if not ok or user is None:
        db_session.commit()  # the failure must count even though we raise
        raise LoginFailed(
            problem(
                "auth.failed",
                "Nama pengguna atau kata sandi salah.",
                "Wrong username or password.",
            )
        )
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    *, db_session: Session, user: User, settings: Settings | None = None, device: str = ""
) -> tuple[str, str]:
    """Start a session; returns the cookie token and the session's CSRF token."""
    settings = settings or get_settings()
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = utcnow()
    db_session.add(
        UserSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            expires_at=now + timedelta(hours=settings.session_hours),
            device=device[:80],
        )
    )
    db_session.execute(delete(UserSession).where(UserSession.expires_at < now))
    return token, csrf


def session_user(*, db_session: Session, token: str) -> tuple[User, UserSession] | None:
    if not token:
        return None
    row = db_session.execute(
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.token_hash == _token_hash(token))
    ).first()
    if row is None:
        return None
    user, sess = row
    if sess.expires_at < utcnow() or not user.is_active:
        return None
    return user, sess


def close_session(*, db_session: Session, token: str) -> None:
    db_session.execute(delete(UserSession).where(UserSession.token_hash == _token_hash(token)))


def session_key(sess: UserSession) -> str:
    """A session's name on the account page: a prefix of its token's hash (never the token)."""
    return sess.token_hash[:16]


def session_key_of(token: str) -> str:
    """`session_key` of the session a cookie token opens."""
    return _token_hash(token)[:16] if token else ""


def verify_password(user: User, password: str) -> bool:
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def sessions_of(*, db_session: Session, user: User) -> list[UserSession]:
    """The user's live sessions, newest first."""
    return list(
        db_session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.expires_at >= utcnow())
            .order_by(UserSession.created_at.desc())
        )
    )


def close_sessions(*, db_session: Session, user: User, keep: str = "", only: str = "") -> int:
    """End the user's sessions: all but the one whose token is `keep`, or only the one whose
    `session_key` is `only`. Returns how many ended."""
    where = [UserSession.user_id == user.id]
    if keep:
        where.append(UserSession.token_hash != _token_hash(keep))
    if only:
        where.append(UserSession.token_hash.startswith(only, autoescape=True))
    result = db_session.execute(delete(UserSession).where(*where))
    return int(getattr(result, "rowcount", 0) or 0)


# the passwords people choose first; with the patterns below, refused whatever their length
_COMMON = frozenset(
    [
        "password",
        "passw0rd",
        "password1",
        "password123",
        "qwerty",
        "qwertyuiop",
        "qwerty123",
        "asdfghjkl",
        "zxcvbnm",
        "iloveyou",
        "admin",
        "admin123",
        "administrator",
        "welcome",
        "welcome1",
        "letmein",
        "rahasia",
        "rahasia123",
        "katasandi",
        "sandi123",
        "indonesia",
        "indonesia1",
        "merdeka",
        "merdeka45",
        "bismillah",
        "bismillah123",
        "jakarta",
        "bandung",
        "bandung123",
        "bawaslu",
        "bawaslu123",
        "pemilu",
        "pemilu2024",
        "pilkada",
        "pilkada2024",
        "netral",
        "netral123",
        "netralitas",
        "asn12345",
        "pns12345",
        "kepegawaian",
        "bkpsdm123",
        "sayang",
        "sayang123",
        "cinta",
        "cintaku",
        "alhamdulillah",
    ]
)


def password_problems(password: str, *, username: str = "", full_name: str = "") -> list[Problem]:
    """What is wrong with a new password (empty when it is acceptable): at least 10 characters,
    not a common or guessable one, not the username or the name."""
    problems: list[Problem] = []
    if len(password) < 10:
        problems.append(
            problem(
                "user.password_short",
                "Kata sandi minimal 10 karakter.",
                "The password needs at least 10 characters.",
                field="password",
            )
        )
        return problems
    plain = password.lower()
    core = plain.rstrip("0123456789!@#$%.")
    names = [n.lower() for n in (username, *full_name.split()) if len(n) >= 3]
    guessable = (
        plain in _COMMON
        or core in _COMMON
        or len(set(plain)) <= 3
        or plain in "01234567890123456789"
        or plain in "abcdefghijklmnopqrstuvwxyz"
        or any(n in plain for n in names)
    )
    if guessable:
        problems.append(
            problem(
                "user.password_weak",
                "Kata sandi ini mudah ditebak (umum, berurutan, atau memuat nama Anda). "
                "Pakai kalimat pendek yang hanya Anda ketahui.",
                "This password is easy to guess (common, a sequence, or it holds your name). "
                "Use a short sentence only you know.",
                field="password",
            )
        )
    return problems


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and secrets.compare_digest(expected, given or "")
