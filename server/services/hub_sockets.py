"""The hub's view of one connected socket: who is on it and what it may still do."""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Protocol

from server.services.auth import Principal
from server.services.cases import Actor
from server.services.invitations import PartyLink, SlidingWindowLimiter

log = logging.getLogger(__name__)

#: Per-socket message allowance: a page sends a GPS fix every few seconds and a handful of signals.
SOCKET_MESSAGES_PER_10S = 60


def _limiter() -> SlidingWindowLimiter:
    return SlidingWindowLimiter(SOCKET_MESSAGES_PER_10S, 10)


class SharedMessage(dict):
    """A message sent to many sockets alike: serialised once, on the first send (``text``).

    Treat it as frozen once it is handed to a socket."""

    __slots__ = ("_text",)

    def text(self) -> str:
        try:
            return self._text
        except AttributeError:
            self._text = json.dumps(self, ensure_ascii=False)
            return self._text


class Socket(Protocol):
    async def send(self, message: dict) -> None: ...

    async def close(self, code: int = 1000) -> None: ...


@dataclass(eq=False)
class PhoneConn:
    socket: Socket
    link: PartyLink
    joined: bool = False
    done: bool = False  # left, replaced or revoked: its closing changes nothing
    limiter: SlidingWindowLimiter = field(default_factory=_limiter)

    @property
    def case_id(self) -> int:
        return self.link.case_id

    @property
    def actor(self) -> Actor:
        return Actor.party(self.link.case_id, self.link.party_id)


@dataclass(eq=False)
class SeatConn:
    socket: Socket
    principal: Principal
    limiter: SlidingWindowLimiter = field(default_factory=_limiter)


@dataclass(frozen=True)
class Holder:
    state: str
    seat_user_id: int | None
    last_seat_user_id: int | None


async def close_quietly(socket: Socket, code: int) -> None:
    try:
        await socket.close(code)
    except Exception as e:  # already gone
        log.debug("hub: close failed: %r", e)
