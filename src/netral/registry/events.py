"""What the registry announces."""

from __future__ import annotations

from dataclasses import dataclass

from netral.core.events import Event


@dataclass(frozen=True)
class AsnChanged(Event):
    """The ASN of a region were written (an import): who works where, or who is active, may differ.

    Published inside the writing transaction after the region's headcount was recounted, so what
    other domains keep per OPD (pledge tallies) is recounted in the same commit.
    """

    region_code: str
