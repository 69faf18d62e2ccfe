"""Pledge campaigns and their signatures: online with a one-time code, or on a scanned paper sheet.

Every read is limited by the caller's scope; a login bound to an OPD (User.opd_id) sees that OPD
only. Coverage is counted by the database (GROUP BY per OPD or unit), never ASN by ASN.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

import yaml
from pydantic import ValidationError
from sqlalchemy import Select, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.calendar import WIB, to_wib_date
from netral.core.crypto import keyring
from netral.core.db import utcnow
from netral.core.errors import Conflict, Forbidden, NotFound, ValidationFailed, problem
from netral.core.mail import send_mail
from netral.core.models import User
from netral.core.security import Scope
from netral.core.settings import Settings
from netral.core.storage import JPEG, PDF, PNG, Incoming, LocalEvidenceStore
from netral.election import service as election_service
from netral.pledges.models import (
    JointSignatory,
    PledgeCampaign,
    PledgeOtp,
    PledgeReminder,
    PledgeSheet,
    PledgeSignature,
    PledgeTally,
)
from netral.pledges.schemas import CampaignIn
from netral.registry import service as registry
from netral.registry.service import AsnListed

log = logging.getLogger("netral.pledges")

METHODS = ("online", "paper")
SHEET_TYPES = frozenset({PDF, JPEG, PNG})
SHEET_MAX_BYTES = 10 * 1024 * 1024
OTP_DIGITS = 6
# a fresh code at most once a minute: the mail server is not the ASN's to flood
OTP_RESEND_SECONDS = 60
NATIONAL = Scope("national")


# ---------------------------------------------------------------- pure rules


def document_hash(*, code: str, version: str, pakta_text: str) -> str:
    """sha256 of the pakta integritas exactly as signed: campaign, version and normalised text."""
    text = unicodedata.normalize("NFC", pakta_text.replace("\r\n", "\n").replace("\r", "\n"))
    payload = f"netral/pakta-integritas\n{code}\n{version}\n{text.strip()}\n"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def new_otp_code() -> str:
    return f"{secrets.randbelow(10**OTP_DIGITS):0{OTP_DIGITS}d}"


def otp_mac(*, campaign_id: int, asn_id: int, code: str) -> str:
    """The keyed hash a code is kept as: useless without the server's MAC key."""
    return keyring().mac(f"pledge-otp:{campaign_id}:{asn_id}:{code}")


def otp_matches(otp: PledgeOtp, code: str) -> bool:
    given = otp_mac(campaign_id=otp.campaign_id, asn_id=otp.asn_id, code=code.strip())
    return secrets.compare_digest(given, otp.code_mac)


def otp_expired(otp: PledgeOtp, now: datetime) -> bool:
    return now >= otp.expires_at


def mask_email(email: str) -> str:
    """'budi.santoso@bandung.go.id' -> 'b***o@bandung.go.id': enough to recognise, not to copy."""
    local, _, domain = email.partition("@")
    shown = local[0] + "***" + local[-1] if len(local) > 2 else local[:1] + "***"
    return f"{shown}@{domain}"


def week_of(day: date) -> date:
    """The Monday of a day's week: one reminder per OPD admin and week."""
    return day - timedelta(days=day.weekday())


def is_open(campaign: PledgeCampaign, today: date) -> bool:
    return campaign.opens_on <= today and (
        campaign.closes_on is None or today <= campaign.closes_on
    )


# ---------------------------------------------------------------- campaigns


def _file_problem(name: str, msg_id: str, msg_en: str) -> ValidationFailed:
    return ValidationFailed(
        problem("pledges.file", f"{name}: {msg_id}", f"{name}: {msg_en}", field="file")
    )


