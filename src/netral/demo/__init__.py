"""The demo season: fictional data files (`data/`) and a loader that goes through the domain services."""

from netral.demo.loader import (
    DEMO_PASSWORD,
    load_demo,
    load_demo_case,
    load_demo_pledges,
    load_demo_reports,
)

__all__ = ["DEMO_PASSWORD", "load_demo", "load_demo_case", "load_demo_pledges", "load_demo_reports"]
