"""The live queue over real WebSockets: pushes, order, rejoin priority and reservation, abandonment."""
from __future__ import annotations

import pytest

from kuaichu_protocol.messages import CaseState as S
from tests.support.hub import SeatQueue, party_token, queue_ids, seat_connect, seat_queue, seat_socket, services
from tests.support.waiting import frames_until_closed
from tests.support.ws_session import of_type, recv_until


@pytest.fixture(autouse=True)
def _fast_timers(app):
    hub = services(app).hub
    hub.abandon_grace_s = 0.0
    hub.rejoin_reserve_s = 60.0


def test_seat_gets_the_queue_on_connect_and_on_every_change(client, app, auth_headers):
    case_id = app.state.ctx.cases.open_case("public", "13800138000").id
    with seat_connect(client, auth_headers("operator")) as seat:
        queue = SeatQueue(seat)
        first = queue.until()
        assert queue.frames[0]["type"] == "queue" and queue_ids(queue.frames[0]) == [case_id]
        assert first["items"][0]["phone_online"] is False
        with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
            assert recv_until(phone, of_type("state"))["state"] == "queued"
            phone.send_json({"type": "join", "consent": True})
            pushed = queue.until(lambda v: v["items"] and v["items"][0]["phone_online"])
            assert pushed["items"][0]["number"].startswith("KC")
            change = queue.frames[-1]  # after the first whole queue, only what changed
            assert change["type"] == "queue_changes" and change["since"] == queue.frames[0]["version"]
            assert [i["case_id"] for i in change["updated"]] == [case_id] and change["added"] == []
            place = recv_until(phone, of_type("queue"))
            assert place["position"] == 1
            assert place["estimated_wait_s"] > 0


def test_phone_position_counts_only_cases_ahead_with_a_phone(client, app):
    cases = app.state.ctx.cases
    ids = [cases.open_case("public").id for _ in range(3)]
    with client.websocket_connect(f"/ws/phone/{party_token(app, ids[0])}") as first, \
         client.websocket_connect(f"/ws/phone/{party_token(app, ids[2])}") as third:
        first.send_json({"type": "join", "consent": True})
        assert recv_until(first, of_type("queue"))["position"] == 1
        third.send_json({"type": "join", "consent": True})
        # ids[1] never opened its link, so it does not hold the third phone back
        assert recv_until(third, of_type("queue"))["position"] == 2


def test_rejoining_case_goes_first_and_is_reserved_for_its_previous_seat(client, app, auth_headers):
    cases = app.state.ctx.cases
    op_a, op_b = auth_headers("operator", "seat_a"), auth_headers("operator", "seat_b")
    waiting = cases.open_case("public").id
    dropped = cases.open_case("public").id
    assert client.post(f"/api/cases/{dropped}/answer", headers=op_a).status_code == 200
    token = party_token(app, dropped)
    with seat_queue(client, op_a) as (seat_a, queue_a), seat_queue(client, op_b) as (seat_b, queue_b):
        with client.websocket_connect(f"/ws/phone/{token}") as phone:
            phone.send_json({"type": "join", "consent": True})  # the call was dead: interrupt, then rejoin
            left = recv_until(seat_a, of_type("phone_rejoined"))
            assert left["case_id"] == dropped
            a_view = queue_a.with_case(dropped)
            assert queue_ids(a_view) == [dropped, waiting]
            assert a_view["items"][0]["preferred_seat"] is True and a_view["items"][0]["rejoining"] is True
            b_view = queue_b.with_case(waiting)
            assert dropped not in queue_ids(b_view)
            case = cases.get(dropped)
            assert (case.state, case.priority, case.last_seat_user_id) == (S.QUEUED, 1, case.last_seat_user_id)

            services(app).hub.rejoin_reserve_s = 0.2  # the reservation runs out: everyone sees it, still first
            services(app).hub.publish_threadsafe("queue_changed", {})
            b_after = queue_b.with_case(dropped)
            assert queue_ids(b_after) == [dropped, waiting]
            assert b_after["items"][0]["preferred_seat"] is False


def test_phone_socket_closing_while_queued_abandons_the_case(client, app, auth_headers):
    case_id = app.state.ctx.cases.open_case("public").id
    with seat_queue(client, auth_headers("operator")) as (_, queue):
        with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
            phone.send_json({"type": "join", "consent": True})
            recv_until(phone, of_type("queue"))
        queue.with_case(case_id, present=False)
    assert app.state.ctx.cases.get(case_id).state == S.ABANDONED


