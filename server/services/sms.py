"""The SMS outbox: messages are written in the caller's transaction and delivered afterwards.

Queuing is part of the business transaction (a party link and its SMS commit
together), while sending happens later, outside any transaction, so a slow or
dead gateway never holds a database lock and never loses a message. Delivery is
the outbox engine's (``server.services.outbox``): each due row is claimed with a
lease of ``CLAIM_SECONDS`` before it is sent, so of two deliverers racing (two
threads, or two server instances) exactly one sends it; a row left in "sending"
by a crashed deliverer is claimed again after the lease, and the gateway's
Idempotency-Key lets it drop the repeat.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.orm import SmsMessage, utcnow
from server.adapters.sms.base import SmsGateway, SmsSendError
from server.services import audit
from server.services.errors import Invalid
from server.services.outbox import STORED, Outbox, OutboxKind, RetryPolicy, SendFailed

CLAIM_SECONDS = 60
MAX_TEXT_CHARS = 500
BATCH = 50


def queue_sms(session: Session, phone: str, text: str, case_id: int | None = None, *, party_id: int | None = None,
              purpose: str = "") -> SmsMessage:
    """Adds a message to the outbox inside the caller's transaction (the caller commits).

    ``party_id`` and ``purpose`` (the template's name) let a delivery report count as the party's
    receipt of what the message announced, e.g. a document (送达)."""
    phone, text = (phone or "").strip(), (text or "").strip()
    if not phone or len(phone) > 20:
        raise Invalid("短信接收号码不正确")
    if not text or len(text) > MAX_TEXT_CHARS:
        raise Invalid(f"短信内容必须为 1 至 {MAX_TEXT_CHARS} 个字符")
    message = SmsMessage(case_id=case_id, party_id=party_id, purpose=purpose[:24], phone=phone, text=text,
                         status="pending", attempts=0, next_attempt_at=utcnow())
    session.add(message)
    session.flush()
    return message


def _audit_outcome(session: Session, message: SmsMessage, status: str) -> None:
    if message.case_id is not None and status != STORED:
        audit.append(session, actor="system", action=f"sms_{status}", case_id=message.case_id,
                     detail={"sms_id": message.id, "attempts": message.attempts})


SMS = OutboxKind("sms", SmsMessage, on_settled=_audit_outcome)


class GatewaySender:
    """The SMS outbox's sender: one message, one gateway call."""

    def __init__(self, gateway: SmsGateway) -> None:
        self._gateway = gateway
        self.delivered_status = "sent" if gateway.delivers else STORED

    def send(self, item: SmsMessage) -> str:
        try:
            self._gateway.send(item.phone, item.text, item.id)
        except SmsSendError as e:
            raise SendFailed(str(e)) from e
        return ""


def retry_policy(settings) -> RetryPolicy:  # settings: server.settings.Settings
    return RetryPolicy(max_attempts=settings.sms_max_attempts, base_seconds=settings.sms_retry_base_seconds,
                       max_seconds=settings.sms_retry_max_seconds, lease_seconds=CLAIM_SECONDS)


class SmsDelivery:
    def __init__(self, factory: sessionmaker[Session], gateway: SmsGateway, settings) -> None:
        self._factory = factory
        self.outbox = Outbox(factory, SMS, GatewaySender(gateway), retry_policy(settings), batch=BATCH)

    def interrupt(self) -> None:
        """Makes a running ``deliver_due`` return after the message in hand (used on shutdown)."""
        self.outbox.interrupt()

    def deliver_due(self, now: datetime | None = None) -> int:
        """Sends (or, with the recording gateway, stores) every message that is due; returns how many."""
        return len(self.outbox.deliver_due(now or utcnow()))

    def messages(self, status: str | None = None, case_id: int | None = None, limit: int = 200) -> list[SmsMessage]:
        """The outbox, newest first, for the admin page."""
        return list_messages(self._factory, status, case_id, limit)


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
