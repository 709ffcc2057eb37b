"""A WebSocket fuzzer for both sockets (issue 10, general defences), against a real uvicorn server.

A fixed-seed corpus of bad frames (malformed, binary, oversize, deeply nested, huge integers, NaN and
infinite numbers, lone surrogates, wrong types, unknown types, foreign and unknown case ids) goes to an attacker phone and an attacker seat.
Each frame must get an error frame with a known code, never ``internal_error``; nothing may be logged
at ERROR or with a traceback; and a bystander call (another operator with another phone, in a call)
must see none of it and still relay signals both ways afterwards.
"""
from __future__ import annotations

import json
import logging
import random
import string
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from server.container import AppContext
from server.services.ws_frames import MAX_ID, MAX_JSON_DEPTH
from tests.server.conftest import PASSWORD
from tests.support.live_server import LiveServer

SEED = 20261202
FRAMES_PER_KIND = 16  # per category: about 220 frames per socket
FRAMES_PER_SOCKET = 50  # below the 60-per-10-s allowance, so rate_limited never hides a parser answer
FRAME_CODES = {"bad_json", "bad_message", "unknown_type", "invalid", "too_large", "too_deep"}
BYSTANDER_CANDIDATE = {"candidate": "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", "sdpMid": "0"}
Frame = tuple[str, str | bytes, set[str]]


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.printable + "中文\u0000\ud7ff") for _ in range(n))


def _not_json(rng: random.Random) -> str:
    while True:
        candidate = rng.choice(["{", "[", '{"type": ', '{"type": "join", ']) + _text(rng, rng.randint(0, 60))
        try:
            json.loads(candidate)
        except ValueError:
            return candidate


#: Values each field refuses whatever the rest of the frame says (strict types, ranges, known names).
WRONG: dict[str, list] = {
    "number": ["39.9", [], {"v": 1}, True, None, 10**400, 2**63, 1e7, -1e7],
    "ticks": ["x", [], 1, {"triangle": "yes"}, {"sunroof": True}, None],
    "sdp": ["x", [], 1, {}, {"type": "pranswer", "sdp": ""}, {"type": "offer"}, {"type": "offer", "sdp": 5}, True],
    "candidate": ["x", [], 1, True],
    "name": [1, None, [], "rm -rf", ""],
    "data": ["x", [], 1, True, None],
    "consent": ["true", 1, None, []],
    "reason": [1, None, [], "x" * 201],
}
PHONE_FIELDS = {"location": {"lat": "number", "lon": "number", "accuracy": "number"}, "safety": {"ticks": "ticks"},
                "signal": {"sdp": "sdp", "candidate": "candidate"}, "event": {"name": "name", "data": "data"},
                "join": {"consent": "consent"}, "leave": {"reason": "reason"}}
VALID = {"location": {"lat": 30.6, "lon": 104.0, "accuracy": 10.0}, "safety": {"ticks": {"triangle": True}},
         "signal": {"sdp": {"type": "offer", "sdp": "v=0"}}, "event": {"name": "battery", "data": {}},
         "join": {"consent": True}, "leave": {"reason": "x"}}
OUT_OF_RANGE = [2**63, 2**64 + 1, -(2**63) - 1, 10**400, MAX_ID + 1, -1, 0]


def _wrong_values(rng: random.Random) -> list:
    return [rng.choice(["", "x" * 50, "39.9"]), True, None, [], {}, rng.choice(OUT_OF_RANGE), 2.5]


def _nested(rng: random.Random, limit: int) -> str:
    depth = rng.randint(MAX_JSON_DEPTH + 1, 3 * MAX_JSON_DEPTH)
    opener, closer = rng.choice([("[", "]"), ('{"a": ', "}")])
    inner = opener * depth + "1" + closer * depth
    return rng.choice([inner, json.dumps({"type": "event", "name": "battery", "data": {}})[:-2] + f'"x": {inner}}}}}'])


