"""Escalation to an on-scene officer: the case, the dispatch request and the driver's SMS in one transaction.

Nothing here calls the outside world: the dispatch and the SMS go to their
outboxes and are delivered by background jobs, so escalation works while the
registry, the dispatch service or the SMS gateway is down, and nothing is lost.
"""
from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from kuaichu_protocol.messages import CaseState as S
from server.adapters.db import unit_of_work
from server.adapters.dispatch.base import DispatchParty, DispatchRequest
from server.adapters.orm import Case, utcnow
from server.domain.party_labels import party_label
from server.services import dispatch_outbox
from server.services.cases import Actor, CaseService
from server.services.errors import Invalid
from server.services.sms import queue_sms

SMS_TEXT = "【快处】您的事故（{number}）需民警到场处理。请开启危险报警闪光灯，人员撤至安全地带等候，民警正在赶来。"


class EscalationService:
    def __init__(self, factory: sessionmaker[Session], cases: CaseService) -> None:
        self._factory, self._cases = factory, cases

    def escalate(self, case_id: int, reason: str, actor: Actor, unmet_zh: list[str] | None = None) -> int:
        """Returns the id of the dispatch request; the phone hears of it through the transition listeners."""
        reason = (reason or "").strip()
        if not reason:
            raise Invalid("转现场处理必须填写原因")
        with unit_of_work(self._factory) as s:
            result = self._cases.transition_in(s, case_id, S.ESCALATED, actor, detail={"reason": reason},
                                               changes={"escalation_reason": reason})
            case = s.get(Case, case_id)
            s.refresh(case)
            dispatch = dispatch_outbox.enqueue(s, self._request(case, reason, unmet_zh or []), utcnow())
            for phone in self._phones(case):
                queue_sms(s, phone, SMS_TEXT.format(number=case.number), case_id=case_id)
        self._cases.notify(result)
        return dispatch.id

    @staticmethod
    def _request(case: Case, reason: str, unmet_zh: list[str]) -> DispatchRequest:
        parties = [DispatchParty(party_label(p.position), p.plate, p.phone) for p in case.parties]
        return DispatchRequest(case.id, case.number, reason, case.latitude, case.longitude, case.district,
                               parties, tuple(unmet_zh))

    @staticmethod
    def _phones(case: Case) -> list[str]:
        phones = [case.reporter_phone] + [p.phone for p in case.parties]
        return list(dict.fromkeys(p for p in phones if p))
