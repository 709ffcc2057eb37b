"""Two server instances on one PostgreSQL database, signalling through LISTEN/NOTIFY or Redis pub/sub:
the phone on one, the seat on the other, and the call still works."""
from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from server.adapters.broker import RedisBroker, decode, encode, make_broker
from server.app import create_app
from server.settings import Settings
from tests.server.conftest import PASSWORD
from tests.support.hub import SeatQueue, party_token, seat_connect, services
from tests.support.ws_session import of_type, recv_until

OFFER = {"type": "offer", "sdp": "v=0\r\n" + "a=candidate:1 1 udp 2122260223 192.168.1.20 50000 typ host\r\n" * 60}


def test_payload_encoding_round_trips_and_shrinks_an_offer():
    payload = encode("to_seat", {"user_id": 1, "message": {"type": "signal", "case_id": 2, "sdp": OFFER}})
    assert decode(payload) == ("to_seat", {"user_id": 1, "message": {"type": "signal", "case_id": 2, "sdp": OFFER}})
    assert len(payload) < len(OFFER["sdp"]) / 2


def test_postgres_broker_refuses_sqlite():
    with pytest.raises(ValueError, match="PostgreSQL"):
        make_broker("postgres", "sqlite:///x.db")


def test_redis_broker_needs_a_redis_url():
    with pytest.raises(ValueError, match="KUAICHU_REDIS_URL"):
        make_broker("redis", "sqlite:///x.db", "")
    assert isinstance(make_broker("redis", "sqlite:///x.db", "redis://127.0.0.1:6379/0"), RedisBroker)


@pytest.fixture(params=["postgres", "redis"])
def broker(request) -> dict:
    """The broker settings; a Redis channel of its own, since pub/sub is shared by everyone on one Redis."""
    if request.param == "redis":
        return {"signalling_broker": "redis", "redis_url": "redis://127.0.0.1:6379/0",
                "redis_channel": f"kuaichu_test_{uuid.uuid4().hex}"}
    return {"signalling_broker": "postgres"}


@pytest.fixture
def two_instances(db_url, tmp_path, broker):
    apps = [create_app(Settings(data_dir=tmp_path / f"data{i}", database_url=db_url, **broker)) for i in (1, 2)]
    with TestClient(apps[0]) as one, TestClient(apps[1]) as two:
        yield (apps[0], one), (apps[1], two)
    for app in apps:
        app.state.ctx.engine.dispose()


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # two instances share PostgreSQL
def test_a_call_across_two_instances(two_instances):
    (app_a, phone_side), (app_b, seat_side) = two_instances
    from server.adapters.db import unit_of_work
    from server.services.auth import create_user

    with unit_of_work(app_b.state.ctx.session_factory) as s:
        create_user(s, "op", PASSWORD, "operator", "王坐席")
    token = seat_side.post("/api/auth/login", json={"username": "op", "password": PASSWORD}).json()["token"]
    op = {"Authorization": f"Bearer {token}"}
    case_id = app_a.state.ctx.cases.open_case("public").id

    with seat_connect(seat_side, op) as seat, \
         phone_side.websocket_connect(f"/ws/phone/{party_token(app_a, case_id)}") as phone:
        queue = SeatQueue(seat)
        phone.send_json({"type": "join", "consent": True})
        # the seat on instance B sees the phone that joined on instance A
        queue.until(lambda view: any(i["case_id"] == case_id and i["phone_online"] for i in view["items"]), timeout=10)
        assert seat_side.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
        answered = recv_until(phone, of_type("answered"), timeout=10)
        assert answered["seat_name"] == "王坐席"
        phone.send_json({"type": "signal", "sdp": OFFER})
        assert recv_until(seat, of_type("signal"), timeout=10)["sdp"] == OFFER
        seat.send_json({"type": "signal", "case_id": case_id, "sdp": {"type": "answer", "sdp": "v=0\r\n"}})
        assert recv_until(phone, of_type("signal"), timeout=10)["sdp"]["type"] == "answer"
    assert services(app_a).hub is not services(app_b).hub