def read_campaign_file(path: Path) -> CampaignIn:
    """A campaign from YAML (keys as CampaignIn); refuses with every field at fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise _file_problem(path.name, f"tidak terbaca ({exc})", f"unreadable ({exc})") from None
    try:
        return CampaignIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(
            *[
                problem(
                    "pledges.field",
                    f"{path.name}: {'.'.join(map(str, e['loc']))}: {e['msg']}",
                    f"{path.name}: {'.'.join(map(str, e['loc']))}: {e['msg']}",
                    field=".".join(map(str, e["loc"])),
                )
                for e in exc.errors()
            ]
        ) from None


def create_campaign(
    *, db_session: Session, campaign_in: CampaignIn, actor: Actor
) -> PledgeCampaign:
    """A new campaign for a region (and some or all of its OPD); its document hash fixed now."""
    problems = []
    if db_session.scalar(select(PledgeCampaign.id).where(PledgeCampaign.code == campaign_in.code)):
        problems.append(
            problem(
                "pledges.campaign_exists",
                f"Kampanye ikrar '{campaign_in.code}' sudah ada.",
                f"The pledge campaign '{campaign_in.code}' already exists.",
                field="code",
            )
        )
    place = registry.get_place(db_session=db_session, code=campaign_in.region)
    if place is None or place.level not in ("kota", "kabupaten"):
        problems.append(
            problem(
                "pledges.region",
                f"Wilayah '{campaign_in.region}' bukan kota/kabupaten yang dikenal registri.",
                f"Region '{campaign_in.region}' is not a kota/kabupaten the registry knows.",
                field="region",
            )
        )
    if campaign_in.closes_on is not None and campaign_in.closes_on < campaign_in.opens_on:
        problems.append(
            problem(
                "pledges.dates",
                "Tanggal tutup sebelum tanggal buka.",
                "The closing date is before the opening date.",
                field="closes_on",
            )
        )
    opd_ids: list[int] = []
    if campaign_in.opd:
        found = registry.opd_ids_by_codes(
            db_session=db_session, region_code=campaign_in.region, codes=campaign_in.opd
        )
        missing = [c for c in campaign_in.opd if c not in found]
        if missing:
            problems.append(
                problem(
                    "pledges.opd",
                    f"Kode OPD tidak dikenal di {campaign_in.region}: {', '.join(missing)}.",
                    f"Unknown OPD codes in {campaign_in.region}: {', '.join(missing)}.",
                    field="opd",
                )
            )
        opd_ids = [found[c] for c in campaign_in.opd if c in found]
    election_id = None
    if campaign_in.election:
        try:
            election_id = election_service.get_election(
                db_session=db_session, scope=NATIONAL, code=campaign_in.election
            ).id
        except NotFound:
            problems.append(
                problem(
                    "pledges.election",
                    f"Pemilihan '{campaign_in.election}' tidak ditemukan.",
                    f"Election '{campaign_in.election}' not found.",
                    field="election",
                )
            )
    if problems:
        raise ValidationFailed(*problems)
    campaign = PledgeCampaign(
        code=campaign_in.code,
        title=campaign_in.title.strip(),
        region_code=campaign_in.region,
        election_id=election_id,
        issuer=campaign_in.issuer.strip(),
        ikrar_text=campaign_in.ikrar.strip(),
        pakta_text=campaign_in.pakta_integritas.strip(),
        document_version=campaign_in.document_version,
        document_sha256=document_hash(
            code=campaign_in.code,
            version=campaign_in.document_version,
            pakta_text=campaign_in.pakta_integritas,
        ),
        opd_ids=opd_ids,
        opens_on=campaign_in.opens_on,
        closes_on=campaign_in.closes_on,
        created_by=actor.id,
    )
    db_session.add(campaign)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="pledges.campaign_create",
        object_type="pledge_campaign",
        object_id=campaign.code,
        region_code=campaign.region_code,
        summary={"opd": len(opd_ids) or "semua", "document_sha256": campaign.document_sha256},
    )
    return campaign


def _not_found() -> NotFound:
    return NotFound(
        problem(
            "pledges.not_found", "Kampanye ikrar tidak ditemukan.", "Pledge campaign not found."
        )
    )


def list_campaigns(*, db_session: Session, scope: Scope) -> list[PledgeCampaign]:
    return list(
        db_session.scalars(
            select(PledgeCampaign)
            .where(scope.clause(PledgeCampaign.region_code))
            .order_by(PledgeCampaign.opens_on.desc(), PledgeCampaign.id.desc())
        )
    )


def get_campaign(*, db_session: Session, scope: Scope, code: str | None = None) -> PledgeCampaign:
    """A campaign in scope by code; with no code, the latest one. NotFound otherwise."""
    stmt = select(PledgeCampaign).where(scope.clause(PledgeCampaign.region_code))
    if code:
        stmt = stmt.where(PledgeCampaign.code == code)
    campaign = db_session.scalar(
        stmt.order_by(PledgeCampaign.opens_on.desc(), PledgeCampaign.id.desc()).limit(1)
    )
    if campaign is None:
        raise _not_found()
    return campaign


def _opd_filter(campaign: PledgeCampaign, opd_id: int | None) -> list[int] | None:
    """The OPD a count covers: one of the campaign's (or nothing), or all of the campaign's."""
    if opd_id is None:
        return list(campaign.opd_ids) or None
    if campaign.opd_ids and opd_id not in campaign.opd_ids:
        return [-1]  # an OPD the campaign does not ask: no one
    return [opd_id]


def _signed_ids(campaign: PledgeCampaign, method: str | None = None) -> Select[Any]:
    stmt = select(PledgeSignature.asn_id).where(PledgeSignature.campaign_id == campaign.id)
    if method:
        stmt = stmt.where(PledgeSignature.method == method)
    return stmt


def visible_opd(user: User, requested: int | None) -> int | None:
    """A login bound to an OPD sees only that OPD; others see what they ask for (None: all)."""
    return user.opd_id if user.opd_id is not None else requested


# ---------------------------------------------------------------- coverage (the dashboard reads these)


@dataclass(frozen=True)
class OpdPledgeCoverage:
    opd_id: int
    opd_code: str
    opd: str
    asn: int
    signed: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.signed / self.asn, 1) if self.asn else 0.0


@dataclass(frozen=True)
class UnitPledgeCoverage:
    opd_id: int
    opd: str
    unit_id: int | None
    unit: str  # "" for the OPD's own staff, outside any unit
    asn: int
    signed: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.signed / self.asn, 1) if self.asn else 0.0


@dataclass(frozen=True)
class PledgeTotals:
    campaign_code: str
    title: str
    asn: int
    signed: int
    online: int
    paper: int
    joint_signatories: int

    @property
    def percent(self) -> float:
        return round(100.0 * self.signed / self.asn, 1) if self.asn else 0.0


def _tallied(
    db_session: Session, campaign: PledgeCampaign, opd_ids: list[int] | None
) -> list[PledgeTally]:
    where: list[Any] = [PledgeTally.campaign_id == campaign.id]
    if opd_ids:
        where.append(or_(PledgeTally.opd_id.in_(opd_ids), PledgeTally.unit_key.in_(opd_ids)))
    return list(db_session.scalars(select(PledgeTally).where(*where)))


def campaign_coverage(
    *, db_session: Session, scope: Scope, campaign: PledgeCampaign, opd_id: int | None = None
) -> list[OpdPledgeCoverage]:
    """ASN in scope and signed, per OPD, lowest percentage first: the registry's headcount and
    the campaign's tally, a few hundred rows whatever the number of ASN."""
    opd_ids = _opd_filter(campaign, opd_id)
    signed: dict[int, int] = {}
    for t in _tallied(db_session, campaign, opd_ids):
        signed[t.opd_id] = signed.get(t.opd_id, 0) + t.signed
    rows = [
        OpdPledgeCoverage(h.opd_id, h.opd_code, h.opd, h.asn, signed.get(h.opd_id, 0))
        for h in registry.headcount_by_opd(
            db_session=db_session, scope=scope, region_code=campaign.region_code, opd_ids=opd_ids
        )
    ]
    return sorted(rows, key=lambda r: (r.percent, r.opd))


