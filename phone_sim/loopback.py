"""A stand-in for the server's signalling hub, so a seat and phones can call without a server.

It relays exactly what the real hub relays (kuaichu_protocol): a phone's
``join`` puts it first in the queue and, with ``auto_answer``, gets it
``answered`` at once; ``signal`` messages pass between the phone and the seat
with the case id added or removed; a phone whose socket closes is reported to
the seat as ``phone_left``. Every message goes through JSON, as on the wire.

Phones attach in memory (``connector``) or, for a phone simulator in another
process, over a real WebSocket (``serve_websocket``), with the server's URL
layout: ``ws://host:port/ws/phone/{party_token}``.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable

from kuaichu_protocol.messages import PhoneMsg, SeatMsg, ToPhoneMsg, ToSeatMsg

from .transport import Connector

log = logging.getLogger(__name__)

Deliver = Callable[[dict], Awaitable[None]]


def _wire(message: dict) -> dict:
    return json.loads(json.dumps(message, ensure_ascii=False))


class LoopbackHub:
    def __init__(self, ice_servers: list[dict] | None = None, auto_answer: bool = True,
                 seat_name: str = "模拟坐席") -> None:
        self.ice_servers = ice_servers or []
        self.auto_answer = auto_answer
        self.seat_name = seat_name
        self.cases: dict[str, str] = {}  # party token -> case id
        self.answered_at: dict[str, float] = {}  # case id -> time.time() of the last "answered"
        self.phone_log: list[dict] = []  # everything phones sent, for tests
        self.on_join: Callable[[str], None] | None = None  # told the party token of each join
        self._seat: Deliver | None = None
        self._phones: dict[str, Deliver] = {}
        self._joined: set[str] = set()

    # --- wiring -------------------------------------------------------------
    def attach_seat(self, deliver: Deliver) -> None:
        """``deliver`` gets every ToSeatMsg (SeatSignalling.handle)."""
        self._seat = deliver

    def add_party(self, party_token: str, case_id: str) -> None:
        self.cases[party_token] = case_id

    def connector(self, party_token: str) -> Connector:
        async def connect() -> MemoryPhoneTransport:
            return MemoryPhoneTransport(self, party_token)
        return connect

    # --- seat side ------------------------------------------------------------
    async def from_seat(self, message: dict) -> None:
        """What the seat sends (SeatSignalling's ``send``)."""
        message = _wire(message)
        token = self._token_for(message.get("case_id"))
        if token is None or token not in self._phones:
            log.warning("hub: seat message for an absent phone: %s", message.get("type"))
            return
        if message.get("type") == SeatMsg.SIGNAL:
            relay = {k: message[k] for k in ("sdp", "candidate") if k in message}
            await self._phones[token]({"type": ToPhoneMsg.SIGNAL, **relay})
        elif message.get("type") == SeatMsg.HANGUP:
            await self._phones[token]({"type": ToPhoneMsg.ENDED, "reason": message.get("reason", "")})

    async def answer(self, party_token: str) -> None:
        """The seat picks the phone up (the server would do this on POST /api/cases/{id}/answer)."""
        self.answered_at[self.cases[party_token]] = time.time()
        await self._phones[party_token]({"type": ToPhoneMsg.ANSWERED, "seat_name": self.seat_name,
                                         "ice_servers": self.ice_servers})

    async def _to_seat(self, message: dict) -> None:
        if self._seat is not None:
            await self._seat(_wire(message))

    def _token_for(self, case_id) -> str | None:
        return next((t for t, c in self.cases.items() if c == case_id), None)

    # --- phone side -----------------------------------------------------------
    def phone_connected(self, party_token: str, deliver: Deliver) -> None:
        self.cases.setdefault(party_token, f"case-{party_token}")
        self._phones[party_token] = deliver

    async def phone_message(self, party_token: str, message: dict) -> None:
        message = _wire(message)
        self.phone_log.append(message)
        case_id, kind = self.cases[party_token], message.get("type")
        if kind == PhoneMsg.JOIN:
            await self._on_join(party_token, case_id)
        elif kind == PhoneMsg.SIGNAL:
            relay = {k: message[k] for k in ("sdp", "candidate") if k in message}
            await self._to_seat({"type": ToSeatMsg.SIGNAL, "case_id": case_id, **relay})
        elif kind in (PhoneMsg.EVENT, PhoneMsg.LOCATION, PhoneMsg.SAFETY):
            await self._to_seat({"type": ToSeatMsg.CASE_UPDATED, "case_id": case_id, "what": kind})

    async def _on_join(self, party_token: str, case_id: str) -> None:
        if party_token in self._joined:
            await self._to_seat({"type": ToSeatMsg.PHONE_REJOINED, "case_id": case_id})
        self._joined.add(party_token)
        await self._phones[party_token]({"type": ToPhoneMsg.QUEUE, "position": 1, "estimated_wait_s": 0})
        if self.on_join is not None:
            self.on_join(party_token)
        if self.auto_answer:
            await self.answer(party_token)

    async def phone_disconnected(self, party_token: str, deliver: Deliver) -> None:
        """Only the socket that is still current counts: a rejoin may already have replaced it."""
        if self._phones.get(party_token) == deliver:
            del self._phones[party_token]
            await self._to_seat({"type": ToSeatMsg.PHONE_LEFT, "case_id": self.cases[party_token]})


class MemoryPhoneTransport:
    """The phone's end of an in-memory socket to a LoopbackHub."""

    def __init__(self, hub: LoopbackHub, party_token: str) -> None:
        self.hub = hub
        self.party_token = party_token
        self._inbox: asyncio.Queue[dict | None] = asyncio.Queue()
        self._open = True
        hub.phone_connected(party_token, self._deliver)

    async def _deliver(self, message: dict) -> None:
        if self._open:
            self._inbox.put_nowait(_wire(message))

    async def send(self, message: dict) -> None:
        if self._open:
            await self.hub.phone_message(self.party_token, message)

    async def receive(self) -> dict | None:
        return await self._inbox.get() if self._open or not self._inbox.empty() else None

    async def close(self) -> None:
        if self._open:
            self._open = False
            self._inbox.put_nowait(None)
            await self.hub.phone_disconnected(self.party_token, self._deliver)


async def serve_websocket(hub: LoopbackHub, host: str = "127.0.0.1", port: int = 0):
    """Accept phone simulators on ``/ws/phone/{token}``; returns the websockets server (``close()`` it)."""
    from websockets.asyncio.server import serve

    async def handler(connection) -> None:
        parts = connection.request.path.strip("/").split("/")
        if len(parts) != 3 or parts[:2] != ["ws", "phone"]:
            await connection.close(4404, "unknown path")
            return
        await _bridge(hub, parts[2], connection)

    return await serve(handler, host, port)


async def _bridge(hub: LoopbackHub, party_token: str, connection) -> None:
    from websockets.exceptions import ConnectionClosed

    async def deliver(message: dict) -> None:
        try:
            await connection.send(json.dumps(message, ensure_ascii=False))
        except ConnectionClosed:
            pass

    hub.phone_connected(party_token, deliver)
    try:
        async for raw in connection:
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            await hub.phone_message(party_token, message)
    except ConnectionClosed:
        pass
    finally:
        await hub.phone_disconnected(party_token, deliver)
