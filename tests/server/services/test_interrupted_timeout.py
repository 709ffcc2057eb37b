"""An interrupted case whose party never comes back is abandoned after the configured time, with an SMS to
each party and its audit event; a case sent back waits longer; a party who came back is never abandoned.
On SQLite and PostgreSQL, with the job as server/app.py wires it."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import AuditEvent, Case, SmsMessage, utcnow
from server.app import _interrupted_timeout
from server.services.cases import Actor
from server.services.interrupted_timeout import TEMPLATE, InterruptedTimeout
from tests.server.test_determination import PHONES, awaiting_case

pytestmark = pytest.mark.fault  # a fault test: docs/reliability.md tabulates its outcome


def _job(app, **settings) -> InterruptedTimeout:
    ctx = app.state.ctx
    return _interrupted_timeout(ctx.session_factory, ctx.settings.model_copy(update=settings), ctx.cases,
                                ctx.invitations)


def _state(app, case_id: int) -> str:
    with app.state.ctx.session_factory() as s:
        return s.scalar(select(Case.state).where(Case.id == case_id))


def _timeout_sms(app, case_id: int) -> list[SmsMessage]:
    with app.state.ctx.session_factory() as s:
        return list(s.scalars(select(SmsMessage).where(SmsMessage.case_id == case_id, SmsMessage.purpose == TEMPLATE)
                              .order_by(SmsMessage.phone)))


def _last_event(app, case_id: int) -> AuditEvent:
    """The case's last transition (its new links are audited too, without a state)."""
    with app.state.ctx.session_factory() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.to_state != "")
                         .order_by(AuditEvent.id.desc())).first()


def test_the_job_runs_beside_the_server(app):
    assert "interrupted-timeout" in [job.name for job in app.state.ctx.jobs]


def test_a_dropped_call_is_abandoned_after_the_timeout_with_an_sms_and_its_event(client, app, held_case):
    ctx = app.state.ctx
    ctx.cases.transition(held_case, S.INTERRUPTED, Actor.system(), {"reason": "socket_closed"})
    dropped = utcnow()
    job = _job(app)  # the default: 30 minutes
    assert job.call_timeout == timedelta(minutes=30)

    assert job.expire_due(dropped + timedelta(minutes=29)) == []
    assert _state(app, held_case) == "interrupted" and _timeout_sms(app, held_case) == []

    assert job.expire_due(dropped + timedelta(minutes=31)) == [held_case]
    assert _state(app, held_case) == "abandoned"
    event = _last_event(app, held_case)
    assert (event.actor, event.action, event.from_state, event.to_state) == ("system", "abandon", "interrupted",
                                                                             "abandoned")
    assert event.detail == {"reason": "interrupted_timeout", "sent_back": False, "waited_minutes": 30, "sms": 1}
    [sms] = _timeout_sms(app, held_case)
    number = ctx.cases.get(held_case).number
    assert sms.phone == "13800138000" and number in sms.text and "/p/" in sms.text and "122" in sms.text

    assert job.expire_due(dropped + timedelta(hours=5)) == []  # once: no second SMS, no second event
    assert len(_timeout_sms(app, held_case)) == 1 and _last_event(app, held_case).id == event.id


def test_the_timeout_is_configurable(client, app, held_case):
    app.state.ctx.cases.transition(held_case, S.INTERRUPTED, Actor.system(), {"reason": "socket_closed"})
    dropped = utcnow()
    job = _job(app, interrupted_timeout_minutes=5)
    assert job.expire_due(dropped + timedelta(minutes=4)) == []
    assert job.expire_due(dropped + timedelta(minutes=6)) == [held_case]


def test_a_case_sent_back_waits_as_long_as_its_link_then_every_party_is_told(client, app, auth_headers):
    officer = auth_headers("officer")
    case_id, _ = awaiting_case(app)
    assert client.post(f"/api/cases/{case_id}/take", headers=officer).status_code == 200
    r = client.post(f"/api/cases/{case_id}/send-back", headers=officer, json={"reason": "缺少乙车车损照片"})
    assert r.status_code == 200, r.text
    assert _state(app, case_id) == "interrupted"
    sent_back = utcnow()
    job = _job(app)

    assert job.expire_due(sent_back + timedelta(hours=2)) == []  # far past the dropped call's 30 minutes
    assert job.expire_due(sent_back + timedelta(hours=71)) == []
    assert job.expire_due(sent_back + timedelta(hours=73)) == [case_id]
    assert _state(app, case_id) == "abandoned"
    assert [m.phone for m in _timeout_sms(app, case_id)] == sorted(PHONES)
    assert _last_event(app, case_id).detail == {"reason": "interrupted_timeout", "sent_back": True,
                                                "waited_minutes": 72 * 60, "sms": 2}


def test_a_party_who_came_back_is_never_abandoned(client, app, held_case):
    ctx = app.state.ctx
    ctx.cases.transition(held_case, S.INTERRUPTED, Actor.system(), {"reason": "socket_closed"})
    dropped = utcnow()
    job = _job(app)
    due = job.due(dropped + timedelta(minutes=31))
    assert due == [(held_case, False)]
    ctx.cases.transition(held_case, S.QUEUED, Actor.party(held_case, None), {"reason": "continue"})
    before = _last_event(app, held_case).id
    # the job had read the case as due, then the party rejoined: queued -> abandoned is legal, but not here
    assert job.expire(held_case, False) is False
    assert _state(app, held_case) == "queued" and _timeout_sms(app, held_case) == []
    assert _last_event(app, held_case).id == before
    assert job.expire_due(dropped + timedelta(hours=1)) == []