def coverage_by_opd(
    *, db_session: Session, scope: Scope, campaign_code: str | None = None
) -> list[OpdPledgeCoverage]:
    """Coverage per OPD of a campaign (the latest in scope when None); lowest % first."""
    try:
        campaign = get_campaign(db_session=db_session, scope=scope, code=campaign_code)
    except NotFound:
        if campaign_code:
            raise
        return []
    return campaign_coverage(db_session=db_session, scope=scope, campaign=campaign)


def coverage_by_unit(
    *, db_session: Session, scope: Scope, campaign: PledgeCampaign, opd_id: int | None = None
) -> list[UnitPledgeCoverage]:
    """Coverage per OPD and unit, ordered by OPD then unit (the OPD's own staff first)."""
    opd_ids = _opd_filter(campaign, opd_id)
    signed: dict[tuple[int, int], int] = {}
    for t in _tallied(db_session, campaign, opd_ids):
        signed[t.opd_id, t.unit_key] = signed.get((t.opd_id, t.unit_key), 0) + t.signed
    rows = [
        UnitPledgeCoverage(
            c.opd_id, c.opd, c.unit_id, c.unit, c.asn, signed.get((c.opd_id, c.unit_id or 0), 0)
        )
        for c in registry.headcount_by_opd(
            db_session=db_session,
            scope=scope,
            region_code=campaign.region_code,
            opd_ids=opd_ids,
            by_unit=True,
        )
    ]
    return sorted(rows, key=lambda r: (r.opd, r.unit_id is not None, r.unit))


def totals(
    *, db_session: Session, scope: Scope, campaign_code: str | None = None
) -> PledgeTotals | None:
    """A campaign's totals in scope (the latest campaign when None); None when there is none."""
    try:
        campaign = get_campaign(db_session=db_session, scope=scope, code=campaign_code)
    except NotFound:
        if campaign_code:
            raise
        return None
    opd_ids = _opd_filter(campaign, None)
    by_method = dict.fromkeys(METHODS, 0)
    for t in _tallied(db_session, campaign, opd_ids):
        by_method[t.method] = by_method.get(t.method, 0) + t.signed
    asn = sum(
        h.asn
        for h in registry.headcount_by_opd(
            db_session=db_session, scope=scope, region_code=campaign.region_code, opd_ids=opd_ids
        )
    )
    joint = db_session.scalar(
        select(func.count())
        .select_from(JointSignatory)
        .where(JointSignatory.campaign_id == campaign.id)
    )
    return PledgeTotals(
        campaign.code,
        campaign.title,
        asn,
        by_method["online"] + by_method["paper"],
        by_method["online"],
        by_method["paper"],
        int(joint or 0),
    )


# ---------------------------------------------------------------- the tally behind coverage

# past this many new signatures at once, recounting the campaign beats an IN list of their ids
_RECOUNT_FROM = 2_000


def _signature_marks(campaign: PledgeCampaign) -> Select[Any, Any]:
    return select(PledgeSignature.asn_id, PledgeSignature.method).where(
        PledgeSignature.campaign_id == campaign.id
    )


def recount(*, db_session: Session, campaign: PledgeCampaign) -> None:
    """Recount a campaign's tally from its signatures and the ASN where they work now."""
    db_session.execute(delete(PledgeTally).where(PledgeTally.campaign_id == campaign.id))
    rows = registry.asn_marks_by_place(
        db_session=db_session, region_code=campaign.region_code, marks=_signature_marks(campaign)
    )
    if rows:
        db_session.execute(
            insert(PledgeTally),
            [
                {
                    "campaign_id": campaign.id,
                    "opd_id": r.opd_id,
                    "unit_key": r.unit_key,
                    "method": r.mark,
                    "signed": r.asn,
                }
                for r in rows
            ],
        )


def recount_region(*, db_session: Session, region_code: str) -> None:
    """Recount every campaign of a region (its ASN changed: some moved, left or arrived)."""
    for campaign in db_session.scalars(
        select(PledgeCampaign).where(PledgeCampaign.region_code == region_code)
    ):
        recount(db_session=db_session, campaign=campaign)


