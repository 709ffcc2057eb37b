"""The dispatch outbox: a field-officer request is never lost, even when the dispatch service is down.

Escalating a case writes a ``dispatches`` row in the same transaction as the
state change (:func:`enqueue`; the caller commits). The outbox engine
(``server.services.outbox``) then delivers it: claimed with a lease, sent outside
any transaction, retried with capped backoff (the webhook carries an idempotency
key), and after the last attempt left "failed" on the supervisors' list until
someone retries it.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from server.adapters.dispatch.base import DispatchFailed, DispatchRequest, DispatchSender
from server.adapters.orm import Dispatch
from server.services import outbox
from server.services.outbox import Outbox, OutboxKind, Outcome, RetryPolicy, SendFailed

__all__ = ["DEFAULT_POLICY", "DISPATCH", "Outcome", "RetryPolicy", "deliver_due", "delivery", "enqueue",
           "needing_attention", "retry", "retry_policy"]

DISPATCH = OutboxKind("dispatch", Dispatch)
DEFAULT_POLICY = RetryPolicy(max_attempts=8, base_seconds=5.0, max_seconds=300.0, lease_seconds=120.0)


def retry_policy(settings) -> RetryPolicy:  # settings: server.settings.Settings
    return RetryPolicy(max_attempts=settings.dispatch_max_attempts, base_seconds=settings.dispatch_retry_base_seconds,
                       max_seconds=settings.dispatch_retry_max_seconds, lease_seconds=DEFAULT_POLICY.lease_seconds)


class DispatchSenderAdapter:
    """The dispatch outbox's sender: one row, one call to the dispatch adapter."""

    def __init__(self, sender: DispatchSender) -> None:
        self._sender = sender
        self.delivered_status = sender.delivered_status

    def send(self, item: Dispatch) -> str:
        try:
            return self._sender.send(item.id, dict(item.payload))
        except DispatchFailed as e:
            raise SendFailed(str(e)) from e


def enqueue(session: Session, request: DispatchRequest, now: datetime) -> Dispatch:
    """Adds a pending dispatch, due at once. Flushes for the id; the caller commits."""
    row = Dispatch(case_id=request.case_id, payload=request.to_payload(now), status="pending", attempts=0,
                   next_attempt_at=now, created_at=now)
    session.add(row)
    session.flush()
    return row


def delivery(factory: sessionmaker[Session], sender: DispatchSender, policy: RetryPolicy = DEFAULT_POLICY,
             limit: int = 20) -> Outbox[Dispatch]:
    """The outbox that delivers dispatches through ``sender`` (build once, call ``deliver_due`` often)."""
    return Outbox(factory, DISPATCH, DispatchSenderAdapter(sender), policy, batch=limit)


def deliver_due(factory: sessionmaker[Session], sender: DispatchSender, now: datetime, *,
                policy: RetryPolicy = DEFAULT_POLICY, limit: int = 20) -> list[Outcome]:
    """Sends every due dispatch this worker manages to claim; returns what happened to each."""
    return delivery(factory, sender, policy, limit).deliver_due(now)


def retry(session: Session, dispatch_id: int, now: datetime) -> bool:
    """A supervisor's "retry" on a dispatch that gave up: it starts over. The caller commits and audits."""
    return outbox.retry(session, DISPATCH, dispatch_id, now)


def needing_attention(session: Session, limit: int = 100) -> Sequence[Dispatch]:
    """Dispatches a supervisor should see: given up, or still retrying after an error."""
    return outbox.failing(session, DISPATCH, limit)
