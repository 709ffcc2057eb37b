"""The facts draft the officer starts from: time, place, who drove what, the course of events, the violations."""
from __future__ import annotations

from kuaichu_protocol.accident_facts import draft_facts, plate_with_dot

CASE = {
    "accident_at": "2026-12-02T04:05:00+00:00", "created_at": "2026-12-02T04:09:00+00:00",
    "district": "成都市武侯区", "location": {"lat": 30.6412, "lon": 104.0431, "accuracy_m": 5.0},
    "parties": [
        {"id": 8, "position": 2, "kind": "motor", "driver_name": "李秀英", "vehicle_type": "小型普通客车",
         "plate": "川AD35812"},
        {"id": 7, "position": 1, "kind": "motor", "driver_name": "王建国", "vehicle_type": "小型轿车",
         "plate": "川A5F7K2", "direction": "由北向南行驶"},
    ],
    "operator_notes": "甲车遇前车减速未及时停车，撞上乙车尾部",
    "answers": {"injuries": "none", "vehicles_movable": True},
}
REAR_END = "同车道行驶时未与前车保持足以采取紧急制动措施的安全距离（追尾）"


def test_the_draft_says_when_where_who_what_happened_and_the_violations_in_order():
    text = draft_facts(CASE, {7: [REAR_END]})
    assert text == ("2026年12月2日12时05分，甲方王建国驾驶小型轿车（川A·5F7K2）由北向南行驶，与乙方李秀英驾驶小型普通客车"
                    "（川A·D35812）在成都市武侯区（北纬30.64120°，东经104.04310°）发生交通事故。"
                    "经过：甲车遇前车减速未及时停车，撞上乙车尾部。事故未造成人员受伤，车辆可以自行移动。"
                    f"甲方{REAR_END}。")


def test_the_draft_follows_the_violations_and_falls_back_without_data():
    assert REAR_END not in draft_facts(CASE)
    both = draft_facts(CASE, {7: [REAR_END], 8: ["倒车时未察明车后情况、确认安全（倒车）"]})
    assert both.endswith(f"甲方{REAR_END}；乙方倒车时未察明车后情况、确认安全（倒车）。")
    assert draft_facts({}) == "当事各方发生交通事故。"
    non_motor = {"parties": [{"id": 1, "position": 1, "kind": "non_motor", "driver_name": "周强"}]}
    assert draft_facts(non_motor) == "甲方周强驾驶非机动车发生交通事故。"


def test_plates_are_printed_with_their_dot():
    assert plate_with_dot("川a12345") == "川A·12345"
    assert plate_with_dot("桂B·12345") == "桂B·12345"
    assert plate_with_dot("") == ""
