"""The SMS outbox: messages are written in the caller's transaction and delivered afterwards.

Queuing is part of the business transaction (a party link and its SMS commit
together), while sending happens later, outside any transaction, so a slow or
dead gateway never holds a database lock and never loses a message. Each due row
is claimed with a conditional UPDATE before it is sent: of two deliverers racing
(two threads, or two server instances), exactly one wins the row. A claim lasts
``CLAIM_SECONDS``; a row left in "sending" by a crashed deliverer is claimed
again after that, and the gateway's Idempotency-Key lets it drop the repeat.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import SmsMessage, utcnow
from server.adapters.sms.base import SmsGateway, SmsSendError
from server.services import audit
from server.services.errors import Invalid

log = logging.getLogger("kuaichu.sms")

CLAIM_SECONDS = 60
MAX_TEXT_CHARS = 500
BATCH = 50


def queue_sms(session: Session, phone: str, text: str, case_id: int | None = None) -> SmsMessage:
    """Adds a message to the outbox inside the caller's transaction (the caller commits)."""
    phone, text = (phone or "").strip(), (text or "").strip()
    if not phone or len(phone) > 20:
        raise Invalid("短信接收号码不正确")
    if not text or len(text) > MAX_TEXT_CHARS:
        raise Invalid(f"短信内容必须为 1 至 {MAX_TEXT_CHARS} 个字符")
    message = SmsMessage(case_id=case_id, phone=phone, text=text, status="pending", attempts=0,
                         next_attempt_at=utcnow())
    session.add(message)
    session.flush()
    return message


class SmsDelivery:
    def __init__(self, factory: sessionmaker[Session], gateway: SmsGateway, settings) -> None:
        self._factory, self._gateway = factory, gateway
        self._max_attempts = settings.sms_max_attempts
        self._retry_base_s = settings.sms_retry_base_seconds
        self._interrupted = threading.Event()

    def interrupt(self) -> None:
        """Makes a running ``deliver_due`` return after the message in hand (used on shutdown)."""
        self._interrupted.set()

    def backoff(self, attempts_before: int) -> timedelta:
        """Delay before the next try, after ``attempts_before + 1`` failed attempts."""
        return timedelta(seconds=self._retry_base_s * 2**attempts_before)

    def deliver_due(self, now: datetime | None = None) -> int:
        """Sends every message that is due; returns how many this call handled."""
        now = now or utcnow()
        self._interrupted.clear()
        if not self._gateway.delivers:
            return self._store_all(now)
        handled = 0
        for message_id in self._due_ids(now):
            if self._interrupted.is_set():
                break  # the rest stay pending, untouched, for the next run or another instance
            claimed = self._claim(message_id, now)
            if claimed is not None:
                self._send(claimed, now)
                handled += 1
        return handled

    def _store_all(self, now: datetime) -> int:
        with self._factory() as s:
            due = s.scalar(select(SmsMessage.id).where(SmsMessage.status == "pending").limit(1))
        if due is None:  # the common case: no write transaction every second
            return 0
        with unit_of_work(self._factory) as s:
            return s.execute(update(SmsMessage).where(SmsMessage.status == "pending")
                             .values(status="stored", sent_at=now)).rowcount

    @staticmethod
    def _due(now: datetime):
        pending = and_(SmsMessage.status == "pending", SmsMessage.next_attempt_at <= now)
        abandoned = and_(SmsMessage.status == "sending", SmsMessage.claimed_until < now)
        return or_(pending, abandoned)

    def _due_ids(self, now: datetime) -> list[int]:
        with self._factory() as s:
            q = select(SmsMessage.id).where(self._due(now)).order_by(SmsMessage.next_attempt_at).limit(BATCH)
            return list(s.scalars(q))

    def _claim(self, message_id: int, now: datetime) -> SmsMessage | None:
        """Takes the row for this deliverer, or None if another one already has it."""
        with unit_of_work(self._factory) as s:
            won = s.execute(
                update(SmsMessage).where(SmsMessage.id == message_id, self._due(now))
                .values(status="sending", claimed_until=now + timedelta(seconds=CLAIM_SECONDS),
                        attempts=SmsMessage.attempts + 1)
            ).rowcount
            if won != 1:
                return None
            message = s.get(SmsMessage, message_id)
            if message.attempts > self._max_attempts:  # the last attempt was interrupted mid-send
                self._finish(s, message, "failed", error=message.last_error or "interrupted during the last attempt")
                return None
            return message

    def _send(self, message: SmsMessage, now: datetime) -> None:
        try:
            self._gateway.send(message.phone, message.text, message.id)
        except SmsSendError as e:
            self._after_failure(message, str(e), now)
        except Exception as e:  # noqa: BLE001 - a bug in a gateway must not strand the row in "sending"
            log.exception("SMS gateway crashed on message %s", message.id)
            self._after_failure(message, f"{type(e).__name__}: {e}", now)
        else:
            with unit_of_work(self._factory) as s:
                self._finish(s, message, "sent", now=now)

    def _after_failure(self, message: SmsMessage, error: str, now: datetime) -> None:
        with unit_of_work(self._factory) as s:
            if message.attempts >= self._max_attempts:
                self._finish(s, message, "failed", error=error)
                log.warning("SMS %s failed after %s attempts: %s", message.id, message.attempts, error)
            else:
                retry_at = now + self.backoff(message.attempts - 1)
                self._finish(s, message, "pending", error=error, next_attempt_at=retry_at)

    def _finish(self, s: Session, message: SmsMessage, status: str, *, error: str = "",
                now: datetime | None = None, next_attempt_at: datetime | None = None) -> None:
        """Records the outcome, unless the claim expired and another deliverer has the row now."""
        values: dict = {"status": status, "claimed_until": None}
        if error:
            values["last_error"] = error[:1000]
        if now is not None:
            values["sent_at"] = now
        if next_attempt_at is not None:
            values["next_attempt_at"] = next_attempt_at
        still_ours = s.execute(
            update(SmsMessage).where(SmsMessage.id == message.id, SmsMessage.status == "sending",
                                     SmsMessage.attempts == message.attempts).values(**values)
        ).rowcount
        if still_ours != 1:
            log.warning("SMS %s: claim lost before its outcome (%s) was recorded", message.id, status)
            return
        if message.case_id is not None and status in ("sent", "failed"):
            audit.append(s, actor="system", action=f"sms_{status}", case_id=message.case_id,
                         detail={"sms_id": message.id, "attempts": message.attempts})


def list_messages(factory: sessionmaker[Session], status: str | None = None, case_id: int | None = None,
                  limit: int = 200) -> list[SmsMessage]:
    """The outbox, newest first, for the admin page."""
    with factory() as s:
        q = select(SmsMessage).order_by(SmsMessage.id.desc()).limit(limit)
        if status:
            q = q.where(SmsMessage.status == status)
        if case_id is not None:
            q = q.where(SmsMessage.case_id == case_id)
        return list(s.scalars(q))
