"""Two real server processes on one PostgreSQL database behind a real nginx (docs/nginx/kuaichu.conf), with
the PostgreSQL and the Redis broker: a phone whose socket lands on instance A and a seat on instance B
complete a call's signalling through the proxy, and the case and its audit trail are in the database."""
from __future__ import annotations

import json

import httpx
import pytest

from tests.support.cluster import Cluster, broker_env
from tests.server.conftest import PASSWORD
from tests.support.cluster_calls import (ANSWER, CANDIDATE, OFFER, Db, cookie_header, login, of_type, phone_socket, queued_online,
                                         recv_until, seat_socket)
from tests.support.nginx import nginx_binary

pytestmark = [pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (scripts/install.sh does)"),
              pytest.mark.parametrize("db_url", ["postgres"], indirect=True)]  # the instances share PostgreSQL


@pytest.fixture(params=["postgres", "redis"])
def cluster(request, db_url, tmp_path):
    with Cluster(db_url, broker_env(request.param), tmp_path) as running:
        yield running


@pytest.fixture
def db(db_url, tmp_path):
    shared = Db(db_url, tmp_path)
    yield shared
    shared.close()


def test_a_phone_on_instance_a_and_a_seat_on_instance_b_complete_a_call_through_nginx(cluster, db):
    db.create_operator("op", "王坐席")
    case_id, token = db.open_case()
    a, b = cluster.cookie_for(0), cluster.cookie_for(1)
    op = login(cluster, b, "op")

    with seat_socket(cluster, b, op) as seat, phone_socket(cluster, a, token) as phone:
        recv_until(seat, queued_online(case_id))  # B's seat sees the phone that joined on A
        answered = httpx.post(f"{cluster.proxy.url}/api/cases/{case_id}/answer", headers=op | cookie_header(b), timeout=20)
        assert answered.status_code == 200, answered.text
        assert recv_until(phone, of_type("answered"))["seat_name"] == "王坐席"
        phone.send(json.dumps({"type": "signal", "sdp": OFFER}))
        assert recv_until(seat, of_type("signal"))["sdp"] == OFFER
        seat.send(json.dumps({"type": "signal", "case_id": case_id, "sdp": ANSWER}))
        assert recv_until(phone, of_type("signal"))["sdp"] == ANSWER
        seat.send(json.dumps({"type": "signal", "case_id": case_id, "candidate": CANDIDATE}))
        assert recv_until(phone, lambda f: f["type"] == "signal" and "candidate" in f)["candidate"] == CANDIDATE
        phone.send(json.dumps({"type": "signal", "candidate": CANDIDATE}))
        assert recv_until(seat, lambda f: f["type"] == "signal" and "candidate" in f)["candidate"] == CANDIDATE
        assert db.state(case_id) == "in_call"
        collecting = httpx.post(f"{cluster.proxy.url}/api/cases/{case_id}/start-collection", headers=op | cookie_header(a),
                                timeout=20)  # any instance may take a REST call of the case
        assert collecting.status_code == 200, collecting.text

    assert db.state(case_id) == "collecting"
    assert db.transitions(case_id) == [("", "queued"), ("queued", "in_call"), ("in_call", "collecting")]
    assert db.verify_chain()
    sockets = cluster.proxy.access_lines()
    assert any('"GET /ws/phone/-" 101' in line and line.endswith(cluster.instances[0].upstream) for line in sockets)
    assert any('"GET /ws/seat" 101' in line and line.endswith(cluster.instances[1].upstream) for line in sockets)




def test_a_forged_x_forwarded_for_through_nginx_does_not_escape_the_login_lock_out(db, db_url, tmp_path):
    """The instances trust X-Forwarded-For from nginx only, and nginx replaces the client's header with the
    address it saw: a client naming a new address on every try is still one address. The tries alternate
    between the instances (by sticky cookie), which count in the one database."""
    db.create_operator("op", "王坐席")
    lock_after_3 = broker_env("postgres") | {"KUAICHU_LOGIN_MAX_FAILURES": "3"}
    with Cluster(db_url, lock_after_3, tmp_path / "lockout") as cluster, \
            httpx.Client(base_url=cluster.proxy.url, timeout=20) as http:
        pins = [cookie_header(cluster.cookie_for(i % 2)) for i in range(6)]
        codes = [http.post("/api/auth/login", json={"username": "op", "password": "nope"},
                           headers={"X-Forwarded-For": f"203.0.113.{i}"} | pins[i]).status_code for i in range(5)]
        right = http.post("/api/auth/login", json={"username": "op", "password": PASSWORD},
                          headers={"X-Forwarded-For": "203.0.113.99"} | pins[5])
        upstreams = {line.rsplit("upstream=", 1)[1] for line in cluster.proxy.access_lines() if "/api/auth/login" in line}
    assert codes == [401, 401, 401, 429, 429]
    assert right.status_code == 429
    assert upstreams == {i.upstream for i in cluster.instances}
