from copy import deepcopy
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from server.domain.city_rules import CityRulesError, parse_city_rules

SHANGHAI = ZoneInfo("Asia/Shanghai")
CHENGDU = {
    "city": "成都市",
    "service_hours": {"start": "07:00", "end": "19:00"},
    "vehicles": {"min": 1, "max": 3, "allow_non_motor": True},
    "injury": {"minor_injury_allowed": False},
    "service_area": {"required": True},
}


def rules_with(**changes):
    data = deepcopy(CHENGDU)
    for dotted, value in changes.items():
        section, key = dotted.split("__")
        data[section][key] = value
    return parse_city_rules(data, SHANGHAI)


def test_chengdu_rules_parse():
    rules = parse_city_rules(CHENGDU, SHANGHAI)
    assert (rules.service_start_minute, rules.service_end_minute) == (420, 1140)
    assert rules.max_vehicles == 3 and not rules.minor_injury_allowed
    assert rules.service_hours_zh == "07:00至19:00"


@pytest.mark.parametrize(
    ("local", "within"),
    [("06:59:59", False), ("07:00:00", True), ("12:00:00", True), ("18:59:59", True), ("19:00:00", False),
     ("23:30:00", False), ("00:00:00", False)],
)
def test_service_hours_are_judged_in_local_time(local, within):
    rules = parse_city_rules(CHENGDU, SHANGHAI)
    h, m, s = map(int, local.split(":"))
    moment_local = datetime(2026, 5, 20, h, m, s, tzinfo=SHANGHAI)
    assert rules.within_service_hours(moment_local) is within
    assert rules.within_service_hours(moment_local.astimezone(timezone.utc)) is within  # 07:00 local is 23:00 UTC


@pytest.mark.parametrize(
    ("start", "end", "local_hour", "within"),
    [("19:00", "07:00", 23, True), ("19:00", "07:00", 6, True), ("19:00", "07:00", 12, False),
     ("00:00", "24:00", 0, True), ("00:00", "24:00", 23, True)],
)
def test_overnight_and_round_the_clock_hours(start, end, local_hour, within):
    rules = rules_with(service_hours__start=start, service_hours__end=end)
    assert rules.within_service_hours(datetime(2026, 5, 20, local_hour, 30, tzinfo=SHANGHAI)) is within


def test_naive_time_is_refused():
    with pytest.raises(ValueError):
        parse_city_rules(CHENGDU, SHANGHAI).within_service_hours(datetime(2026, 5, 20, 12) + timedelta())


def _drop(section, key):
    data = deepcopy(CHENGDU)
    del (data if section == "" else data[section])[key]
    return data


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (_drop("service_hours", "end"), "service_hours.end"),
        (_drop("", "injury"), "[injury]"),
        ({**CHENGDU, "servce_area": {}}, "unknown key servce_area"),
        ({**CHENGDU, "vehicles": {"min": 1, "max": 3, "allow_non_motor": True, "maximum": 4}}, "vehicles.maximum"),
        ({**CHENGDU, "vehicles": {"min": 1, "max": "3", "allow_non_motor": True}}, "vehicles.max: expected int"),
        ({**CHENGDU, "vehicles": {"min": 1, "max": True, "allow_non_motor": True}}, "vehicles.max: expected int"),
        ({**CHENGDU, "vehicles": {"min": 3, "max": 2, "allow_non_motor": True}}, "min <= max"),
        ({**CHENGDU, "injury": {"minor_injury_allowed": "no"}}, "expected bool"),
        ({**CHENGDU, "service_hours": {"start": "7点", "end": "19:00"}}, "service_hours.start"),
        ({**CHENGDU, "service_hours": {"start": "07:00", "end": "24:30"}}, "service_hours.end"),
        ({**CHENGDU, "service_hours": {"start": "07:00", "end": "07:00"}}, "leaves no hours"),
    ],
)
def test_bad_rules_name_the_key(data, words):
    with pytest.raises(CityRulesError) as err:
        parse_city_rules(data, SHANGHAI)
    assert words in str(err.value)