def _tally(db_session: Session, campaign: PledgeCampaign, asn_ids: Sequence[int]) -> None:
    """Add signatures just inserted (in this transaction) to the campaign's tally."""
    if not asn_ids:
        return
    if len(asn_ids) >= _RECOUNT_FROM:
        recount(db_session=db_session, campaign=campaign)
        return
    for r in registry.asn_marks_by_place(
        db_session=db_session,
        region_code=campaign.region_code,
        marks=_signature_marks(campaign),
        among=asn_ids,
    ):
        key = (
            PledgeTally.campaign_id == campaign.id,
            PledgeTally.opd_id == r.opd_id,
            PledgeTally.unit_key == r.unit_key,
            PledgeTally.method == r.mark,
        )
        add = update(PledgeTally).where(*key).values(signed=PledgeTally.signed + r.asn)
        if db_session.execute(add).rowcount:  # type: ignore[attr-defined]
            continue
        try:  # the first signature of this OPD and unit: a concurrent first one may win
            with db_session.begin_nested():
                db_session.add(
                    PledgeTally(
                        campaign_id=campaign.id,
                        opd_id=r.opd_id,
                        unit_key=r.unit_key,
                        method=r.mark,
                        signed=r.asn,
                    )
                )
        except IntegrityError:
            db_session.execute(add)


def unsigned(
    *,
    db_session: Session,
    scope: Scope,
    campaign: PledgeCampaign,
    opd_id: int | None = None,
    limit: int | None = 50,
    offset: int = 0,
) -> tuple[int, list[AsnListed]]:
    """Who in scope has not signed yet (how many, and one page), by OPD, unit and name."""
    return registry.asn_listed(
        db_session=db_session,
        scope=scope,
        region_code=campaign.region_code,
        opd_ids=_opd_filter(campaign, opd_id),
        excluding=_signed_ids(campaign),
        limit=limit,
        offset=offset,
    )


def campaign_opds(*, db_session: Session, campaign: PledgeCampaign) -> list[tuple[int, str, str]]:
    """(id, code, name) of the OPD the campaign asks to sign."""
    return registry.top_level_opd_refs(
        db_session=db_session, region_code=campaign.region_code, opd_ids=campaign.opd_ids or None
    )


# ---------------------------------------------------------------- the ASN signing online


@dataclass(frozen=True)
class Signer:
    """The ASN behind an `asn` login, as the pledge needs them."""

    asn_id: int
    nip: str
    name: str
    opd: str
    region_code: str


def signer_of(*, db_session: Session, user: User) -> Signer:
    """The registry ASN a login is bound to (User.nip); refused when it is bound to none."""
    refs = registry.asn_by_nips(db_session=db_session, nips=[user.nip] if user.nip else [])
    ref = refs.get(user.nip or "")
    if ref is None:
        raise Forbidden(
            problem(
                "pledges.no_asn",
                "Akun Anda belum terhubung dengan data ASN (NIP). Hubungi admin OPD Anda.",
                "Your account is not linked to an ASN record (NIP). Ask your OPD admin.",
            )
        )
    return Signer(ref.id, ref.nip, ref.name, ref.opd, ref.region_code)


def campaigns_for(*, db_session: Session, signer: Signer) -> list[PledgeCampaign]:
    """The campaigns that ask this ASN to sign, latest first."""
    out = []
    for c in db_session.scalars(
        select(PledgeCampaign)
        .where(PledgeCampaign.region_code == signer.region_code)
        .order_by(PledgeCampaign.opens_on.desc(), PledgeCampaign.id.desc())
    ):
        if _in_campaign(db_session, c, signer.asn_id):
            out.append(c)
    return out


def _in_campaign(db_session: Session, campaign: PledgeCampaign, asn_id: int) -> bool:
    total, _ = registry.asn_listed(
        db_session=db_session,
        scope=NATIONAL,
        region_code=campaign.region_code,
        opd_ids=campaign.opd_ids or None,
        among=[asn_id],
        limit=0,
    )
    return total == 1


def signature_of(
    *, db_session: Session, campaign: PledgeCampaign, asn_id: int
) -> PledgeSignature | None:
    return db_session.scalar(
        select(PledgeSignature).where(
            PledgeSignature.campaign_id == campaign.id, PledgeSignature.asn_id == asn_id
        )
    )


def _already_signed(sig: PledgeSignature) -> Conflict:
    when = sig.signed_at.astimezone(WIB).strftime("%d-%m-%Y %H:%M")
    return Conflict(
        problem(
            "pledges.already_signed",
            f"Pakta integritas ini sudah ditandatangani pada {when} WIB; tidak dapat "
            "ditandatangani dua kali.",
            f"This integrity pact was already signed on {when} WIB; it cannot be signed twice.",
        )
    )


def _check_open(campaign: PledgeCampaign, today: date) -> None:
    if not is_open(campaign, today):
        raise Conflict(
            problem(
                "pledges.closed",
                "Penandatanganan kampanye ini belum dibuka atau sudah ditutup.",
                "Signing for this campaign has not opened yet or has closed.",
            )
        )


@dataclass(frozen=True)
class CodeSent:
    sent_to: str  # masked
    expires_at: datetime


