"""Interrupted cases whose party never comes back are abandoned after a while, with an SMS to the parties.

A case is interrupted when its call dropped (the party may press 继续处理 and rejoin the queue first) or
when the officer sent it back for more evidence (the parties got a fresh link by SMS). Either way it waits
for a party; without this job it would wait for ever. ``expire_due`` (a periodic job, server/app.py):

* a dropped call (entered interrupted by ``interrupt``, from in_call or collecting) is abandoned
  ``call_timeout`` after the drop (``KUAICHU_INTERRUPTED_TIMEOUT_MINUTES``, 30 by default);
* a case sent back (entered interrupted by ``send_back``, from awaiting_liability) gets ``sent_back_timeout``
  (``KUAICHU_SENT_BACK_TIMEOUT_HOURS``, 72 by default, as long as the link the parties were sent): the
  parties have to go back and collect the evidence first.

The time counts from the last transition into interrupted (its audit event). Each case is abandoned by the
system in one transaction with its audit event (``abandon``, reason ``interrupted_timeout``) and one SMS per
party phone (a fresh link; the call page then says the case has ended). A party who rejoins in the same
instant wins: the transition is guarded on the case still being interrupted, and the loser changes nothing.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case, Invitation
from server.domain.sms_templates import SmsTemplates
from server.services.cases import Actor, CaseService
from server.services.errors import Conflict
from server.services.invitations import InvitationService, link_for
from server.services.sms import queue_sms

log = logging.getLogger(__name__)

TEMPLATE = "interrupted_timeout"
SENT_BACK = "send_back"  # the action of awaiting_liability -> interrupted (case_states.py)


class InterruptedTimeout:
    def __init__(self, factory: sessionmaker[Session], cases: CaseService, invitations: InvitationService,
                 templates: SmsTemplates, public_base_url: str, *, call_timeout: timedelta,
                 sent_back_timeout: timedelta) -> None:
        self._factory, self._cases, self._invitations = factory, cases, invitations
        self._templates, self._base_url = templates, public_base_url
        self.call_timeout, self.sent_back_timeout = call_timeout, sent_back_timeout

    def due(self, now: datetime) -> list[tuple[int, bool]]:
        """(case id, sent back?) of every interrupted case whose wait has run out."""
        with self._factory() as s:
            last = (select(func.max(AuditEvent.id).label("id"))
                    .join(Case, Case.id == AuditEvent.case_id)
                    .where(Case.state == S.INTERRUPTED.value, AuditEvent.to_state == S.INTERRUPTED.value)
                    .group_by(AuditEvent.case_id).subquery())
            rows = s.execute(select(AuditEvent.case_id, AuditEvent.action, AuditEvent.created_at)
                             .join(last, last.c.id == AuditEvent.id).order_by(AuditEvent.case_id)).all()
        out = []
        for case_id, action, since in rows:
            sent_back = action == SENT_BACK
            if since + (self.sent_back_timeout if sent_back else self.call_timeout) <= now:
                out.append((case_id, sent_back))
        return out

    def expire_due(self, now: datetime) -> list[int]:
        """Abandons every case that is due; returns their ids. One case failing does not stop the others."""
        done = []
        for case_id, sent_back in self.due(now):
            try:
                if self.expire(case_id, sent_back):
                    done.append(case_id)
            except Exception:  # noqa: BLE001 - the next run tries again
                log.exception("interrupted timeout: case %s could not be abandoned", case_id)
        return done

    def expire(self, case_id: int, sent_back: bool) -> bool:
        """Abandons one case if it is still interrupted (False, and nothing written, if it is not)."""
        waited = self.sent_back_timeout if sent_back else self.call_timeout
        actor = Actor.system()
        try:
            with unit_of_work(self._factory) as s:
                case = s.get(Case, case_id)
                number, phones = case.number, _phones(s, case)
                detail = {"reason": "interrupted_timeout", "sent_back": sent_back,
                          "waited_minutes": int(waited.total_seconds() // 60), "sms": len(phones)}
                result = self._cases.transition_in(s, case_id, S.ABANDONED, actor, detail, guard=_still_interrupted)
                for phone, party_id in phones:
                    link = self._invitations.create_in(s, case_id, phone, actor.audit_name, party_id=party_id,
                                                       send_sms=False)
                    text = self._templates.render(TEMPLATE, case=number, link=link_for(self._base_url, link.token))
                    queue_sms(s, phone, text, case_id=case_id, party_id=party_id, purpose=TEMPLATE)
        except Conflict as e:  # a party came back (or someone else acted) just now
            log.info("interrupted timeout: case %s not abandoned: %s", case_id, e.message)
            return False
        self._cases.notify(result)
        log.info("interrupted timeout: case %s abandoned after %s (sent back: %s)", case_id, waited, sent_back)
        return True


def _still_interrupted(_: Session, case: Case) -> None:
    # queued -> abandoned is a legal system edge too: a party who rejoined meanwhile must not be abandoned
    if case.state != S.INTERRUPTED.value:
        raise Conflict(f"案件 {case.number} 已不在中断状态", state=case.state, target=S.ABANDONED.value)


def _phones(s: Session, case: Case) -> list[tuple[str, int | None]]:
    """Whom to tell: each party's phone (the reporter's stands in for 甲方), else every phone that got a link."""
    seen: dict[str, int | None] = {}
    for party in sorted(case.parties, key=lambda p: p.position):
        phone = party.phone or (case.reporter_phone if party.position == 1 else "")
        if phone and phone not in seen:
            seen[phone] = party.id
    if not seen and case.reporter_phone:
        seen[case.reporter_phone] = None
    if not seen:
        for phone, party_id in s.execute(select(Invitation.phone, Invitation.party_id).where(
                Invitation.case_id == case.id, Invitation.phone != "").order_by(Invitation.id)):
            seen.setdefault(phone, party_id)
    return list(seen.items())
