"""The registry: regions (wilayah), agencies (OPD) and their units, civil servants (ASN)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from netral.core.db import Base, UTCDateTime, utcnow


class Wilayah(Base):
    """A Kemendagri region: provinsi → kota/kabupaten → kecamatan → kelurahan/desa."""

    __tablename__ = "wilayah"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(16))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("wilayah.code"), index=True)
    # the kota/kabupaten this row belongs to ("" for a province): what scopes filter on
    region_code: Mapped[str] = mapped_column(String(20), index=True, default="")


class Opd(Base):
    """A city agency or one of its units; kecamatan and kelurahan offices are OPD too."""

    __tablename__ = "opd"
    __table_args__ = (UniqueConstraint("region_code", "code", name="uq_opd_region_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(ForeignKey("wilayah.code"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    # dinas, badan, sekretariat, inspektorat, kecamatan, kelurahan, satpol_pp, rsud, unit, ...
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    wilayah_code: Mapped[str | None] = mapped_column(ForeignKey("wilayah.code"))

    parent: Mapped[Opd | None] = relationship(remote_side="Opd.id", lazy="joined")


class Asn(Base):
    __tablename__ = "asn"
    __table_args__ = (
        Index("ix_asn_region_opd", "region_code", "opd_id"),
        # the staff of given offices and units (the heads of kecamatan and kelurahan offices;
        # migration 0015)
        Index("ix_asn_opd_id", "opd_id"),
        Index("ix_asn_unit_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    nip: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(4))  # PNS | PPPK
    position: Mapped[str] = mapped_column(String(200), default="")
    golongan: Mapped[str] = mapped_column(String(10), default="")
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    region_code: Mapped[str] = mapped_column(String(20))
    # email and phone, AES-GCM sealed together (core.crypto); only registry.contact may open it
    contact_enc: Mapped[bytes | None] = mapped_column(LargeBinary)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    opd: Mapped[Opd] = relationship(foreign_keys=[opd_id], lazy="joined")
    unit: Mapped[Opd | None] = relationship(foreign_keys=[unit_id], lazy="joined")
    accounts: Mapped[list[SocialAccount]] = relationship(
        back_populates="asn", cascade="all, delete-orphan", lazy="selectin"
    )


class SocialAccount(Base):
    __tablename__ = "social_account"
    __table_args__ = (UniqueConstraint("platform", "handle", name="uq_social_account_platform"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    asn_id: Mapped[int] = mapped_column(ForeignKey("asn.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))  # instagram, facebook, x, tiktok, youtube
    handle: Mapped[str] = mapped_column(String(100))

    asn: Mapped[Asn] = relationship(back_populates="accounts")


class AsnHeadcount(Base):
    """Active ASN per region, OPD and unit, kept by every write to the ASN (`refresh_headcount`).

    The dashboards ask "how many ASN work in each OPD" on every cold page; counting a million rows
    each time took most of a second. The import recounts its region at its end, in its own
    transaction, so the figures are never older than the registry they describe.
    """

    __tablename__ = "asn_headcount"

    region_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id"), primary_key=True)
    unit_key: Mapped[int] = mapped_column(Integer, primary_key=True)  # the unit's id; 0 for none
    asn: Mapped[int] = mapped_column(Integer)
