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


# --- the socket's whole queue, then its changes (QueueModel) -------------------------------------
from seat_app.core.queue import Applied, QueueModel  # noqa: E402


def _item(case_id, **extra):
    return {"case_id": case_id, "number": f"KC{case_id}", "waiting_s": 10, "phone_online": True, **extra}


def _changes(version, since, added=(), updated=(), removed=()):
    return {"version": version, "since": since, "added": list(added), "updated": list(updated),
            "removed": list(removed)}


def test_model_applies_additions_updates_and_removals_in_order():
    model = QueueModel()
    assert model.apply("queue", {"version": 4, "items": [_item(1), _item(2)]}, received_at=0.0) is Applied.CHANGED
    assert model.apply("queue_changes", _changes(5, 4, added=[_item(3, waiting_s=0)],
                                                 updated=[_item(1, rejoining=True, road="成都绕城高速（G4201）")],
                                                 removed=[2]), received_at=5.0) is Applied.CHANGED
    assert [i.case_id for i in model.items] == [1, 3]
    assert model.items[0].rejoining and model.items[0].road == "成都绕城高速（G4201）"
    assert model.items[0].waiting_now(5.0) == 10.0  # an updated item restarts from its new waiting_s
    assert model.version == 5


def test_unchanged_items_keep_counting_from_when_they_came():
    model = QueueModel()
    model.apply("queue", {"version": 1, "items": [_item(1)]}, received_at=0.0)
    model.apply("queue_changes", _changes(2, 1, added=[_item(2, waiting_s=0)]), received_at=30.0)
    waits = {i.case_id: i.waiting_now(30.0) for i in model.items}
    assert waits == {1: 40.0, 2: 0.0}


def test_a_gap_asks_once_for_the_whole_queue_and_the_whole_queue_resets():
    model = QueueModel()
    model.apply("queue", {"version": 1, "items": [_item(1)]})
    assert model.apply("queue_changes", _changes(3, 2, added=[_item(9)])) is Applied.RESYNC  # 2 never came
    assert model.version is None and [i.case_id for i in model.items] == [1]  # the old list stays shown
    assert model.apply("queue_changes", _changes(4, 3, removed=[1])) is Applied.IGNORED  # asked already
    assert model.apply("queue", {"version": 5, "items": [_item(9)]}) is Applied.CHANGED
    assert model.apply("queue_changes", _changes(6, 5, removed=[9])) is Applied.CHANGED
    assert model.items == []


def test_changes_before_any_whole_queue_ask_for_one_and_repeats_are_ignored():
    model = QueueModel()
    assert model.apply("queue_changes", _changes(2, 1)) is Applied.RESYNC
    model.apply("queue", {"version": 2, "items": [_item(1)]})
    assert model.apply("queue_changes", _changes(2, 1, removed=[1])) is Applied.IGNORED  # a repeat
    assert [i.case_id for i in model.items] == [1]
    assert model.apply("signal", {}) is Applied.IGNORED


def test_place_text_is_district_and_road_and_coordinates_stay_apart():
    (item,) = from_push([_item(1, district="成都市中心城区", road="成都绕城高速（G4201）", lat=30.67, lon=104.19)])
    assert item.place_text == "成都市中心城区 · 成都绕城高速（G4201）"
    assert item.location_text == "30.6700, 104.1900"
