"""One outbox engine: whatever must reach the outside world is written first and delivered afterwards.

A use case writes its outbox row in its own transaction (an SMS with the party
link, a dispatch with the escalation), so nothing is lost when the receiver is
down. An :class:`Outbox` then delivers due rows, each in short transactions:

- **claim**: one conditional ``UPDATE`` takes the row (status "sending", a lease
  until ``claimed_until``, one more attempt). Of two threads or two server
  instances racing for a row exactly one wins. A row whose sender died mid-send
  is due again when its lease ends, and that earlier attempt is marked abandoned.
- **send**: outside any transaction, so a slow receiver never holds a lock.
  Delivery is at least once (a send that timed out may have arrived): senders
  pass the row id as an idempotency key.
- **record**: the outcome goes on the row and on its ``outbox_attempts`` entry,
  but only while the claim is still this worker's: a stale worker whose lease
  ran out changes nothing on the row. A failure is retried after a capped
  exponential backoff; after ``max_attempts`` the row is "failed", stays on the
  list of what is failing, and starts over when someone retries it.

A new outbox (insurer claims next) plugs in with a model that has
:class:`~server.adapters.orm.OutboxColumns`, an :class:`OutboxKind` naming it,
and a :class:`Sender` adapter that turns the row into one call to its receiver
and raises :class:`SendFailed` when the receiver did not take it.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import OutboxAttempt, OutboxColumns

log = logging.getLogger("kuaichu.outbox")

PENDING, SENDING, SENT, STORED, FAILED = "pending", "sending", "sent", "stored", "failed"
INTERRUPTED = "interrupted during the last attempt"
MAX_ERROR_CHARS = 1000

Row = TypeVar("Row", bound=OutboxColumns)
RowIn = TypeVar("RowIn", bound=OutboxColumns, contravariant=True)


class SendFailed(Exception):
    """The receiver did not take the item; the outbox retries it later (or gives up)."""


class Sender(Protocol[RowIn]):
    #: The row's status once ``send`` returns: "sent" (the receiver acknowledged) or "stored" (kept only).
    delivered_status: str

    def send(self, item: RowIn) -> str:
        """Delivers one item; returns the receiver's reference ("" if none). Raises SendFailed."""


@dataclass(frozen=True)
class OutboxKind(Generic[Row]):
    """One outbox: its name in ``outbox_attempts`` and the table its rows live in."""

    name: str
    model: type[Row]
    #: Called in the transaction that settles a row (sent, stored or failed), e.g. to write an audit event.
    on_settled: Callable[[Session, Row, str], None] | None = None


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float  # first retry delay, doubled after each failed attempt
    max_seconds: float  # the cap on that delay
    lease_seconds: float  # how long a claim lasts: longer than any send may take

    def delay_after(self, attempts: int) -> timedelta:
        """Delay before the next try, after ``attempts`` failed attempts."""
        return timedelta(seconds=min(self.max_seconds, self.base_seconds * 2 ** (attempts - 1)))


@dataclass(frozen=True)
class Claim(Generic[Row]):
    item: Row  # a detached copy of the row as claimed
    attempts: int
    claimed_until: datetime
    attempt_id: int


@dataclass(frozen=True)
class Outcome:
    kind: str
    item_id: int
    status: str  # sent | stored (delivered), pending (will retry), failed (gave up)
    attempts: int
    error: str = ""
    reference: str = ""
    recorded: bool = True  # False when the lease had run out and another worker owned the row by then


