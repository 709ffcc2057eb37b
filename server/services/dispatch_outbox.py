"""The dispatch outbox: a field-officer request is never lost, even when the dispatch service is down.

Escalating a case writes a ``dispatches`` row in the same transaction as the
state change (:func:`enqueue`; the caller commits). :func:`deliver_due` then
sends due rows, each in three short transactions: claim, send (outside any
transaction), record. A claim is an ``UPDATE ... WHERE status='pending' AND
next_attempt_at <= now`` that pushes ``next_attempt_at`` out by a lease, so two
workers never send the same row at once, and a worker that dies mid-send leaves
the row to be picked up again when the lease ends (at-least-once delivery; the
webhook carries an idempotency key). Failures back off exponentially; after the
last attempt the row is ``failed`` and stays on the supervisors' list until
someone retries it.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.dispatch.base import DispatchFailed, DispatchRequest, DispatchSender
from server.adapters.orm import Dispatch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base_seconds: float = 5.0  # first retry delay, doubled each attempt
    max_seconds: float = 300.0
    lease_seconds: float = 120.0  # longer than any send may take

    @classmethod
    def from_settings(cls, settings) -> RetryPolicy:  # settings: server.settings.Settings
        return cls(max_attempts=settings.dispatch_max_attempts, base_seconds=settings.dispatch_retry_base_seconds,
                   max_seconds=settings.dispatch_retry_max_seconds)

    def delay_after(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.max_seconds, self.base_seconds * 2 ** (attempts - 1)))


@dataclass(frozen=True)
class DeliveryOutcome:
    dispatch_id: int
    case_id: int
    status: str  # sent | stored (delivered), pending (will retry), failed (gave up)
    attempts: int
    error: str = ""
    reference: str = ""


def enqueue(session: Session, request: DispatchRequest, now: datetime) -> Dispatch:
    """Adds a pending dispatch, due at once. Flushes for the id; the caller commits."""
    row = Dispatch(
        case_id=request.case_id,
        payload=request.to_payload(now),
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def deliver_due(
    session_factory: sessionmaker[Session],
    sender: DispatchSender,
    now: datetime,
    *,
    policy: RetryPolicy = RetryPolicy(),
    limit: int = 20,
) -> list[DeliveryOutcome]:
    """Sends every due dispatch this worker manages to claim; returns what happened to each."""
    with unit_of_work(session_factory) as session:
        due = session.scalars(
            select(Dispatch.id)
            .where(Dispatch.status == "pending", Dispatch.next_attempt_at <= now)
            .order_by(Dispatch.next_attempt_at, Dispatch.id)
            .limit(limit)
        ).all()
    outcomes = []
    for dispatch_id in due:
        claimed = _claim(session_factory, dispatch_id, now, policy)
        if claimed is not None:
            outcomes.append(_send(session_factory, sender, claimed, now, policy))
    return outcomes


def retry(session: Session, dispatch_id: int, now: datetime) -> bool:
    """A supervisor's "retry" on a dispatch that gave up: it starts over. The caller commits and audits.

    Pending rows are left alone: they are retrying already, and one may be in flight.
    """
    result = session.execute(
        update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.status == "failed")
        .values(status="pending", attempts=0, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def needing_attention(session: Session, limit: int = 100) -> Sequence[Dispatch]:
    """Dispatches a supervisor should see: given up, or still retrying after an error."""
    return session.scalars(
        select(Dispatch)
        .where((Dispatch.status == "failed") | ((Dispatch.status == "pending") & (Dispatch.last_error != "")))
        .order_by(Dispatch.created_at)
        .limit(limit)
    ).all()


@dataclass(frozen=True)
class _Claimed:
    dispatch_id: int
    case_id: int
    payload: dict
    attempts: int


def _claim(factory: sessionmaker[Session], dispatch_id: int, now: datetime, policy: RetryPolicy) -> _Claimed | None:
    with unit_of_work(factory) as session:
        result = session.execute(
            update(Dispatch)
            .where(Dispatch.id == dispatch_id, Dispatch.status == "pending", Dispatch.next_attempt_at <= now)
            .values(attempts=Dispatch.attempts + 1, next_attempt_at=now + timedelta(seconds=policy.lease_seconds))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return None  # another worker got it first
        row = session.get_one(Dispatch, dispatch_id)
        return _Claimed(row.id, row.case_id, dict(row.payload), row.attempts)


def _send(
    factory: sessionmaker[Session], sender: DispatchSender, claimed: _Claimed, now: datetime, policy: RetryPolicy
) -> DeliveryOutcome:
    try:
        reference = sender.send(claimed.dispatch_id, claimed.payload)
    except DispatchFailed as exc:
        return _record_failure(factory, claimed, str(exc), now, policy)
    _record(factory, claimed, status=sender.delivered_status, sent_at=now, last_error="")
    return DeliveryOutcome(
        claimed.dispatch_id, claimed.case_id, sender.delivered_status, claimed.attempts, reference=reference
    )


def _record_failure(
    factory: sessionmaker[Session], claimed: _Claimed, error: str, now: datetime, policy: RetryPolicy
) -> DeliveryOutcome:
    gave_up = claimed.attempts >= policy.max_attempts
    log.warning(
        "dispatch %s for case %s failed (attempt %s): %s", claimed.dispatch_id, claimed.case_id, claimed.attempts, error
    )
    if gave_up:
        _record(factory, claimed, status="failed", last_error=error)
    else:
        _record(factory, claimed, last_error=error, next_attempt_at=now + policy.delay_after(claimed.attempts))
    status = "failed" if gave_up else "pending"
    return DeliveryOutcome(claimed.dispatch_id, claimed.case_id, status, claimed.attempts, error)


def _record(factory: sessionmaker[Session], claimed: _Claimed, **values: object) -> None:
    # Only the claim that is still current may write: a stale worker whose lease ran out changes nothing.
    with unit_of_work(factory) as session:
        session.execute(
            update(Dispatch)
            .where(
                Dispatch.id == claimed.dispatch_id,
                Dispatch.status == "pending",
                Dispatch.attempts == claimed.attempts,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
