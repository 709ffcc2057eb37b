"""The officer workspace's plain parts: the queue's ages, the decision and its problems, the facts' rule,
the stored OCR boxes and the service-area outline."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from seat_app.core.queue import WaitLevel
from seat_app.ui.widgets.location_map_widget import LocationMapWidget, outline_rings
from seat_app.ui.workspaces.officer.case_file import local_time
from seat_app.ui.workspaces.officer.case_loader import overlay_items
from seat_app.ui.workspaces.officer.case_panels import local_stamp
from seat_app.ui.workspaces.officer.decision import Decision, FactsText, Violation
from seat_app.ui.workspaces.officer.queue_items import age_level, format_age, from_cases, from_push

REAR_END = Violation("rear_end", "追尾", "道交法第四十三条")
PHONE = Violation("phone_use", "拨打手持电话", "条例第六十二条第（三）项")
DOOR = Violation("door_opening", "开关车门妨碍通行", "条例第六十三条第（四）项")
LANE = Violation("lane_change", "变更车道影响正常行驶", "条例第四十四条第二款")


@pytest.mark.parametrize(("age_s", "level"), [
    (0, WaitLevel.NORMAL), (600, WaitLevel.NORMAL), (601, WaitLevel.AMBER), (1800, WaitLevel.AMBER),
    (1801, WaitLevel.RED),
])
def test_a_waiting_case_turns_amber_past_ten_minutes_and_red_past_thirty(age_s, level):
    assert age_level(age_s) == level


@pytest.mark.parametrize(("age_s", "text"), [(5, "0:05"), (601, "10:01"), (3599, "59:59"), (3725, "1:02:05")])
def test_ages_read_as_minutes_then_hours(age_s, text):
    assert format_age(age_s) == text


def test_the_queue_is_oldest_first_and_ages_keep_counting():
    items = from_push([{"case_id": 2, "number": "B", "waiting_s": 60},
                       {"case_id": 1, "number": "A", "waiting_s": 590, "officer_user_id": 4, "officer_name": "赵刚"}],
                      received_at=100.0)
    assert [i.case_id for i in items] == [1, 2] and items[0].held and not items[1].held
    assert items[0].age(now=111.0) == 601 and items[0].level(now=111.0) == WaitLevel.AMBER


def decision(*grades: str) -> Decision:
    made = Decision([(10 + i, f"{'甲乙丙'[i]}方") for i in range(len(grades))])
    for i, grade in enumerate(grades):
        made.set_responsibility(10 + i, grade)
    return made


def test_problems_go_beside_the_one_party_they_name_and_combinations_above_all():
    d = decision("full", "full")
    own, shared = d.problems_by_party()
    assert len(shared) == 1 and "责任组合不成立" in shared[0]
    assert own[10] == ["甲方负全部责任，须至少选择一项违法行为及其依据条款"] and len(own[11]) == 1
    d.set_responsibility(11, "none")
    d.add_violation(10, REAR_END)
    assert d.problems_by_party() == ({10: [], 11: []}, [])


def test_three_violations_at_most_none_twice_and_removal():
    d = decision("major", "minor")
    assert [d.add_violation(10, v) for v in (REAR_END, REAR_END, PHONE, DOOR, LANE)] == [True, False, True, True, False]
    d.remove_violation(10, PHONE.code)
    assert [v.code for v in d.party(10).violations] == ["rear_end", "door_opening"]


def test_the_request_body_is_the_apis_shape_weather_only_when_chosen():
    d = decision("equal", "equal")
    d.add_violation(10, LANE)
    d.add_violation(11, PHONE)
    assert d.body("事实。", "") == {"facts": "事实。", "parties": [
        {"party_id": 10, "responsibility": "equal", "violations": ["lane_change"]},
        {"party_id": 11, "responsibility": "equal", "violations": ["phone_use"]}]}
    assert d.body("事实。", "雨")["weather"] == "雨"


def test_the_facts_follow_the_draft_until_typed_and_again_after_a_redraft():
    source = {"text": "草稿一"}
    facts = FactsText(lambda: source["text"])
    assert facts.refresh() and facts.text == "草稿一" and not facts.edited
    source["text"] = "草稿二"
    assert facts.refresh() and facts.text == "草稿二"
    assert not facts.refresh()  # nothing new
    facts.typed("民警写的")
    source["text"] = "草稿三"
    assert not facts.refresh() and facts.text == "民警写的" and facts.edited
    facts.typed("草稿二")  # typed back to the draft it came from: a draft again
    assert facts.refresh() and facts.text == "草稿三"
    facts.typed("再改")
    facts.redraft()
    assert facts.text == "草稿三" and not facts.edited


def test_stored_ocr_boxes_come_back_and_broken_ones_are_skipped():
    items = overlay_items({"items": [{"box": [1, 2, 3, 4], "text": "川A·5F7K2", "field": "plate", "valid": True},
                                     {"box": [1, 2], "text": "bad"}, {"text": "no box"}]})
    assert [(i.box, i.text, i.field, i.valid) for i in items] == [((1, 2, 3, 4), "川A·5F7K2", "plate", True)]
    assert overlay_items(None) == ()


def test_the_outline_is_every_outer_ring_of_the_service_area():
    square = [[0, 0], [1, 0], [1, 1], [0, 0]]
    area = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [square, [[0.2, 0.2], [0.3, 0.2], [0.2, 0.2]]]}},
        {"type": "Feature", "geometry": {"type": "MultiPolygon", "coordinates": [[square], [square]]}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [0, 0]}},
        {"type": "Feature", "properties": {"role": "exclude", "name": "金堂县"},
         "geometry": {"type": "Polygon", "coordinates": [square]}}]}
    rings = outline_rings(area)  # the excluded county is outside the service: not part of its outline
    assert len(rings) == 3 and rings[0] == [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]
    assert outline_rings(None) == [] and outline_rings({"type": "Polygon", "coordinates": [square]}) == rings[:1]


def test_the_point_lands_inside_the_drawn_outline(qtbot):
    widget = LocationMapWidget()
    qtbot.addWidget(widget)
    widget.resize(300, 200)
    widget.set_area({"type": "Polygon", "coordinates": [[[104.0, 30.6], [104.2, 30.6], [104.2, 30.8], [104.0, 30.6]]]})
    widget.set_point(30.7, 104.1)
    centre, west, north = widget.to_screen(104.1, 30.7), widget.to_screen(104.0, 30.7), widget.to_screen(104.1, 30.8)
    assert 0 < centre.x() < 300 and 0 < centre.y() < 200
    assert west.x() < centre.x() and north.y() < centre.y()  # west is left, north is up


@pytest.fixture
def beijing_seat(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_server_times_show_on_the_seats_clock(beijing_seat):
    assert local_time("2026-05-01T08:05:00+00:00") == "16:05:00" and local_time(None) == ""
    assert local_stamp("2026-05-01T23:30:00+00:00") == "2026-05-02 07:30:00" and local_stamp("garbled") == "garbled"


def test_the_polled_queue_ages_cases_from_their_submission():
    now = datetime(2026, 5, 1, 9, 0, tzinfo=timezone.utc)
    items = from_cases([{"id": 1, "number": "A", "submitted_at": "2026-05-01T08:55:00+00:00", "parties": [{}, {}]},
                        {"id": 2, "number": "B", "submitted_at": "2026-05-01T08:20:00", "officer_name": "赵刚",
                         "officer_user_id": 3},
                        {"id": 3, "number": "C", "submitted_at": None}], now=now, received_at=0.0)
    assert [(i.case_id, i.waiting_s) for i in items] == [(2, 2400.0), (1, 300.0), (3, 0.0)]
    assert items[0].level(now=0.0) == WaitLevel.RED and items[0].held and items[1].parties == 2
