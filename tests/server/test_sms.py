"""The SMS outbox against a real local HTTP gateway: retries, backoff, give-up, no loss, no double send."""
from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from server.adapters.db import unit_of_work
from server.adapters.orm import SmsMessage, utcnow
from server.adapters.sms import make_sms_gateway
from server.adapters.sms.base import SmsSendError
from server.adapters.sms.fake import FakeSmsGateway
from server.adapters.sms.http_gateway import HttpSmsGateway
from server.adapters.sms.recording import RecordingSmsGateway
from server.services.audit import events_for_case
from server.services.sms import CLAIM_SECONDS, SmsDelivery, queue_sms

TRICKY_TEXT = '【视频快处】请点击 "链接" \\ 处理：\nhttps://x.example/p/abc?a=1&b=2 {"$text"}'


class LocalGateway:
    """A real HTTP server on loopback that answers with scripted status codes and records every request."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: list[int] = []  # consumed one per request; 200 once empty
        self.hold = threading.Event()  # when set, requests wait until `release` is set
        self.release = threading.Event()
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with gateway._lock:
                    gateway.requests.append({"headers": dict(self.headers), "body": body})
                    status = gateway.statuses.pop(0) if gateway.statuses else 200
                if gateway.hold.is_set():
                    gateway.release.wait(timeout=10)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def ids(self) -> list[str]:
        return [r["headers"]["Idempotency-Key"] for r in self.requests]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway_server() -> Iterator[LocalGateway]:
    server = LocalGateway()
    yield server
    server.close()


@pytest.fixture
def sms_settings(settings):
    return settings.model_copy(update={"sms_max_attempts": 3, "sms_retry_base_seconds": 10.0})


def http_gateway(url: str, timeout_s: float = 5.0, template: str = '{"to": "$phone", "text": "$text"}'):
    return HttpSmsGateway(url, template, auth_header="Bearer s3cret", timeout_s=timeout_s)


def queue(app, phone="13800138000", text="你好", case_id=None) -> int:
    with unit_of_work(app.state.ctx.session_factory) as s:
        return queue_sms(s, phone, text, case_id=case_id).id


def message(app, message_id: int) -> SmsMessage:
    with app.state.ctx.session_factory() as s:
        return s.get(SmsMessage, message_id)


def refused_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/sms"


# --- the HTTP gateway on its own -------------------------------------------------


def test_body_template_escapes_quotes_newlines_and_chinese(gateway_server):
    http_gateway(gateway_server.url).send("13800138000", TRICKY_TEXT, 42)
    [request] = gateway_server.requests
    assert json.loads(request["body"].decode("utf-8")) == {"to": "13800138000", "text": TRICKY_TEXT}
    assert request["headers"]["Idempotency-Key"] == "kuaichu-sms-42"
    assert request["headers"]["Authorization"] == "Bearer s3cret"
    assert request["headers"]["Content-Type"].startswith("application/json")


def test_template_can_carry_the_message_id():
    gateway = http_gateway("http://127.0.0.1:9/", template='{"mobile": "$phone", "content": "$text", "ref": "$id"}')
    assert json.loads(gateway.render_body("139", 'a"b', 7)) == {"mobile": "139", "content": 'a"b', "ref": "7"}


@pytest.mark.parametrize("template", ['{"to": "$phone", "text": $text}', '{"to": "$mobile"}', "not json $phone"])
def test_a_broken_template_is_refused_at_start_up(template):
    with pytest.raises(ValueError, match="SMS_HTTP_BODY_TEMPLATE"):
        http_gateway("http://127.0.0.1:9/", template=template)


def test_non_2xx_timeout_and_refused_connection_are_send_errors(gateway_server):
    gateway_server.statuses = [500]
    with pytest.raises(SmsSendError, match="HTTP 500"):
        http_gateway(gateway_server.url).send("139", "x", 1)
    gateway_server.hold.set()
    with pytest.raises(SmsSendError, match="Timeout"):
        http_gateway(gateway_server.url, timeout_s=0.3).send("139", "x", 2)
    with pytest.raises(SmsSendError, match="ConnectionError"):
        http_gateway(refused_url()).send("139", "x", 3)


def test_settings_choose_the_gateway(settings):
    assert isinstance(make_sms_gateway(settings), RecordingSmsGateway)
    http = settings.model_copy(update={"sms_backend": "http", "sms_http_url": "http://127.0.0.1:9/"})
    assert isinstance(make_sms_gateway(http), HttpSmsGateway)


def test_the_old_backend_name_outbox_is_refused_with_the_setting_named(settings):
    from pydantic import ValidationError

    from server.settings import Settings

    with pytest.raises(ValidationError, match="sms_backend"):
        Settings(data_dir=settings.data_dir, sms_backend="outbox")


# --- delivery: retries, backoff, give-up --------------------------------------------


def test_the_retry_delay_doubles_up_to_the_cap_from_settings(app, settings):
    capped = settings.model_copy(update={"sms_max_attempts": 4, "sms_retry_base_seconds": 10.0,
                                         "sms_retry_max_seconds": 15.0})
    fake = FakeSmsGateway()
    fake.failures_left = 3
    delivery = SmsDelivery(app.state.ctx.session_factory, fake, capped)
    message_id, now, delays = queue(app), utcnow(), []
    for _ in range(3):
        assert delivery.deliver_due(now) == 1
        delays.append((message(app, message_id).next_attempt_at - now).total_seconds())
        now = message(app, message_id).next_attempt_at
    assert delays == [10, 15, 15]
    assert delivery.deliver_due(now) == 1 and message(app, message_id).status == "sent"


def test_gateway_errors_are_retried_with_backoff_until_sent(app, sms_settings, gateway_server):
    gateway_server.statuses = [500, 503]
    delivery = SmsDelivery(app.state.ctx.session_factory, http_gateway(gateway_server.url), sms_settings)
    message_id, t0 = queue(app, text=TRICKY_TEXT), utcnow()

    assert delivery.deliver_due(t0) == 1
    m = message(app, message_id)
    assert (m.status, m.attempts, "HTTP 500" in m.last_error) == ("pending", 1, True)
    assert m.next_attempt_at == t0 + timedelta(seconds=10)
    assert delivery.deliver_due(t0 + timedelta(seconds=9)) == 0  # not due yet: no request
    assert len(gateway_server.requests) == 1

    assert delivery.deliver_due(t0 + timedelta(seconds=10)) == 1
    m = message(app, message_id)
    assert (m.status, m.attempts) == ("pending", 2)
    assert m.next_attempt_at == t0 + timedelta(seconds=10 + 20)  # doubled

    assert delivery.deliver_due(t0 + timedelta(seconds=30)) == 1
    m = message(app, message_id)
    assert (m.status, m.attempts, m.sent_at) == ("sent", 3, t0 + timedelta(seconds=30))
    assert gateway_server.ids() == [f"kuaichu-sms-{message_id}"] * 3  # one key across retries
    assert json.loads(gateway_server.requests[-1]["body"])["text"] == TRICKY_TEXT


@pytest.mark.parametrize("failure", ["http_500", "timeout", "refused"])
def test_after_max_attempts_the_message_is_failed_not_lost(app, sms_settings, gateway_server, queued_case, failure):
    url, timeout_s = gateway_server.url, 5.0
    if failure == "http_500":
        gateway_server.statuses = [500] * 10
    elif failure == "timeout":
        gateway_server.hold.set()
        timeout_s = 0.3
    else:
        url = refused_url()
    delivery = SmsDelivery(app.state.ctx.session_factory, http_gateway(url, timeout_s), sms_settings)
    message_id, now = queue(app, case_id=queued_case), utcnow()
    for _ in range(5):
        delivery.deliver_due(now)
        now += timedelta(hours=1)
    m = message(app, message_id)
    assert (m.status, m.attempts, m.text) == ("failed", 3, "你好")
    assert m.last_error
    if failure != "refused":
        assert len(gateway_server.requests) == 3
    with app.state.ctx.session_factory() as s:
        assert "sms_failed" in [e.action for e in events_for_case(s, queued_case)]


def test_two_deliverers_racing_send_each_message_exactly_once(app, settings, gateway_server):
    ids = [queue(app, text=f"第 {i} 条") for i in range(30)]
    deliverers = [SmsDelivery(app.state.ctx.session_factory, http_gateway(gateway_server.url), settings)
                  for _ in range(2)]
    barrier, errors = threading.Barrier(2), []

    def run(delivery):
        barrier.wait()
        try:
            delivery.deliver_due(utcnow())
        except Exception as e:  # noqa: BLE001 - asserted below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(d,)) for d in deliverers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(gateway_server.ids()) == sorted(f"kuaichu-sms-{i}" for i in ids)
    with app.state.ctx.session_factory() as s:
        assert set(s.scalars(select(SmsMessage.status))) == {"sent"}


def test_a_message_stranded_in_sending_is_claimed_again_after_the_claim_expires(app, settings):
    fake = FakeSmsGateway()
    delivery = SmsDelivery(app.state.ctx.session_factory, fake, settings)
    message_id, now = queue(app), utcnow()
    with unit_of_work(app.state.ctx.session_factory) as s:  # a deliverer that died mid-send
        row = s.get(SmsMessage, message_id)
        row.status, row.attempts, row.claimed_until = "sending", 1, now + timedelta(seconds=CLAIM_SECONDS)
    assert delivery.deliver_due(now) == 0 and fake.sent == []
    assert delivery.deliver_due(now + timedelta(seconds=CLAIM_SECONDS + 1)) == 1
    assert [m[0] for m in fake.sent] == [message_id]
    assert (message(app, message_id).status, message(app, message_id).attempts) == ("sent", 2)


def test_the_recording_backend_stores_without_sending(app, settings):
    delivery = SmsDelivery(app.state.ctx.session_factory, RecordingSmsGateway(), settings)
    message_id = queue(app)
    assert delivery.deliver_due(utcnow()) == 1
    assert message(app, message_id).status == "stored"
    assert delivery.deliver_due(utcnow()) == 0


def test_queue_sms_commits_or_rolls_back_with_the_callers_transaction(app):
    with pytest.raises(RuntimeError):
        with unit_of_work(app.state.ctx.session_factory) as s:
            queue_sms(s, "13800138000", "不会发出")
            raise RuntimeError("the caller's use case failed")
    with app.state.ctx.session_factory() as s:
        assert s.scalars(select(SmsMessage)).all() == []


def test_the_app_delivers_in_the_background_and_stops_cleanly(app):
    from fastapi.testclient import TestClient

    with TestClient(app):
        message_id = queue(app)
        deadline = utcnow() + timedelta(seconds=15)
        while message(app, message_id).status != "stored" and utcnow() < deadline:
            threading.Event().wait(0.05)  # polling a condition, bounded by the deadline
        assert message(app, message_id).status == "stored"
        jobs = app.state.background_jobs
        assert jobs.running
    assert not jobs.running


def test_interrupt_lets_the_message_in_hand_finish_and_leaves_the_rest_pending(app, settings):
    in_send, release = threading.Event(), threading.Event()

    class SlowGateway(FakeSmsGateway):
        def send(self, phone, text, message_id):
            in_send.set()
            release.wait(timeout=10)
            super().send(phone, text, message_id)

    gateway = SlowGateway()
    delivery = SmsDelivery(app.state.ctx.session_factory, gateway, settings)
    ids = [queue(app, text=f"第 {i} 条") for i in range(3)]
    handled: list[int] = []
    worker = threading.Thread(target=lambda: handled.append(delivery.deliver_due(utcnow())))
    worker.start()
    assert in_send.wait(timeout=10)
    delivery.interrupt()
    release.set()
    worker.join(timeout=10)
    assert handled == [1] and [m[0] for m in gateway.sent] == ids[:1]
    assert [(message(app, i).status, message(app, i).attempts) for i in ids[1:]] == [("pending", 0)] * 2
