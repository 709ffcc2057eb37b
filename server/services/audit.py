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

from sqlalchemy import Row, select
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
    """Walks every event in id order (ids below 1 included: none is ever written) and then the head.

    The head is read after the walk, so an event seen in the walk whose id the head does not reach was
    added outside ``append``; events appended while the walk ran are walked too before the head decides."""
    prev_hash, expected_id, checked = GENESIS_HASH, 1, 0
    last_id: int | None = None
    while True:
        query = select(AuditEvent).order_by(AuditEvent.id).limit(batch)
        rows = session.scalars(query if last_id is None else query.where(AuditEvent.id > last_id)).all()
        if not rows:
            head = session.execute(select(AuditHead.last_event_id, AuditHead.last_hash)
                                   .where(AuditHead.id == 1)).one_or_none()
            if head is not None and head.last_event_id > expected_id - 1 and _more_after(session, last_id):
                continue  # appended since the last batch: walk them before judging the head
            break
        for event in rows:
            problem = _problem(event, expected_id, prev_hash)
            if problem:
                return ChainReport(checked, event.id, problem)
            prev_hash, expected_id, checked = event.hash, event.id + 1, checked + 1
        last_id = rows[-1].id
    return _head_report(head, checked, expected_id - 1, prev_hash)


def _more_after(session: Session, last_id: int | None) -> bool:
    query = select(AuditEvent.id).limit(1)
    return session.scalar(query if last_id is None else query.where(AuditEvent.id > last_id)) is not None


def _head_report(head: Row[tuple[int, str]] | None, checked: int, newest_id: int, newest_hash: str) -> ChainReport:
    if head is None or (head.last_event_id, head.last_hash) == (newest_id, newest_hash):
        return ChainReport(checked)
    if head.last_event_id < newest_id:
        forged = head.last_event_id + 1
        return ChainReport(checked - (newest_id - head.last_event_id), forged,
                           f"event {forged} was inserted after the newest event the head records "
                           f"(event {head.last_event_id}): it was not written by the application")
    if head.last_event_id > newest_id:
        gone = (f"event {head.last_event_id} was" if head.last_event_id == newest_id + 1
                else f"events {newest_id + 1} to {head.last_event_id} were")
        return ChainReport(checked, newest_id + 1, f"{gone} deleted (the head records event "
                           f"{head.last_event_id} as the newest; the table ends at {newest_id})")
    return ChainReport(checked - 1, newest_id,
                       f"event {newest_id} was replaced: the head records another hash for it")


def _problem(event: AuditEvent, expected_id: int, prev_hash: str) -> str:
    if event.id < expected_id:
        return f"event {event.id} was inserted before the chain's start (the first event is 1)"
    if event.id != expected_id:
        return f"event {expected_id} is missing (the next is event {event.id})"
    if event.prev_hash != prev_hash:
        before = "the chain's start" if event.id == 1 else f"event {event.id - 1}"
        return (f"event {event.id} does not follow {before} (prev_hash differs): "
                f"{before} was replaced or inserted, or event {event.id} was moved")
    if event.hash != event_hash(prev_hash, event):
        return (f"event {event.id} was changed after it was written (hash mismatch: its id, time, "
                f"actor, action, states or detail differ from what was hashed)")
    return ""


def events_for_case(session: Session, case_id: int) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(AuditEvent.id)))
