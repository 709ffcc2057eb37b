"""The self-test's server and role checks against a real Kuaichu server (plain HTTP on loopback)."""
import pytest

from seat_app.core.seat_settings import SeatSettings
from seat_app.selftest import checks
from tests.support.live_server import LiveServer, sqlite_settings

PASSWORD = "self-test password 1"


@pytest.fixture(scope="module")
def live(tmp_path_factory, sqlite_template):
    with LiveServer.start(sqlite_settings(tmp_path_factory.mktemp("self-test"), sqlite_template)) as server:
        server.create_user("officer1", PASSWORD, "officer")
        yield server


def run(name, config):
    return checks.run_check(next(c for c in checks.CHECKS if c.name == name), config)


def test_the_role_of_the_configured_user_is_known(live):
    config = checks.config_from_settings(SeatSettings(server_url=live.url, username="officer1"), password=PASSWORD)
    planned, left_out = checks.plan(config, checks.CHECKS, only=["server", "role"])
    assert [c.name for c in planned] == ["server", "role"] and left_out == []
    server = run("server", config)
    assert server.status == checks.WARN and "plain HTTP" in server.reason  # reachable, but nothing encrypted
    role = run("role", config)
    assert role.status == checks.PASS and role.reason.startswith("officer1 (") and role.reason.endswith("the role officer")


def test_a_wrong_password_fails_the_role_check_with_the_servers_words(live):
    config = checks.config_from_settings(SeatSettings(server_url=live.url), username="officer1", password="wrong")
    role = run("role", config)
    assert role.status == checks.FAIL and role.reason.startswith("login as officer1 refused: ")


def test_without_credentials_the_role_check_is_not_run(live, monkeypatch):
    monkeypatch.delenv("KUAICHU_SEAT_PASSWORD", raising=False)
    config = checks.config_from_settings(SeatSettings(server_url=live.url, username="officer1"))
    planned, left_out = checks.plan(config, checks.CHECKS, only=["role"])
    assert planned == [] and left_out[0].startswith("role: no credentials")


def test_the_default_address_is_not_a_configured_server():
    config = checks.config_from_settings(SeatSettings())
    assert config.server_url == ""
    assert [line.split(":")[0] for line in checks.plan(config, checks.CHECKS)[1]] == ["server", "ice", "role"]


def test_a_logged_in_seats_session_is_enough_for_the_role_check(live):
    from seat_app.services.api_client import ApiClient

    client = ApiClient(live.url)
    client.login("officer1", PASSWORD)
    role = run("role", checks.SelfTestConfig(server_url=live.url, token=client.token))
    assert role.status == checks.PASS and role.reason.endswith("the role officer")
    assert client.me()["username"] == "officer1"  # the check did not log the seat's session out
