"""A real `kuaichu-server serve` killed with SIGKILL and started again: the live cases whose phone never
comes back end by the same rules as without a crash, and a phone that comes back keeps its case.

Before the restart: case A is queued with its phone on line, case B is in a call with a seat, case C is
queued too. After it only C's phone comes back. Within the hub's grace (plus a margin for start-up) A is
abandoned and B interrupted, by the system with the reason ``phone_not_back_after_restart``, and C is
still queued and first in the queue."""
from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from contextlib import ExitStack

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from websockets.sync.client import connect

from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case
from server.container import AppContext
from server.app import build_context, create_app
from server.services.auth import create_user
from server.services.hub import ABANDON_GRACE_S
from server.settings import Settings
from tests.server.conftest import PASSWORD
from tests.support.hub import party_token
from tests.support.serve_process import ServeProcess, free_port
from tests.support.waiting import wait_for_blocking
from tests.support.ws_session import of_type, recv_until

pytestmark = pytest.mark.fault  # a fault test: docs/reliability.md tabulates its outcome

START_TIMEOUT_S = 30.0
MARGIN_S = 15.0  # start-up of the new process and one database poll, on a loaded machine


class Serve(ServeProcess):
    """The server of these tests: ``start`` returns once /healthz answers below 500."""

    def start(self) -> None:
        self.spawn()
        self.wait_up(START_TIMEOUT_S, ready=lambda status: status < 500, probe_timeout=1.0)

    def stop(self) -> None:
        super().stop(timeout=10)


@pytest.fixture
def served(tmp_path, sqlite_template):
    db = tmp_path / "kuaichu.db"
    shutil.copy(sqlite_template, db)
    port = free_port()
    settings = {"KUAICHU_DATABASE_URL": f"sqlite:///{db}", "KUAICHU_DATA_DIR": str(tmp_path / "data"),
                "KUAICHU_HOST": "127.0.0.1", "KUAICHU_PORT": str(port),
                "KUAICHU_PUBLIC_BASE_URL": f"http://127.0.0.1:{port}", "KUAICHU_LOG_LEVEL": "info"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("KUAICHU_")} | settings
    ctx = build_context(Settings(database_url=settings["KUAICHU_DATABASE_URL"], data_dir=tmp_path / "data",
                                 public_base_url=settings["KUAICHU_PUBLIC_BASE_URL"]))
    server = Serve(env, port, tmp_path / "server.log")
    try:
        yield ctx, server
    finally:
        server.stop()
        ctx.engine.dispose()


def _state(ctx: AppContext, case_id: int) -> str:
    with ctx.session_factory() as s:
        return s.scalar(select(Case.state).where(Case.id == case_id))


def _phone(stack: ExitStack, server: Serve, token: str):
    ws = stack.enter_context(connect(f"ws://127.0.0.1:{server.port}/ws/phone/{token}", open_timeout=10))
    ws.send(json.dumps({"type": "join", "consent": True}))
    return ws


def _recv_until(ws, predicate, timeout: float = 10.0) -> dict:
    end = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(end - time.monotonic(), 0.01)))
        if predicate(frame):
            return frame


def test_cases_whose_phone_does_not_come_back_after_a_sigkill_end_after_the_grace(served):
    ctx, server = served
    with unit_of_work(ctx.session_factory) as s:
        create_user(s, "op", PASSWORD, "operator", "王坐席")
    a, b, c = (ctx.cases.open_case("public").id for _ in range(3))
    tokens = {i: ctx.invitations.create(i, "13800138000", actor="system", send_sms=False).token for i in (a, b, c)}

    server.start()
    before, after = ExitStack(), ExitStack()
    phones = {i: _phone(before, server, tokens[i]) for i in (a, b, c)}
    for ws in phones.values():
        _recv_until(ws, lambda m: m["type"] == "queue")  # joined: the server sent its place in the queue
    login = httpx.post(server.url + "/api/auth/login", json={"username": "op", "password": PASSWORD})
    op = {"Authorization": f"Bearer {login.json()['token']}"}
    assert httpx.post(f"{server.url}/api/cases/{b}/answer", headers=op).status_code == 200
    _recv_until(phones[b], lambda m: m["type"] == "answered")
    assert [_state(ctx, i) for i in (a, b, c)] == ["queued", "in_call", "queued"]

    server.kill()
    before.close()  # the pages' sockets died with the server
    killed_at = time.monotonic()
    server.start()
    up_after = time.monotonic() - killed_at
    back = _phone(after, server, tokens[c])  # only C's page comes back
    _recv_until(back, lambda m: m["type"] == "queue")

    wait_for_blocking(lambda: _state(ctx, a) == "abandoned" and _state(ctx, b) == "interrupted",
                      timeout=ABANDON_GRACE_S + MARGIN_S + START_TIMEOUT_S)
    print(f"\nabandoned and interrupted {time.monotonic() - killed_at:.1f} s after the kill "
          f"(grace {ABANDON_GRACE_S:.0f} s; the new process answered {up_after:.1f} s after the kill)")
    assert _state(ctx, c) == "queued"
    queue = ctx.cases.queue()
    assert [q.id for q in queue] == [c]
    with ctx.session_factory() as s:
        events = {e.case_id: e for e in s.scalars(select(AuditEvent).where(
            AuditEvent.case_id.in_([a, b])).order_by(AuditEvent.id))}  # the last event of each
    for case_id, target in ((a, "abandoned"), (b, "interrupted")):
        event = events[case_id]
        assert (event.to_state, event.actor, event.detail["reason"]) == (
            target, "system", "phone_not_back_after_restart"), event.detail
    after.close()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # two instances share PostgreSQL
@pytest.mark.parametrize("broker", [{"signalling_broker": "postgres"}, "redis"], ids=["postgres", "redis"])
def test_an_instance_that_starts_leaves_alone_the_cases_whose_phone_another_instance_holds(db_url, tmp_path,
                                                                                          broker):
    """Instance B starts while A holds case X's phone: after the grace B abandons only Y, whose phone
    nobody holds; X stays queued (A said so in answer to B's presence_query)."""
    if broker == "redis":
        broker = {"signalling_broker": "redis", "redis_url": "redis://127.0.0.1:6379/0",
                  "redis_channel": f"kuaichu_test_{uuid.uuid4().hex}"}
    apps = [create_app(Settings(data_dir=tmp_path / f"data{i}", database_url=db_url, **broker)) for i in (1, 2)]
    app_a, app_b = apps
    x, y = (app_a.state.ctx.cases.open_case("public").id for _ in range(2))
    try:
        with TestClient(app_a) as one, one.websocket_connect(f"/ws/phone/{party_token(app_a, x)}") as phone:
            phone.send_json({"type": "join", "consent": True})
            recv_until(phone, of_type("queue"))
            app_b.state.ctx.hub.abandon_grace_s = 1.0  # short here; the subprocess test above uses the real one
            with TestClient(app_b):
                hub_b = app_b.state.ctx.hub
                wait_for_blocking(lambda: hub_b.liveness_task is not None and hub_b.liveness_task.done(),
                                  timeout=20)
                assert hub_b.liveness_task.result() == {"abandoned": [y], "interrupted": [], "kept": [x]}
                assert (_state(app_a.state.ctx, x), _state(app_a.state.ctx, y)) == ("queued", "abandoned")
    finally:
        for app in apps:
            app.state.ctx.engine.dispose()
