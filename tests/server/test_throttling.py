"""Throttling (issue 10, holes 6 to 11): forwarded addresses, per-user and per-address login limits,
login timing, SMS pumping, Retry-After on every 429, and counters shared by every server instance."""
from __future__ import annotations

import argparse
import hashlib
import threading
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from server.adapters.db import make_engine, make_session_factory, unit_of_work
from server.adapters.orm import LoginThrottle, RateCounter, SmsMessage
from server.app import create_app
from server.services import auth as auth_module
from server.services.auth import create_user
from server.services.rate_limits import Limit, RateLimits
from server.settings import Settings
from tests.server.conftest import PASSWORD
from tests.support.hub import services
from tests.support.live_server import free_socket


def _login(client, username: str, password: str = "wrong password"):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def _from(app, address: str) -> TestClient:
    """A client whose socket comes from ``address`` (no lifespan: login and phone codes need no hub)."""
    return TestClient(app, client=(address, 40000))


def _settings(settings: Settings, **changes) -> Settings:
    return settings.model_copy(update=changes)


@pytest.fixture
def make_app(settings: Settings) -> Iterator:
    apps = []

    def _make(**changes):
        app = create_app(_settings(settings, **changes))
        apps.append(app)
        return app

    yield _make
    for app in apps:
        app.state.ctx.engine.dispose()


def _add_user(app, username: str, role: str = "operator", active: bool = True) -> None:
    with unit_of_work(app.state.ctx.session_factory) as s:
        create_user(s, username, PASSWORD, role).active = active


# --- hole 6: X-Forwarded-For and the per-user lock -------------------------------------------


def _serve_like_the_cli(settings: Settings, monkeypatch) -> tuple:
    """The app and the uvicorn options exactly as `kuaichu-server serve` would run them."""
    import uvicorn

    from server import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app, options=kw))
    assert cli.cmd_serve(argparse.Namespace(), settings) == 0
    options = {k: v for k, v in seen["options"].items() if k not in ("host", "port")}
    return seen["app"], options


