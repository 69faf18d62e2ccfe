"""The active ASN per region, OPD and unit, recounted at the end of every write to the ASN."""

from __future__ import annotations

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from netral.core import events
from netral.registry.events import AsnChanged
from netral.registry.models import Asn, AsnHeadcount


def refresh_headcount(*, db_session: Session, region_code: str) -> None:
    """Recount the region's active ASN per OPD and unit, then announce that its ASN changed.

    Every write to the ASN ends here, in its own transaction (the import, the demo's season); one
    GROUP BY of the region, a fraction of what the import itself costs.
    """
    unit_key = func.coalesce(Asn.unit_id, 0)
    db_session.execute(delete(AsnHeadcount).where(AsnHeadcount.region_code == region_code))
    db_session.execute(
        insert(AsnHeadcount).from_select(
            ["region_code", "opd_id", "unit_key", "asn"],
            select(Asn.region_code, Asn.opd_id, unit_key, func.count())
            .where(Asn.region_code == region_code, Asn.is_active.is_(True))
            .group_by(Asn.region_code, Asn.opd_id, unit_key),
        )
    )
    events.publish(db_session, AsnChanged(region_code))
