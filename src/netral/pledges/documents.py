"""The signed pakta integritas of one ASN, and the joint declaration, as PDF (WeasyPrint).

Self-contained HTML (inline CSS, no URL): the renderer is allowed nothing but data: URLs, so a
value that slipped past escaping could not make the server fetch anything.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

from netral.core.calendar import MONTHS_ID, WIB
from netral.pledges.models import JointSignatory, PledgeCampaign
from netral.pledges.service import SignedDocument

TEMPLATES = Path(__file__).parent / "templates"
METHOD_LABELS = {
    "online": "daring (NIP dan kode sekali pakai)",
    "paper": "lembar kertas bertanda tangan",
}


def _date_id(value: Any) -> str:
    if value is None:
        return "–"
    if hasattr(value, "astimezone") and hasattr(value, "hour"):
        value = value.astimezone(WIB).date()
    return f"{value.day} {MONTHS_ID[value.month]} {value.year}"


def _datetime_id(value: Any) -> str:
    local = value.astimezone(WIB)
    return f"{_date_id(local.date())}, pukul {local:%H:%M} WIB"


def _nip(value: str) -> str:
    """The NIP in its printed groups: birth date, appointment, sex, serial."""
    return f"{value[:8]} {value[8:14]} {value[14]} {value[15:]}" if len(value) == 18 else value


@lru_cache(maxsize=1)
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update({"date_id": _date_id, "datetime_id": _datetime_id, "nip": _nip})
    return env


def _pdf(html: str) -> bytes:
    # heavy import (cairo, pango): only paid by whoever prints
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    pdf = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=("data",))).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf


def _css() -> str:
    return (TEMPLATES / "pledge.css").read_text(encoding="utf-8")


def signed_html(doc: SignedDocument) -> str:
    return (
        _env()
        .get_template("signed.html")
        .render(
            css=_css(),
            campaign=doc.campaign,
            sig=doc.signature,
            person=doc.person,
            recorded_by=doc.recorded_by,
            method=METHOD_LABELS[doc.signature.method],
            city=_city(doc.campaign),
        )
    )


def signed_pdf(doc: SignedDocument) -> bytes:
    return _pdf(signed_html(doc))


def joint_html(
    campaign: PledgeCampaign, signatories: list[JointSignatory], signed: int, asn: int
) -> str:
    return (
        _env()
        .get_template("joint.html")
        .render(
            css=_css(),
            campaign=campaign,
            signatories=signatories,
            signed=signed,
            asn=asn,
            city=_city(campaign),
        )
    )


def joint_pdf(
    campaign: PledgeCampaign, signatories: list[JointSignatory], signed: int, asn: int
) -> bytes:
    return _pdf(joint_html(campaign, signatories, signed, asn))


def _city(campaign: PledgeCampaign) -> str:
    """The place line of the document: the issuer's city ("PEMERINTAH KOTA BANDUNG" -> Bandung)."""
    words = campaign.issuer.split()
    for i, word in enumerate(words):
        if word.upper() in ("KOTA", "KABUPATEN") and i + 1 < len(words):
            return " ".join(words[i + 1 :]).title()
    return ""