def _common(rng: random.Random, limit: int) -> Iterator[Frame]:
    """Frames either socket must refuse the same way."""
    for _ in range(FRAMES_PER_KIND):
        yield "not json", _not_json(rng), {"bad_json", "too_deep"}
        yield "binary", bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 80))), FRAME_CODES
        yield "not an object", json.dumps(rng.choice([1, "type", None, [1, 2], [{"type": "join"}], 1.5])), \
            {"bad_message"}
        yield "no type", json.dumps({"typ": "join", "type_": 1}), {"bad_message"}
        yield "type not a string", json.dumps({"type": rng.choice(_wrong_values(rng)[1:])}), {"bad_message"}
        yield "unknown type", json.dumps({"type": "x" + _text(rng, rng.randint(0, 30))}), {"unknown_type"}
        yield "deeply nested", _nested(rng, limit), {"too_deep"}
        yield "bracket bomb", rng.choice("[{") * rng.randint(1000, limit - 1), {"too_deep"}
        number = rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-2.5e999"])
        yield "not a finite number", f'{{"type": "event", "name": "battery", "data": {{"x": [1, {number}]}}}}', \
            {"bad_json"}
        surrogate = rng.choice(["\\ud800", "\\udfff", "\\uDBFF", "a\\udc00b"])
        yield "lone surrogate", rng.choice([f'{{"type": "event", "name": "battery", "data": {{"{surrogate}": 1}}}}',
                                            f'{{"type": "x{surrogate}"}}', f'{{"type": "leave", "reason": "{surrogate}"}}']), \
            {"bad_json"}
        yield "oversize", json.dumps({"type": "event", "name": "battery",
                                      "data": {"x": "a" * rng.randint(limit, 3 * limit)}}), {"too_large"}


def phone_corpus(rng: random.Random, limit: int) -> list[Frame]:
    frames = list(_common(rng, limit))
    for _ in range(FRAMES_PER_KIND):
        kind = rng.choice(sorted(PHONE_FIELDS))
        field = rng.choice(sorted(PHONE_FIELDS[kind]))
        body = {**VALID[kind], field: rng.choice(WRONG[PHONE_FIELDS[kind][field]])}
        if kind == "signal" and field == "candidate":
            body.pop("sdp")
        frames.append(("wrong field type", json.dumps({"type": kind, **body}), {"invalid"}))
        frames.append(("huge number", json.dumps({"type": "location", "lat": rng.choice(OUT_OF_RANGE[:5]), "lon": 104.0}),
                       {"invalid"}))
        frames.append(("not a finite location", '{"type": "location", "lat": NaN, "lon": Infinity}', {"bad_json"}))
        frames.append(("unknown tick", json.dumps({"type": "safety", "ticks": {_text(rng, 5): True}}), {"invalid"}))
        frames.append(("no call yet", json.dumps({"type": "signal", "candidate": {"candidate": "x"}}), {"not_in_call"}))
    rng.shuffle(frames)
    return frames


def seat_corpus(rng: random.Random, limit: int, foreign_case: int) -> list[Frame]:
    frames = list(_common(rng, limit))
    for _ in range(FRAMES_PER_KIND):
        kind = rng.choice(["signal", "hangup"])
        extra = {"candidate": {"candidate": "x"}} if kind == "signal" else {"reason": "fuzz"}
        bad_id = rng.choice([*OUT_OF_RANGE, "12a", "", " 1", "１", "9" * 30, 1.0, 2.5, True, None, [], {"id": 1}])
        frames.append(("bad case id", json.dumps({"type": kind, "case_id": bad_id, **extra}), {"invalid"}))
        frames.append(("foreign case", json.dumps({"type": kind, "case_id": foreign_case, **extra}), {"not_your_case"}))
        frames.append(("no such case", json.dumps({"type": kind, "case_id": rng.randint(10**6, MAX_ID), **extra}),
                       {"not_found"}))
        frames.append(("wrong field type", json.dumps({"type": "signal", "case_id": foreign_case,
                                                       "sdp": rng.choice(WRONG["sdp"])}), {"invalid"}))
        frames.append(("both sdp and candidate", json.dumps({"type": "signal", "case_id": foreign_case,
                                                             "sdp": {"type": "answer", "sdp": ""},
                                                             "candidate": {}}), {"invalid"}))
    rng.shuffle(frames)
    return frames


