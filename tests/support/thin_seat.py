"""A thin seat for the Chromium tests and the TURN bench: the seat WebSocket, with signalling handed to the
seat app's real SeatSignalling (and so to a real CallEngine), its queue kept by the seat app's own model.

``ReconnectingSeat`` is the same seat on the seat app's own SeatSocket, which comes back by itself (with
its back-off) when the server goes away: for the tests that kill the server under a call."""
from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

import websockets

from seat_app.core.queue import Applied, QueueModel
from seat_app.services.call.signalling import SeatSignalling
from seat_app.services.seat_socket import SeatSocket


class ThinSeat:
    """Every frame it gets is in ``messages``; after each queue change a ``queue_view`` entry there holds the
    whole queue as the seat now has it, in its order. ``offer_at`` is when each case's first offer arrived."""

    def __init__(self, ws_url: str, token: str) -> None:
        self.url, self.token = f"{ws_url}/ws/seat", token
        self.messages: list[dict] = []
        self.offer_at: dict[int, float] = {}
        self.signalling = SeatSignalling(self._send)
        self.queue = QueueModel()

    async def __aenter__(self) -> ThinSeat:
        self.ws = await websockets.connect(self.url, max_size=1 << 20)
        await self.ws.send(json.dumps({"type": "auth", "token": self.token}))
        self._reader = asyncio.ensure_future(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        await self.signalling.close_all()
        await self.ws.close()
        self._reader.cancel()

    async def _send(self, message: dict) -> None:
        await self.ws.send(json.dumps(message))

    async def _read(self) -> None:
        async for raw in self.ws:
            await self._take(json.loads(raw))

    async def _take(self, message: dict) -> None:
        self.messages.append(message)
        if message.get("type") == "signal" and (message.get("sdp") or {}).get("type") == "offer":
            self.offer_at.setdefault(message["case_id"], time.monotonic())
        if message["type"] in ("queue", "queue_changes"):
            applied = self.queue.apply(message["type"], message)
            if applied == Applied.RESYNC:
                await self._send({"type": "queue_resync"})
            elif applied == Applied.CHANGED:
                self.messages.append({"type": "queue_view",
                                      "items": [self.queue.raw[i.case_id] for i in self.queue.items]})
        await self.signalling.handle(message)

    def seen(self, predicate: Callable[[dict], bool]) -> dict | None:
        """The newest message ``predicate`` accepts, if any."""
        return next((m for m in reversed(self.messages) if predicate(m)), None)

    async def wait_for(self, predicate: Callable[[dict], bool], timeout: float, what: str) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if (found := self.seen(predicate)) is not None:
                return found
            await asyncio.sleep(0.05)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class ReconnectingSeat(ThinSeat):
    """A ThinSeat whose socket is the seat app's SeatSocket; ``connections`` counts the times it came up.

    Messages are taken one at a time, in order, as ThinSeat takes them (an offer before its candidates)."""

    def __init__(self, ws_url: str, token: str) -> None:
        super().__init__(ws_url, token)
        self.socket = SeatSocket(self.url, token=token)
        self.connections = 0
        self._inbox: asyncio.Queue[dict] = asyncio.Queue()
        self.socket.events.on("message", lambda type, data: self._inbox.put_nowait({"type": type, **data}))
        self.socket.events.on("connected", self._connected)

    def _connected(self) -> None:
        self.connections += 1

    @property
    def connected(self) -> bool:
        return self.socket.connected

    async def __aenter__(self) -> ReconnectingSeat:
        self.socket.start()
        self._reader = asyncio.ensure_future(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        await self.signalling.close_all()
        await self.socket.stop()
        self._reader.cancel()

    async def _send(self, message: dict) -> None:
        message = dict(message)
        await self.socket.send(message.pop("type"), **message)

    async def _read(self) -> None:
        while True:
            await self._take(await self._inbox.get())
