"""The seat socket logs in with its first frame: the token leaves the address and stays out of the seat's log."""
from __future__ import annotations

import asyncio
import logging

import pytest

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.services.api_client import ApiClient
from seat_app.services.seat_socket import SeatSocket, split_token
from tests.seat_app.services.conftest import PASSWORD
from tests.support.waiting import wait_for


@pytest.mark.parametrize(("url", "address", "token"), [
    ("ws://h:8000/ws/seat?token=abc", "ws://h:8000/ws/seat", "abc"),
    ("wss://h/ws/seat?x=1&token=a%2Bb", "wss://h/ws/seat?x=1", "a+b"),
    ("ws://h/ws/seat", "ws://h/ws/seat", ""),
])
def test_the_token_is_taken_out_of_the_address(url, address, token):
    assert split_token(url) == (address, token)
    socket = SeatSocket(url)
    assert socket.url == address and "token" not in socket.url


async def test_the_seat_logs_in_without_its_token_in_the_url_or_the_log(live, caplog):
    caplog.set_level(logging.DEBUG)
    client = ApiClient(live.url)
    await asyncio.to_thread(client.login, "operator1", PASSWORD)
    socket = SeatSocket(client.ws_url)
    queues: list[dict] = []
    socket.events.on("message", lambda type, data: queues.append(data) if type == ToSeatMsg.QUEUE else None)
    socket.start()
    try:
        await wait_for(lambda: queues)  # the server accepted the auth frame: it refuses ?token= outright
    finally:
        await socket.stop()
    wire = [r for r in caplog.records if r.name.startswith("seat_app.services.seat_socket") and r.levelno < logging.INFO]
    assert not wire, [r.getMessage() for r in wire[:3]]  # websockets would print the auth frame here
