"""Delivery (送达) of a liability document to a party, and the SMS gateway's delivery reports.

A document reaches a party the first time, whichever comes first:
- the party opens it on the progress page (a page image is fetched): via "opened";
- the party downloads the PDF: via "downloaded";
- the SMS gateway reports the document's SMS delivered to the party's phone: via "sms_report".

That first time is one ``document_deliveries`` row (unique per document and party) written with
its audit event "document_delivered" {party_id, via} in one transaction; later opens change
nothing. Two first opens racing: the unique key lets one commit, the other finds it. The review
deadline (146号 第七十一条) runs from it. Revoked documents are not delivered any more.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import Document, DocumentDelivery, Party, SmsMessage, utcnow
from server.services import audit
from server.services.errors import Invalid, NotFound

VIAS = ("opened", "downloaded", "sms_report")
#: The gateway's words for "on the handset" (ours, and the CMPP/SMGP status report code).
DELIVERED_STATUSES = frozenset({"delivered", "DELIVRD"})
#: Final failures the gateway may report; kept on the message's last_error for the admin page.
FAILED_STATUSES = frozenset({"failed", "undelivered", "expired", "rejected", "UNDELIV", "EXPIRED", "REJECTD"})
DOCUMENT_SMS_PURPOSE = "document_issued"


@dataclass(frozen=True)
class Delivery:
    document_id: int
    party_id: int
    delivered_at: datetime
    via: str
    new: bool  # this call recorded it


@dataclass(frozen=True)
class ReportOutcome:
    sms_id: int
    delivered: bool
    document_delivery: Delivery | None


class DeliveryService:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def record(self, document_id: int, party_id: int, via: str, now: datetime | None = None) -> Delivery | None:
        """The party's delivery of the document, recorded now unless it already was; None for a revoked one."""
        if via not in VIAS:
            raise ValueError(f"unknown delivery channel {via!r}")
        now = now or utcnow()
        for _ in range(2):  # a racing first open: the unique key refuses one, which then reads the winner
            try:
                with unit_of_work(self._factory) as s:
                    return record_in(s, document_id, party_id, via, now)
            except IntegrityError:
                continue
        with self._factory() as s:
            return _existing(s, document_id, party_id)

    def delivered_at(self, document_id: int, party_id: int) -> datetime | None:
        with self._factory() as s:
            found = _existing(s, document_id, party_id)
            return found.delivered_at if found else None

    def sms_report(self, sms_id: int, status: str, now: datetime | None = None) -> ReportOutcome:
        """A delivery report from the gateway: the message reached the handset (or finally did not)."""
        status = (status or "").strip()
        if status not in DELIVERED_STATUSES | FAILED_STATUSES:
            raise Invalid(f"未知的短信状态 {status[:32]!r}，应为 delivered 或 failed 等")
        now = now or utcnow()
        for _ in range(2):
            try:
                with unit_of_work(self._factory) as s:
                    return self._apply_report(s, sms_id, status, now)
            except IntegrityError:
                continue
        raise Invalid("送达记录冲突，请重试")  # pragma: no cover - a third race on one message

    def _apply_report(self, s: Session, sms_id: int, status: str, now: datetime) -> ReportOutcome:
        message = s.get(SmsMessage, sms_id)
        if message is None:
            raise NotFound(f"短信 {sms_id} 不存在")
        if status not in DELIVERED_STATUSES:
            message.last_error = f"回执：{status}"[:200]
            return ReportOutcome(message.id, False, None)
        first = message.delivered_at is None
        if first:
            message.delivered_at = now
            if message.case_id is not None:
                audit.append(s, actor="system", action="sms_delivered", case_id=message.case_id,
                             detail={"sms_id": message.id, "purpose": message.purpose})
        delivery = None
        if message.purpose == DOCUMENT_SMS_PURPOSE and message.party_id is not None and message.case_id is not None:
            document = s.scalars(select(Document).where(Document.case_id == message.case_id,
                                                        Document.created_at <= message.created_at)
                                 .order_by(Document.created_at.desc(), Document.id.desc())).first()
            if document is not None:
                delivery = record_in(s, document.id, message.party_id, "sms_report", message.delivered_at or now)
        return ReportOutcome(message.id, True, delivery)


def record_in(s: Session, document_id: int, party_id: int, via: str, now: datetime) -> Delivery | None:
    """The same inside the caller's transaction."""
    found = _existing(s, document_id, party_id)
    if found is not None:
        return found
    document = s.get(Document, document_id)
    party = s.get(Party, party_id)
    if document is None or party is None or party.case_id != document.case_id:
        raise NotFound("没有这份认定书")
    if document.revoked_at is not None:
        return None
    s.add(DocumentDelivery(document_id=document_id, party_id=party_id, delivered_at=now, via=via))
    if document.delivered_at is None or document.delivered_at > now:
        document.delivered_at = now
    audit.append(s, actor=f"party:{party_id}" if via != "sms_report" else "system", action="document_delivered",
                 case_id=document.case_id,
                 detail={"party_id": party_id, "via": via, "document_id": document_id, "number": document.number})
    s.flush()
    return Delivery(document_id, party_id, now, via, new=True)


def _existing(s: Session, document_id: int, party_id: int) -> Delivery | None:
    row = s.scalars(select(DocumentDelivery).where(DocumentDelivery.document_id == document_id,
                                                   DocumentDelivery.party_id == party_id)).first()
    if row is None:
        return None
    return Delivery(row.document_id, row.party_id, row.delivered_at, row.via, new=False)
