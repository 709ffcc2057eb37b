"""The control protocol on its own, over a fake data-channel pair (no media, no sockets)."""
from __future__ import annotations

import asyncio
import json

import pytest

from seat_app.services.call.control import CommandError, CommandTimeout, ControlChannel


class FakeChannel:
    """Just enough of RTCDataChannel: open, ``on``, and ``send`` delivered to the peer on the next loop turn."""

    def __init__(self) -> None:
        self.readyState = "open"
        self.peer: FakeChannel | None = None
        self.sent: list[str] = []
        self._listeners: dict[str, list] = {}

    def on(self, event: str, callback) -> None:
        self._listeners.setdefault(event, []).append(callback)

    def send(self, data) -> None:
        self.sent.append(data)
        asyncio.get_running_loop().call_soon(self.peer.emit, "message", data)

    def emit(self, event: str, *args) -> None:
        for callback in self._listeners.get(event, []):
            callback(*args)


@pytest.fixture
async def pair():
    seat_side, phone_side = FakeChannel(), FakeChannel()
    seat_side.peer, phone_side.peer = phone_side, seat_side
    seat, phone = ControlChannel(), ControlChannel()
    seat.attach(seat_side)
    phone.attach(phone_side)
    yield seat, phone, seat_side, phone_side
    await seat.close()
    await phone.close()


async def echo(args: dict) -> dict:
    return {"echo": args}


async def test_a_command_resolves_with_the_handler_result(pair):
    seat, phone, *_ = pair
    phone.handlers["echo"] = echo
    assert await seat.command("echo", {"x": 1}) == {"echo": {"x": 1}}


async def test_an_unanswered_command_times_out(pair):
    seat, phone, *_ = pair
    phone.handlers["stall"] = lambda args: asyncio.Event().wait()
    with pytest.raises(CommandTimeout) as raised:
        await seat.command("stall", timeout=0.05)
    assert raised.value.code == "timeout"


async def test_a_crashing_handler_becomes_internal_error(pair):
    seat, phone, *_ = pair

    async def broken(args):
        raise RuntimeError("boom")

    phone.handlers["broken"] = broken
    with pytest.raises(CommandError) as raised:
        await seat.command("broken")
    assert raised.value.code == "internal_error"


async def test_losing_the_channel_fails_waiting_commands(pair):
    seat, phone, *_ = pair
    phone.handlers["stall"] = lambda args: asyncio.Event().wait()
    waiting = asyncio.ensure_future(seat.command("stall"))
    await asyncio.sleep(0)  # let the command go out
    seat.detach("interrupted")
    with pytest.raises(CommandError) as raised:
        await waiting
    assert raised.value.code == "interrupted"


@pytest.mark.parametrize("raw, code", [
    ("not json", "bad_json"),
    (b"\xff\xfe", "bad_json"),
    ("[1, 2]", "bad_message"),
    ('{"type": "cmd", "id": true, "name": "x"}', "bad_message"),
    ('{"type": "cmd", "id": 1, "name": "x", "args": []}', "bad_message"),
    ('{"type": "cmd", "id": 1, "name": "nope", "args": {}}', "unknown_command"),
    ('{"type": "telepathy", "id": 3}', "unknown_type"),
    ('{"type": "event", "name": "battery", "data": 5}', "bad_message"),
    ("x" * 20_000, "too_large"),
])
async def test_junk_gets_an_error_reply(pair, raw, code):
    seat, phone, seat_side, phone_side = pair
    rejected = asyncio.get_running_loop().create_future()
    phone.on_error = lambda c, message: rejected.done() or rejected.set_result(c)
    seat.send_raw(raw)
    assert await asyncio.wait_for(rejected, 5) == code
    reply = json.loads(phone_side.sent[-1])
    assert reply["type"] == "reply" and reply["ok"] is False and reply["error"] == code


async def test_error_replies_are_not_answered_so_peers_cannot_ping_pong(pair):
    seat, phone, seat_side, phone_side = pair
    phone.handlers["echo"] = echo
    seat.send_raw("not json")
    assert await seat.command("echo", {}) == {"echo": {}}  # by now the error reply has arrived
    assert seat.errors_sent == 0 and phone.errors_sent == 1


async def test_events_reach_the_callback(pair):
    seat, phone, *_ = pair
    got = asyncio.get_running_loop().create_future()
    seat.on_event = lambda name, data: got.set_result((name, data))
    phone.send_event("battery", {"level": 0.5, "charging": False})
    assert await asyncio.wait_for(got, 5) == ("battery", {"level": 0.5, "charging": False})
