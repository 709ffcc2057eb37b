"""The waiting cases, as the queue panel shows them: who waits longest, and who is rejoining.

Items arrive as whole snapshots (the seat socket's ``queue`` push, or a REST poll
while the socket is down). Waiting time keeps counting between snapshots from
the moment each one arrived, so the panel can tick every second on its own.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from enum import StrEnum
from typing import Any

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


def from_push(items: list[dict[str, Any]], received_at: float | None = None) -> list[QueueItem]:
    """The seat socket's ``queue`` message items (kuaichu_protocol.ToSeatMsg.QUEUE)."""
    at = time.monotonic() if received_at is None else received_at
    return sort_queue([
        QueueItem(
            case_id=int(i["case_id"]), number=str(i.get("number") or i["case_id"]),
            waiting_s=float(i.get("waiting_s") or 0), received_at=at, district=i.get("district") or "",
            lat=i.get("lat"), lon=i.get("lon"), rejoining=bool(i.get("rejoining")),
            preferred_seat=bool(i.get("preferred_seat")), phone_online=bool(i.get("phone_online", True)),
        )
        for i in items
    ])


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
