"""The queue as seats and phones see it: order, rejoin reservation, position and estimated wait.

Order: rejoining cases (priority 1) first, then the longest waiting. A rejoining
case is *reserved* for its previous seat for ``REJOIN_RESERVE_S`` seconds: only
that seat sees it (flagged ``preferred_seat``), so the driver gets the same
operator back. If that seat is busy in another call there is no reservation.
After the reservation it is shown to every seat, still at the front. Cases whose phone is not on the page (an SMS
link not opened yet) are listed with ``phone_online: false`` and do not count
for a phone's position.

Estimated wait = position x the average handling time (answer -> submission) of
the last ``HANDLING_SAMPLE`` submitted cases, or ``DEFAULT_HANDLING_S`` before any.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import Case, utcnow

REJOIN_RESERVE_S = 20.0
DEFAULT_HANDLING_S = 240.0
HANDLING_SAMPLE = 20


@dataclass(frozen=True)
class QueueEntry:
    case_id: int
    number: str
    queued_at: datetime
    priority: int
    last_seat_user_id: int | None
    district: str
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class QueueSnapshot:
    entries: list[QueueEntry]
    average_handling_s: float
    taken_at: datetime
    busy_seats: frozenset[int] = frozenset()  # seats in another call right now

    def reserved_for(self, entry: QueueEntry, reserve_s: float) -> int | None:
        """The seat a rejoining case is still held for, or None once everyone may see it.

        A seat busy with another call does not hold the case: the driver should not wait for it.
        """
        if entry.priority <= 0 or entry.last_seat_user_id is None or entry.last_seat_user_id in self.busy_seats:
            return None
        if (self.taken_at - entry.queued_at).total_seconds() >= reserve_s:
            return None
        return entry.last_seat_user_id

    def next_reserve_expiry_s(self, reserve_s: float) -> float | None:
        left = [reserve_s - (self.taken_at - e.queued_at).total_seconds()
                for e in self.entries if self.reserved_for(e, reserve_s) is not None]
        return min(left) if left else None

    def for_seat(self, user_id: int, online: set[int], reserve_s: float) -> list[dict]:
        items = []
        for e in self.entries:
            holder = self.reserved_for(e, reserve_s)
            if holder is not None and holder != user_id:
                continue
            items.append({
                "case_id": e.case_id, "number": e.number, "state": S.QUEUED.value,
                "waiting_s": max(0, int((self.taken_at - e.queued_at).total_seconds())),
                "district": e.district, "lat": e.lat, "lon": e.lon,
                "rejoining": e.priority > 0, "preferred_seat": e.last_seat_user_id == user_id and e.priority > 0,
                "phone_online": e.case_id in online,
            })
        return items

    def for_phone(self, case_id: int, online: set[int]) -> dict | None:
        """{position, estimated_wait_s} with position 1 = next to be answered; None if not queued."""
        position = 0
        for e in self.entries:
            if e.case_id in online or e.case_id == case_id:
                position += 1
            if e.case_id == case_id:
                return {"position": position, "estimated_wait_s": int(position * self.average_handling_s)}
        return None


class QueueView:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def snapshot(self) -> QueueSnapshot:
        with self._factory() as s:
            rows = s.execute(select(
                Case.id, Case.number, Case.queued_at, Case.created_at, Case.priority, Case.last_seat_user_id,
                Case.district, Case.latitude, Case.longitude,
            ).where(Case.state == S.QUEUED.value).order_by(Case.priority.desc(), Case.queued_at, Case.id)).all()
            entries = [QueueEntry(r.id, r.number, r.queued_at or r.created_at, r.priority, r.last_seat_user_id,
                                  r.district, r.latitude, r.longitude) for r in rows]
            busy = frozenset(s.scalars(select(Case.seat_user_id).where(
                Case.state.in_((S.IN_CALL.value, S.COLLECTING.value)), Case.seat_user_id.is_not(None))))
            return QueueSnapshot(entries, self._average_handling_s(s), utcnow(), busy)

    def _average_handling_s(self, s: Session) -> float:
        rows = s.execute(select(Case.answered_at, Case.submitted_at).where(
            Case.submitted_at.is_not(None), Case.answered_at.is_not(None),
        ).order_by(Case.submitted_at.desc()).limit(HANDLING_SAMPLE)).all()
        spans = [(r.submitted_at - r.answered_at).total_seconds() for r in rows]
        spans = [x for x in spans if x > 0]
        return sum(spans) / len(spans) if spans else DEFAULT_HANDLING_S
