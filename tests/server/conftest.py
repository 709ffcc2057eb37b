"""Server fixtures: settings on a fresh database, the app, an HTTP client, users per role."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.adapters.db import unit_of_work
from server.app import create_app
from server.services.auth import create_user
from server.settings import Settings

PASSWORD = "correct horse battery"
ROLES = ("operator", "officer", "supervisor", "admin")


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=db_url, login_max_failures=3)


@pytest.fixture
def app(settings: Settings):
    app = create_app(settings)
    yield app
    app.state.ctx.engine.dispose()


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def make_user(app) -> Callable[..., str]:
    def _make(username: str, role: str) -> str:
        with unit_of_work(app.state.ctx.session_factory) as s:
            create_user(s, username, PASSWORD, role)
        return username

    return _make


@pytest.fixture
def auth_headers(client: TestClient, make_user) -> Callable[[str], dict[str, str]]:
    """auth_headers("operator") -> headers of a logged-in user with that role (one user per role name)."""
    cache: dict[str, dict[str, str]] = {}

    def _headers(role: str, username: str | None = None) -> dict[str, str]:
        username = username or f"{role}1"
        if username not in cache:
            make_user(username, role)
            r = client.post("/api/auth/login", json={"username": username, "password": PASSWORD})
            assert r.status_code == 200, r.text
            cache[username] = {"Authorization": f"Bearer {r.json()['token']}"}
        return cache[username]

    return _headers


@pytest.fixture
def queued_case(app) -> int:
    case = app.state.ctx.cases.open_case("public", reporter_phone="13800138000")
    return case.id


@pytest.fixture
def held_case(client: TestClient, auth_headers, queued_case: int) -> int:
    """A case that ``auth_headers("operator")`` (operator1) answered, so it holds the case and may write to it."""
    r = client.post(f"/api/cases/{queued_case}/answer", headers=auth_headers("operator"))
    assert r.status_code == 200, r.text
    return queued_case
