"""A real `kuaichu-server serve` killed with SIGKILL mid-call and started again: what was written survives,
and the calls whose phones come back carry on where they were.

Before the kill: X and Y wait in the queue (X first), B is in a call with the operator and has a photo,
D waits too. After the restart the phones of X, Y and B come back (the page reconnects by itself and
joins again); D's does not, and its abandonment after the grace shows that the restart's liveness pass
has run. Then X and Y are still queued in their order; B, whose page rejoined as after any dropped call
(crash or not), is first in the queue, reserved for its operator, who answers it again; B's photo reads
back with its sha256; and the audit events written before the kill are unchanged and the chain
verifies. A seat app's own socket, connected through the kill, comes back by itself and gets the
queue again."""
from __future__ import annotations

import asyncio
import hashlib
import io
from contextlib import ExitStack

import httpx
import pytest
from PIL import Image
from sqlalchemy import select

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.services.api_client import ApiClient
from seat_app.services.seat_socket import SeatSocket
from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case
from server.services import audit
from server.services.auth import create_user
from server.services.hub import ABANDON_GRACE_S
from tests.server.conftest import PASSWORD
from tests.server.test_restart_liveness import (  # noqa: F401 - served is a fixture
    MARGIN_S, START_TIMEOUT_S, _phone, _recv_until, _state, served)
from tests.support.waiting import wait_for, wait_for_blocking

pytestmark = pytest.mark.fault


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 40, 40)).save(out, "JPEG", quality=90)
    return out.getvalue()


def _events(ctx) -> list[tuple[int, str]]:
    with ctx.session_factory() as s:
        return [(e.id, e.hash) for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_after_a_sigkill_the_queue_order_the_call_its_evidence_and_the_audit_log_survive(served):
    """SIGKILL mid-call, restart, phones rejoin -> X, Y queued in order, B first and back with its operator,
    its photo intact, the audit log before the kill unchanged and verified."""
    ctx, server = served
    with unit_of_work(ctx.session_factory) as s:
        create_user(s, "op", PASSWORD, "operator", "王坐席")
    x, y, b, d = (ctx.cases.open_case("public").id for _ in range(4))
    tokens = {i: ctx.invitations.create(i, "13800138000", actor="system", send_sms=False).token for i in (x, y, b, d)}

    server.start()
    before, after = ExitStack(), ExitStack()
    phones = {}
    for i in (x, y, b, d):  # in this order: the queue's order is the order they joined
        phones[i] = _phone(before, server, tokens[i])
        _recv_until(phones[i], lambda m: m["type"] == "queue")
    login = httpx.post(server.url + "/api/auth/login", json={"username": "op", "password": PASSWORD})
    op = {"Authorization": f"Bearer {login.json()['token']}"}
    assert httpx.post(f"{server.url}/api/cases/{b}/answer", headers=op).status_code == 200
    _recv_until(phones[b], lambda m: m["type"] == "answered")
    photo = _photo()
    uploaded = httpx.post(f"{server.url}/api/cases/{b}/evidence", headers=op, data={"kind": "frame", "label": "现场全景"},
                          files={"file": ("scene.jpg", photo, "image/jpeg")}, timeout=30)
    assert uploaded.status_code == 201, uploaded.text
    with ctx.session_factory() as s:
        seat_before = s.scalar(select(Case.seat_user_id).where(Case.id == b))
    written = _events(ctx)

    server.kill()
    before.close()  # the pages' sockets died with the server
    server.start()
    for i in (x, y, b):  # the pages that come back join again
        _phone(after, server, tokens[i])
    wait_for_blocking(lambda: _state(ctx, d) == "abandoned", timeout=ABANDON_GRACE_S + MARGIN_S + START_TIMEOUT_S)

    assert [q.id for q in ctx.cases.queue()] == [b, x, y]  # a rejoining call first, then in order
    with ctx.session_factory() as s:
        assert s.scalar(select(Case.last_seat_user_id).where(Case.id == b)) == seat_before
    assert httpx.post(f"{server.url}/api/cases/{b}/answer", headers=op).status_code == 200
    with ctx.session_factory() as s:
        assert (s.scalar(select(Case.state).where(Case.id == b)),
                s.scalar(select(Case.seat_user_id).where(Case.id == b))) == ("in_call", seat_before)
        assert audit.verify_chain(s).ok
    assert _events(ctx)[:len(written)] == written
    content = httpx.get(f"{server.url}/api/evidence/{uploaded.json()['id']}/content", headers=op, timeout=30)
    assert hashlib.sha256(content.content).hexdigest() == uploaded.json()["sha256"] == hashlib.sha256(photo).hexdigest()
    after.close()


async def test_the_seat_socket_comes_back_by_itself_after_a_sigkill_and_gets_the_queue_again(served):
    """SIGKILL and restart under a connected seat -> the seat app's own socket reconnects (backoff, no click)
    with the same login and receives the queue with the waiting case again."""
    ctx, server = served
    with unit_of_work(ctx.session_factory) as s:
        create_user(s, "op", PASSWORD, "operator", "王坐席")
    case_id = ctx.cases.open_case("public").id
    await asyncio.to_thread(server.start)
    client = ApiClient(server.url)
    await asyncio.to_thread(client.login, "op", PASSWORD)
    socket = SeatSocket(client.ws_url)
    seen: list[set[int]] = []
    ups, downs = [], []
    socket.events.on("message", lambda type, data: seen.append(
        {i["case_id"] for i in data.get("items", [])}) if type == ToSeatMsg.QUEUE else None)
    socket.events.on("connected", lambda: ups.append(True))
    socket.events.on("disconnected", lambda: downs.append(True))
    socket.start()
    try:
        await wait_for(lambda: any(case_id in ids for ids in seen), timeout=30)
        await asyncio.to_thread(server.kill)
        await wait_for(lambda: downs, timeout=30)
        seen.clear()
        await asyncio.to_thread(server.start)
        await wait_for(lambda: len(ups) >= 2 and any(case_id in ids for ids in seen), timeout=START_TIMEOUT_S)
    finally:
        await socket.stop()
    assert _state(ctx, case_id) == "queued"
