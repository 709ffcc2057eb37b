"""The seat's WebSocket to the server (``/ws/seat``): queue pushes, signalling, case news.

The session token is the first frame (``{"type": "auth", "token": ...}``), never part
of the address, so it cannot land in a proxy's or the server's access log. For
convenience the address may still be given as ``.../ws/seat?token=...``
(``ApiClient.ws_url``): the token is taken out of it before connecting.

It reconnects on its own with a capped back-off, because a seat's network drops
and the operator should not have to notice. Each inbound JSON message is
announced as ``message(type=..., data=...)``; ``connected``/``disconnected``
let the UI show the link state and fall back to polling. A 401/403 at the
handshake, or a close code 4401/4403, means the session is gone: the socket
announces ``session_expired`` and stops retrying.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus, WebSocketException

from kuaichu_protocol.messages import SeatMsg
from seat_app.core.events import Emitter

log = logging.getLogger(__name__)
#: websockets logs every frame at DEBUG, the auth frame and its session token among them: never below INFO.
wire_log = logging.getLogger(__name__ + ".wire")
wire_log.setLevel(logging.INFO)

BACKOFF_S = (0.5, 1.0, 2.0, 5.0)
AUTH_CLOSE_CODES = {4401, 4403, 1008}


class SeatSocket:
    def __init__(self, url: str, max_size: int = 1 << 20, token: str | None = None) -> None:
        self.url, url_token = split_token(url)
        self._token = token if token is not None else url_token
        self.max_size = max_size
        self.events = Emitter()
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task | None = None
        self._stopping = False

    @property
    def connected(self) -> bool:
        return self._ws is not None

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.ensure_future(self._run())

    async def stop(self) -> None:
        self._stopping = True
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        self._task = None

    async def send(self, type_: str, **data: Any) -> bool:
        """Send one message; False when the socket is down (the caller decides whether that matters)."""
        if self._ws is None:
            return False
        try:
            await self._ws.send(json.dumps({"type": type_, **data}, ensure_ascii=False))
            return True
        except (ConnectionClosed, WebSocketException, OSError):
            return False

    async def _run(self) -> None:
        attempt = 0
        while not self._stopping:
            try:
                async with connect(self.url, max_size=self.max_size, open_timeout=5, ping_interval=10,
                                   logger=wire_log) as ws:
                    await ws.send(json.dumps({"type": SeatMsg.AUTH, "token": self._token}))
                    self._ws, attempt = ws, 0
                    self.events.emit("connected")
                    await self._read(ws)
                    if _auth_close(ws.close_code):
                        self._expired()
                        return
            except InvalidStatus as exc:
                if exc.response.status_code in (401, 403):
                    self._expired()
                    return
                log.info("seat socket refused: HTTP %s", exc.response.status_code)
            except (OSError, WebSocketException, asyncio.TimeoutError) as exc:
                log.info("seat socket down: %r", exc)
            finally:
                if self._ws is not None:
                    self._ws = None
                    self.events.emit("disconnected")
            if self._stopping:
                return
            await asyncio.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
            attempt += 1

    async def _read(self, ws: ClientConnection) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in ws:
                try:
                    message = json.loads(raw)
                    type_ = message.pop("type")
                except (ValueError, KeyError, AttributeError, TypeError):
                    log.warning("seat socket: ignoring a malformed message")
                    continue
                self.events.emit("message", type=type_, data=message)

    def _expired(self) -> None:
        self._stopping = True
        self.events.emit("session_expired")


def split_token(url: str) -> tuple[str, str]:
    """(the address without its ``token`` query parameter, the token or "")."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    token = next((v for k, v in query if k == "token"), "")
    rest = urlencode([(k, v) for k, v in query if k != "token"])
    return urlunsplit(parts._replace(query=rest)), token


def _auth_close(code: int | None) -> bool:
    return code in AUTH_CLOSE_CODES
