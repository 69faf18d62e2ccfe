"""Pledge test helpers: the campaign the tests sign, and reading a code back from the outbox."""

from __future__ import annotations

import email
import re
from datetime import date

from netral.core.settings import Settings
from netral.pledges.schemas import CampaignIn

BUDI = "198503122010011003"  # Dinas Perhubungan


def campaign_in(**changes: object) -> CampaignIn:
    data: dict[str, object] = {
        "code": "ikrar-pilkada-2024",
        "title": "Ikrar Netralitas ASN Pilkada 2024",
        "region": "32.73",
        "issuer": "PEMERINTAH KOTA BANDUNG",
        "ikrar": "Kami ASN Pemerintah Kota Bandung berikrar menjaga netralitas.",
        "pakta_integritas": "Saya tidak akan berpihak kepada pasangan calon mana pun.",
        "document_version": "2024-09",
        "opens_on": date(2024, 9, 2),
    }
    data.update(changes)
    return CampaignIn.model_validate(data)


def outbox_code(settings: Settings) -> str:
    """The code in the newest message of the file outbox."""
    files = sorted((settings.data_dir / "outbox").glob("*.eml"))
    assert files, "nothing in the outbox"
    msg = email.message_from_bytes(files[-1].read_bytes())
    body = msg.get_payload(decode=True).decode()  # type: ignore[union-attr]
    m = re.search(r"\b(\d{6})\b", body)
    assert m, body
    return m.group(1)
