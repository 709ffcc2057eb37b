"""The officer's queue as plain data: the ``officer_queue`` push, each case's age and how urgent it looks.

No Qt here: the queue widget shows these, the tests read them.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from seat_app.core.queue import WaitLevel

#: A case waiting for a decision turns amber after 10 minutes and red after 30 (issue 12).
AMBER_AFTER_S = 10 * 60
RED_AFTER_S = 30 * 60


def age_level(age_s: float) -> WaitLevel:
    if age_s > RED_AFTER_S:
        return WaitLevel.RED
    if age_s > AMBER_AFTER_S:
        return WaitLevel.AMBER
    return WaitLevel.NORMAL


def format_age(age_s: float) -> str:
    """``m:ss`` under an hour, ``h:mm:ss`` past it."""
    seconds = max(0, int(age_s))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class OfficerQueueItem:
    case_id: int
    number: str
    waiting_s: float  # as the server reported it at ``received_at``
    received_at: float  # time.monotonic() when the push arrived
    submitted_at: str = ""
    district: str = ""
    parties: int = 0
    officer_user_id: int | str | None = None
    officer_name: str = ""
    sent_back: bool = False

    def age(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        return self.waiting_s + max(0.0, now - self.received_at)

    def level(self, now: float | None = None) -> WaitLevel:
        return age_level(self.age(now))

    @property
    def held(self) -> bool:
        return self.officer_user_id is not None


def from_push(items: list[dict[str, Any]], received_at: float | None = None) -> list[OfficerQueueItem]:
    """The ``officer_queue`` frame's items, oldest first (the server sends them so; a tie keeps its order)."""
    at = time.monotonic() if received_at is None else received_at
    queue = [OfficerQueueItem(
        case_id=int(i["case_id"]), number=str(i.get("number") or i["case_id"]),
        waiting_s=float(i.get("waiting_s") or 0), received_at=at, submitted_at=str(i.get("submitted_at") or ""),
        district=str(i.get("district") or ""), parties=int(i.get("parties") or 0),
        officer_user_id=i.get("officer_user_id"), officer_name=str(i.get("officer_name") or ""),
        sent_back=bool(i.get("sent_back")),
    ) for i in items]
    return sorted(queue, key=lambda item: -item.waiting_s)


def from_cases(cases: list[dict[str, Any]], now: datetime | None = None,
               received_at: float | None = None) -> list[OfficerQueueItem]:
    """The same from ``GET /api/cases?state=awaiting_liability``, read while the socket is down."""
    now = now or datetime.now(timezone.utc)
    at = time.monotonic() if received_at is None else received_at
    items = []
    for case in cases:
        submitted = _parse(case.get("submitted_at"))
        items.append(OfficerQueueItem(
            case_id=int(case["id"]), number=str(case.get("number") or case["id"]),
            waiting_s=max(0.0, (now - submitted).total_seconds()) if submitted else 0.0, received_at=at,
            submitted_at=str(case.get("submitted_at") or ""), district=str(case.get("district") or ""),
            parties=len(case.get("parties") or []), officer_user_id=case.get("officer_user_id"),
            officer_name=str(case.get("officer_name") or "")))
    return sorted(items, key=lambda item: -item.waiting_s)


def _parse(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)
