"""The supervisors' view of field dispatches: what is failing, and a retry that is on the record.

The handlers in server/api/dispatches.py only parse and shape; the read, the retry's
transaction and its audit event live here, next to the outbox they act on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from server.adapters.db import unit_of_work
from server.adapters.orm import utcnow
from server.services import audit, dispatch_outbox
from server.services.errors import Conflict


@dataclass(frozen=True)
class DispatchAttention:
    """One dispatch a supervisor should look at, read out of its row."""

    id: int
    case_id: int
    status: str
    attempts: int
    last_error: str
    summary: str
    created_at: datetime


class DispatchReview:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def needing_attention(self) -> list[DispatchAttention]:
        """Given up, or still retrying after an error."""
        with self._factory() as s:
            return [DispatchAttention(d.id, d.case_id, d.status, d.attempts, d.last_error,
                                      d.payload.get("summary", ""), d.created_at)
                    for d in dispatch_outbox.needing_attention(s)]

    def retry(self, dispatch_id: int, actor: str) -> None:
        """A dispatch that gave up starts over; only a failed one can."""
        with unit_of_work(self._factory) as s:
            if not dispatch_outbox.retry(s, dispatch_id, utcnow()):
                raise Conflict("只能重试已失败的派警请求")
            audit.append(s, actor=actor, action="dispatch_retry", detail={"dispatch_id": dispatch_id})
