"""Fixtures for HTTP tests: the real app on a real database, two regions, a user per role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netral.app import create_app
from netral.core.settings import Settings

from support.web import World, login, seed_world


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