class Peer:
    """One real client socket that keeps every frame it was sent."""

    def __init__(self, url: str, first: dict | None = None, headers: dict[str, str] | None = None) -> None:
        self._stack = ExitStack()
        self.ws: ClientConnection = self._stack.enter_context(connect(url, max_size=1 << 22, open_timeout=10,
                                                                      additional_headers=headers))
        self.seen: list[dict] = []
        if first is not None:
            self.send(first)

    def send(self, frame: dict | str | bytes) -> None:
        self.ws.send(json.dumps(frame) if isinstance(frame, dict) else frame)

    def next(self, kind: str, timeout: float = 10.0) -> dict:
        end = time.monotonic() + timeout
        while True:
            message = json.loads(self.ws.recv(timeout=max(0.01, end - time.monotonic())))
            self.seen.append(message)
            if message["type"] == kind:
                return message

    def drain(self, quiet_s: float = 0.3) -> list[dict]:
        """Whatever arrives until the socket has been quiet for ``quiet_s``."""
        got = []
        while True:
            try:
                got.append(json.loads(self.ws.recv(timeout=quiet_s)))
            except TimeoutError:
                self.seen += got
                return got

    def close(self) -> None:
        self._stack.close()


@dataclass
class Target:
    """Where the fuzzer aims: one live server, or two server processes behind nginx. ``pin`` holds the
    headers that put a socket on the bystander's instances (the phone's on A, the seat's on B)."""
    url: str
    ws_url: str
    ctx: AppContext
    max_message_bytes: int
    loud: Callable[[], list[str]]
    pin: dict[str, dict[str, str]] = field(default_factory=lambda: {"phone": {}, "seat": {}})


@pytest.fixture
def server(tmp_path, db_url, caplog):
    caplog.set_level(logging.INFO)
    with LiveServer.start({"data_dir": tmp_path / "data", "database_url": db_url}) as live:
        for name in ("op1", "op2"):
            live.create_user(name, PASSWORD, "operator")
        yield Target(live.url, live.ws_url, live.ctx, live.settings.ws_max_message_bytes, lambda: [
            f"{r.name}: {r.getMessage()}" for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info])


@pytest.fixture
def behind_nginx(tmp_path, db_url):
    """Two `kuaichu-server serve` processes on one PostgreSQL database behind nginx; the attackers' sockets
    carry no sticky cookie, so nginx spreads them over both."""
    from tests.support.cluster import Cluster, broker_env
    from tests.support.cluster_calls import Db, cookie_header
    from tests.support.nginx import nginx_binary

    if nginx_binary() is None:
        pytest.skip("nginx is not installed (scripts/install.sh installs it)")
    db = Db(db_url, tmp_path)
    for name in ("op1", "op2"):
        db.create_user(name, "operator")
    with Cluster(db_url, broker_env("postgres"), tmp_path) as cluster:
        def loud() -> list[str]:
            return [f"{path}: {line}" for path, text in cluster.logs().items() for line in text.splitlines()
                    if "ERROR" in line or "Traceback" in line or "[error]" in line or "[crit]" in line]

        yield Target(cluster.proxy.url, cluster.proxy.ws_url, db.ctx, db.ctx.settings.ws_max_message_bytes, loud,
                     {"phone": cookie_header(cluster.cookie_for(0)), "seat": cookie_header(cluster.cookie_for(1))})
    db.close()


