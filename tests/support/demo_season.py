"""The demo season (`netral demo`) loaded into a test database, small: the same loader functions
the command calls, in its order, so the dashboards' tests read real rows."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from netral.core.crypto import Keyring
from netral.core.storage import LocalEvidenceStore
from netral.demo import (
    load_demo,
    load_demo_briefings,
    load_demo_case,
    load_demo_pledges,
    load_demo_reports,
)
from netral.demo.loader import load_demo_apk

CITY = "32.73"


def load_demo_season(
    db: Session, data_dir: Path, *, asn: int = 300, keys: Keyring | None = None
) -> None:
    """As `netral demo --asn N --second-region-asn 10`, committed; originals sealed with `keys`
    (default: the environment's keyring)."""
    load_demo(db_session=db, asn_count=asn, second_region_asn=10)
    store = LocalEvidenceStore(data_dir / "evidence", keys)
    load_demo_reports(db_session=db, store=store)
    load_demo_case(db_session=db, store=store)
    load_demo_pledges(db_session=db, store=store)
    load_demo_briefings(db_session=db)
    load_demo_apk(db_session=db, store=store)
    db.commit()