def request_code(
    *,
    db_session: Session,
    settings: Settings,
    campaign: PledgeCampaign,
    user: User,
    now: datetime | None = None,
) -> CodeSent:
    """A fresh one-time code to the ASN's registered e-mail; the old code, if any, dies."""
    now = now or utcnow()
    signer = signer_of(db_session=db_session, user=user)
    _check_open(campaign, to_wib_date(now))
    if not _in_campaign(db_session, campaign, signer.asn_id):
        raise _not_asked()
    done = signature_of(db_session=db_session, campaign=campaign, asn_id=signer.asn_id)
    if done is not None:
        raise _already_signed(done)
    asn = registry.get_asn(db_session=db_session, scope=NATIONAL, asn_id=signer.asn_id)
    email, _phone = registry.contact_of(asn)
    if not email:
        raise ValidationFailed(
            problem(
                "pledges.no_email",
                "Tidak ada alamat e-mail Anda di data kepegawaian, jadi kode tidak dapat dikirim. "
                "Mintalah admin OPD Anda mencatat ikrar Anda lewat lembar kertas yang "
                "ditandatangani.",
                "There is no e-mail address of yours in the staff records, so no code can be "
                "sent. Ask your OPD admin to record your pledge on a signed paper sheet.",
            )
        )
    otp = db_session.scalar(
        select(PledgeOtp).where(
            PledgeOtp.campaign_id == campaign.id, PledgeOtp.asn_id == signer.asn_id
        )
    )
    if otp is not None and now < otp.created_at + timedelta(seconds=OTP_RESEND_SECONDS):
        raise ValidationFailed(
            problem(
                "pledges.otp_wait",
                "Kode baru saja dikirim. Tunggu satu menit sebelum meminta kode lagi.",
                "A code was just sent. Wait a minute before asking for another.",
            )
        )
    code = new_otp_code()
    expires = now + timedelta(minutes=settings.pledge_otp_minutes)
    if otp is None:
        otp = PledgeOtp(campaign_id=campaign.id, asn_id=signer.asn_id)
        db_session.add(otp)
    otp.code_mac = otp_mac(campaign_id=campaign.id, asn_id=signer.asn_id, code=code)
    otp.created_at, otp.expires_at, otp.attempts = now, expires, 0
    db_session.flush()
    body = (
        f"Yth. {signer.name},\n\n"
        f'Kode untuk menandatangani "{campaign.title}": {code}\n'
        f"Berlaku {settings.pledge_otp_minutes} menit. Jangan berikan kode ini kepada siapa pun.\n\n"
        f'Your code to sign "{campaign.title}": {code} '
        f"(valid {settings.pledge_otp_minutes} minutes; share it with no one).\n\n"
        f"{settings.base_url}/ikrar\n"
    )
    try:
        send_mail(settings, [email], f"[netral] Kode ikrar netralitas: {code}", body)
    except (OSError, smtplib.SMTPException):
        # neither the code nor the address goes to the log
        log.warning("pledge code e-mail failed for campaign %s", campaign.code)
        raise ValidationFailed(
            problem(
                "pledges.mail_failed",
                "Kode tidak dapat dikirim sekarang. Coba lagi sebentar lagi.",
                "The code could not be sent right now. Try again shortly.",
            )
        ) from None
    return CodeSent(mask_email(email), expires)


def _not_asked() -> Forbidden:
    return Forbidden(
        problem(
            "pledges.not_in_campaign",
            "Kampanye ini tidak meminta ikrar dari OPD Anda.",
            "This campaign does not ask your OPD to pledge.",
        )
    )


def _otp_problem(code: str, msg_id: str, msg_en: str) -> ValidationFailed:
    return ValidationFailed(problem(code, msg_id, msg_en, field="code"))


def sign_online(
    *,
    db_session: Session,
    settings: Settings,
    campaign: PledgeCampaign,
    user: User,
    nip: str,
    code: str,
    now: datetime | None = None,
) -> PledgeSignature:
    """Sign as the signed-in ASN: the NIP must be their own and the code the live one."""
    now = now or utcnow()
    signer = signer_of(db_session=db_session, user=user)
    if "".join(nip.split()) != signer.nip:
        raise ValidationFailed(
            problem(
                "pledges.nip_mismatch",
                "NIP yang Anda ketik bukan NIP Anda sendiri.",
                "The NIP you typed is not your own.",
                field="nip",
            )
        )
    _check_open(campaign, to_wib_date(now))
    done = signature_of(db_session=db_session, campaign=campaign, asn_id=signer.asn_id)
    if done is not None:
        raise _already_signed(done)
    otp = db_session.scalar(
        select(PledgeOtp).where(
            PledgeOtp.campaign_id == campaign.id, PledgeOtp.asn_id == signer.asn_id
        )
    )
    if otp is None:
        raise _otp_problem(
            "pledges.otp_missing",
            "Minta kode terlebih dahulu; kode dikirim ke e-mail Anda.",
            "Ask for a code first; it is sent to your e-mail.",
        )
    if otp_expired(otp, now):
        raise _otp_problem(
            "pledges.otp_expired",
            "Kode sudah kedaluwarsa. Minta kode baru.",
            "The code has expired. Ask for a new one.",
        )
    if otp.attempts >= settings.pledge_otp_attempts:
        raise _otp_problem(
            "pledges.otp_locked",
            "Terlalu banyak kode salah. Minta kode baru.",
            "Too many wrong codes. Ask for a new one.",
        )
    if not otp_matches(otp, code):
        otp.attempts += 1
        left = settings.pledge_otp_attempts - otp.attempts
        # the failure must count although the request is refused (and would roll back): nothing
        # else has been written in this unit of work yet, as with a failed login
        db_session.commit()
        raise _otp_problem(
            "pledges.otp_wrong",
            f"Kode salah. Sisa percobaan: {left}.",
            f"Wrong code. Attempts left: {left}.",
        )
    db_session.delete(otp)
    sig = _insert_signature(
        db_session,
        campaign,
        PledgeSignature(
            campaign_id=campaign.id,
            asn_id=signer.asn_id,
            nip=signer.nip,
            method="online",
            signed_at=now,
            recorded_by=user.id,
            document_sha256=campaign.document_sha256,
        ),
    )
    _tally(db_session, campaign, [signer.asn_id])
    audit.record(
        db_session,
        actor=Actor.of(user),
        action="pledges.sign_online",
        object_type="pledge_signature",
        object_id=sig.id,
        region_code=campaign.region_code,
        summary={"campaign": campaign.code, "nip": signer.nip, "document": sig.document_sha256},
    )
    return sig