class Outbox(Generic[Row]):
    """Delivers the due rows of one kind through one sender."""

    def __init__(self, factory: sessionmaker[Session], kind: OutboxKind[Row], sender: Sender[Row],
                 policy: RetryPolicy, *, batch: int = 50) -> None:
        self._factory, self.kind, self._sender, self.policy, self._batch = factory, kind, sender, policy, batch
        self._interrupted = threading.Event()

    def interrupt(self) -> None:
        """Makes a running ``deliver_due`` return after the item in hand (used on shutdown)."""
        self._interrupted.set()

    def deliver_due(self, now: datetime) -> list[Outcome]:
        """Sends every due item this worker manages to claim; returns what happened to each."""
        self._interrupted.clear()
        outcomes = []
        for item_id in self.due_ids(now):
            if self._interrupted.is_set():
                break  # the rest stay untouched, for the next run or another instance
            claim = self.claim(item_id, now)
            if claim is not None:
                outcomes.append(self.send(claim, now))
        return outcomes

    def due_ids(self, now: datetime) -> list[int]:
        model = self.kind.model
        with self._factory() as s:
            q = select(model.id).where(_due(model, now)).order_by(model.next_attempt_at, model.id).limit(self._batch)
            return list(s.scalars(q))

    def claim(self, item_id: int, now: datetime) -> Claim[Row] | None:
        """Takes the item for this worker, or None if another one has it (or it is not due)."""
        model, lease_end = self.kind.model, now + timedelta(seconds=self.policy.lease_seconds)
        with unit_of_work(self._factory) as s:
            won = s.execute(
                update(model).where(model.id == item_id, _due(model, now))
                .values(status=SENDING, claimed_until=lease_end, attempts=model.attempts + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won != 1:
                return None
            item = s.get_one(model, item_id, populate_existing=True)
            self._abandon_earlier_attempts(s, item_id, now)
            if item.attempts > self.policy.max_attempts:  # the last allowed attempt died mid-send
                self._settle(s, item, FAILED, {"status": FAILED, "claimed_until": None, "attempts": item.attempts - 1,
                                               "last_error": item.last_error or INTERRUPTED})
                log.warning("%s %s failed: %s", self.kind.name, item_id, INTERRUPTED)
                return None
            attempt = OutboxAttempt(kind=self.kind.name, item_id=item_id, attempt=item.attempts, started_at=now)
            s.add(attempt)
            s.flush()
            return Claim(item, item.attempts, lease_end, attempt.id)

    def send(self, claim: Claim[Row], now: datetime) -> Outcome:
        started = time.monotonic()
        try:
            reference = self._sender.send(claim.item) or ""
        except SendFailed as e:
            error = str(e) or type(e).__name__
        except Exception as e:  # noqa: BLE001 - a bug in a sender must not strand the row in "sending"
            log.exception("%s sender crashed on item %s", self.kind.name, claim.item.id)
            error = f"{type(e).__name__}: {e}"
        else:
            finished = now + timedelta(seconds=time.monotonic() - started)
            status = self._sender.delivered_status
            values: dict[str, object] = {"status": status, "sent_at": now}
            if "reference" in self.kind.model.__table__.c:  # a row that shows the receiver's reference (claims)
                values["reference"] = reference[:64]
            recorded = self._record(claim, finished, values, status, "", reference)
            return Outcome(self.kind.name, claim.item.id, status, claim.attempts, "", reference, recorded)
        finished = now + timedelta(seconds=time.monotonic() - started)
        return self._record_failure(claim, error[:MAX_ERROR_CHARS], now, finished)

    def _record_failure(self, claim: Claim[Row], error: str, now: datetime, finished: datetime) -> Outcome:
        gave_up = claim.attempts >= self.policy.max_attempts
        log.warning("%s %s failed (attempt %s%s): %s", self.kind.name, claim.item.id, claim.attempts,
                    ", giving up" if gave_up else "", error)
        values: dict[str, object] = {"last_error": error}
        if gave_up:
            values["status"] = FAILED
        else:
            values.update(status=PENDING, next_attempt_at=now + self.policy.delay_after(claim.attempts))
        status = str(values["status"])
        recorded = self._record(claim, finished, values, "error", error, "")
        return Outcome(self.kind.name, claim.item.id, status, claim.attempts, error, "", recorded)

    def _record(self, claim: Claim[Row], finished: datetime, values: dict[str, object], outcome: str,
                error: str, reference: str) -> bool:
        """Writes the attempt, and the row's new state only if the claim is still this worker's.

        The row is updated before its attempt, the order a claim takes them in, so the two never deadlock.
        """
        model = self.kind.model
        with unit_of_work(self._factory) as s:
            still_ours = s.execute(
                update(model)
                .where(model.id == claim.item.id, model.status == SENDING, model.attempts == claim.attempts,
                       model.claimed_until == claim.claimed_until)
                .values(claimed_until=None, **values)
                .execution_options(synchronize_session=False)
            ).rowcount == 1
            s.execute(update(OutboxAttempt).where(OutboxAttempt.id == claim.attempt_id)
                      .values(outcome=outcome, error=error, reference=reference[:64], finished_at=finished))
            if not still_ours:
                log.warning("%s %s: the claim ran out before its outcome (%s) was recorded",
                            self.kind.name, claim.item.id, outcome)
            elif values["status"] in (SENT, STORED, FAILED) and self.kind.on_settled is not None:
                self.kind.on_settled(s, s.get_one(model, claim.item.id), str(values["status"]))
            return still_ours

    def _settle(self, s: Session, item: Row, status: str, values: dict[str, object]) -> None:
        model = self.kind.model
        s.execute(update(model).where(model.id == item.id).values(**values)
                  .execution_options(synchronize_session=False))
        if self.kind.on_settled is not None:
            s.refresh(item)
            self.kind.on_settled(s, item, status)

    def _abandon_earlier_attempts(self, s: Session, item_id: int, now: datetime) -> None:
        s.execute(update(OutboxAttempt)
                  .where(OutboxAttempt.kind == self.kind.name, OutboxAttempt.item_id == item_id,
                         OutboxAttempt.outcome == SENDING)
                  .values(outcome="abandoned", error="the lease ran out before the sender reported",
                          finished_at=now))


def _due(model: type[OutboxColumns], now: datetime):
    pending = and_(model.status == PENDING, model.next_attempt_at <= now)
    abandoned = and_(model.status == SENDING, model.claimed_until <= now)
    return or_(pending, abandoned)


def failing(session: Session, kind: OutboxKind[Row], limit: int = 100) -> Sequence[Row]:
    """What a supervisor should see, oldest first: given up, or still retrying after an error."""
    model = kind.model
    retrying = and_(model.status.in_((PENDING, SENDING)), model.last_error != "")
    return session.scalars(
        select(model).where(or_(model.status == FAILED, retrying)).order_by(model.created_at, model.id).limit(limit)
    ).all()


def retry(session: Session, kind: OutboxKind[Row], item_id: int, now: datetime) -> bool:
    """A person's "retry" on an item that gave up: it starts over, due now. The caller commits and audits.

    Items still pending or in flight are left alone: they are retrying already.
    """
    model = kind.model
    result = session.execute(
        update(model).where(model.id == item_id, model.status == FAILED)
        .values(status=PENDING, attempts=0, next_attempt_at=now, claimed_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def attempts(session: Session, kind: OutboxKind[Row], item_id: int) -> Sequence[OutboxAttempt]:
    """Every attempt at one item, in order."""
    return session.scalars(
        select(OutboxAttempt).where(OutboxAttempt.kind == kind.name, OutboxAttempt.item_id == item_id)
        .order_by(OutboxAttempt.id)
    ).all()
