"""What pledges does when another domain announces something."""

from __future__ import annotations

from sqlalchemy.orm import Session

from netral.pledges import service
from netral.registry.events import AsnChanged


def recount_on_asn_change(db_session: Session, event: AsnChanged) -> None:
    """The region's ASN changed: recount its campaigns' tallies in the same transaction, so
    coverage counts a signer where they work now, and no longer once they have left."""
    service.recount_region(db_session=db_session, region_code=event.region_code)
