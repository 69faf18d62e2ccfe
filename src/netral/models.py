"""Imports every domain's tables so that Alembic and the test fixtures see the whole schema."""

from netral.core import models as core_models
from netral.election import models as election_models
from netral.registry import models as registry_models

__all__ = ["core_models", "election_models", "registry_models"]
