"""Queue changes instead of snapshots: one whole queue per seat, then only what changed; gaps resync; bursts
coalesce; phones get a live estimated wait; items carry district and road from the service-area data."""
from __future__ import annotations

from datetime import timedelta

import pytest

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import Case, utcnow
from server.services import ws_frames
from server.services.queue_changes import merge, worth_sending
from server.services.queue_view import (ANSWER_RATE_WINDOW_S, DEFAULT_HANDLING_S, ROAD_NEAR_M, QueueView,
                                        estimate_wait_s)
from tests.support.hub import SeatQueue, party_token, queue_ids, seat_connect, seat_queue, services
from tests.support.ws_session import of_type, recv, recv_until

CENTRE = (30.657, 104.066)  # inside 成都市中心城区, kilometres from either motorway
BY_RING_ROAD = (30.6712, 104.1919)  # about 290 m east of 成都绕城高速（G4201）, outside its 120 m corridor


@pytest.fixture(autouse=True)
def _fast_timers(app):
    hub = services(app).hub
    hub.abandon_grace_s = 0.0
    hub.rejoin_reserve_s = 60.0


def _push(app) -> None:
    services(app).hub.publish_threadsafe("queue_changed", {})


def test_after_the_whole_queue_a_seat_gets_only_changes(client, app, auth_headers):
    cases = app.state.ctx.cases
    first = cases.open_case("public").id
    with seat_connect(client, auth_headers("operator")) as seat:
        queue = SeatQueue(seat)
        assert queue_ids(queue.until()) == [first]
        more = [cases.open_case("public").id for _ in range(3)]
        _push(app)  # opening a case is no transition; the seat app's REST call does this
        queue.until(lambda v: set(queue_ids(v)) == {first, *more})
        cases.transition(more[0], S.ABANDONED, _system(), {"reason": "test"})
        queue.with_case(more[0], present=False)
        kinds = [f["type"] for f in queue.frames]
        assert kinds[0] == "queue" and set(kinds[1:]) == {"queue_changes"}, kinds
        versions = [f["version"] for f in queue.frames]
        assert versions == sorted(versions) and len(set(versions)) == len(versions)
        for before, after in zip(queue.frames, queue.frames[1:]):
            assert after["since"] == before["version"]  # no gap
        added = [i["case_id"] for f in queue.frames[1:] for i in f["added"]]
        removed = [cid for f in queue.frames[1:] for cid in f["removed"]]
        assert sorted(added) == sorted(more) and removed == [more[0]]
        assert queue.resyncs == 0


def test_a_lost_change_makes_the_seat_ask_for_the_whole_queue(client, app, auth_headers):
    cases = app.state.ctx.cases
    with seat_connect(client, auth_headers("operator")) as seat:
        queue = SeatQueue(seat)
        queue.until()
        lost = cases.open_case("public").id
        _push(app)
        dropped = recv_until(seat, of_type("queue_changes"))  # the seat never sees this one
        assert [i["case_id"] for i in dropped["added"]] == [lost]
        later = cases.open_case("public").id
        _push(app)
        view = queue.until(lambda v: set(queue_ids(v)) == {lost, later})
        assert queue.resyncs == 1
        assert queue.frames[-1]["type"] == "queue"  # the server answered queue_resync with the whole queue
        assert view["version"] == queue.frames[-1]["version"]


def test_any_seat_role_may_ask_for_the_whole_queue(client, app, auth_headers):
    with seat_connect(client, auth_headers("officer")) as seat:
        first = recv_until(seat, of_type("queue"))
        seat.send_json({"type": "queue_resync"})
        again = recv_until(seat, lambda m: m["type"] in ("queue", "error"))
        assert again["type"] == "queue" and again["version"] > first["version"]


