"""Imports every domain's tables so that Alembic and the test fixtures see the whole schema."""

from netral.cases import models as cases_models
from netral.core import models as core_models
from netral.core import sequences
from netral.election import models as election_models
from netral.registry import models as registry_models
from netral.reports import models as reports_models
from netral.screening import models as screening_models

__all__ = [
    "cases_models",
    "core_models",
    "election_models",
    "registry_models",
    "reports_models",
    "screening_models",
    "sequences",
]
