"""The reports tests' member of Bawaslu staff, in the shared test world."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.core.models import User

from support.web import seed_world


@pytest.fixture
def staff(db: Session) -> User:
    seed_world(db)
    user = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    assert user is not None
    return user
