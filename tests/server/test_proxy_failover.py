"""Instance A killed with SIGKILL behind nginx: the phone whose socket was on A reconnects through the same
proxy with the same sticky cookie, lands on B, and its case is still there, still queued, seen by the seat on
B, and answered there. Both brokers; the instances share one PostgreSQL database."""
from __future__ import annotations

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from server.services.hub import ABANDON_GRACE_S, PEER_LOST_S
from tests.support.cluster import Cluster, broker_env
from tests.support.cluster_calls import (TIMEOUT_S, Db, cookie_header, login, of_type, phone_socket, queue_items,
                                         queued_online, recv_until, seat_queue, seat_socket)
from tests.support.nginx import nginx_binary

pytestmark = [pytest.mark.fault,
              pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed (scripts/install.sh does)"),
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


def test_killing_instance_a_moves_the_phone_to_b_through_nginx_and_loses_no_case(cluster, db):
    db.create_operator("op", "王坐席")
    case_id, token = db.open_case()
    on_a, on_b = cluster.cookie_for(0), cluster.cookie_for(1)
    instance_a, instance_b = cluster.instances
    op = login(cluster, on_b, "op")

    with seat_socket(cluster, on_b, op) as seat:
        with phone_socket(cluster, on_a, token) as phone:
            recv_until(seat, queued_online(case_id))
            instance_a.kill()
            with pytest.raises(ConnectionClosed):  # nginx closes the client side when A's socket dies
                recv_until(phone, lambda _f: False, timeout=TIMEOUT_S)
        assert db.state(case_id) == "queued"

        with phone_socket(cluster, on_a, token) as phone:  # the page reconnects with the cookie it has
            queue = seat_queue(cluster, on_b, op)  # a seat connecting now (on B, the one left) sees the case
            assert [(i["case_id"], i["state"], i["phone_online"]) for i in queue] == [(case_id, "queued", True)]
            answered = httpx.post(f"{cluster.proxy.url}/api/cases/{case_id}/answer",
                                  headers=op | cookie_header(on_b), timeout=TIMEOUT_S)
            assert answered.status_code == 200, answered.text
            assert recv_until(phone, of_type("answered"))["seat_name"] == "王坐席"
            # checked while the phone is still there: once its socket closes, the call is interrupted
            assert db.state(case_id) == "in_call"
            assert db.transitions(case_id) == [("", "queued"), ("queued", "in_call")]

    assert db.verify_chain()
    phone_lines = [line for line in cluster.proxy.access_lines() if '"GET /ws/phone/-" 101' in line]
    assert len(phone_lines) == 2, phone_lines
    assert phone_lines[0].endswith(f"upstream={instance_a.upstream}")
    assert phone_lines[1].endswith(instance_b.upstream)  # "A, B" when nginx tried the dead A first


def test_a_phone_on_a_killed_instance_goes_offline_for_the_seat_on_b_and_is_abandoned_after_the_grace(cluster, db):
    """Nobody sees the sockets of a SIGKILLed instance close. B stops hearing A's heartbeat, shows A's phone
    offline, and, when the page never comes back, abandons the case after the usual grace."""
    db.create_operator("op", "王坐席")
    case_id, token = db.open_case()
    on_a, on_b = cluster.cookie_for(0), cluster.cookie_for(1)
    op = login(cluster, on_b, "op")
    with seat_socket(cluster, on_b, op) as seat:
        with phone_socket(cluster, on_a, token):
            recv_until(seat, queued_online(case_id))
            cluster.instances[0].kill()
        offline = recv_until(seat, lambda m: any(i["case_id"] == case_id and not i["phone_online"]
                                                 for i in queue_items(m)), timeout=TIMEOUT_S + PEER_LOST_S)
        assert offline["type"] == "queue_changes"
        assert db.state(case_id) == "queued"  # the page may still come back: the grace has only begun
        recv_until(seat, lambda m: m["type"] == "queue_changes" and case_id in m["removed"],
                   timeout=TIMEOUT_S + ABANDON_GRACE_S)
    assert db.state(case_id) == "abandoned"
    assert db.transitions(case_id) == [("", "queued"), ("queued", "abandoned")]
    assert db.verify_chain()