def test_a_reserved_rejoin_is_an_addition_for_its_seat_only_until_the_reservation_ends(client, app, auth_headers):
    cases = app.state.ctx.cases
    op_a, op_b = auth_headers("operator", "seat_a"), auth_headers("operator", "seat_b")
    waiting = cases.open_case("public").id
    dropped = cases.open_case("public").id
    assert client.post(f"/api/cases/{dropped}/answer", headers=op_a).status_code == 200
    assert client.post(f"/api/cases/{dropped}/interrupt", headers=op_a).status_code == 200
    with seat_queue(client, op_a) as (seat_a, queue_a), seat_queue(client, op_b) as (_, queue_b):
        with client.websocket_connect(f"/ws/phone/{party_token(app, dropped)}") as phone:
            phone.send_json({"type": "join", "consent": True})
            a_view = queue_a.with_case(dropped)
            assert a_view["items"][0]["preferred_seat"] is True
            queue_b.until(lambda v: any(i["phone_online"] for i in v["items"]) is False and waiting in queue_ids(v))
            assert dropped not in queue_ids(queue_b.view())
            services(app).hub.rejoin_reserve_s = 0.2
            _push(app)
            b_after = queue_b.with_case(dropped)
            assert queue_ids(b_after) == [dropped, waiting] and b_after["items"][0]["preferred_seat"] is False
            change = queue_b.frames[-1]
            assert change["type"] == "queue_changes" and [i["case_id"] for i in change["added"]] == [dropped]
            seat_a.send_json({"type": "queue_resync"})  # seat A's whole queue: still its own, still first
            whole = queue_a.until(lambda v: queue_a.frames[-1]["type"] == "queue" and len(queue_a.frames) > 1)
            assert queue_ids(whole) == [dropped, waiting] and whole["items"][0]["preferred_seat"] is True
            assert queue_a.resyncs == queue_b.resyncs == 0


def test_a_burst_of_changes_is_one_push(client, app, auth_headers):
    hub = services(app).hub
    with seat_connect(client, auth_headers("operator")) as seat:
        queue = SeatQueue(seat)
        queue.until()
        ids = [app.state.ctx.cases.open_case("public").id for _ in range(5)]
        _push(app)
        queue.until(lambda v: set(queue_ids(v)) == set(ids))
        before = hub.queue_pushes

        async def burst() -> None:  # 200 changes in one go on the hub's loop, then wait for the push
            for _ in range(200):
                hub.request_queue_push()
            while hub._queue_task is not None and not hub._queue_task.done():
                await hub._queue_task

        seat.portal.call(burst)
        assert hub.queue_pushes - before == 1


def test_the_phone_gets_its_place_again_only_when_it_moves(client, app):
    cases = app.state.ctx.cases
    ahead, behind = cases.open_case("public").id, cases.open_case("public").id
    with client.websocket_connect(f"/ws/phone/{party_token(app, behind)}") as phone_b:
        phone_b.send_json({"type": "join", "consent": True})
        assert recv_until(phone_b, of_type("queue"))["position"] == 1  # ahead's phone is not there
        with client.websocket_connect(f"/ws/phone/{party_token(app, ahead)}") as phone_a:
            phone_a.send_json({"type": "join", "consent": True})
            assert recv_until(phone_a, of_type("queue"))["position"] == 1
            moved = recv_until(phone_b, of_type("queue"))
            assert moved["position"] == 2 and moved["estimated_wait_s"] == 2 * DEFAULT_HANDLING_S
            for _ in range(3):  # nothing moved: no new place, whatever else the phone is sent
                _push(app)
            phone_a.send_json({"type": "leave"})
            back = recv_until(phone_b, of_type("queue"))
            assert back["position"] == 1  # the very next place frame is the move, none repeated 2


def test_estimated_wait_follows_the_measured_answer_rate(app):
    cases = app.state.ctx.cases
    waiting = [cases.open_case("public").id for _ in range(2)]
    view = QueueView(app.state.ctx.session_factory)
    assert view.snapshot().for_phone(waiting[1], set(waiting), operators=2)["estimated_wait_s"] == \
        int(2 * DEFAULT_HANDLING_S / 2)  # no history: the default handling time over the seats online
    answered = [cases.open_case("public").id for _ in range(6)]
    now = utcnow()
    with app.state.ctx.session_factory() as s:
        for n, cid in enumerate(answered):
            s.get(Case, cid).answered_at = now - timedelta(seconds=60 * n)
        s.get(Case, answered[-1]).answered_at = now - timedelta(seconds=ANSWER_RATE_WINDOW_S + 60)  # too old
        s.commit()
    snapshot = view.snapshot()
    assert snapshot.answers_in_window == 5
    place = snapshot.for_phone(waiting[1], set(waiting), operators=2)
    assert place == {"position": 2, "estimated_wait_s": round(2 * ANSWER_RATE_WINDOW_S / 5)}


