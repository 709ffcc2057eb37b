"""The SMS gateway and the dispatch webhook down for ten minutes (nothing listens on their port: every
connection is refused), then back on the same address: every message waits in its outbox through the
outage and, once the service is back, each reaches it exactly once.

The clock is the outbox's own ``now`` argument, moved on by the retry delays, so ten minutes pass in
a few seconds. The insurer webhook's outage is in server/services/test_claims.py
(``test_an_insurer_down_for_a_while_gets_the_report_once_it_is_back``)."""
from __future__ import annotations

import socket
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from server.adapters.db import unit_of_work
from server.adapters.dispatch.base import DispatchRequest
from server.adapters.dispatch.webhook import WebhookDispatchSender
from server.adapters.orm import Case, Dispatch, SmsMessage, utcnow
from server.adapters.sms.http_gateway import HttpSmsGateway
from server.services import dispatch_outbox
from server.services.dispatch_outbox import RetryPolicy
from server.services.sms import SmsDelivery, queue_sms
from tests.server.adapters.local_http import LocalHttpServer

pytestmark = pytest.mark.fault

OUTAGE = timedelta(minutes=10)
STEP = timedelta(seconds=5)  # how often the outbox runs, on the injected clock
MESSAGES = 5


def _port_nobody_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class BackOn(LocalHttpServer):
    """The outside service, started later on the port that refused connections during the outage."""

    def __init__(self, port: int) -> None:
        super().__init__()
        self._httpd.server_close()
        self._httpd = type(self._httpd)(("127.0.0.1", port), self._httpd.RequestHandlerClass)
        self._httpd.daemon_threads = True
        self._thread = type(self._thread)(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                          daemon=True)


def _run_outage(deliver, now):
    """Runs the outbox every STEP through the outage; returns the clock at its end and the attempts made."""
    attempts, end = 0, now + OUTAGE
    while now < end:  # bounded: OUTAGE / STEP runs
        attempts += deliver(now)
        now += STEP
    return now, attempts


def test_sms_wait_through_a_gateway_outage_and_each_is_sent_exactly_once_when_it_is_back(app, settings):
    """SMS gateway refusing connections for 10 minutes -> every message still pending, then each sent once."""
    port = _port_nobody_listens_on()
    sms_settings = settings.model_copy(update={"sms_max_attempts": 20, "sms_retry_base_seconds": 10.0,
                                               "sms_retry_max_seconds": 120.0})
    gateway = HttpSmsGateway(f"http://127.0.0.1:{port}/sms", '{"to": "$phone", "text": "$text"}', timeout_s=2.0)
    delivery = SmsDelivery(app.state.ctx.session_factory, gateway, sms_settings)
    with unit_of_work(app.state.ctx.session_factory) as s:
        ids = [queue_sms(s, "13800138000", f"第 {i} 条").id for i in range(MESSAGES)]

    now, attempts = _run_outage(lambda t: delivery.deliver_due(t), utcnow())
    assert attempts >= MESSAGES * 3  # retried through the outage, with backoff
    with app.state.ctx.session_factory() as s:
        assert set(s.scalars(select(SmsMessage.status).where(SmsMessage.id.in_(ids)))) == {"pending"}

    with BackOn(port) as service:
        for _ in range(30):  # bounded: the longest retry delay passes within these runs
            delivery.deliver_due(now)
            now += STEP
        keys = Counter(r.headers["Idempotency-Key"] for r in service.requests)
    assert keys == Counter({f"kuaichu-sms-{i}": 1 for i in ids})
    with app.state.ctx.session_factory() as s:
        assert set(s.scalars(select(SmsMessage.status).where(SmsMessage.id.in_(ids)))) == {"sent"}


def test_dispatches_wait_through_a_webhook_outage_and_each_is_sent_exactly_once_when_it_is_back(app):
    """Dispatch webhook refusing connections for 10 minutes -> every dispatch still due, then each sent once."""
    factory = app.state.ctx.session_factory
    port = _port_nobody_listens_on()
    sender = WebhookDispatchSender(f"http://127.0.0.1:{port}/dispatch", timeout_seconds=2.0)
    policy = RetryPolicy(max_attempts=20, base_seconds=10, max_seconds=120, lease_seconds=120)
    start = utcnow()
    with unit_of_work(factory) as s:
        ids = []
        for i in range(MESSAGES):
            s.add(case := Case(number=f"KC-DOWN-{i}", state="escalated", source="public",
                               latitude=30.66, longitude=104.07))
            s.flush()
            request = DispatchRequest(case.id, case.number, "有人受伤", case.latitude, case.longitude)
            ids.append(dispatch_outbox.enqueue(s, request, start).id)

    now, attempts = _run_outage(lambda t: len(dispatch_outbox.deliver_due(factory, sender, t, policy=policy)), start)
    assert attempts >= MESSAGES * 3
    with factory() as s:
        rows = s.scalars(select(Dispatch).where(Dispatch.id.in_(ids))).all()
        assert {r.status for r in rows} == {"pending"} and all(r.sent_at is None for r in rows)

    with BackOn(port) as service:
        service.reply = lambda request: (200, {"reference": f"CAD-{request.headers['Idempotency-Key']}"})
        for _ in range(30):  # bounded, as above
            dispatch_outbox.deliver_due(factory, sender, now, policy=policy)
            now += STEP
        keys = Counter(r.headers["Idempotency-Key"] for r in service.requests)
    assert keys == Counter({f"kuaichu-dispatch-{i}": 1 for i in ids})
    with factory() as s:
        assert {r.status for r in s.scalars(select(Dispatch).where(Dispatch.id.in_(ids)))} == {"sent"}
