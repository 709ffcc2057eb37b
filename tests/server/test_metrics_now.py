"""The dashboard's "now" figures: pushed live to supervisor and admin seat sockets, equal to GET /api/metrics/now."""
from __future__ import annotations

import pytest

from tests.support.hub import SeatQueue, seat_connect, seat_socket, services
from tests.support.ws_session import NoMessage, of_type, recv, recv_until


@pytest.fixture(autouse=True)
def _fast_now(app, monkeypatch):
    monkeypatch.setattr("server.services.hub.NOW_MIN_INTERVAL_S", 0.05)


def _now_with(ws, check, timeout: float = 5.0) -> dict:
    return recv_until(ws, lambda m: m["type"] == "now" and check(m), timeout)


def test_a_supervisor_gets_the_figures_on_connect_and_on_each_change(client, app, auth_headers):
    cases = app.state.ctx.cases
    first = cases.open_case("public").id
    with seat_connect(client, auth_headers("supervisor")) as board:
        now = recv_until(board, of_type("now"))
        assert (now["calls_waiting"], now["seats"]) == (1, {"signed_in": 0, "in_call": 0, "idle": 0})
        assert now["oldest_wait_s"] >= 0 and now["cases_today"] == 1
        with seat_socket(client, auth_headers("operator")) as _seat:
            signed_in = _now_with(board, lambda m: m["seats"]["signed_in"] == 1)
            assert signed_in["seats"] == {"signed_in": 1, "in_call": 0, "idle": 1}
            assert signed_in["seat_list"][0]["state"] == "idle"
            assert client.post(f"/api/cases/{first}/answer", headers=auth_headers("operator")).status_code == 200
            busy = _now_with(board, lambda m: m["seats"]["in_call"] == 1)
            assert busy["calls_waiting"] == 0 and busy["oldest_wait_s"] is None
            assert (busy["seat_list"][0]["state"], busy["seat_list"][0]["case_id"]) == ("in_call", first)
            rest = client.get("/api/metrics/now", headers=auth_headers("supervisor")).json()
            assert {k: rest[k] for k in ("calls_waiting", "seats", "officer_queue", "cases_today")} == {
                k: busy[k] for k in ("calls_waiting", "seats", "officer_queue", "cases_today")}
        gone = _now_with(board, lambda m: m["seats"]["signed_in"] == 0)
        assert gone["seat_list"] == []


def test_operators_and_officers_never_get_the_figures(client, app, auth_headers):
    app.state.ctx.cases.open_case("public")
    with seat_connect(client, auth_headers("operator")) as seat, \
            seat_connect(client, auth_headers("officer")) as officer, \
            seat_connect(client, auth_headers("supervisor")) as board:
        recv_until(board, of_type("now"))
        app.state.ctx.cases.open_case("public")
        services(app).hub.publish_threadsafe("queue_changed", {})
        _now_with(board, lambda m: m["calls_waiting"] == 2)
        for ws in (seat, officer):
            kinds: list[str] = []
            queue = SeatQueue(ws)
            recv_until(ws, lambda m: kinds.append(m["type"]) or (queue.feed(m) and len(queue.view()["items"]) == 2))
            kinds += _drain(ws)
            assert "queue" in kinds and "now" not in kinds, kinds


def _drain(ws) -> list[str]:
    """The types of whatever else the socket has been sent (the supervisor's push has already gone out)."""
    kinds = []
    while True:
        try:
            kinds.append(recv(ws, 0.3)["type"])
        except NoMessage:
            return kinds
