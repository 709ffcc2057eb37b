"""A real server for the seat's service tests, one per test module, with two operators."""
from __future__ import annotations

import pytest

from tests.support.live_server import LiveServer, sqlite_settings

PASSWORD = "seat password 1"
OPERATORS = ("operator1", "operator2")


@pytest.fixture(scope="module")
def live(tmp_path_factory, sqlite_template):
    with LiveServer.start(sqlite_settings(tmp_path_factory.mktemp("seat-services"), sqlite_template)) as server:
        for name in OPERATORS:
            server.create_user(name, PASSWORD, "operator")
        yield server
