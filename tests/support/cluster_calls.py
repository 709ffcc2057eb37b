"""A phone and a seat talking to a :class:`~tests.support.cluster.Cluster` through its nginx, each pinned to an
instance by its sticky cookie, and the shared database read from the test's side."""
from __future__ import annotations

import json
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
from sqlalchemy import select
from websockets.sync.client import connect

from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case
from server.app import build_context
from server.services.auth import create_user
from server.settings import Settings
from tests.server.conftest import PASSWORD

OFFER = {"type": "offer", "sdp": "v=0\r\n" + "a=candidate:1 1 udp 2122260223 192.168.1.20 50000 typ host\r\n" * 20}
ANSWER = {"type": "answer", "sdp": "v=0\r\n"}
CANDIDATE = {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0", "sdpMLineIndex": 0}
TIMEOUT_S = 20.0  # a hop through nginx and the broker, on a loaded machine


def recv_until(ws, predicate, timeout: float = TIMEOUT_S) -> dict:
    end = time.monotonic() + timeout
    while True:
        frame = json.loads(ws.recv(timeout=max(end - time.monotonic(), 0.01)))
        if predicate(frame):
            return frame


def of_type(kind: str):
    return lambda frame: frame["type"] == kind


def queue_items(frame: dict) -> list[dict]:
    """The queue entries a seat frame carries: a full ``queue`` or the ``queue_changes`` since the last."""
    if frame["type"] == "queue":
        return frame["items"]
    if frame["type"] == "queue_changes":
        return frame["added"] + frame["updated"]
    return []


def queued_online(case_id: int):
    return lambda m: any(i["case_id"] == case_id and i["phone_online"] for i in queue_items(m))


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def login(cluster, cookies: dict[str, str], username: str) -> dict[str, str]:
    r = httpx.post(cluster.proxy.url + "/api/auth/login", json={"username": username, "password": PASSWORD},
                   headers=cookie_header(cookies), timeout=TIMEOUT_S)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['token']}"}


@contextmanager
def seat_socket(cluster, cookies: dict[str, str], session: dict[str, str]):
    """A seat socket through nginx that has authenticated and received its first queue."""
    with connect(cluster.proxy.ws_url + "/ws/seat", additional_headers=cookie_header(cookies),
                 open_timeout=TIMEOUT_S) as ws:
        ws.send(json.dumps({"type": "auth", "token": session["Authorization"].split(" ", 1)[1]}))
        recv_until(ws, of_type("queue"))
        yield ws


def seat_queue(cluster, cookies: dict[str, str], session: dict[str, str]) -> list[dict]:
    """The full queue a seat that connects now is shown first."""
    with connect(cluster.proxy.ws_url + "/ws/seat", additional_headers=cookie_header(cookies),
                 open_timeout=TIMEOUT_S) as ws:
        ws.send(json.dumps({"type": "auth", "token": session["Authorization"].split(" ", 1)[1]}))
        return recv_until(ws, of_type("queue"))["items"]


@contextmanager
def phone_socket(cluster, cookies: dict[str, str], token: str):
    """A phone socket through nginx that has joined the queue (its place has arrived)."""
    with connect(f"{cluster.proxy.ws_url}/ws/phone/{token}", additional_headers=cookie_header(cookies),
                 open_timeout=TIMEOUT_S) as ws:
        ws.send(json.dumps({"type": "join", "consent": True}))
        recv_until(ws, of_type("queue"))
        yield ws


class Db:
    """The shared database, from the test's side: users, cases and links made, states and audit read."""

    def __init__(self, db_url: str, workdir: Path) -> None:
        self.ctx = build_context(Settings(database_url=db_url, data_dir=workdir / "test-side"))

    def create_operator(self, username: str, name: str) -> None:
        self.create_user(username, "operator", name)

    def create_user(self, username: str, role: str, name: str = "") -> None:
        with unit_of_work(self.ctx.session_factory) as s:
            create_user(s, username, PASSWORD, role, name or username)

    def open_case(self) -> tuple[int, str]:
        case_id = self.ctx.cases.open_case("public").id
        return case_id, self.ctx.invitations.create(case_id, "13800138000", actor="system", send_sms=False).token

    def state(self, case_id: int) -> str:
        with self.ctx.session_factory() as s:
            return s.scalar(select(Case.state).where(Case.id == case_id))

    def transitions(self, case_id: int) -> list[tuple[str, str]]:
        with self.ctx.session_factory() as s:
            events = s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id))
            return [(e.from_state, e.to_state) for e in events if e.to_state]

    def verify_chain(self) -> bool:
        return self.ctx.audit_log.verify().ok

    def close(self) -> None:
        self.ctx.engine.dispose()
