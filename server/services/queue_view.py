"""The queue as seats and phones see it: order, rejoin reservation, place, position and estimated wait.

Order: rejoining cases (priority 1) first, then the longest waiting. A rejoining
case is *reserved* for its previous seat for ``REJOIN_RESERVE_S`` seconds: only
that seat sees it (flagged ``preferred_seat``), so the driver gets the same
operator back. If that seat is busy in another call there is no reservation.
After the reservation it is shown to every seat, still at the front. Cases whose phone is not on the page (an SMS
link not opened yet) are listed with ``phone_online: false`` and do not count
for a phone's position.

Place: the case's stored district, else the service-area zone the point lies in
(server/resources/service_area.geojson: the included area, a hole such as the
airport, or an exclusion), and ``road``: the nearest named line of that file (a
motorway) within ``ROAD_NEAR_M``. The file names no other districts or roads.

Estimated wait (``estimate_wait_s``): position / the answer rate of the last
``ANSWER_RATE_WINDOW_S`` seconds, once at least ``MIN_ANSWERS_FOR_RATE`` answers
were measured in it; before that, position x the average handling time (answer ->
submission) of the last ``HANDLING_SAMPLE`` submitted cases (``DEFAULT_HANDLING_S``
before any) shared out over the operator seats online.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import Case, utcnow
from server.domain.service_area import ServiceArea

REJOIN_RESERVE_S = 20.0
DEFAULT_HANDLING_S = 240.0
HANDLING_SAMPLE = 20
ANSWER_RATE_WINDOW_S = 900.0
MIN_ANSWERS_FOR_RATE = 3
ROAD_NEAR_M = 500.0
_PLACE_CACHE_MAX = 10_000


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
    road: str = ""

    @property
    def seat_specific(self) -> bool:
        """Rejoining with a previous seat: reserved for it, or flagged preferred for it only."""
        return self.priority > 0 and self.last_seat_user_id is not None


def estimate_wait_s(position: int, answers_in_window: int, average_handling_s: float, operators: int) -> int:
    """Seconds until a phone at ``position`` (1 = next) is likely answered."""
    if position <= 0:
        return 0
    if answers_in_window >= MIN_ANSWERS_FOR_RATE:
        return int(round(position * ANSWER_RATE_WINDOW_S / answers_in_window))
    return int(round(position * average_handling_s / max(1, operators)))


@dataclass(frozen=True)
class QueueSnapshot:
    entries: list[QueueEntry]
    average_handling_s: float
    taken_at: datetime
    busy_seats: frozenset[int] = frozenset()  # seats in another call right now
    answers_in_window: int = 0  # answers in the last ANSWER_RATE_WINDOW_S

    def reserved_for(self, entry: QueueEntry, reserve_s: float) -> int | None:
        """The seat a rejoining case is still held for, or None once everyone may see it.

        A seat busy with another call does not hold the case: the driver should not wait for it.
        """
        if not entry.seat_specific or entry.last_seat_user_id in self.busy_seats:
            return None
        if (self.taken_at - entry.queued_at).total_seconds() >= reserve_s:
            return None
        return entry.last_seat_user_id

    def next_reserve_expiry_s(self, reserve_s: float) -> float | None:
        left = [reserve_s - (self.taken_at - e.queued_at).total_seconds()
                for e in self.entries if self.reserved_for(e, reserve_s) is not None]
        return min(left) if left else None

    def item(self, e: QueueEntry, online: set[int], user_id: int | None) -> dict:
        """One queue item as ``user_id``'s seat sees it (None: a seat that is not its previous one)."""
        return {
            "case_id": e.case_id, "number": e.number, "state": S.QUEUED.value,
            "waiting_s": max(0, int((self.taken_at - e.queued_at).total_seconds())),
            "district": e.district, "road": e.road, "lat": e.lat, "lon": e.lon,
            "rejoining": e.priority > 0, "preferred_seat": user_id is not None and e.seat_specific
            and e.last_seat_user_id == user_id,
            "phone_online": e.case_id in online,
        }

    def shared_items(self, online: set[int]) -> dict[int, dict]:
        """The items every seat sees alike (in answer order): all but the seat-specific ones."""
        return {e.case_id: self.item(e, online, None) for e in self.entries if not e.seat_specific}

    @cached_property
    def _seat_specific(self) -> list[QueueEntry]:
        return [e for e in self.entries if e.seat_specific]

    def specific_items(self, user_id: int, online: set[int], reserve_s: float) -> dict[int, dict]:
        """The seat-specific items as ``user_id`` sees them: its reserved and preferred cases, others' once free."""
        items = {}
        for e in self._seat_specific:  # a few rejoining cases, asked for by each of 50 seats
            holder = self.reserved_for(e, reserve_s)
            if holder is None or holder == user_id:
                items[e.case_id] = self.item(e, online, user_id)
        return items

    def for_seat(self, user_id: int, online: set[int], reserve_s: float) -> list[dict]:
        """The whole queue as ``user_id``'s seat sees it, in answer order."""
        shared, specific = self.shared_items(online), self.specific_items(user_id, online, reserve_s)
        return [shared.get(e.case_id) or specific[e.case_id] for e in self.entries
                if e.case_id in shared or e.case_id in specific]

    def places(self, online: set[int], operators: int = 1) -> dict[int, dict]:
        """for_phone of every case whose phone is on the page, in one pass."""
        places, position = {}, 0
        for e in self.entries:
            if e.case_id in online:
                position += 1
                places[e.case_id] = {"position": position, "estimated_wait_s": estimate_wait_s(
                    position, self.answers_in_window, self.average_handling_s, operators)}
        return places

    def for_phone(self, case_id: int, online: set[int], operators: int = 1) -> dict | None:
        """{position, estimated_wait_s} with position 1 = next to be answered; None if not queued."""
        position = 0
        for e in self.entries:
            if e.case_id in online or e.case_id == case_id:
                position += 1
            if e.case_id == case_id:
                return {"position": position, "estimated_wait_s": estimate_wait_s(
                    position, self.answers_in_window, self.average_handling_s, operators)}
        return None