def _login(server: Target, name: str) -> str:
    r = httpx.post(server.url + "/api/auth/login", json={"username": name, "password": PASSWORD}, timeout=10)
    return r.json()["token"]


def _phone(server: Target, case_id: int, headers: dict[str, str] | None = None) -> Peer:
    token = server.ctx.invitations.create(case_id, "13800138000", actor="system", send_sms=False).token
    peer = Peer(f"{server.ws_url}/ws/phone/{token}", {"type": "join", "consent": True}, headers)
    peer.next("queue")
    return peer


def _fuzz(attacker_factory, frames: list[Frame]) -> list[str]:
    """Sends each frame on a fresh socket every FRAMES_PER_SOCKET; returns the problems found."""
    problems: list[str] = []
    attacker = None
    for i, (what, raw, expected) in enumerate(frames):
        if i % FRAMES_PER_SOCKET == 0:
            if attacker is not None:
                attacker.close()
            attacker = attacker_factory()
        try:
            attacker.send(raw)
            reply = attacker.next("error")
        except (ConnectionClosed, TimeoutError) as e:
            problems.append(f"{what}: no error frame ({e!r}) for {raw[:80]!r}")
            attacker = attacker_factory()
            continue
        if reply["code"] not in expected or not reply.get("message"):
            problems.append(f"{what}: got {reply} for {raw[:80]!r}, expected one of {sorted(expected)}")
    attacker.close()
    return problems


def test_fuzzed_frames_get_error_frames_and_a_bystander_call_is_untouched(server):
    _fuzz_beside_a_bystander_call(server)


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # the instances share PostgreSQL
def test_the_same_behind_nginx_in_front_of_two_instances(behind_nginx):
    _fuzz_beside_a_bystander_call(behind_nginx)


def _fuzz_beside_a_bystander_call(server: Target) -> None:
    ctx, limit = server.ctx, server.max_message_bytes
    op1, op2 = _login(server, "op1"), _login(server, "op2")

    bystander_case = ctx.cases.open_case("public").id
    bystander_phone = _phone(server, bystander_case, server.pin["phone"])
    bystander_seat = Peer(f"{server.ws_url}/ws/seat", {"type": "auth", "token": op2}, server.pin["seat"])
    bystander_seat.next("queue")
    answered = httpx.post(f"{server.url}/api/cases/{bystander_case}/answer",
                          headers={"Authorization": f"Bearer {op2}"} | server.pin["seat"], timeout=10)
    assert answered.status_code == 200, answered.text
    bystander_phone.next("answered")

    rng = random.Random(SEED)
    attacker_case = ctx.cases.open_case("public").id
    problems = _fuzz(lambda: _phone(server, attacker_case), phone_corpus(rng, limit))

    def attacker_seat() -> Peer:
        peer = Peer(f"{server.ws_url}/ws/seat", {"type": "auth", "token": op1})
        peer.next("queue")
        return peer

    problems += _fuzz(attacker_seat, seat_corpus(rng, limit, bystander_case))
    assert not problems, f"{len(problems)} frames answered wrongly:\n" + "\n".join(problems[:10])

    # the bystander saw none of it, and its call still relays both ways
    quiet = {"signal", "ended", "error", "phone_left", "phone_rejoined"}
    assert not [m for m in bystander_phone.drain() + bystander_seat.drain() if m["type"] in quiet]
    assert ctx.cases.get(bystander_case).state == "in_call"
    bystander_seat.send({"type": "signal", "case_id": bystander_case, "candidate": BYSTANDER_CANDIDATE})
    assert bystander_phone.next("signal")["candidate"] == BYSTANDER_CANDIDATE
    bystander_phone.send({"type": "signal", "candidate": BYSTANDER_CANDIDATE})
    assert bystander_seat.next("signal")["case_id"] == bystander_case
    bystander_phone.close()
    bystander_seat.close()

    assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
    loud = server.loud()
    assert not loud, loud[:5]
