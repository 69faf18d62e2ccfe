"""The pure rules of a pledge: the document hash, one-time codes, masking, the reminder's week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from netral.pledges import service
from netral.pledges.models import PledgeOtp

TEXT = "Saya tidak akan berpihak.\nSaya menjaga netralitas."


def test_document_hash_is_fixed_by_text_version_and_campaign():
    h = service.document_hash(code="c", version="1", pakta_text=TEXT)
    assert len(h) == 64
    # line endings and surrounding blanks are not what a person signs
    assert h == service.document_hash(
        code="c", version="1", pakta_text=f"  {TEXT.replace(chr(10), chr(13) + chr(10))}\n"
    )
    assert h != service.document_hash(code="c", version="2", pakta_text=TEXT)
    assert h != service.document_hash(code="d", version="1", pakta_text=TEXT)
    assert h != service.document_hash(
        code="c", version="1", pakta_text=TEXT.replace("tidak", "tak")
    )


def test_otp_codes_are_six_digits_and_kept_only_as_a_keyed_hash():
    codes = {service.new_otp_code() for _ in range(200)}
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(codes) > 150  # random, not a counter
    mac = service.otp_mac(campaign_id=1, asn_id=2, code="123456")
    assert "123456" not in mac and len(mac) == 64
    otp = PledgeOtp(campaign_id=1, asn_id=2, code_mac=mac)
    assert service.otp_matches(otp, "123456")
    assert service.otp_matches(otp, " 123456 ")
    assert not service.otp_matches(otp, "123457")
    # the same code for another ASN or campaign does not match
    assert not service.otp_matches(PledgeOtp(campaign_id=1, asn_id=3, code_mac=mac), "123456")


def test_otp_expiry_is_exclusive_of_its_instant():
    now = datetime(2024, 9, 2, 3, 0, tzinfo=UTC)
    otp = PledgeOtp(expires_at=now + timedelta(minutes=10))
    assert not service.otp_expired(otp, now + timedelta(minutes=9, seconds=59))
    assert service.otp_expired(otp, now + timedelta(minutes=10))


def test_mask_email_and_week_of():
    assert service.mask_email("budi.santoso@bandung.go.id") == "b***o@bandung.go.id"
    assert service.mask_email("ab@x.id") == "a***@x.id"
    assert service.week_of(date(2024, 9, 5)) == date(2024, 9, 2)  # a Thursday -> its Monday
    assert service.week_of(date(2024, 9, 2)) == date(2024, 9, 2)
