"""Issue 10 on the sockets: the seat's token is its first frame (hole 1), ids are bounded (hole 3),
deep nesting is refused before parsing (hole 4), and a foreign page's Origin is refused (hole 15)."""
from __future__ import annotations

import logging

import pytest

from server.api import ws as ws_api
from server.services.ws_frames import MAX_ID
from tests.support.hub import SEAT_PATH, auth_frame, party_token, seat_connect, seat_socket
from tests.support.ws_session import close_code, of_type, recv, recv_until

FOREIGN = {"origin": "https://evil.example"}  # the TestClient's Host is testserver, the public origin 127.0.0.1:8000


def _refused(ws) -> tuple[dict, int]:
    return recv_until(ws, of_type("error")), close_code(ws)


def test_the_seat_socket_logs_in_with_its_first_frame(client, auth_headers):
    with seat_connect(client, auth_headers("operator")) as ws:
        assert recv_until(ws, of_type("queue"))["items"] == []


@pytest.mark.parametrize("first", [
    {"type": "auth", "token": "nope"},
    {"type": "auth"},
    {"type": "auth", "token": 12345},
    {"type": "hangup", "case_id": 1},
    "not json",
])
def test_a_seat_socket_whose_first_frame_is_not_a_valid_auth_is_closed_4401(client, first):
    with client.websocket_connect(SEAT_PATH) as ws:
        ws.send_text(first) if isinstance(first, str) else ws.send_json(first)
        error, code = _refused(ws)
    assert error["code"] == "unauthorized" and error["message"]
    assert code == 4401


def test_a_session_token_in_the_seat_url_is_refused_not_used(client, auth_headers):
    token = auth_frame(auth_headers("operator"))["token"]
    with client.websocket_connect(f"{SEAT_PATH}?token={token}") as ws:
        error, code = _refused(ws)
    assert error["code"] == "unauthorized" and "地址" in error["message"]
    assert code == 4401


def test_a_seat_socket_that_does_not_log_in_in_time_is_closed(client, monkeypatch):
    monkeypatch.setattr(ws_api, "AUTH_TIMEOUT_S", 0.2)
    with client.websocket_connect(SEAT_PATH) as ws:
        error, code = _refused(ws)
    assert error["code"] == "unauthorized" and "auth" in error["message"]
    assert code == 4401


def test_a_second_auth_frame_is_just_an_unknown_message(client, auth_headers):
    with seat_socket(client, auth_headers("operator")) as ws:
        ws.send_json(auth_frame(auth_headers("operator")))
        assert recv_until(ws, of_type("error"))["code"] == "unknown_type"


@pytest.mark.parametrize("case_id", [2**31, 2**63, -(2**63) - 1, 10**30, "9223372036854775808", "１２", 0])
def test_an_out_of_range_case_id_is_invalid_not_an_internal_error(client, auth_headers, case_id, caplog):
    with seat_socket(client, auth_headers("operator")) as ws:
        ws.send_json({"type": "hangup", "case_id": case_id})
        error = recv_until(ws, of_type("error"))
    assert error["code"] == "invalid", error
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_largest_id_is_simply_not_found(client, auth_headers):
    with seat_socket(client, auth_headers("operator")) as ws:
        ws.send_json({"type": "hangup", "case_id": MAX_ID})
        assert recv_until(ws, of_type("error"))["code"] == "not_found"


@pytest.mark.parametrize("bomb", ["[" * 50_000, "{\"a\":" * 10_000, '{"type": "event", "data": ' + "[" * 40 + "]" * 40 + "}"])
def test_deep_nesting_is_refused_before_parsing_on_both_sockets(client, app, auth_headers, bomb, caplog):
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone, \
            seat_socket(client, auth_headers("operator")) as seat:
        recv_until(phone, of_type("state"))
        for ws in (phone, seat):
            ws.send_text(bomb)
            error = recv_until(ws, of_type("error"))
            assert error["code"] == "too_deep" and "嵌套" in error["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_brackets_inside_strings_are_not_nesting(client, app):
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
        recv_until(phone, of_type("state"))
        phone.send_json({"type": "join", "consent": True})
        recv_until(phone, of_type("queue"))
        phone.send_json({"type": "event", "name": "network", "data": {"note": "[{" * 100 + '\\"'}})
        with pytest.raises(AssertionError):  # accepted: no error frame comes back
            recv_until(phone, of_type("error"), timeout=0.5)


def test_a_foreign_origin_is_refused_on_both_sockets(client, app, auth_headers):
    case_id = app.state.ctx.cases.open_case("public").id
    for path in (f"/ws/phone/{party_token(app, case_id)}", SEAT_PATH):
        with client.websocket_connect(path, headers=FOREIGN) as ws:
            error, code = _refused(ws)
        assert error["code"] == "bad_origin" and "evil.example" in error["message"], path
        assert code == 4403


def test_the_public_origin_its_own_address_and_no_origin_may_connect(client, app, auth_headers):
    public = app.state.ctx.settings.public_base_url  # http://127.0.0.1:8000 by default
    case_id = app.state.ctx.cases.open_case("public").id
    same_site = {"origin": "http://testserver"}  # the page came from the address the socket was opened at
    for origin in ({"origin": public}, {"origin": public.upper() + "/"}, same_site, {}):
        with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}", headers=origin) as phone:
            assert recv(phone)["type"] == "state"
        with seat_connect(client, auth_headers("operator"), headers=origin) as seat:
            assert recv_until(seat, of_type("queue"))


@pytest.mark.parametrize(("origin", "public", "same"), [
    ("https://kuaichu.example", "https://kuaichu.example:443/", True),
    ("http://127.0.0.1:8000", "http://127.0.0.1:8000", True),
    ("http://127.0.0.1:8001", "http://127.0.0.1:8000", False),
    ("https://127.0.0.1:8000", "http://127.0.0.1:8000", False),
    ("null", "http://127.0.0.1:8000", False),
    ("http://127.0.0.1:80x", "http://127.0.0.1:8000", False),
])
def test_origins_compare_by_scheme_host_and_port(origin, public, same):
    assert (ws_api.origin_of(origin) == ws_api.origin_of(public)) is same


@pytest.mark.parametrize("data", ['{"x": NaN}', '{"x": [1, -Infinity]}', '{"x": 1e400}', '{"\\ud800": 1}',
                                  '{"x": "a\\udfffb"}'])
def test_numbers_and_strings_no_database_can_store_are_bad_json(client, app, data, caplog):
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
        recv_until(phone, of_type("state"))
        phone.send_json({"type": "join", "consent": True})
        recv_until(phone, of_type("queue"))
        phone.send_text(f'{{"type": "event", "name": "page_hidden", "data": {data}}}')
        error = recv_until(phone, of_type("error"))
    assert error["code"] == "bad_json" and error["message"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
