"""Two-factor sign-in: a time-based code (TOTP, RFC 6238, what authenticator apps show) after the
password, and ten one-time recovery codes for a lost phone.

The secret is sealed with the keyring (a copied database yields no secrets); a code is accepted
once (its time step is remembered); recovery codes are kept only as MACs. With
`NETRAL_STAFF_TWO_FACTOR=true` every staff role (roles.yaml `staff`, all but the ASN's) must use it.
"""

from __future__ import annotations

import io
import secrets
import time

import pyotp
import segno
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from netral.core.crypto import keyring
from netral.core.db import utcnow
from netral.core.models import RecoveryCode, User
from netral.core.security import roles
from netral.core.settings import Settings

ISSUER = "netral"
RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read from paper without doubt


def required(user: User, settings: Settings) -> bool:
    """Whether this user must pass a second factor: enrolled, or a staff role under the rule."""
    if user.totp_enc is not None:
        return True
    role = roles().get(user.role)
    return settings.staff_two_factor and role is not None and role.staff


def new_secret() -> str:
    return pyotp.random_base32()


def qr_svg(secret: str, username: str) -> str:
    """The enrolment QR (an otpauth:// URI) as inline SVG: no image request, no CDN."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=4, xmldecl=False, svgns=False)
    return out.getvalue().decode()


def _associated(user: User) -> bytes:
    return f"totp:{user.id}".encode()


def _secret(user: User) -> str | None:
    if user.totp_enc is None:
        return None
    return keyring().decrypt(user.totp_enc, _associated(user))


def _normal(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _mac(user: User, code: str) -> str:
    return keyring().mac(f"recovery:{user.id}:{_normal(code)}")


def _accept_totp(user: User, secret: str, code: str, now: float | None = None) -> bool:
    """A 6-digit code of this step or the one either side, never one already used."""
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    step = int(now) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if user.totp_last_step is not None and candidate <= user.totp_last_step:
            continue
        if secrets.compare_digest(totp.at(candidate * totp.interval), code):
            user.totp_last_step = candidate
            return True
    return False


def enrol(db_session: Session, user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor on once the user shows a code of the new secret; returns the recovery
    codes (shown once), or None when the code is wrong."""
    user.totp_last_step = None
    if not _accept_totp(user, secret, _normal(code)):
        return None
    user.totp_enc = keyring().encrypt(secret, _associated(user))
    return new_recovery_codes(db_session, user)


def new_recovery_codes(db_session: Session, user: User) -> list[str]:
    """Ten fresh codes (the old ones stop working); only their MACs are kept."""
    db_session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db_session.add(RecoveryCode(user_id=user.id, code_mac=_mac(user, raw)))
    db_session.flush()
    return codes


def verify(db_session: Session, user: User, code: str) -> bool:
    """A code from the authenticator, or an unused recovery code (which is then used up)."""
    plain = _normal(code)
    secret = _secret(user)
    if secret is not None and plain.isdigit() and len(plain) == 6:
        return _accept_totp(user, secret, plain)
    if len(plain) != 10:
        return False
    row = db_session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_mac == _mac(user, plain),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def recovery_left(db_session: Session, user: User) -> int:
    return int(
        db_session.scalar(
            select(func.count()).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        )
        or 0
    )


def turn_off(db_session: Session, user: User) -> None:
    user.totp_enc = None
    user.totp_last_step = None
    db_session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
