"""The signalling fan-out between server instances, behind one small interface.

Every hub publishes what happened (a transition, a signal for a seat or a phone,
a presence change) and receives every message published by any instance; each
hub then delivers to the sockets it holds. With one instance the in-memory
broker is all there is. DESIGN.md §5: with several instances a PostgreSQL
LISTEN/NOTIFY or Redis pub/sub broker implements the same two methods, so
adding instances is configuration (``signalling_broker``), not a rewrite.

Messages are JSON-serialisable dicts; brokers must not assume they stay in-process.
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

log = logging.getLogger(__name__)

Handler = Callable[[str, dict], Awaitable[None]]


class Broker(Protocol):
    async def start(self, handler: Handler) -> None:
        """Begin delivering every published (topic, message), from any instance, to ``handler``."""

    async def publish(self, topic: str, message: dict) -> None: ...

    async def close(self) -> None: ...


class MemoryBroker:
    """One process: publishing calls the handler directly, in order, on the caller's loop."""

    def __init__(self) -> None:
        self._handler: Handler | None = None

    async def start(self, handler: Handler) -> None:
        self._handler = handler

    async def publish(self, topic: str, message: dict) -> None:
        json.dumps(message)  # fail here, as a real broker would, on anything not serialisable
        if self._handler is None:
            return
        try:
            await self._handler(topic, message)
        except Exception:  # a delivery failure must never reach the publisher
            log.exception("broker: handler failed for %s", topic)

    async def close(self) -> None:
        self._handler = None


def make_broker(kind: str) -> Broker:
    if kind == "memory":
        return MemoryBroker()
    raise NotImplementedError(
        f"signalling_broker={kind!r} is not implemented yet; run one instance with 'memory'"
    )


async def aclose_quietly(broker: Broker) -> None:
    try:
        await broker.close()
    except (Exception, asyncio.CancelledError):
        log.exception("broker: close failed")
