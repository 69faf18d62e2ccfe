"""Fixtures for HTTP tests: the real app on a real database, two regions, a user per role."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from netral.core.settings import Settings
from netral.web.app import create_app
from support.web import World, login, seed_world


@pytest.fixture
def world(db: Session) -> World:
    return seed_world(db)


@pytest.fixture
def app(database_url, world):
    return create_app(Settings(database_url=database_url))


@pytest.fixture
def client(app) -> TestClient:
    return TestClient(app)


@pytest.fixture
def as_user(app):
    def make(username: str) -> TestClient:
        return login(TestClient(app), username)

    return make
