"""Reading from a Starlette TestClient WebSocket with a deadline, so a missing message fails the test
instead of hanging it."""
from __future__ import annotations

import json
import time
from collections.abc import Callable

import anyio


class NoMessage(AssertionError):
    pass


def recv(ws, timeout: float = 5.0) -> dict:
    """The next JSON frame from the server; raises NoMessage after ``timeout`` or on close."""

    async def _next():
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    try:
        message = ws.portal.call(_next)
    except TimeoutError:
        raise NoMessage(f"no frame within {timeout} s") from None
    if message["type"] == "websocket.close":
        raise NoMessage(f"socket closed with code {message.get('code')}")
    return json.loads(message["text"])


def recv_until(ws, predicate: Callable[[dict], bool], timeout: float = 5.0) -> dict:
    """Skips frames until one matches; the deadline covers the whole wait."""
    end = time.monotonic() + timeout
    seen = []
    while True:
        left = end - time.monotonic()
        if left <= 0:
            raise NoMessage(f"no matching frame within {timeout} s; saw {seen[-5:]}")
        try:
            message = recv(ws, left)
        except NoMessage as e:
            raise NoMessage(f"{e}; saw {seen[-5:]}") from None
        if predicate(message):
            return message
        seen.append(message)


def close_code(ws, timeout: float = 5.0) -> int:
    """Reads until the server closes the socket and returns the close code."""

    async def _next():
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            message = ws.portal.call(_next)
        except TimeoutError:
            break
        if message["type"] == "websocket.close":
            return message.get("code", 1000)
    raise NoMessage(f"socket not closed within {timeout} s")


def of_type(kind: str) -> Callable[[dict], bool]:
    return lambda m: m.get("type") == kind
