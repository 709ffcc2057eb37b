"""The call relay: answered goes to the phone, and signals pass only between that phone and the seat that won."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.support.hub import party_token, seat_connect, seat_socket, services
from tests.support.waiting import frames_before, wait_for_blocking
from tests.support.ws_session import of_type, recv_until

OFFER = {"type": "offer", "sdp": "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\n"}
ANSWER = {"type": "answer", "sdp": "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\n"}
CANDIDATE = {"candidate": "candidate:1 1 udp 1 127.0.0.1 9 typ host", "sdpMid": "0", "sdpMLineIndex": 0}


def not_yours(frame: dict) -> bool:
    return frame.get("type") == "error" and frame.get("code") == "not_your_case"


@pytest.fixture
def joined(client, app):
    """(case_id, phone socket) for a case whose phone has joined the queue."""
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
        phone.send_json({"type": "join", "consent": True})
        recv_until(phone, of_type("queue"))
        yield case_id, phone


def test_answer_tells_the_phone_with_ice_servers_and_seat_name(client, app, joined, auth_headers, make_user):
    case_id, phone = joined
    app.state.ctx.settings.ice_servers.append({"urls": "stun:stun.test:3478"})
    op = auth_headers("operator")
    assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
    answered = recv_until(phone, of_type("answered"))
    assert answered["seat_name"] == "operator1"
    assert answered["ice_servers"] == [{"urls": "stun:stun.test:3478"}]


def test_signals_pass_between_the_phone_and_the_winning_seat_only(client, app, joined, auth_headers):
    case_id, phone = joined
    winner, other = auth_headers("operator", "winner"), auth_headers("operator", "other")
    with seat_socket(client, winner) as seat, seat_socket(client, other) as rival:
        assert client.post(f"/api/cases/{case_id}/answer", headers=winner).status_code == 200
        recv_until(phone, of_type("answered"))

        phone.send_json({"type": "signal", "sdp": OFFER})
        relayed = recv_until(seat, of_type("signal"))
        assert relayed == {"type": "signal", "case_id": case_id, "sdp": OFFER}

        rival.send_json({"type": "signal", "case_id": case_id, "sdp": ANSWER})
        # The phone's offer was relayed before the rival's frame was read, so it would come before the error.
        before_error = frames_before(rival, not_yours)
        assert [f for f in before_error if f["type"] == "signal"] == []

        seat.send_json({"type": "signal", "case_id": str(case_id), "sdp": ANSWER})  # digits as a string are fine
        seat.send_json({"type": "signal", "case_id": case_id, "candidate": CANDIDATE})
        # The rival's refused signal went in first; had it been relayed, it would precede the seat's two.
        before_candidate = frames_before(phone, lambda f: f.get("candidate") == CANDIDATE)
        assert [f for f in before_candidate if f["type"] == "signal"] == [{"type": "signal", "sdp": ANSWER}]

        phone.send_json({"type": "signal", "candidate": CANDIDATE})
        assert recv_until(seat, of_type("signal"))["candidate"]["sdpMid"] == "0"
        rival.send_json({"type": "signal", "case_id": case_id, "sdp": ANSWER})
        assert [f for f in frames_before(rival, not_yours) if f["type"] == "signal"] == []


def test_phone_signal_before_answer_is_refused(joined):
    _, phone = joined
    phone.send_json({"type": "signal", "sdp": OFFER})
    assert recv_until(phone, of_type("error"))["code"] == "not_in_call"


def test_hangup_from_the_holding_seat_ends_the_phone_call(client, app, joined, auth_headers):
    case_id, phone = joined
    op = auth_headers("operator")
    with seat_socket(client, op) as seat:
        client.post(f"/api/cases/{case_id}/answer", headers=op)
        seat.send_json({"type": "hangup", "case_id": case_id, "reason": "completed"})
        assert recv_until(phone, of_type("ended"))["reason"] == "completed"


def test_officers_watch_the_queue_but_cannot_signal(client, app, joined, auth_headers):
    case_id, _ = joined
    with seat_connect(client, auth_headers("officer")) as officer:
        assert case_id in [i["case_id"] for i in recv_until(officer, of_type("queue"))["items"]]
        officer.send_json({"type": "signal", "case_id": case_id, "sdp": ANSWER})
        assert recv_until(officer, of_type("error"))["code"] == "forbidden"


def test_instruction_and_state_changes_reach_the_phone(client, app, joined, auth_headers):
    case_id, phone = joined
    op = auth_headers("operator")
    client.post(f"/api/cases/{case_id}/answer", headers=op)
    r = client.post(f"/api/cases/{case_id}/instructions", headers=op, json={"text": "请在车后 50 米放置三角警告牌"})
    assert r.status_code == 201
    assert recv_until(phone, of_type("instruction"))["text"] == "请在车后 50 米放置三角警告牌"
    client.post(f"/api/cases/{case_id}/start-collection", headers=op)
    assert recv_until(phone, lambda m: m == {"type": "state", "state": "collecting"})
    token = party_token(app, case_id)
    assert client.get(f"/api/phone/{token}").json()["instructions"][-1]["text"].startswith("请在车后")


def test_an_instruction_shown_over_the_data_channel_is_recorded_not_pushed_again(client, app, joined, auth_headers):
    from sqlalchemy import select

    from server.adapters.orm import AuditEvent

    case_id, phone = joined
    op = auth_headers("operator")
    client.post(f"/api/cases/{case_id}/answer", headers=op)
    r = client.post(f"/api/cases/{case_id}/instructions", headers=op,
                    json={"text": "请打开双闪", "via": "data_channel"})
    assert r.status_code == 201 and r.json() == {"sent": False, "recorded": True}
    client.post(f"/api/cases/{case_id}/instructions", headers=op, json={"text": "请靠边停车"})
    # The phone's socket gets only the second: the first was already on its screen.
    assert recv_until(phone, of_type("instruction"))["text"] == "请靠边停车"
    with app.state.ctx.session_factory() as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                  AuditEvent.action == "instruction").order_by(AuditEvent.id)).all()
        assert [(r.detail["text"], r.detail["via"]) for r in rows] == [("请打开双闪", "data_channel"), ("请靠边停车", "server")]
    token = party_token(app, case_id)
    assert [i["text"] for i in client.get(f"/api/phone/{token}").json()["instructions"]] == ["请打开双闪", "请靠边停车"]


@pytest.mark.parametrize("body", [{"text": "x", "via": "carrier pigeon"}, {"text": ""}, {"text": "x", "extra": 1}])
def test_a_malformed_instruction_is_refused(client, joined, auth_headers, body):
    case_id, _ = joined
    op = auth_headers("operator")
    client.post(f"/api/cases/{case_id}/answer", headers=op)
    assert client.post(f"/api/cases/{case_id}/instructions", headers=op, json=body).status_code == 422


def test_photo_upload_is_stored_with_its_hash_and_announced_to_the_seat(client, app, joined, auth_headers):
    import hashlib
    import io

    from PIL import Image

    case_id, _ = joined
    op = auth_headers("operator")
    buf = io.BytesIO()
    Image.new("RGB", (1920, 1080), (200, 30, 30)).save(buf, "JPEG")
    data = buf.getvalue()
    token = party_token(app, case_id)
    with seat_socket(client, op) as seat:
        client.post(f"/api/cases/{case_id}/answer", headers=op)
        r = client.post(f"/api/phone/{token}/photos", files={"file": ("photo.jpg", data, "image/jpeg")})
        assert r.status_code == 201, r.text
        body = r.json()
        assert body["original_sha256"] == hashlib.sha256(data).hexdigest()  # the stored file is re-encoded
        assert (body["width"], body["height"]) == (1920, 1080)
        note = recv_until(seat, of_type("case_updated"))
        assert note == {"type": "case_updated", "case_id": case_id, "what": "photo_uploaded",
                        "evidence_id": body["evidence_id"]}
    evidence = client.get(f"/api/cases/{case_id}/evidence", headers=op).json()
    assert any(e["sha256"] == body["sha256"] and e["kind"] == "photo" for e in evidence["items"])


def test_fake_photo_upload_is_refused_plainly(client, app, joined, auth_headers):
    case_id, phone = joined
    op = auth_headers("operator")
    token = party_token(app, case_id)
    assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
    recv_until(phone, of_type("answered"))
    r = client.post(f"/api/phone/{token}/photos", files={"file": ("photo.jpg", b"not a jpeg at all", "image/jpeg")})
    assert 400 <= r.status_code < 500
    body = r.json()
    assert set(body) == {"error", "message"} and body["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body  # plain Chinese for the party
    buf = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 200, 30)).save(buf, "JPEG")
    good = client.post(f"/api/phone/{token}/photos", files={"file": ("photo.jpg", buf.getvalue(), "image/jpeg")})
    assert good.status_code == 201, good.text  # the refusal left nothing behind that blocks the next photo
    evidence = client.get(f"/api/cases/{case_id}/evidence", headers=op).json()["items"]
    assert [e["id"] for e in evidence if e["kind"] == "photo"] == [good.json()["evidence_id"]]


def test_page_closing_after_the_seat_hung_up_is_not_an_interruption(client, app, joined, auth_headers):
    case_id, phone = joined
    op = auth_headers("operator")
    with seat_socket(client, op) as seat:
        client.post(f"/api/cases/{case_id}/answer", headers=op)
        recv_until(phone, of_type("answered"))
        seat.send_json({"type": "hangup", "case_id": case_id, "reason": "completed"})
        recv_until(phone, of_type("ended"))
        phone.close()
        wait_for_blocking(lambda: case_id not in services(app).hub.phones)  # the server saw the page go
        # A phone_left for the closed page is sent as the server drops it; a reply to a later frame of the
        # seat's own comes after it, so the seat's frames up to that reply hold it if it was sent.
        seat.send_json({"type": "hangup", "case_id": case_id + 10_000, "reason": "completed"})
        assert [f for f in frames_before(seat, of_type("error")) if f["type"] == "phone_left"] == []
    assert app.state.ctx.cases.get(case_id).state == "in_call"


def test_a_late_hangup_of_a_dropped_call_does_not_send_the_rejoined_phone_away(client, app, auth_headers):
    """The load bench's lost ``answered``: the phone dropped just after the answer and came back to the queue; the
    seat then hung up the dead call, and that ``ended`` reached the new page, which the next answer never reached."""
    case_id = app.state.ctx.cases.open_case("public").id
    token, op = party_token(app, case_id), auth_headers("operator")
    with seat_socket(client, op) as seat:
        with client.websocket_connect(f"/ws/phone/{token}") as phone:
            phone.send_json({"type": "join", "consent": True})
            recv_until(phone, of_type("queue"))
            assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
        recv_until(seat, lambda f: f.get("type") == "phone_left" and f["case_id"] == case_id)
        assert app.state.ctx.cases.get(case_id).state == "interrupted"
        with client.websocket_connect(f"/ws/phone/{token}") as phone:
            phone.send_json({"type": "join", "consent": True})
            recv_until(phone, of_type("queue"))
            seat.send_json({"type": "hangup", "case_id": case_id, "reason": "operator"})  # the old call's
            wait_for_blocking(lambda: app.state.ctx.cases.get(case_id).state == "queued")
            assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
            before = frames_before(phone, of_type("answered"))
            assert [f for f in before if f["type"] == "ended"] == []
            assert app.state.ctx.cases.get(case_id).state == "in_call"