def _insert_signature(
    db_session: Session, campaign: PledgeCampaign, sig: PledgeSignature
) -> PledgeSignature:
    """Insert one signature; a concurrent second one meets the unique key and is refused."""
    try:
        with db_session.begin_nested():
            db_session.add(sig)
    except IntegrityError:
        done = signature_of(db_session=db_session, campaign=campaign, asn_id=sig.asn_id)
        if done is None:
            raise
        raise _already_signed(done) from None
    return sig


# ---------------------------------------------------------------- paper sheets


@dataclass(frozen=True)
class SheetUpload:
    file: BinaryIO
    filename: str
    content_type: str | None


@dataclass(frozen=True)
class PaperResult:
    sheet: PledgeSheet
    signed: int


def check_record_opd(*, db_session: Session, scope: Scope, user: User, opd_id: int) -> None:
    """An OPD admin records for their own OPD; BKPSDM for any OPD of its region."""
    if user.opd_id is not None and user.opd_id != opd_id:
        raise Forbidden(
            problem(
                "pledges.other_opd",
                "Anda hanya dapat mencatat lembar ikrar OPD Anda sendiri.",
                "You may record pledge sheets only for your own OPD.",
                field="opd_id",
            )
        )
    registry.get_opd(db_session=db_session, scope=scope, opd_id=opd_id)


def record_paper(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    scope: Scope,
    campaign: PledgeCampaign,
    user: User,
    opd_id: int,
    asn_ids: Sequence[int],
    signed_on: date,
    upload: SheetUpload,
) -> PaperResult:
    """A scanned sheet and the ASN ticked on it: all recorded together, or nothing."""
    check_record_opd(db_session=db_session, scope=scope, user=user, opd_id=opd_id)
    ids = sorted(set(asn_ids))
    if not ids:
        raise ValidationFailed(
            problem(
                "pledges.none_ticked",
                "Centang ASN yang menandatangani lembar ini.",
                "Tick the ASN who signed this sheet.",
                field="asn_ids",
            )
        )
    today = to_wib_date(utcnow())
    if signed_on > today or signed_on < campaign.opens_on:
        raise ValidationFailed(
            problem(
                "pledges.sheet_date",
                "Tanggal lembar harus di antara pembukaan kampanye dan hari ini.",
                "The sheet's date must lie between the campaign's opening and today.",
                field="signed_on",
            )
        )
    _check_open(campaign, today)
    if campaign.opd_ids and opd_id not in campaign.opd_ids:
        raise _not_asked()
    _, found = registry.asn_listed(
        db_session=db_session,
        scope=scope,
        region_code=campaign.region_code,
        opd_ids=[opd_id],
        among=ids,
    )
    strangers = sorted(set(ids) - {a.id for a in found})
    if strangers:
        raise ValidationFailed(
            problem(
                "pledges.not_in_opd",
                f"{len(strangers)} ASN yang dicentang bukan pegawai OPD ini.",
                f"{len(strangers)} ticked ASN do not work in this OPD.",
                field="asn_ids",
            )
        )
    names = {a.id: a for a in found}
    twice = list(
        db_session.scalars(
            select(PledgeSignature.asn_id).where(
                PledgeSignature.campaign_id == campaign.id, PledgeSignature.asn_id.in_(ids)
            )
        )
    )
    if twice:
        who = ", ".join(sorted(names[i].name for i in twice)[:10])
        raise Conflict(
            problem(
                "pledges.already_signed",
                f"Sudah menandatangani sebelumnya, jangan dicatat dua kali: {who}.",
                f"Already signed before; do not record twice: {who}.",
                field="asn_ids",
            )
        )
    blob = store.put(
        upload.file,
        filename=upload.filename,
        declared_type=upload.content_type,
        max_bytes=SHEET_MAX_BYTES,
    )
    if blob.media_type not in SHEET_TYPES:
        # the sweep removes the stored object: no row will ever refer to it
        raise ValidationFailed(
            problem(
                "pledges.sheet_type",
                "Lembar pindaian harus PDF, JPG atau PNG.",
                "The scanned sheet must be a PDF, JPG or PNG.",
                field="sheet",
            )
        )
    now = utcnow()
    sheet = PledgeSheet(
        campaign_id=campaign.id,
        opd_id=opd_id,
        sha256=blob.sha256,
        derivative_sha256=blob.derivative_sha256,
        media_type=blob.media_type,
        filename=upload.filename[:200],
        size=blob.size,
        signed_on=signed_on,
        uploaded_by=user.id,
        uploaded_at=now,
    )
    db_session.add(sheet)
    db_session.flush()
    # noon WIB of the sheet's day: the sheet carries a date, not a time
    signed_at = datetime(signed_on.year, signed_on.month, signed_on.day, 5, 0, tzinfo=UTC)
    try:
        with db_session.begin_nested():
            db_session.execute(
                insert(PledgeSignature),
                [
                    {
                        "campaign_id": campaign.id,
                        "asn_id": i,
                        "nip": names[i].nip,
                        "method": "paper",
                        "signed_at": signed_at,
                        "recorded_by": user.id,
                        "document_sha256": campaign.document_sha256,
                        "sheet_id": sheet.id,
                        "sheet_sha256": blob.sha256,
                    }
                    for i in ids
                ],
            )
    except IntegrityError:
        raise Conflict(
            problem(
                "pledges.already_signed",
                "Sebagian ASN baru saja tercatat menandatangani; muat ulang halaman.",
                "Some of these ASN were just recorded as signed; reload the page.",
                field="asn_ids",
            )
        ) from None
    _tally(db_session, campaign, ids)
    audit.record(
        db_session,
        actor=Actor.of(user),
        action="pledges.record_paper",
        object_type="pledge_sheet",
        object_id=sheet.id,
        region_code=campaign.region_code,
        summary={
            "campaign": campaign.code,
            "opd_id": opd_id,
            "asn": len(ids),
            "sha256": blob.sha256,
        },
    )
    return PaperResult(sheet, len(ids))


