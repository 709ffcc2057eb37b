"""Fixed-window hit counters in the database, so every server instance enforces one shared limit.

A limit allows ``limit`` hits per key in each window of ``window_s`` seconds; the
window is the wall-clock interval ``[k * window_s, (k + 1) * window_s)``. A hit is
one ``INSERT ... ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count``: the
database serialises concurrent hits on the same row (PostgreSQL by the row lock,
SQLite by its single writer), so no two requests ever read the same count. A hit
over the limit is taken back at once, so refused requests never push the count up
and exactly ``limit`` hits are granted per window, however many instances share it.

Each hit runs in its own short transaction. Call it *outside* any other unit of
work: on SQLite a second writer waits for the first, so a hit inside an open write
transaction would wait on itself. Finished windows are pruned every
``PRUNE_EVERY`` hits of a process (and by :meth:`RateLimits.prune`).
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import RateCounter
from server.services.errors import RateLimited

PRUNE_EVERY = 1000
_MAX_KEY = 255


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int
    window_s: int


@dataclass(frozen=True)
class Hit:
    allowed: bool
    count: int
    retry_after_s: int  # seconds until the window ends (at least 1)


def client_key(address: str) -> str:
    """The unit an address limit counts: an IPv4 address, or the /64 an IPv6 address is in.

    One IPv6 subscriber is handed a whole /64, so counting single addresses would give them
    2**64 fresh allowances. Anything that is not an IP address is counted as it is.
    """
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def _key(key: str) -> str:
    """Keys are user names, addresses and token digests; anything longer is stored by its digest."""
    return key if len(key) <= _MAX_KEY else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


class RateLimits:
    def __init__(self, factory: sessionmaker[Session], clock: Callable[[], float] = time.time) -> None:
        self._factory, self._clock = factory, clock
        self._hits_since_prune = 0
        self._lock = threading.Lock()

    def take(self, limit: Limit, key: str) -> Hit:
        """Counts one hit; refused (and not counted) when the window's allowance is used up."""
        now = self._clock()
        start = self._window_start(limit, now)
        with unit_of_work(self._factory) as s:
            count = s.execute(self._upsert(s, limit, _key(key), start)).scalar_one()
            if count > limit.limit:
                self._add(s, limit, _key(key), start, -1)
        self._maybe_prune()
        return Hit(count <= limit.limit, min(count, limit.limit), self._retry_after(limit, start, now))

    def take_or_raise(self, limit: Limit, key: str, message: str) -> Hit:
        hit = self.take(limit, key)
        if not hit.allowed:
            raise RateLimited(message, retry_after_s=hit.retry_after_s)
        return hit

    def give_back(self, limit: Limit, key: str) -> None:
        """Returns one hit taken in the current window (a request that turned out not to count)."""
        start = self._window_start(limit, self._clock())
        with unit_of_work(self._factory) as s:
            self._add(s, limit, _key(key), start, -1)

    def count(self, limit: Limit, key: str) -> int:
        start = self._window_start(limit, self._clock())
        with self._factory() as s:
            return s.scalar(select(RateCounter.count).where(
                RateCounter.name == limit.name, RateCounter.key == _key(key),
                RateCounter.window_start == start)) or 0

    def prune(self) -> int:
        """Deletes the counters of finished windows; returns how many went."""
        with unit_of_work(self._factory) as s:
            return s.execute(delete(RateCounter).where(RateCounter.expires_at <= int(self._clock()))).rowcount

    # --- internals -------------------------------------------------------------
    @staticmethod
    def _window_start(limit: Limit, now: float) -> int:
        return int(now // limit.window_s) * limit.window_s

    @staticmethod
    def _retry_after(limit: Limit, start: int, now: float) -> int:
        return max(1, math.ceil(start + limit.window_s - now))

    @staticmethod
    def _upsert(s: Session, limit: Limit, key: str, start: int):
        dialect = postgresql if s.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(RateCounter).values(
            name=limit.name, key=key, window_start=start, count=1, expires_at=start + limit.window_s)
        return stmt.on_conflict_do_update(
            index_elements=[RateCounter.name, RateCounter.key, RateCounter.window_start],
            set_={"count": RateCounter.count + 1},
        ).returning(RateCounter.count)

    @staticmethod
    def _add(s: Session, limit: Limit, key: str, start: int, n: int) -> None:
        s.execute(update(RateCounter).where(
            RateCounter.name == limit.name, RateCounter.key == key, RateCounter.window_start == start,
            RateCounter.count + n >= 0,
        ).values(count=RateCounter.count + n))

    def _maybe_prune(self) -> None:
        with self._lock:
            self._hits_since_prune += 1
            due = self._hits_since_prune >= PRUNE_EVERY
            if due:
                self._hits_since_prune = 0
        if due:
            self.prune()
