"""The append-only, hash-chained audit log.

Every event stores the hash of the one before it, so changing or deleting any
row breaks the chain from that row on; ``verify_chain`` names the first broken
event. Appending locks the single ``audit_head`` row so that concurrent
transactions queue instead of forking the chain. Database triggers (see the
migration) refuse UPDATE and DELETE on ``audit_events``.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.adapters.orm import AuditEvent, AuditHead, utcnow
from server.services import metrics_rollup

GENESIS_HASH = "0" * 64


def event_hash(prev_hash: str, event: AuditEvent) -> str:
    body = {
        "prev": prev_hash,
        "id": event.id,
        "case_id": event.case_id,
        "actor": event.actor,
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "detail": event.detail,
        "at": _timestamp(event.created_at),
    }
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _timestamp(at: datetime) -> str:
    # Microseconds survive both SQLite and PostgreSQL; the zone is always UTC on read.
    return at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(
    session: Session,
    *,
    actor: str,
    action: str,
    case_id: int | None = None,
    from_state: str = "",
    to_state: str = "",
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Adds one event to the chain inside the caller's transaction (the caller commits).

    ``at`` backdates the event; only seeded history (demo data, tests) passes it: live code records now."""
    head = _lock_head(session)
    event = AuditEvent(
        id=head.last_event_id + 1,
        case_id=case_id,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=to_state,
        detail=detail or {},
        created_at=at.astimezone(timezone.utc) if at else utcnow(),  # hashed as written, read back as UTC
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(head.last_hash, event)
    session.add(event)
    head.last_event_id, head.last_hash = event.id, event.hash
    session.flush()
    metrics_rollup.record(session, event)  # the dashboard's rollup moves with the event, in its transaction
    return event


def _lock_head(session: Session) -> AuditHead:
    head = session.scalars(select(AuditHead).where(AuditHead.id == 1).with_for_update()).one_or_none()
    if head is None:
        head = AuditHead(id=1, last_event_id=0, last_hash=GENESIS_HASH)
        session.add(head)
        session.flush()
    return head


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify_chain(session: Session, batch: int = 1000) -> ChainReport:
    prev_hash, expected_id, checked = GENESIS_HASH, 1, 0
    last_id = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            problem = _problem(event, expected_id, prev_hash)
            if problem:
                return ChainReport(checked, event.id, problem)
            prev_hash, expected_id, checked = event.hash, event.id + 1, checked + 1
        last_id = rows[-1].id
    head = session.get(AuditHead, 1)
    if head is not None and (head.last_event_id, head.last_hash) != (expected_id - 1, prev_hash):
        return ChainReport(checked, expected_id, "events after this point were deleted (head does not match)")
    return ChainReport(checked)


def _problem(event: AuditEvent, expected_id: int, prev_hash: str) -> str:
    if event.id != expected_id:
        return f"event {expected_id} is missing (next is {event.id})"
    if event.prev_hash != prev_hash:
        return "prev_hash does not match the previous event"
    if event.hash != event_hash(prev_hash, event):
        return "content changed after it was written (hash mismatch)"
    return ""


def events_for_case(session: Session, case_id: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)))
