"""Waiting in tests: on a condition with a deadline instead of a fixed sleep, and on a later message
instead of "nothing arrived within 0.3 s".

* ``wait_for`` (asyncio tests) and ``wait_for_blocking`` (threads, TestClient tests) poll a condition
  until it holds and fail the test, never return False, when the deadline passes.
* ``frames_before`` and ``frames_until_closed`` prove that a message never came: they read up to a
  later frame (or the close) that the server sends after the one that must not arrive, so a message
  that had been sent would be among those returned. A short timeout proves nothing on a slow machine.
"""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import anyio

from tests.support.ws_session import NoMessage

POLL_S = 0.02


async def wait_for(condition: Callable[[], object], timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, f"condition not met within {timeout} s"
        await asyncio.sleep(POLL_S)


def wait_for_blocking(condition: Callable[[], object], timeout: float = 10.0) -> None:
    """``wait_for`` for code that is not on an event loop (it blocks the calling thread)."""
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, f"condition not met within {timeout} s"
        time.sleep(POLL_S)


def _receive(ws, timeout: float) -> dict:
    """The next raw ASGI message the server sent a TestClient WebSocket (a frame or the close)."""

    async def _next():
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    try:
        return ws.portal.call(_next)
    except TimeoutError:
        raise NoMessage(f"nothing from the server within {timeout} s") from None


def frames_before(ws, predicate: Callable[[dict], bool], timeout: float = 5.0) -> list[dict]:
    """Every JSON frame that arrives before the first one matching ``predicate`` (which is consumed)."""
    end = time.monotonic() + timeout
    seen: list[dict] = []
    while True:
        message = _receive(ws, max(end - time.monotonic(), 0.001))
        if message["type"] == "websocket.close":
            raise NoMessage(f"socket closed with code {message.get('code')} before the frame; saw {seen[-5:]}")
        frame = json.loads(message["text"])
        if predicate(frame):
            return seen
        seen.append(frame)


def frames_until_closed(ws, timeout: float = 5.0) -> tuple[list[dict], int]:
    """Every JSON frame the server sends until it closes the socket, and the close code."""
    end = time.monotonic() + timeout
    seen: list[dict] = []
    while True:
        message = _receive(ws, max(end - time.monotonic(), 0.001))
        if message["type"] == "websocket.close":
            return seen, message.get("code", 1000)
        seen.append(json.loads(message["text"]))