class QueueView:
    def __init__(self, factory: sessionmaker[Session], area: ServiceArea | None = None) -> None:
        self._factory = factory
        self._area = area
        self._places: dict[tuple[float, float], tuple[str, str]] = {}

    def snapshot(self) -> QueueSnapshot:
        now = utcnow()
        with self._factory() as s:
            rows = s.execute(select(
                Case.id, Case.number, Case.queued_at, Case.created_at, Case.priority, Case.last_seat_user_id,
                Case.district, Case.latitude, Case.longitude,
            ).where(Case.state == S.QUEUED.value).order_by(Case.priority.desc(), Case.queued_at, Case.id)).all()
            entries = []
            for r in rows:
                district, road = self.place(r.latitude, r.longitude)
                entries.append(QueueEntry(r.id, r.number, r.queued_at or r.created_at, r.priority,
                                          r.last_seat_user_id, r.district or district, r.latitude, r.longitude,
                                          road))
            busy = frozenset(s.scalars(select(Case.seat_user_id).where(
                Case.state.in_((S.IN_CALL.value, S.COLLECTING.value)), Case.seat_user_id.is_not(None))))
            answers = s.scalar(select(func.count()).select_from(Case).where(
                Case.answered_at >= now - timedelta(seconds=ANSWER_RATE_WINDOW_S))) or 0
            return QueueSnapshot(entries, self._average_handling_s(s), now, busy, int(answers))

    def place(self, lat: float | None, lon: float | None) -> tuple[str, str]:
        """(district, road) of a point from the service-area data; ("", "") when unknown."""
        if self._area is None or lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            return "", ""
        key = (round(lat, 5), round(lon, 5))  # about a metre
        found = self._places.get(key)
        if found is None:
            if len(self._places) >= _PLACE_CACHE_MAX:
                self._places.clear()
            found = self._places[key] = _place(self._area, lat, lon)
        return found

    def _average_handling_s(self, s: Session) -> float:
        rows = s.execute(select(Case.answered_at, Case.submitted_at).where(
            Case.submitted_at.is_not(None), Case.answered_at.is_not(None),
        ).order_by(Case.submitted_at.desc()).limit(HANDLING_SAMPLE)).all()
        spans = [(r.submitted_at - r.answered_at).total_seconds() for r in rows]
        spans = [x for x in spans if x > 0]
        return sum(spans) / len(spans) if spans else DEFAULT_HANDLING_S


def _place(area: ServiceArea, lat: float, lon: float) -> tuple[str, str]:
    district = area.check(lat, lon).zone
    best, road = ROAD_NEAR_M, ""
    for zone in (*area.included, *area.excluded):
        for corridor in zone.corridors:
            distance = corridor.distance_m((lon, lat))
            if distance <= best:
                best, road = distance, zone.name
    if road and district == road:  # on the motorway itself: the zone check already named it
        district = ""
    return district, road