def sheets(
    *, db_session: Session, campaign: PledgeCampaign, opd_id: int | None = None
) -> list[tuple[PledgeSheet, int]]:
    """The campaign's sheets (of one OPD), newest first, with how many signed on each."""
    stmt = (
        select(PledgeSheet, func.count(PledgeSignature.id))
        .outerjoin(PledgeSignature, PledgeSignature.sheet_id == PledgeSheet.id)
        .where(PledgeSheet.campaign_id == campaign.id)
        .group_by(PledgeSheet.id)
        .order_by(PledgeSheet.id.desc())
    )
    if opd_id is not None:
        stmt = stmt.where(PledgeSheet.opd_id == opd_id)
    return [(s, int(n)) for s, n in db_session.execute(stmt)]


def signed_ids(
    *, db_session: Session, campaign: PledgeCampaign, asn_ids: Sequence[int]
) -> set[int]:
    if not asn_ids:
        return set()
    return set(
        db_session.scalars(_signed_ids(campaign).where(PledgeSignature.asn_id.in_(list(asn_ids))))
    )


def opd_staff(
    *, db_session: Session, scope: Scope, campaign: PledgeCampaign, opd_id: int
) -> list[AsnListed]:
    """Every active ASN of an OPD and its units: the list a sheet is ticked from."""
    _, rows = registry.asn_listed(
        db_session=db_session, scope=scope, region_code=campaign.region_code, opd_ids=[opd_id]
    )
    return rows


# ---------------------------------------------------------------- the joint declaration


def add_joint_signatory(
    *,
    db_session: Session,
    campaign: PledgeCampaign,
    name: str,
    office: str,
    signed_on: date,
    actor: Actor,
) -> JointSignatory:
    name, office = " ".join(name.split()), " ".join(office.split())
    problems = []
    if len(name) < 3:
        problems.append(
            problem("pledges.joint_name", "Isi nama penanda tangan.", "Fill in the name.", "name")
        )
    if len(office) < 3:
        problems.append(
            problem(
                "pledges.joint_office",
                "Isi jabatan dan lembaga (mis. Komisioner KPU Kota Bandung).",
                "Fill in the office (e.g. Commissioner, KPU Kota Bandung).",
                "office",
            )
        )
    if problems:
        raise ValidationFailed(*problems)
    exists = db_session.scalar(
        select(JointSignatory.id).where(
            JointSignatory.campaign_id == campaign.id,
            func.lower(JointSignatory.name) == name.lower(),
            func.lower(JointSignatory.office) == office.lower(),
        )
    )
    if exists:
        raise Conflict(
            problem(
                "pledges.joint_exists",
                f"{name} ({office}) sudah tercatat dalam deklarasi bersama.",
                f"{name} ({office}) is already on the joint declaration.",
                field="name",
            )
        )
    row = JointSignatory(
        campaign_id=campaign.id,
        name=name,
        office=office,
        signed_on=signed_on,
        recorded_by=actor.id,
    )
    db_session.add(row)
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="pledges.joint_add",
        object_type="pledge_joint_signatory",
        object_id=row.id,
        region_code=campaign.region_code,
        summary={"campaign": campaign.code, "name": name, "office": office},
    )
    return row


def joint_signatories(*, db_session: Session, campaign: PledgeCampaign) -> list[JointSignatory]:
    return list(
        db_session.scalars(
            select(JointSignatory)
            .where(JointSignatory.campaign_id == campaign.id)
            .order_by(JointSignatory.id)
        )
    )


# ---------------------------------------------------------------- exports


SIGNATURE_HEADERS = [
    "nip", "nama", "jabatan", "opd_kode", "opd", "unit", "cara", "waktu_wib", "dicatat_oleh",
    "hash_dokumen", "hash_lembar",
]  # fmt: skip
UNSIGNED_HEADERS = ["nip", "nama", "jabatan", "opd_kode", "opd", "unit"]


def signature_rows(
    *,
    db_session: Session,
    scope: Scope,
    campaign: PledgeCampaign,
    opd_id: int | None = None,
    method: str | None = None,
) -> Iterator[list[Any]]:
    """The signatures in scope (one OPD, one method) as export rows, in chunks."""
    _, people = registry.asn_listed(
        db_session=db_session,
        scope=scope,
        region_code=campaign.region_code,
        opd_ids=_opd_filter(campaign, opd_id),
        among=_signed_ids(campaign, method),
    )
    for start in range(0, len(people), 2000):
        chunk = people[start : start + 2000]
        sigs = {
            s.asn_id: (s, username)
            for s, username in db_session.execute(
                select(PledgeSignature, User.username)
                .outerjoin(User, User.id == PledgeSignature.recorded_by)
                .where(
                    PledgeSignature.campaign_id == campaign.id,
                    PledgeSignature.asn_id.in_([p.id for p in chunk]),
                )
            )
        }
        for p in chunk:
            s, username = sigs[p.id]
            yield [
                p.nip, p.name, p.position, p.opd_code, p.opd, p.unit, s.method,
                s.signed_at.astimezone(WIB).replace(tzinfo=None), username or "",
                s.document_sha256, s.sheet_sha256 or "",
            ]  # fmt: skip


