"""Bad input on the sockets: every malformed frame gets an error frame and the socket stays up;
wrong, expired and revoked links are refused with a plain message."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from server.adapters.orm import Invitation, utcnow
from server.services.audit import events_for_case
from tests.support.hub import party_token, seat_connect
from tests.support.waiting import wait_for_blocking
from tests.support.ws_session import close_code, of_type, recv_until


@pytest.fixture
def phone(client, app):
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as ws:
        recv_until(ws, of_type("state"))
        ws.send_json({"type": "join", "consent": True})
        recv_until(ws, of_type("queue"))
        ws.case_id = case_id
        yield ws


@pytest.mark.parametrize(("frame", "code"), [
    ("{not json", "bad_json"),
    ("[1, 2]", "bad_message"),
    ('{"no_type": 1}', "bad_message"),
    ('{"type": "teleport"}', "unknown_type"),
    ('{"type": "location", "lat": "39.9", "lon": 116.4}', "invalid"),
    ('{"type": "location", "lat": 391.0, "lon": 116.4}', "invalid"),
    ('{"type": "safety", "ticks": {"hazard_lights": "yes"}}', "invalid"),
    ('{"type": "safety", "ticks": {"sunroof": true}}', "invalid"),
    ('{"type": "signal", "sdp": {"type": "offer"}}', "invalid"),
    ('{"type": "signal"}', "invalid"),
    ('{"type": "event", "name": "rm -rf", "data": {}}', "invalid"),
])
def test_malformed_phone_frames_get_an_error_and_the_socket_stays_up(phone, app, frame, code):
    phone.send_text(frame)
    error = recv_until(phone, of_type("error"))
    assert error["code"] == code and error["message"]
    phone.send_json({"type": "safety", "ticks": {"hazard_lights": True}})  # still served
    wait_for_blocking(lambda: app.state.ctx.cases.get(phone.case_id).safety.get("hazard_lights") is True)


def test_oversize_and_binary_frames_get_an_error(phone, app):
    limit = app.state.ctx.settings.ws_max_message_bytes
    phone.send_text('{"type": "event", "name": "network", "data": {"x": "' + "a" * limit + '"}}')
    assert recv_until(phone, of_type("error"))["code"] == "too_large"
    phone.send_bytes(b"\xff\xfe\x00")
    assert recv_until(phone, of_type("error"))["code"] == "bad_json"
    phone.send_json({"type": "leave"})
    assert recv_until(phone, of_type("ended"))


def test_seat_frames_are_checked_too(client, auth_headers):
    with seat_connect(client, auth_headers("operator")) as seat:
        recv_until(seat, of_type("queue"))
        for frame, code in [("{", "bad_json"), ('{"type": "join"}', "unknown_type"),
                            ('{"type": "signal", "case_id": "x1", "sdp": {"type": "answer", "sdp": ""}}', "invalid"),
                            ('{"type": "hangup", "case_id": 99999}', "not_found")]:
            seat.send_text(frame)
            assert recv_until(seat, of_type("error"))["code"] == code, frame


def test_unknown_expired_and_revoked_links_are_refused_with_a_plain_message(client, app, auth_headers):
    with client.websocket_connect("/ws/phone/" + "x" * 32) as ws:
        error = recv_until(ws, of_type("error"))
        assert error["code"] == "not_found" and "链接无效" in error["message"]
        assert close_code(ws) == 4404
    case_id = app.state.ctx.cases.open_case("public").id
    expired = party_token(app, case_id)
    with app.state.ctx.session_factory.begin() as s:
        s.execute(update(Invitation).values(expires_at=utcnow() - timedelta(minutes=1)))
    with client.websocket_connect(f"/ws/phone/{expired}") as ws:
        assert "过期" in recv_until(ws, of_type("error"))["message"]
        assert close_code(ws) == 4401
    assert client.get(f"/api/phone/{expired}").status_code == 401

    live = party_token(app, case_id)
    with client.websocket_connect(f"/ws/phone/{live}") as ws:
        ws.send_json({"type": "join", "consent": True})
        recv_until(ws, of_type("queue"))
        with app.state.ctx.session_factory() as s:
            invitation_id = s.query(Invitation.id).order_by(Invitation.id.desc()).first()[0]
        supervisor = auth_headers("supervisor")  # a supervisor takes the case over, then revokes its link
        r = client.post(f"/api/cases/{case_id}/takeover", headers=supervisor, json={"reason": "链接外泄"})
        assert r.status_code == 200, r.text
        r = client.post(f"/api/invitations/{invitation_id}/revoke", headers=supervisor)
        assert r.status_code == 200
        assert recv_until(ws, of_type("ended"))["reason"] == "revoked"


def test_seat_socket_needs_a_valid_session_and_a_seat_role(client, auth_headers):
    with client.websocket_connect("/ws/seat?token=nope") as ws:
        assert recv_until(ws, of_type("error"))["code"] == "unauthorized"
        assert close_code(ws) == 4401
    with seat_connect(client, auth_headers("admin")) as ws:
        assert recv_until(ws, of_type("error"))["code"] == "forbidden"


def test_join_needs_consent_and_other_messages_need_a_join(client, app):
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as ws:
        ws.send_json({"type": "location", "lat": 30.0, "lon": 104.0})
        assert recv_until(ws, of_type("error"))["code"] == "not_joined"
        ws.send_json({"type": "join", "consent": False})
        assert recv_until(ws, of_type("error"))["code"] == "consent_required"


def test_location_and_safety_reach_the_case_and_gps_jitter_is_not_audited(phone, app):
    cases = app.state.ctx.cases
    phone.send_json({"type": "location", "lat": 30.65, "lon": 104.06, "accuracy": 12.0})
    wait_for_blocking(lambda: cases.get(phone.case_id).latitude == 30.65)
    phone.send_json({"type": "location", "lat": 30.65004, "lon": 104.06, "accuracy": 12.0})  # ~4 m: stored only
    wait_for_blocking(lambda: cases.get(phone.case_id).latitude == 30.65004)
    phone.send_json({"type": "location", "lat": 30.651, "lon": 104.06, "accuracy": 8.0})  # ~110 m: audited
    wait_for_blocking(lambda: cases.get(phone.case_id).latitude == 30.651)
    phone.send_json({"type": "safety", "ticks": {"hazard_lights": True, "triangle": True}})
    wait_for_blocking(lambda: cases.get(phone.case_id).safety == {
        "hazard_lights": True, "triangle": True, "off_carriageway": False})
    case = cases.get(phone.case_id)
    assert case.location_accuracy_m == 8.0
    with app.state.ctx.session_factory() as s:
        actions = [e.action for e in events_for_case(s, phone.case_id)]
    assert actions.count("location") == 2
    assert actions.count("safety") == 1
