"""What the phone tells the case about the scene: location, safety ticks, page events, instructions.

Location arrives every few seconds while the page is open. Every fix that moves
the case noticeably is stored on the case, but the audit log gets only the first
fix and moves of at least ``AUDIT_MOVE_M`` metres from the last audited one, so
GPS jitter does not flood the append-only log.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import SAFETY_TICKS, PhoneEvent
from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case, utcnow
from server.services import audit
from server.services.cases import Actor, case_for_write
from server.services.errors import Conflict, NotFound

STORE_MOVE_M = 3.0  # smaller moves (and accuracy changes under STORE_ACCURACY_M) are not even stored
STORE_ACCURACY_M = 5.0
AUDIT_MOVE_M = 50.0
#: Events too frequent or too trivial for the audit log (the seat still gets them over the data channel).
UNAUDITED_EVENTS = {PhoneEvent.NETWORK.value, PhoneEvent.BATTERY.value}
_OPEN_STATES = {"queued", "in_call", "collecting", "interrupted"}


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), good to a metre at road scale."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class LocationOutcome:
    stored: bool
    audited: bool
    seat_user_id: int | None
    state: str


class SceneService:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def record_location(self, actor: Actor, lat: float, lon: float, accuracy: float | None) -> LocationOutcome:
        with self._factory() as s:  # most fixes are GPS jitter: a read, without the write lock
            case = self._open_case(s, actor)
            if not _worth_storing(case, lat, lon, accuracy):
                return LocationOutcome(False, False, case.seat_user_id, case.state)
        with unit_of_work(self._factory) as s:  # checked again: another fix may have been stored meanwhile
            case = self._open_case(s, actor)
            if not _worth_storing(case, lat, lon, accuracy):
                return LocationOutcome(False, False, case.seat_user_id, case.state)
            case.latitude, case.longitude, case.location_accuracy_m = lat, lon, accuracy
            case.location_updated_at = utcnow()
            last = _last_audited_location(s, case.id)
            audited = last is None or distance_m(last[0], last[1], lat, lon) >= AUDIT_MOVE_M
            if audited:
                audit.append(s, actor=actor.audit_name, action="location", case_id=case.id,
                             detail={"lat": lat, "lon": lon, "accuracy_m": accuracy})
            return LocationOutcome(True, audited, case.seat_user_id, case.state)

    def record_safety(self, actor: Actor, ticks: dict[str, bool]) -> int | None:
        """Merges the ticks into Case.safety; returns the seat holding the case, if any."""
        with self._factory() as s:  # ticks the page sends again change nothing: a read, without the write lock
            case = self._open_case(s, actor)
            if {k: bool(case.safety.get(k, False)) for k in SAFETY_TICKS} | ticks == case.safety:
                return case.seat_user_id
        with unit_of_work(self._factory) as s:
            case = self._open_case(s, actor)
            merged = {k: bool(case.safety.get(k, False)) for k in SAFETY_TICKS} | ticks
            if merged != case.safety:
                case.safety = merged
                audit.append(s, actor=actor.audit_name, action="safety", case_id=case.id, detail={"ticks": merged})
            return case.seat_user_id

    def record_event(self, actor: Actor, name: str, data: dict[str, Any]) -> int | None:
        with unit_of_work(self._factory) as s:
            case = self._case(s, actor)
            if name not in UNAUDITED_EVENTS:
                audit.append(s, actor=actor.audit_name, action=f"phone_{name}", case_id=case.id,
                             detail=_small(data))
            return case.seat_user_id

    def record_instruction(self, case_id: int, actor: Actor, text: str, via: str = "server") -> None:
        """Audits an instruction to the phone; only the case's holder instructs (the caller sends it after)."""
        with unit_of_work(self._factory) as s:
            case_for_write(s, case_id, actor)
            audit.append(s, actor=actor.audit_name, action="instruction", case_id=case_id,
                         detail={"text": text, "via": via})

    def instructions(self, case_id: int, limit: int = 5) -> list[dict]:
        """The newest instructions sent to the phone, oldest first."""
        with self._factory() as s:
            rows = s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                      AuditEvent.action == "instruction")
                             .order_by(AuditEvent.id.desc()).limit(limit)).all()
            return [{"text": r.detail.get("text", ""), "at": r.created_at.isoformat()} for r in reversed(rows)]

    def _case(self, s: Session, actor: Actor) -> Case:
        case = s.get(Case, actor.case_id)
        if case is None:
            raise NotFound("案件不存在")
        return case

    def _open_case(self, s: Session, actor: Actor) -> Case:
        case = self._case(s, actor)
        if case.state not in _OPEN_STATES:
            raise Conflict("案件已办结，不再接收现场信息", state=case.state)
        return case


def _worth_storing(case: Case, lat: float, lon: float, accuracy: float | None) -> bool:
    if case.latitude is None or case.longitude is None:
        return True
    if distance_m(case.latitude, case.longitude, lat, lon) >= STORE_MOVE_M:
        return True
    old = case.location_accuracy_m
    return (old is None) != (accuracy is None) or (
        old is not None and accuracy is not None and abs(old - accuracy) >= STORE_ACCURACY_M)


def _last_audited_location(s: Session, case_id: int) -> tuple[float, float] | None:
    row = s.scalar(select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "location")
                   .order_by(AuditEvent.id.desc()).limit(1))
    return None if row is None else (row.detail["lat"], row.detail["lon"])


def _small(data: dict[str, Any]) -> dict[str, Any]:
    """Keeps scalar fields only, with short strings: the page's event data is not trusted."""
    out: dict[str, Any] = {}
    for key, value in list(data.items())[:12]:
        if isinstance(value, (int, float, bool)) or value is None:
            out[str(key)[:32]] = value
        elif isinstance(value, str):
            out[str(key)[:32]] = value[:120]
    return out
