"""A pledge campaign, the ASN who signed it (online or on paper), the scanned sheets, the
one-time codes, the joint declaration's signatories and the weekly reminders to OPD admins."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from netral.core.db import BLOB, DERIVATIVE, Base, UTCDateTime, utcnow


class PledgeCampaign(Base):
    """ "Ikrar Netralitas ASN Pilkada 2024": the text ASN pledge, the pact they sign, for whom."""

    __tablename__ = "pledge_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    region_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    election_id: Mapped[int | None] = mapped_column(ForeignKey("election.id"))
    # who issues the document (the kop of the signed PDF): "PEMERINTAH KOTA BANDUNG"
    issuer: Mapped[str] = mapped_column(String(200))
    ikrar_text: Mapped[str] = mapped_column(Text)
    pakta_text: Mapped[str] = mapped_column(Text)
    document_version: Mapped[str] = mapped_column(String(40))
    # sha256 of the exact pakta integritas (see service.document_hash): what each signer signed
    document_sha256: Mapped[str] = mapped_column(String(64))
    # the top-level OPD asked to sign; empty: every OPD of the region
    opd_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class PledgeSheet(Base):
    """A signed paper sheet an OPD admin scanned and uploaded (the original kept in the store)."""

    __tablename__ = "pledge_sheet"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_campaign.id", ondelete="CASCADE"), index=True
    )
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    sha256: Mapped[str] = mapped_column(String(64), info=BLOB)
    derivative_sha256: Mapped[str | None] = mapped_column(String(64), info=DERIVATIVE)
    media_type: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(200), default="")
    size: Mapped[int] = mapped_column(Integer)
    signed_on: Mapped[date] = mapped_column(Date)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PledgeSignature(Base):
    """One ASN's signature of one campaign: never twice (the unique key refuses it)."""

    __tablename__ = "pledge_signature"
    __table_args__ = (
        # also the index coverage reads: campaign first, then the ASN it joins on
        UniqueConstraint("campaign_id", "asn_id", name="uq_pledge_signature_campaign_asn"),
        Index("ix_pledge_signature_campaign_method", "campaign_id", "method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("pledge_campaign.id", ondelete="CASCADE"))
    asn_id: Mapped[int] = mapped_column(ForeignKey("asn.id"), index=True)
    nip: Mapped[str] = mapped_column(String(18))  # as it was when signed
    method: Mapped[str] = mapped_column(String(8))  # online | paper
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    document_sha256: Mapped[str] = mapped_column(String(64))
    sheet_id: Mapped[int | None] = mapped_column(ForeignKey("pledge_sheet.id"))
    sheet_sha256: Mapped[str | None] = mapped_column(String(64))


class PledgeTally(Base):
    """Signatures of a campaign per OPD, unit (0: none) and method, of ASN still active there.

    Kept with every signature (`service._tally`) and recounted whenever the registry's ASN change
    (an ASN moved or left: `handlers.recount`), so coverage reads a few hundred rows instead of
    joining every signature to the million ASN.
    """

    __tablename__ = "pledge_tally"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_campaign.id", ondelete="CASCADE"), primary_key=True
    )
    opd_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    unit_key: Mapped[int] = mapped_column(Integer, primary_key=True)
    method: Mapped[str] = mapped_column(String(8), primary_key=True)
    signed: Mapped[int] = mapped_column(Integer)


class PledgeOtp(Base):
    """The one live code of an ASN for a campaign, kept only as a keyed hash."""

    __tablename__ = "pledge_otp"
    __table_args__ = (UniqueConstraint("campaign_id", "asn_id", name="uq_pledge_otp_campaign_asn"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("pledge_campaign.id", ondelete="CASCADE"))
    asn_id: Mapped[int] = mapped_column(ForeignKey("asn.id", ondelete="CASCADE"))
    code_mac: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)


class JointSignatory(Base):
    """Someone who is not an ASN signing the joint declaration (KPU, Bawaslu, the mayor)."""

    __tablename__ = "pledge_joint_signatory"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("pledge_campaign.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    office: Mapped[str] = mapped_column(String(200))  # "Komisioner KPU Kota Bandung"
    signed_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PledgeReminder(Base):
    """A weekly reminder to one OPD admin: its row is the in-app notice and the dedup key."""

    __tablename__ = "pledge_reminder"
    __table_args__ = (
        UniqueConstraint(
            "campaign_id", "user_id", "for_date", name="uq_pledge_reminder_campaign_user_week"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("pledge_campaign.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    for_date: Mapped[date] = mapped_column(Date)  # the Monday of the week it reminds for
    unsigned: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    emailed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
