"""The database drops out for 10 s (a TCP proxy between the app and PostgreSQL is cut, the shared server
keeps running): every request meanwhile gets a clear 503 with Retry-After, not a 500 and not a hang; a
write refused then left nothing behind; and once the database is back, requests succeed by themselves."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from server.adapters.orm import AuditEvent, Case
from server.settings import Settings
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_for_blocking

OUTAGE_S = 10.0
REQUEST_EVERY_S = 0.5  # a client retrying through the outage, not a flood
RECOVERY_TIMEOUT_S = 30.0
UNAVAILABLE = {"error": "database_unavailable", "message": "数据库暂时不可用，请稍后重试"}
pytestmark = [pytest.mark.parametrize("db_url", ["postgres"], indirect=True),  # a connection to cut
              pytest.mark.fault]


@pytest.fixture
def proxy(db_url):
    url = make_url(db_url)
    with TcpProxy((url.host or "127.0.0.1", url.port or 5432)) as proxy:
        yield proxy


@pytest.fixture
def settings(db_url, proxy, tmp_path) -> Settings:  # the app reaches PostgreSQL only through the proxy
    url = make_url(db_url).set(host="127.0.0.1", port=proxy.port)
    return Settings(data_dir=tmp_path / "data", database_url=url.render_as_string(hide_password=False))


def _noted(app, case_id: int) -> tuple[str, int]:
    with app.state.ctx.session_factory() as s:
        notes = s.scalar(select(Case.operator_notes).where(Case.id == case_id))
        events = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == "case_noted"))
    return notes, events


def test_requests_get_503_while_the_database_is_away_and_recover_by_themselves(client, app, auth_headers,
                                                                              held_case, proxy):
    op = auth_headers("operator")
    assert client.patch(f"/api/cases/{held_case}", headers=op, json={"notes": "甲车追尾乙车"}).status_code == 200
    assert client.get(f"/api/cases/{held_case}", headers=op).status_code == 200  # the pool holds connections

    proxy.stop()
    cut_at = time.monotonic()
    replies = []
    while time.monotonic() - cut_at < OUTAGE_S:  # bounded in time: the outage lasts OUTAGE_S
        started = time.monotonic()
        read = client.get(f"/api/cases/{held_case}", headers=op)
        write = client.patch(f"/api/cases/{held_case}", headers=op, json={"notes": "断开时写的经过"})
        replies.append((read, write, time.monotonic() - started))
        time.sleep(REQUEST_EVERY_S)  # the outage's length, not a wait for a condition
    assert replies
    for read, write, _ in replies:
        for reply in (read, write):
            assert reply.status_code == 503, reply.text
            assert reply.json() == UNAVAILABLE
            assert reply.headers["Retry-After"] == "5"
    assert client.post("/api/auth/login", json={"username": "operator1", "password": "x" * 12}).status_code == 503

    proxy.start()
    back_at = time.monotonic()
    wait_for_blocking(lambda: client.get(f"/api/cases/{held_case}", headers=op).status_code == 200,
                      timeout=RECOVERY_TIMEOUT_S)
    recovered_s = time.monotonic() - back_at
    print(f"\n{len(replies) * 2} requests during a {OUTAGE_S:.0f} s outage: all 503, slowest "
          f"{max(r[2] for r in replies) / 2:.2f} s; first 200 {recovered_s:.2f} s after the database came back")

    assert _noted(app, held_case) == ("甲车追尾乙车", 1)  # the writes refused meanwhile left nothing
    r = client.patch(f"/api/cases/{held_case}", headers=op, json={"notes": "恢复后补记的经过"})
    assert r.status_code == 200, r.text
    assert _noted(app, held_case) == ("恢复后补记的经过", 2)
