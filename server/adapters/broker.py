"""The signalling fan-out between server instances, behind one small interface.

Every hub publishes what happened (a transition, a signal for a seat or a phone,
a presence change) and receives every message published by any instance; each
hub then delivers to the sockets it holds. With one instance the in-memory
broker is all there is. DESIGN.md §5: with several instances behind a proxy,
``signalling_broker = "postgres"`` uses LISTEN/NOTIFY on the shared database, so
adding instances is configuration, not a rewrite; ``signalling_broker = "redis"`` uses
Redis pub/sub (``redis_url``) instead, e.g. when the database should carry no signalling.

Messages are JSON-serialisable dicts; brokers must not assume they stay in-process.
"""
from __future__ import annotations

import asyncio
import base64
import json
import logging
import zlib
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


class _ChannelBroker:
    """What the PostgreSQL and Redis brokers share: one listening task that hands each encoded payload to
    the handler, one sending connection behind a lock (so order holds), and their shutdown."""

    RECONNECT_S = 1.0

    def __init__(self) -> None:
        self._handler: Handler | None = None
        self._send = None
        self._send_lock = asyncio.Lock()
        self._task: asyncio.Task | None = None

    async def _deliver(self, payload: str) -> None:
        try:
            topic, message = decode(payload)
            await self._handler(topic, message)
        except Exception:
            log.exception("broker: could not deliver a message from %s", type(self).__name__)

    async def _close_sender(self) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        if self._send is not None:
            await self._close_sender()


class PostgresBroker(_ChannelBroker):
    """Every instance LISTENs on one channel; publishing is a NOTIFY through one connection, so order holds.

    NOTIFY payloads are limited to 8000 bytes, and an SDP offer can be 6 KB of JSON, so
    payloads are zlib-compressed and base64-encoded (an offer becomes about 2 KB).
    """

    CHANNEL = "kuaichu_signalling"
    MAX_PAYLOAD = 7900

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self._url = database_url.replace("postgresql+psycopg://", "postgresql://", 1)

    async def start(self, handler: Handler) -> None:
        import psycopg

        self._handler = handler
        self._send = await psycopg.AsyncConnection.connect(self._url, autocommit=True)
        listening = asyncio.Event()
        self._task = asyncio.ensure_future(self._listen(listening))
        await asyncio.wait_for(listening.wait(), timeout=10)

    async def _listen(self, listening: asyncio.Event) -> None:
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self._url, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {self.CHANNEL}")
                    listening.set()
                    async for note in conn.notifies():
                        await self._deliver(note.payload)
            except asyncio.CancelledError:
                raise
            except Exception:  # the database went away: keep trying, messages meanwhile are lost
                log.exception("broker: LISTEN connection lost; reconnecting")
                await asyncio.sleep(self.RECONNECT_S)

    async def publish(self, topic: str, message: dict) -> None:
        payload = encode(topic, message)
        if len(payload) > self.MAX_PAYLOAD:
            raise ValueError(f"broker message for {topic} too large for NOTIFY ({len(payload)} bytes)")
        async with self._send_lock:
            await self._send.execute("SELECT pg_notify(%s, %s)", (self.CHANNEL, payload))

    async def _close_sender(self) -> None:
        await self._send.close()


class RedisBroker(_ChannelBroker):
    """Every instance SUBSCRIBEs to one channel; publishing goes through one connection, so order holds.

    Pub/sub is fire-and-forget, like NOTIFY: while the subscription is down (Redis restarting) messages
    are lost, and the listener subscribes again by itself. Payloads are encoded as for PostgreSQL.
    """

    def __init__(self, redis_url: str, channel: str = "kuaichu_signalling") -> None:
        if not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("signalling_broker=redis needs KUAICHU_REDIS_URL, e.g. redis://127.0.0.1:6379/0")
        super().__init__()
        self._url = redis_url
        self.CHANNEL = channel  # pub/sub ignores the database number: one channel per deployment

    async def start(self, handler: Handler) -> None:
        import redis.asyncio as aioredis

        self._handler = handler
        self._send = aioredis.from_url(self._url, single_connection_client=True)
        await self._send.ping()
        listening = asyncio.Event()
        self._task = asyncio.ensure_future(self._listen(listening))
        await asyncio.wait_for(listening.wait(), timeout=10)

    async def _listen(self, listening: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        while True:
            client = aioredis.from_url(self._url)
            pubsub = client.pubsub()
            try:
                await pubsub.subscribe(self.CHANNEL)
                async for note in pubsub.listen():
                    if note["type"] == "subscribe":
                        listening.set()
                    elif note["type"] == "message":
                        await self._deliver(note["data"].decode("ascii"))
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying, messages meanwhile are lost
                log.exception("broker: Redis subscription lost; subscribing again")
                await asyncio.sleep(self.RECONNECT_S)
            finally:
                await asyncio.shield(_close_redis(pubsub, client))

    async def publish(self, topic: str, message: dict) -> None:
        payload = encode(topic, message)
        async with self._send_lock:
            await self._send.publish(self.CHANNEL, payload)

    async def _close_sender(self) -> None:
        await self._send.aclose()


async def _close_redis(pubsub, client) -> None:
    try:
        await pubsub.aclose()
        await client.aclose()
    except Exception:  # noqa: BLE001 - closing what is already broken
        log.debug("broker: closing the Redis subscription failed", exc_info=True)


def encode(topic: str, message: dict) -> str:
    raw = json.dumps([topic, message], ensure_ascii=False, separators=(",", ":")).encode()
    return base64.b64encode(zlib.compress(raw, 6)).decode("ascii")


def decode(payload: str) -> tuple[str, dict]:
    topic, message = json.loads(zlib.decompress(base64.b64decode(payload)))
    return topic, message


def make_broker(kind: str, database_url: str = "", redis_url: str = "",
                redis_channel: str = "kuaichu_signalling") -> Broker:
    if kind == "memory":
        return MemoryBroker()
    if kind == "postgres":
        if not database_url.startswith("postgresql"):
            raise ValueError("signalling_broker=postgres needs a PostgreSQL database_url")
        return PostgresBroker(database_url)
    if kind == "redis":
        return RedisBroker(redis_url, redis_channel)
    raise ValueError(f"signalling_broker={kind!r} is unknown; use 'memory', 'postgres' or 'redis'")


async def aclose_quietly(broker: Broker) -> None:
    try:
        await broker.close()
    except (Exception, asyncio.CancelledError):
        log.exception("broker: close failed")
