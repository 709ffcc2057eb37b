"""The officers' queue: cases awaiting a liability decision, oldest submitted first, and who has taken each.

The hub pushes it (``officer_queue``, docs/protocol.md) to officer and admin seats when they
connect and whenever a case enters or leaves ``awaiting_liability`` or is taken; this module
is the one read behind that push. A case sent back and submitted again is flagged
``sent_back`` and counts its wait from the new submission.
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import Case, Party, User, utcnow


class OfficerQueueView:
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self._factory = factory

    def items(self) -> list[dict]:
        """The frame's items: {case_id, number, submitted_at, waiting_s, district, parties, officer_user_id,
        officer_name, sent_back}."""
        parties = (select(Party.case_id, func.count(Party.id).label("n")).group_by(Party.case_id).subquery())
        query = (select(Case.id, Case.number, Case.submitted_at, Case.created_at, Case.district,
                        Case.officer_user_id, Case.sent_back_at, User.display_name, parties.c.n)
                 .outerjoin(User, User.id == Case.officer_user_id)
                 .outerjoin(parties, parties.c.case_id == Case.id)
                 .where(Case.state == S.AWAITING_LIABILITY.value)
                 .order_by(Case.submitted_at, Case.id))
        now = utcnow()
        with self._factory() as s:
            rows = s.execute(query).all()
        items = []
        for r in rows:
            since = r.submitted_at or r.created_at
            items.append({
                "case_id": r.id, "number": r.number, "submitted_at": since.isoformat(),
                "waiting_s": max(0, int((now - since).total_seconds())), "district": r.district,
                "parties": int(r.n or 0), "officer_user_id": r.officer_user_id,
                "officer_name": (r.display_name or "") if r.officer_user_id is not None else "",
                "sent_back": r.sent_back_at is not None,
            })
        return items