def test_forwarded_for_from_an_untrusted_peer_does_not_escape_the_lock_out(settings, monkeypatch):
    import uvicorn

    app, options = _serve_like_the_cli(settings, monkeypatch)
    _add_user(app, "op")
    sock = free_socket()
    server = uvicorn.Server(uvicorn.Config(app, **{**options, "log_level": "warning"}))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/api/auth/login"
        with httpx.Client(timeout=10) as http:
            for _ in range(200):  # the server is up when it answers
                try:
                    http.get(url.replace("/api/auth/login", "/api/health"))
                    break
                except httpx.TransportError:
                    threading.Event().wait(0.05)
            codes = [http.post(url, json={"username": "op", "password": "nope"},
                               headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code for i in range(1, 6)]
            right = http.post(url, json={"username": "op", "password": PASSWORD},
                              headers={"X-Forwarded-For": "203.0.113.99"})
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
        app.state.ctx.engine.dispose()
    assert codes == [401, 401, 401, 429, 429]  # login_max_failures=3: the header changed nothing
    assert right.status_code == 429


def test_forwarded_for_is_honoured_from_a_trusted_proxy_only(make_app):
    app = make_app(trusted_proxies=["10.9.0.0/16"])
    _add_user(app, "op")
    proxy = _from(app, "10.9.0.5")
    for _ in range(3):
        assert proxy.post("/api/auth/login", json={"username": "op", "password": "x"},
                          headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 401
    locked = proxy.post("/api/auth/login", json={"username": "op", "password": PASSWORD},
                        headers={"X-Forwarded-For": "198.51.100.7"})
    assert locked.status_code == 429
    # The same user from another client behind the same proxy is its own (user, address) pair.
    ok = proxy.post("/api/auth/login", json={"username": "op", "password": PASSWORD},
                    headers={"X-Forwarded-For": "198.51.100.8"})
    assert ok.status_code == 200, ok.text
    # A peer that is not a listed proxy cannot pick its address with the header.
    stranger = _from(app, "192.0.2.1")
    for _ in range(3):
        assert stranger.post("/api/auth/login", json={"username": "op", "password": "x"},
                             headers={"X-Forwarded-For": f"198.51.100.{_ + 20}"}).status_code == 401
    assert stranger.post("/api/auth/login", json={"username": "op", "password": PASSWORD},
                         headers={"X-Forwarded-For": "198.51.100.30"}).status_code == 429


def test_a_bad_trusted_proxy_entry_stops_start_up(tmp_path):
    with pytest.raises(ValueError, match="10.0.0.0/33"):
        Settings(data_dir=tmp_path, trusted_proxies=["10.0.0.0/33"])
    assert Settings(data_dir=tmp_path, trusted_proxies=["10.0.0.1", "fd00::/8"]).trusted_proxies


def test_rotating_addresses_does_not_escape_the_per_user_lock(make_app):
    app = make_app(login_max_failures=3, login_user_max_failures=6)
    _add_user(app, "op")
    for i in range(3):  # two failures from each of three addresses: no (user, address) pair is locked
        for _ in range(2):
            assert _login(_from(app, f"192.0.2.{i + 1}"), "op").status_code == 401
    r = _login(_from(app, "192.0.2.50"), "op", PASSWORD)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "秒后再试" in r.json()["message"]
    # Other user names are not affected by op's lock.
    _add_user(app, "op2")
    assert _login(_from(app, "192.0.2.50"), "op2", PASSWORD).status_code == 200


def test_the_per_user_lock_ends_after_the_lock_out(make_app, monkeypatch):
    app = make_app(login_max_failures=3, login_user_max_failures=4, login_lockout_seconds=60)
    _add_user(app, "op")
    for i in range(4):
        assert _login(_from(app, f"192.0.2.{i + 1}"), "op").status_code == 401
    assert _login(_from(app, "192.0.2.9"), "op", PASSWORD).status_code == 429
    later = auth_module.utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(auth_module, "utcnow", lambda: later)
    assert _login(_from(app, "192.0.2.9"), "op", PASSWORD).status_code == 200


def test_finished_login_counters_are_pruned(make_app, monkeypatch):
    app = make_app(login_max_failures=2, login_lockout_seconds=60)
    _add_user(app, "op")
    for name in ("op", "op", "ghost"):
        _login(_from(app, "192.0.2.1"), name)
    auth = app.state.ctx.auth
    assert auth.prune_throttle() == 0  # everything is within its window
    later = auth_module.utcnow() + timedelta(seconds=61)
    monkeypatch.setattr(auth_module, "utcnow", lambda: later)
    assert auth.prune_throttle() == 4  # (op, address), op, (ghost, address), ghost
    with app.state.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) == 0


# --- hole 7: password spraying -----------------------------------------------------------


def test_spraying_many_user_names_from_one_address_is_throttled(make_app):
    app = make_app(login_address_max_failures=5)
    _add_user(app, "real")
    sprayer = _from(app, "198.51.100.1")
    for i in range(5):
        assert _login(sprayer, f"guess{i}").status_code == 401
    r = _login(sprayer, "real", PASSWORD)  # even a right guess is refused once the address is spent
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert _login(_from(app, "198.51.100.2"), "real", PASSWORD).status_code == 200


def test_spraying_from_one_ipv6_subscriber_is_counted_per_64(make_app):
    app = make_app(login_address_max_failures=3)
    for i in range(3):  # a new address for every guess, all in one /64
        assert _login(_from(app, f"2001:db8:1:2::{i + 1:x}"), f"guess{i}").status_code == 401
    assert _login(_from(app, "2001:db8:1:2:ffff::9"), "guess9").status_code == 429
    assert _login(_from(app, "2001:db8:1:3::1"), "guess9").status_code == 401  # the next /64 is someone else


def test_successful_logins_do_not_use_up_the_address_allowance(make_app):
    app = make_app(login_address_max_failures=2)
    for i in range(4):
        _add_user(app, f"op{i}")
    seats = _from(app, "10.1.1.1")  # a call centre behind one NAT address
    assert _login(seats, "op0").status_code == 401
    for i in range(4):
        assert _login(seats, f"op{i}", PASSWORD).status_code == 200
    assert _login(seats, "op1").status_code == 401
    assert _login(seats, "op2").status_code == 429


# --- hole 8: timing ----------------------------------------------------------------------


def _scrypt_calls(monkeypatch) -> list[dict]:
    calls: list[dict] = []
    real = hashlib.scrypt

    def counting(password, **kw):
        calls.append(kw)
        return real(password, **kw)

    monkeypatch.setattr(auth_module.hashlib, "scrypt", counting)
    return calls


def test_unknown_and_inactive_users_cost_the_same_kdf_as_a_wrong_password(make_app, monkeypatch):
    app = make_app(login_max_failures=50)
    _add_user(app, "real")
    _add_user(app, "gone", active=False)
    client = _from(app, "192.0.2.1")
    calls = _scrypt_calls(monkeypatch)
    per_path = {}
    for name in ("real", "nobody", "gone"):
        calls.clear()
        assert _login(client, name).status_code == 401
        per_path[name] = [(c["n"], c["r"], c["p"], c["dklen"]) for c in calls]
    assert per_path["real"] == [(2**14, 8, 1, 32)]
    assert per_path["nobody"] == per_path["real"] and per_path["gone"] == per_path["real"]
    calls.clear()
    assert _login(client, "gone", PASSWORD).status_code == 401  # an inactive user with the right password
    assert len(calls) == 1


# --- hole 9: SMS pumping -------------------------------------------------------------------


def _sms_count(app) -> int:
    with app.state.ctx.session_factory() as s:
        return s.scalar(select(func.count()).select_from(SmsMessage))


def test_sms_codes_are_capped_per_address_and_in_total(make_app):
    app = make_app(phone_codes_per_address_per_hour=3, phone_codes_per_hour=5)
    pump = _from(app, "198.51.100.1")
    for i in range(3):
        assert pump.post("/api/phone/codes", json={"phone": f"1381234560{i}"}).status_code == 202
    r = pump.post("/api/phone/codes", json={"phone": "13812345609"})
    assert r.status_code == 429 and 0 < int(r.headers["Retry-After"]) <= 3600
    assert r.json()["error"] == "rate_limited" and "小时" in r.json()["message"]
    other = _from(app, "198.51.100.2")
    for i in range(2):
        assert other.post("/api/phone/codes", json={"phone": f"1391234560{i}"}).status_code == 202
    r = _from(app, "198.51.100.3").post("/api/phone/codes", json={"phone": "13712345600"})
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0  # the global cap
    assert _sms_count(app) == 5


def test_a_refused_resend_does_not_spend_the_address_allowance(make_app):
    app = make_app(phone_codes_per_address_per_hour=2)
    c = _from(app, "198.51.100.1")
    assert c.post("/api/phone/codes", json={"phone": "13812345600"}).status_code == 202
    for _ in range(3):
        assert c.post("/api/phone/codes", json={"phone": "13812345600"}).status_code == 429  # resend too soon
    assert c.post("/api/phone/codes", json={"phone": "13812345601"}).status_code == 202


@pytest.mark.parametrize("phone", ["12012345678", "1381234567", "138123456789", "23812345678",
                                   "+85291234567", "8613812345678", "1381234567a", "",
                                   "13٨١٢٣٤٥٦٧٨"])  # Arabic-Indic digits: a bare \d matches them, a gateway would not
def test_numbers_that_are_not_mainland_mobiles_are_refused(client, app, phone):
    r = client.post("/api/phone/codes", json={"phone": phone})
    assert r.status_code == 422 and r.json()["error"] == "invalid"
    assert "手机号码" in r.json()["message"]
    assert _sms_count(app) == 0


def test_full_width_digits_are_read_as_the_same_number(client, app):
    assert client.post("/api/phone/codes", json={"phone": "１３８ １２３４ ５６７８"}).status_code == 202
    with app.state.ctx.session_factory() as s:
        assert s.scalars(select(SmsMessage.phone)).all() == ["13812345678"]


# --- hole 10: Retry-After on every 429 ------------------------------------------------------


def test_every_429_carries_retry_after(make_app, queued_case):
    app = make_app(party_rate_limit_per_minute=2)
    client = _from(app, "192.0.2.1")
    _add_user(app, "op")
    for _ in range(3):
        _login(client, "op")
    refusals = [_login(client, "op", PASSWORD)]
    client.post("/api/phone/codes", json={"phone": "13812345678"})
    refusals.append(client.post("/api/phone/codes", json={"phone": "13812345678"}))
    token = services(app).invitations.create(queued_case, "13800138000", "system", send_sms=False).token
    refusals += [client.get(f"/api/phone/{token}") for _ in range(3)][-1:]
    for r in refusals:
        assert r.status_code == 429, r.text
        assert r.headers["Retry-After"].isdigit() and int(r.headers["Retry-After"]) >= 1
        assert r.json()["retry_after_s"] == int(r.headers["Retry-After"])


# --- hole 11: counters in the database -------------------------------------------------------


def test_two_app_instances_share_the_counters(make_app, queued_case):
    one = make_app(party_rate_limit_per_minute=3, login_address_max_failures=3, phone_codes_per_hour=2)
    two = make_app(party_rate_limit_per_minute=3, login_address_max_failures=3, phone_codes_per_hour=2)
    token = services(one).invitations.create(queued_case, "13800138000", "system", send_sms=False).token
    a, b = _from(one, "192.0.2.1"), _from(two, "192.0.2.1")
    assert [a.get(f"/api/phone/{token}").status_code, b.get(f"/api/phone/{token}").status_code,
            a.get(f"/api/phone/{token}").status_code, b.get(f"/api/phone/{token}").status_code] == [200, 200, 200, 429]
    assert [_login(a, "x1").status_code, _login(b, "x2").status_code, _login(a, "x3").status_code,
            _login(b, "x4").status_code] == [401, 401, 401, 429]
    assert a.post("/api/phone/codes", json={"phone": "13812345600"}).status_code == 202
    assert b.post("/api/phone/codes", json={"phone": "13812345601"}).status_code == 202
    assert a.post("/api/phone/codes", json={"phone": "13812345602"}).status_code == 429


def test_concurrent_failed_logins_on_two_instances_all_count(make_app):
    """Failures for one name from many addresses at once, on two instances: none is lost, none is a 500."""
    apps = [make_app(login_max_failures=50, login_user_max_failures=12, login_address_max_failures=50)
            for _ in range(2)]
    _add_user(apps[0], "op")
    codes: list[int] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        client = _from(apps[i % 2], f"192.0.2.{i + 1}")
        for _ in range(4):
            code = _login(client, "op").status_code
            with lock:
                codes.append(code)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    assert sorted(set(codes)) <= [401, 429] and len(codes) == 16
    assert codes.count(401) >= 12  # a failure is never lost; a few more may pass the check at the same moment
    with apps[0].state.ctx.session_factory() as s:
        assert s.get(LoginThrottle, "op|*").failures == codes.count(401)
    assert _login(_from(apps[1], "192.0.2.99"), "op", PASSWORD).status_code == 429


def test_concurrent_hits_from_two_instances_count_exactly(settings):
    engines = [make_engine(settings.resolved_database_url) for _ in range(2)]
    limiters = [RateLimits(make_session_factory(e)) for e in engines]
    limit = Limit("test", 25, 3600)
    allowed: list[bool] = []
    lock = threading.Lock()

    def worker(limits: RateLimits) -> None:
        for _ in range(10):
            ok = limits.take(limit, "k").allowed
            with lock:
                allowed.append(ok)

    threads = [threading.Thread(target=worker, args=(limiters[i % 2],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert len(allowed) == 60 and allowed.count(True) == 25
    assert limiters[0].count(limit, "k") == 25
    for e in engines:
        e.dispose()


def test_old_windows_are_pruned(settings):
    engine = make_engine(settings.resolved_database_url)
    now = [1_000_000.0]
    limits = RateLimits(make_session_factory(engine), clock=lambda: now[0])
    minute = Limit("m", 2, 60)
    assert [limits.take(minute, "k").allowed for _ in range(3)] == [True, True, False]
    assert limits.take(minute, "k").retry_after_s == 20  # 1_000_000 is 40 s into its minute
    now[0] += 60
    assert limits.take(minute, "k").allowed  # a fresh window
    assert limits.prune() == 1  # the finished window goes, the current one stays
    with make_session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(RateCounter)) == 1
    engine.dispose()
