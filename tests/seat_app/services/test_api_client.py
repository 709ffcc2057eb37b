"""The REST client against a real server: typed errors carry the server's message."""
from __future__ import annotations

import pytest

from seat_app.services import api_client as api
from tests.seat_app.services.conftest import PASSWORD
from tests.support.live_server import free_socket


def client(live, user: str = "operator1") -> api.ApiClient:
    c = api.ApiClient(live.url, timeout=5)
    c.login(user, PASSWORD)
    return c


def test_wrong_password_is_session_expired_with_the_servers_words(live):
    with pytest.raises(api.SessionExpired) as caught:
        api.ApiClient(live.url).login("operator1", "nope")
    assert caught.value.status == 401 and caught.value.message


def test_a_closed_port_is_unreachable():
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(api.Unreachable) as caught:
        api.ApiClient(f"http://127.0.0.1:{port}", timeout=2).login("operator1", PASSWORD)
    assert caught.value.message == f"无法连接服务器 http://127.0.0.1:{port}（网络不通或服务器未运行）"


def test_a_server_that_never_answers_is_a_timeout_said_in_plain_words():
    sock = free_socket()
    sock.listen(1)  # the kernel accepts the connection; nobody ever replies
    try:
        with pytest.raises(api.Unreachable) as caught:
            api.ApiClient(f"http://127.0.0.1:{sock.getsockname()[1]}", timeout=0.5).health()
    finally:
        sock.close()
    assert caught.value.message.endswith("（服务器响应超时）")
    assert "Error" not in caught.value.message and "Timeout" not in caught.value.message


def test_a_revoked_token_is_session_expired(live):
    c = client(live)
    c.token = "not-a-token"
    with pytest.raises(api.SessionExpired):
        c.list_cases(["queued"])


def test_losing_the_race_is_a_conflict_naming_the_case(live):
    case = live.ctx.cases.open_case("public", reporter_phone="13800138000")
    first, second = client(live, "operator1"), client(live, "operator2")
    reply = first.answer(case.id)
    assert reply["case"]["state"] == "in_call" and "ice_servers" in reply
    with pytest.raises(api.Conflict) as caught:
        second.answer(case.id)
    assert case.number in caught.value.message


def test_capture_upload_and_checklist_round_trip(live):
    from seat_app.services.imaging import encode_jpeg
    import numpy as np

    case = live.ctx.cases.open_case("public", reporter_phone="13800138000")
    c = client(live)
    c.answer(case.id)
    c.start_collection(case.id)
    party_id = c.get_case(case.id)["parties"][0]["id"]
    row = c.upload_evidence(case.id, encode_jpeg(np.zeros((720, 1280, 3), np.uint8)), kind="frame",
                            label="plate", party_id=party_id)
    assert c.put_ocr(row["id"], {"fields": {"plate": "川A5F7K2"}})["ocr"]["fields"]["plate"] == "川A5F7K2"
    assert c.evidence_content(row["id"])[:2] == b"\xff\xd8"
    listing = c.checklist(case.id)
    plate = next(e for e in listing["evidence"] if e["key"] == "evidence.plate.1")
    assert plate["met"] and not listing["complete"]
    with pytest.raises(api.Conflict) as caught:
        c.submit(case.id)
    assert "还不能提交" in caught.value.message
