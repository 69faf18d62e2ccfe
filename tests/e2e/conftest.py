"""Fixtures for HTTP tests: the real app on a real database, two regions, a user per role."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netral.app import create_app
from netral.core.settings import Settings

from support.browser import ARGS, CHROMIUM
from support.server import serving
from support.web import World, login, seed_world

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(db: Session) -> World:
    return seed_world(db)


@pytest.fixture
def settings(database_url, tmp_path) -> Settings:
    # generous limits: the rate-limit test builds its own app with tight ones
    return Settings(database_url=database_url, data_dir=tmp_path / "data",
                    report_submissions_per_minute=10_000, receipt_lookups_per_minute=10_000)


@pytest.fixture
def app(settings, world):
    return create_app(settings)


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def as_user(app):
    def make(username: str) -> TestClient:
        return login(TestClient(app), username)

    return make


@pytest.fixture
def server(app) -> Iterator[str]:
    """The app served by a real uvicorn in a thread, for the browser tests."""
    with serving(app) as url:
        yield url


@pytest.fixture
def season_app(db, settings):
    """The demo season (`netral demo`, 60 ASN) on the test database, its logins as in README."""
    from netral.dashboard.board import clear_public_cache

    from support.demo_season import load_demo_season

    clear_public_cache()
    app = create_app(settings)  # first: it wires the job queue the demo's reports are queued on
    load_demo_season(db, settings.data_dir, asn=60)
    return app


@pytest.fixture
def season_server(season_app) -> Iterator[str]:
    with serving(season_app) as url:
        yield url


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """Where screenshots go for a person to look at: $NETRAL_SCREENSHOTS, else
    test-artifacts/<test name>/ at the repository's root (git-ignored)."""
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    root = os.environ.get("NETRAL_SCREENSHOTS")
    out = Path(root) if root else REPO / "test-artifacts" / name
    out.mkdir(parents=True, exist_ok=True)
    return out