def unsigned_rows(
    *, db_session: Session, scope: Scope, campaign: PledgeCampaign, opd_id: int | None = None
) -> Iterator[list[Any]]:
    _, people = unsigned(
        db_session=db_session, scope=scope, campaign=campaign, opd_id=opd_id, limit=None
    )
    for p in people:
        yield [p.nip, p.name, p.position, p.opd_code, p.opd, p.unit]


def record_export(
    *,
    db_session: Session,
    actor: Actor,
    campaign: PledgeCampaign,
    what: str,
    rows: int,
    filters: dict[str, Any],
) -> None:
    audit.record(
        db_session,
        actor=actor,
        action=f"pledges.export_{what}",
        object_type="pledge_campaign",
        object_id=campaign.code,
        region_code=campaign.region_code,
        summary={"rows": rows, **{k: v for k, v in filters.items() if v is not None}},
    )


# ---------------------------------------------------------------- bulk (demo, imports)


@dataclass(frozen=True)
class BulkSignature:
    asn_id: int
    nip: str
    method: str
    signed_at: datetime
    recorded_by: int | None = None
    sheet_id: int | None = None
    sheet_sha256: str | None = None


def bulk_sign(
    *, db_session: Session, campaign: PledgeCampaign, rows: Sequence[BulkSignature]
) -> int:
    """Many signatures in one executemany (the demo's season); the unique key still holds."""
    bad = [r.method for r in rows if r.method not in METHODS]
    if bad:
        raise ValueError(f"unknown signing methods {sorted(set(bad))}")
    if rows:
        db_session.execute(
            insert(PledgeSignature),
            [
                {
                    "campaign_id": campaign.id,
                    "asn_id": r.asn_id,
                    "nip": r.nip,
                    "method": r.method,
                    "signed_at": r.signed_at,
                    "recorded_by": r.recorded_by,
                    "document_sha256": campaign.document_sha256,
                    "sheet_id": r.sheet_id,
                    "sheet_sha256": r.sheet_sha256,
                }
                for r in rows
            ],
        )
        _tally(db_session, campaign, [r.asn_id for r in rows])
    return len(rows)


def add_sheet(
    *,
    db_session: Session,
    store: LocalEvidenceStore,
    campaign: PledgeCampaign,
    opd_id: int,
    data: bytes,
    filename: str,
    signed_on: date,
    uploaded_by: int | None,
) -> PledgeSheet:
    """Keep a sheet's scan without ticking anyone (the demo ticks in bulk afterwards)."""
    import io

    blob = store.put_all([Incoming(io.BytesIO(data), filename, None)], max_bytes=SHEET_MAX_BYTES)[0]
    sheet = PledgeSheet(
        campaign_id=campaign.id,
        opd_id=opd_id,
        sha256=blob.sha256,
        derivative_sha256=blob.derivative_sha256,
        media_type=blob.media_type,
        filename=filename,
        size=blob.size,
        signed_on=signed_on,
        uploaded_by=uploaded_by,
    )
    db_session.add(sheet)
    db_session.flush()
    return sheet


# ---------------------------------------------------------------- what the pages show


@dataclass(frozen=True)
class SignedDocument:
    """What the signed PDF shows of one signature."""

    campaign: PledgeCampaign
    signature: PledgeSignature
    person: AsnListed
    recorded_by: str


def signed_document(
    *, db_session: Session, scope: Scope, campaign: PledgeCampaign, asn_id: int
) -> SignedDocument:
    sig = signature_of(db_session=db_session, campaign=campaign, asn_id=asn_id)
    _, people = registry.asn_listed(
        db_session=db_session, scope=scope, region_code=campaign.region_code, among=[asn_id]
    )
    if sig is None or not people:
        raise NotFound(
            problem(
                "pledges.signature_not_found",
                "Tanda tangan ikrar tidak ditemukan.",
                "Pledge signature not found.",
            )
        )
    who = db_session.scalar(select(User.full_name).where(User.id == sig.recorded_by)) or ""
    return SignedDocument(campaign, sig, people[0], who)


def notices_for(*, db_session: Session, user: User, limit: int = 5) -> list[PledgeReminder]:
    """The latest reminders addressed to this user: their in-app notices."""
    return list(
        db_session.scalars(
            select(PledgeReminder)
            .where(PledgeReminder.user_id == user.id)
            .order_by(PledgeReminder.id.desc())
            .limit(limit)
        )
    )


def delete_expired_codes(*, db_session: Session, now: datetime | None = None) -> int:
    """Forget codes that can no longer be used (the reminder job tidies them weekly)."""
    result = db_session.execute(delete(PledgeOtp).where(PledgeOtp.expires_at < (now or utcnow())))
    return int(getattr(result, "rowcount", 0) or 0)


def subject_data(*, db_session: Session, asn_id: int) -> list[dict[str, Any]]:
    """Every pledge this ASN signed, for their own export."""
    rows = db_session.execute(
        select(PledgeSignature, PledgeCampaign.title)
        .join(PledgeCampaign, PledgeCampaign.id == PledgeSignature.campaign_id)
        .where(PledgeSignature.asn_id == asn_id)
        .order_by(PledgeSignature.signed_at)
    ).all()
    return [
        {
            "campaign": title,
            "signed_at": sig.signed_at.isoformat(),
            "method": sig.method,
            "nip_when_signed": sig.nip,
        }
        for sig, title in rows
    ]
