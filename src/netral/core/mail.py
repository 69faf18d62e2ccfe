"""Outgoing e-mail: SMTP when `smtp_host` is set, else a file outbox under `<data_dir>/outbox/`.

The outbox is for deployments without a mail server (the demo, the tests): every message is
written whole as an .eml file an operator (or a browser test) can open. Bodies are never logged:
a one-time code travels in one.
"""

from __future__ import annotations

import os
import secrets
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from netral.core.settings import Settings

__all__ = ["outbox_dir", "send_mail"]


def outbox_dir(settings: Settings) -> Path:
    return settings.data_dir / "outbox"


def _message(settings: Settings, to: list[str], subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, ", ".join(to), subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="netral.local")
    msg.set_content(body)
    return msg


def _to_outbox(settings: Settings, msg: EmailMessage) -> None:
    folder = outbox_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    final = folder / f"{stamp}-{secrets.token_hex(4)}.eml"
    # written aside and renamed: a reader never sees half a message
    temp = final.with_suffix(".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(bytes(msg))
    temp.rename(final)


def send_mail(settings: Settings, to: list[str], subject: str, body: str) -> int:
    """Send one message to `to`; returns how many recipients it went to (0: nobody to send to)."""
    if not to:
        return 0
    msg = _message(settings, to, subject, body)
    if not settings.smtp_host:
        _to_outbox(settings, msg)
        return len(to)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)
    return len(to)
