"""The dispatch webhook against a real local server: acknowledged, refused, slow, unreachable."""
from datetime import datetime, timezone

import pytest

from server.adapters.dispatch import OutboxOnlySender, make_dispatch_sender
from server.adapters.dispatch.base import DispatchFailed, DispatchParty, DispatchRequest
from server.adapters.dispatch.webhook import WebhookDispatchSender
from server.settings import Settings
from tests.server.adapters.local_http import local_http, refused_url  # noqa: F401 - fixture

REQUEST = DispatchRequest(
    case_id=7, case_number="KC20260520-00A1B2", reason="乙方车辆未投保交强险", latitude=30.6598, longitude=104.0657,
    district="锦江区", parties=(DispatchParty("甲方", "川A5F7K2", "13800138000"), DispatchParty("乙方", "川A4B6N8")),
    unmet_zh=("乙方：未查到该车交强险投保记录",),
)
PAYLOAD = REQUEST.to_payload(datetime(2026, 5, 20, 2, 30, tzinfo=timezone.utc))


def test_payload_carries_location_and_a_chinese_summary():
    assert PAYLOAD["location"] == {"lat": 30.6598, "lon": 104.0657, "district": "锦江区"}
    assert PAYLOAD["summary"] == (
        "视频快处转现场处理（案件KC20260520-00A1B2）：乙方车辆未投保交强险。"
        "当事方：甲方 川A5F7K2，乙方 川A4B6N8。未满足条件：乙方：未查到该车交强险投保记录。"
    )
    assert PAYLOAD["requested_at"] == "2026-05-20T02:30:00+00:00"


def test_an_acknowledged_post(local_http):
    local_http.reply = lambda r: (201, {"reference": "JQ-2026-0042"})
    reference = WebhookDispatchSender(local_http.url + "/dispatch", timeout_seconds=5).send(3, PAYLOAD)
    assert reference == "JQ-2026-0042"
    request = local_http.requests[0]
    assert (request.method, request.path) == ("POST", "/dispatch")
    assert request.headers["Idempotency-Key"] == "kuaichu-dispatch-3"
    assert request.json() == PAYLOAD


def test_an_acknowledgement_without_a_body(local_http):
    local_http.reply = lambda r: (204, b"")
    assert WebhookDispatchSender(local_http.url, timeout_seconds=5).send(3, PAYLOAD) == ""


@pytest.mark.parametrize("status", [400, 404, 500, 502, 503])
def test_a_refusal_raises_so_the_outbox_retries(local_http, status):
    local_http.reply = lambda r: (status, {"error": "no"})
    with pytest.raises(DispatchFailed, match=str(status)):
        WebhookDispatchSender(local_http.url, timeout_seconds=5).send(3, PAYLOAD)


def test_a_slow_receiver_times_out(local_http):
    local_http.hold = True
    with pytest.raises(DispatchFailed, match="timed out"):
        WebhookDispatchSender(local_http.url, timeout_seconds=0.2).send(3, PAYLOAD)


def test_an_unreachable_receiver():
    with pytest.raises(DispatchFailed, match="unreachable"):
        WebhookDispatchSender(refused_url() + "/dispatch", timeout_seconds=2).send(3, PAYLOAD)


def test_the_factory_follows_the_settings(tmp_path):
    assert isinstance(make_dispatch_sender(Settings(data_dir=tmp_path)), OutboxOnlySender)
    webhook = Settings(data_dir=tmp_path, dispatch_backend="webhook", dispatch_webhook_url="http://127.0.0.1:1/d")
    assert isinstance(make_dispatch_sender(webhook), WebhookDispatchSender)
    with pytest.raises(ValueError, match="DISPATCH_WEBHOOK_URL"):
        make_dispatch_sender(Settings(data_dir=tmp_path, dispatch_backend="webhook"))


def test_the_auth_header_from_settings_reaches_the_webhook(local_http, tmp_path):
    local_http.reply = lambda r: (201, {"reference": "JQ-1"})
    settings = Settings(data_dir=tmp_path, dispatch_backend="webhook", dispatch_webhook_url=local_http.url + "/d",
                        dispatch_webhook_auth_header="Bearer dispatch-token")
    assert make_dispatch_sender(settings).send(9, PAYLOAD) == "JQ-1"
    assert local_http.requests[0].headers["Authorization"] == "Bearer dispatch-token"