def test_closing_before_the_grace_ends_keeps_the_case_when_the_page_comes_back(client, app):
    services(app).hub.abandon_grace_s = 30.0
    case_id = app.state.ctx.cases.open_case("public").id
    token = party_token(app, case_id)
    with client.websocket_connect(f"/ws/phone/{token}") as phone:
        phone.send_json({"type": "join", "consent": True})
        recv_until(phone, of_type("queue"))
    with client.websocket_connect(f"/ws/phone/{token}") as phone:
        phone.send_json({"type": "join", "consent": True})
        assert recv_until(phone, of_type("queue"))["position"] == 1
    assert app.state.ctx.cases.get(case_id).state == S.QUEUED


def test_leave_while_queued_abandons_by_the_party(client, app):
    case_id = app.state.ctx.cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
        phone.send_json({"type": "join", "consent": True})
        recv_until(phone, of_type("queue"))
        phone.send_json({"type": "leave"})
        assert recv_until(phone, of_type("ended"))["reason"] == "left"
    with app.state.ctx.session_factory() as s:
        from server.services.audit import events_for_case
        last = events_for_case(s, case_id)[-1]
    assert (last.action, last.to_state) == ("abandon", S.ABANDONED)
    assert last.actor.startswith("party:")


def test_phone_dropping_mid_call_interrupts_and_tells_the_seat(client, app, auth_headers):
    op = auth_headers("operator")
    case_id = app.state.ctx.cases.open_case("public").id
    token = party_token(app, case_id)
    with seat_socket(client, op) as seat:
        with client.websocket_connect(f"/ws/phone/{token}") as phone:
            phone.send_json({"type": "join", "consent": True})
            recv_until(phone, of_type("queue"))
            assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
            recv_until(phone, of_type("answered"))
        assert recv_until(seat, of_type("phone_left"))["case_id"] == case_id
        assert app.state.ctx.cases.get(case_id).state == S.INTERRUPTED
        with client.websocket_connect(f"/ws/phone/{token}") as phone:  # 继续处理
            phone.send_json({"type": "join", "consent": True})
            assert recv_until(seat, of_type("phone_rejoined"))["case_id"] == case_id
            assert recv_until(phone, of_type("queue"))["position"] == 1
            case = app.state.ctx.cases.get(case_id)
            assert (case.state, case.priority) == (S.QUEUED, 1)


def test_a_second_socket_for_the_same_case_replaces_the_first(client, app):
    case_id = app.state.ctx.cases.open_case("public").id
    token = party_token(app, case_id)
    with client.websocket_connect(f"/ws/phone/{token}") as old:
        old.send_json({"type": "join", "consent": True})
        recv_until(old, of_type("queue"))
        with client.websocket_connect(f"/ws/phone/{token}") as new:
            assert recv_until(old, of_type("ended"))["reason"] == "replaced"
            new.send_json({"type": "join", "consent": True})
            assert recv_until(new, of_type("queue"))["position"] == 1
            # The server closes the replaced socket after "ended": nothing it sent after that went to old.
            after_ended, code = frames_until_closed(old)
            assert (after_ended, code) == ([], 4409)


def test_join_again_on_the_same_socket_mid_call_rejoins_with_priority(client, app, auth_headers):
    """继续处理 after the peer connection died while the socket stayed up."""
    op = auth_headers("operator")
    case_id = app.state.ctx.cases.open_case("public").id
    with seat_socket(client, op) as seat, \
         client.websocket_connect(f"/ws/phone/{party_token(app, case_id)}") as phone:
        phone.send_json({"type": "join", "consent": True})
        recv_until(phone, of_type("queue"))
        client.post(f"/api/cases/{case_id}/answer", headers=op)
        recv_until(phone, of_type("answered"))
        phone.send_json({"type": "join", "consent": True})
        assert recv_until(seat, of_type("phone_left"))["case_id"] == case_id
        assert recv_until(seat, of_type("phone_rejoined"))["case_id"] == case_id
        assert recv_until(phone, lambda m: m == {"type": "state", "state": "queued"})
        assert recv_until(phone, of_type("queue"))["position"] == 1  # its place again, though unmoved
        assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
        assert recv_until(phone, of_type("answered"))


def test_no_reservation_when_the_previous_seat_is_busy_with_another_call(client, app, auth_headers):
    cases = app.state.ctx.cases
    op_a, op_b = auth_headers("operator", "seat_a"), auth_headers("operator", "seat_b")
    dropped = cases.open_case("public").id
    client.post(f"/api/cases/{dropped}/answer", headers=op_a)
    client.post(f"/api/cases/{dropped}/interrupt", headers=op_a)
    other = cases.open_case("public").id
    client.post(f"/api/cases/{other}/answer", headers=op_a)  # seat A is now busy elsewhere
    with seat_queue(client, op_b) as (_, queue_b), \
         client.websocket_connect(f"/ws/phone/{party_token(app, dropped)}") as phone:
        phone.send_json({"type": "join", "consent": True})
        view = queue_b.with_case(dropped)
        assert view["items"][0]["case_id"] == dropped and view["items"][0]["rejoining"] is True
