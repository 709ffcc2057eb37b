"""The waiting cases, as the queue panel shows them: who waits longest, and who is rejoining.

On the seat socket the server sends the whole queue once (``queue``, on connect
and after a ``queue_resync``), then only what changed (``queue_changes``);
QueueModel applies them and says when a frame was missed, so that the seat asks
for the whole queue again. While the socket is down a REST poll gives the whole
queue. Waiting time keeps counting from the moment each item arrived, so the
panel can tick every second on its own.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

from kuaichu_protocol.messages import ToSeatMsg

AMBER_AFTER_S = 45
RED_AFTER_S = 60


class WaitLevel(StrEnum):
    NORMAL = "normal"
    AMBER = "amber"
    RED = "red"


def wait_level(waiting_s: float) -> WaitLevel:
    if waiting_s > RED_AFTER_S:
        return WaitLevel.RED
    if waiting_s > AMBER_AFTER_S:
        return WaitLevel.AMBER
    return WaitLevel.NORMAL


def format_wait(waiting_s: float) -> str:
    seconds = max(0, int(waiting_s))
    return f"{seconds // 60:d}:{seconds % 60:02d}"


@dataclass(frozen=True)
class QueueItem:
    case_id: int
    number: str
    waiting_s: float  # as reported at ``received_at``
    received_at: float  # time.monotonic() when the snapshot arrived
    district: str = ""
    road: str = ""
    lat: float | None = None
    lon: float | None = None
    rejoining: bool = False
    preferred_seat: bool = False  # a rejoining party reserved for this seat (it handled them before)
    phone_online: bool = True  # False: the party's link is not open yet, so answering would wait

    def waiting_now(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        return self.waiting_s + max(0.0, now - self.received_at)

    def level(self, now: float | None = None) -> WaitLevel:
        return wait_level(self.waiting_now(now))

    @property
    def location_text(self) -> str:
        if self.lat is None or self.lon is None:
            return ""
        return f"{self.lat:.4f}, {self.lon:.4f}"

    @property
    def place_text(self) -> str:
        """District and road (from the server's service-area data), without coordinates."""
        return " · ".join(p for p in (self.district, self.road) if p)


def from_push(items: list[dict[str, Any]], received_at: float | None = None) -> list[QueueItem]:
    """The seat socket's ``queue`` message items (kuaichu_protocol.ToSeatMsg.QUEUE)."""
    at = time.monotonic() if received_at is None else received_at
    return sort_queue([_item(i, at) for i in items])


def _item(i: dict[str, Any], at: float) -> QueueItem:
    return QueueItem(
        case_id=int(i["case_id"]), number=str(i.get("number") or i["case_id"]),
        waiting_s=float(i.get("waiting_s") or 0), received_at=at, district=i.get("district") or "",
        road=i.get("road") or "", lat=i.get("lat"), lon=i.get("lon"), rejoining=bool(i.get("rejoining")),
        preferred_seat=bool(i.get("preferred_seat")), phone_online=bool(i.get("phone_online", True)),
    )


class Applied(StrEnum):
    CHANGED = "changed"  # the queue is new or changed
    RESYNC = "resync"  # a frame was missed (or none came first): ask for the whole queue, keep showing this
    IGNORED = "ignored"  # not a queue frame, or an old one


class QueueModel:
    """The seat's queue, kept from the socket's ``queue`` and ``queue_changes`` frames."""

    def __init__(self) -> None:
        self.version: int | None = None  # None: no whole queue since the last (re)connect or poll
        self._items: dict[int, QueueItem] = {}
        self.raw: dict[int, dict[str, Any]] = {}  # the frames' items, by case id
        self._asked = False  # a resync was asked for and no whole queue came since

    @property
    def items(self) -> list[QueueItem]:
        return sort_queue(list(self._items.values()))

    def apply(self, type_: str, data: dict[str, Any], received_at: float | None = None) -> Applied:
        at = time.monotonic() if received_at is None else received_at
        if type_ == ToSeatMsg.QUEUE:
            self.raw = {int(i["case_id"]): i for i in data.get("items") or []}
            self._items = {cid: _item(i, at) for cid, i in self.raw.items()}
            self.version, self._asked = _version(data.get("version")), False
            return Applied.CHANGED
        if type_ != ToSeatMsg.QUEUE_CHANGES:
            return Applied.IGNORED
        version, since = _version(data.get("version")), _version(data.get("since"))
        if self.version is not None and version is not None and version <= self.version:
            return Applied.IGNORED  # a duplicate, or older than the whole queue we have
        if self.version is None or since != self.version or version is None:
            self.version = None  # stays unknown until the whole queue arrives
            if self._asked:
                return Applied.IGNORED  # asked once already; the whole queue is on its way
            self._asked = True
            return Applied.RESYNC
        for cid in data.get("removed") or []:
            self.raw.pop(int(cid), None)
            self._items.pop(int(cid), None)
        for i in [*(data.get("added") or []), *(data.get("updated") or [])]:
            self.raw[int(i["case_id"])] = i
            self._items[int(i["case_id"])] = _item(i, at)
        self.version = version
        return Applied.CHANGED

    def remove(self, case_id: int) -> None:
        """This seat answered it: gone from the list before the server's change arrives."""
        self._items.pop(case_id, None)
        self.raw.pop(case_id, None)

    def replace(self, items: list[QueueItem]) -> None:
        """A whole queue from elsewhere (the REST poll): the socket's version no longer applies."""
        self._items = {i.case_id: i for i in items}
        self.raw = {}
        self.version, self._asked = None, False


def _version(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def from_cases(cases: list[dict[str, Any]], now: datetime | None = None, received_at: float | None = None) -> list[QueueItem]:
    """The same from ``GET /api/cases?state=queued``, used while the socket is down."""
    now = now or datetime.now(timezone.utc)
    at = time.monotonic() if received_at is None else received_at
    items = []
    for c in cases:
        location = c.get("location") or {}
        items.append(QueueItem(
            case_id=int(c["id"]), number=str(c.get("number") or c["id"]),
            waiting_s=_seconds_since(c.get("queued_at"), now), received_at=at, district=c.get("district") or "",
            lat=location.get("lat"), lon=location.get("lon"), rejoining=(c.get("priority") or 0) > 0,
        ))
    return sort_queue(items)


def sort_queue(items: list[QueueItem], now: float | None = None) -> list[QueueItem]:
    """Rejoining parties first, then parties whose phone is there, then the longest waiting."""
    return sorted(items, key=lambda i: (not i.rejoining, not i.phone_online, -i.waiting_now(now), i.case_id))


def _seconds_since(stamp: str | None, now: datetime) -> float:
    if not stamp:
        return 0.0
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return max(0.0, (now - moment).total_seconds())