def test_every_place_at_once_is_each_phone_place(app):
    cases = app.state.ctx.cases
    ids = [cases.open_case("public").id for _ in range(5)]
    online = {ids[0], ids[2], ids[3]}
    snapshot = QueueView(app.state.ctx.session_factory).snapshot()
    assert snapshot.places(online, 2) == {cid: snapshot.for_phone(cid, online, 2) for cid in online}
    assert [snapshot.places(online, 2)[cid]["position"] for cid in (ids[0], ids[2], ids[3])] == [1, 2, 3]


def test_estimate_rules():
    assert estimate_wait_s(3, 0, 240.0, 0) == 720  # no seat online counts as one
    assert estimate_wait_s(3, 2, 240.0, 4) == 180  # too few answers for a rate: handling time shared out
    assert estimate_wait_s(3, 30, 240.0, 1) == 90  # 30 answers in 15 min: one every 30 s
    assert estimate_wait_s(0, 30, 240.0, 1) == 0
    assert worth_sending(None, {"position": 1, "estimated_wait_s": 60})
    assert worth_sending({"position": 2, "estimated_wait_s": 60}, {"position": 1, "estimated_wait_s": 60})
    assert not worth_sending({"position": 1, "estimated_wait_s": 600}, {"position": 1, "estimated_wait_s": 660})
    assert worth_sending({"position": 1, "estimated_wait_s": 600}, {"position": 1, "estimated_wait_s": 480})
    assert not worth_sending({"position": 1, "estimated_wait_s": 60}, {"position": 1, "estimated_wait_s": 80})


def test_queue_items_name_the_district_and_the_road_nearby(client, app, auth_headers):
    cases = app.state.ctx.cases
    centre, ring = cases.open_case("public").id, cases.open_case("public").id
    with app.state.ctx.session_factory() as s:
        s.get(Case, centre).latitude, s.get(Case, centre).longitude = CENTRE
        s.get(Case, ring).latitude, s.get(Case, ring).longitude = BY_RING_ROAD
        s.commit()
    with seat_queue(client, auth_headers("operator")) as (_, queue):
        items = {i["case_id"]: i for i in queue.until(lambda v: len(v["items"]) == 2)["items"]}
    assert (items[centre]["district"], items[centre]["road"]) == ("成都市中心城区", "")
    assert (items[ring]["district"], items[ring]["road"]) == ("成都市中心城区", "成都绕城高速（G4201）")
    assert items[ring]["lat"] == BY_RING_ROAD[0]  # the coordinates stay in the item
    assert ROAD_NEAR_M >= 300


def test_a_case_that_left_and_came_back_rejoining_in_one_push_is_an_update():
    shared = ([], [], [7])  # gone from what every seat sees...
    own = ([{"case_id": 7, "rejoining": True}, {"case_id": 8}], [], [])  # ...and back as this seat's own
    assert merge(shared, own) == ([{"case_id": 8}], [{"case_id": 7, "rejoining": True}], [])


def test_queue_resync_frame_parses_and_ignores_extra_fields():
    kind, frame = ws_frames.parse('{"type": "queue_resync", "why": "gap"}', 1000, ws_frames.SEAT_FRAMES)
    assert kind == "queue_resync" and isinstance(frame, ws_frames.QueueResync)
    with pytest.raises(ws_frames.FrameError):
        ws_frames.parse('{"type": "queue_resync"', 1000, ws_frames.SEAT_FRAMES)


def _system():
    from server.services.cases import Actor
    return Actor.system()
