from datetime import datetime, timedelta, timezone

import pytest

from seat_app.core.queue import WaitLevel, format_wait, from_cases, from_push, sort_queue, wait_level


@pytest.mark.parametrize("seconds, level", [(0, WaitLevel.NORMAL), (45, WaitLevel.NORMAL), (45.5, WaitLevel.AMBER),
                                            (60, WaitLevel.AMBER), (61, WaitLevel.RED)])
def test_wait_turns_amber_past_45_and_red_past_60(seconds, level):
    assert wait_level(seconds) is level


def test_rejoining_first_then_longest_waiting():
    items = from_push([
        {"case_id": 1, "number": "A", "waiting_s": 10},
        {"case_id": 2, "number": "B", "waiting_s": 50},
        {"case_id": 3, "number": "C", "waiting_s": 5, "rejoining": True},
    ], received_at=100.0)
    assert [i.case_id for i in sort_queue(items, now=100.0)] == [3, 2, 1]


def test_parties_whose_phone_is_not_there_go_below_those_waiting_on_the_line():
    items = from_push([{"case_id": 1, "number": "A", "waiting_s": 90, "phone_online": False},
                       {"case_id": 2, "number": "B", "waiting_s": 10, "phone_online": True}], received_at=0.0)
    assert [i.case_id for i in items] == [2, 1]


def test_waiting_keeps_counting_between_pushes():
    (item,) = from_push([{"case_id": 1, "number": "A", "waiting_s": 40}], received_at=100.0)
    assert item.waiting_now(106.0) == pytest.approx(46.0)
    assert item.level(106.0) is WaitLevel.AMBER
    assert format_wait(item.waiting_now(106.0)) == "0:46"


def test_from_rest_cases_uses_queued_at_and_priority():
    now = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)
    cases = [
        {"id": 7, "number": "KC7", "queued_at": (now - timedelta(seconds=70)).isoformat(), "priority": 0,
         "district": "锦江区", "location": {"lat": 30.6, "lon": 104.06}},
        {"id": 8, "number": "KC8", "queued_at": (now - timedelta(seconds=5)).isoformat(), "priority": 1},
    ]
    items = from_cases(cases, now=now, received_at=0.0)
    assert [i.case_id for i in items] == [8, 7]
    assert items[1].level(0.0) is WaitLevel.RED
    assert items[1].location_text == "30.6000, 104.0600"
