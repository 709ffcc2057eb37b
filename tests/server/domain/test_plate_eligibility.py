"""The plate types a city handles by video: a military or armed-police vehicle fails with a plain reason."""
from __future__ import annotations

import tomllib
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from server.domain.city_rules import DEFAULT_PLATE_TYPES, CityRulesError, parse_city_rules
from server.domain.eligibility import Answers, CaseFacts, Injury, PartyFacts, RuleStatus, evaluate
from server.domain.service_area import parse_service_area
from server.domain.verification import CheckResult, CheckStatus, PartyVerification
from server.resource_files import resource

SHANGHAI = ZoneInfo("Asia/Shanghai")
AREA = parse_service_area({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "市区"}, "geometry": {"type": "Polygon", "coordinates": [
        [[104.0, 30.6], [104.2, 30.6], [104.2, 30.8], [104.0, 30.8], [104.0, 30.6]]]}}]})
GOOD = Answers(injuries=Injury.NONE, drink_drugs_flight=False, vehicles_movable=True, motor_at_fault=True)
PASSED = PartyVerification(*(CheckResult(name, CheckStatus.PASSED, "通过") for name in ("driver", "vehicle", "insurance")))


def shipped_rules(name: str = "city_rules.toml"):
    return parse_city_rules(tomllib.loads(resource(name).read_text(encoding="utf-8")), SHANGHAI)


def party_kinds(rules, *plates: tuple[str, str]):
    facts = CaseFacts(parties=[PartyFacts(i + 1, "motor", PASSED, plate, colour) for i, (plate, colour) in enumerate(plates)],
                      answers=GOOD, latitude=30.7, longitude=104.1,
                      reported_at=datetime(2026, 5, 20, 10, 0, tzinfo=SHANGHAI))
    return next(r for r in evaluate(facts, rules, facts.reported_at, area=AREA) if r.key == "party_kinds")


@pytest.mark.parametrize(("plate", "colour", "words"), [
    ("VA12345", "white", "甲方为军队车辆（号牌VA12345）"),
    ("WJ京1234X", "white", "甲方为武警车辆"),
    ("WJ0112345", "white", "武警车辆"),
])
def test_a_military_or_armed_police_vehicle_fails_with_the_reason(plate, colour, words):
    result = party_kinds(shipped_rules(), (plate, colour), ("川A12345", "blue"))
    assert result.status is RuleStatus.FAILED
    assert words in result.reason_zh and "民警到场" in result.reason_zh


@pytest.mark.parametrize(("plate", "colour"), [
    ("川A12345", "blue"), ("川A12345", "yellow"), ("川A1234挂", "yellow"), ("川A1234学", "yellow"),
    ("川A1234警", "white"), ("使014578", "black"), ("沪A1234领", "black"), ("粤Z1234港", "black"),
    ("川AD12345", "green"), ("川A12345D", "green"), ("川A12345临", "white"), ("川A1234应急", "yellow"),
    ("川0112345", "green"), ("民航A1234", "white"),
])
def test_every_civilian_plate_type_is_handled_by_video(plate, colour):
    assert party_kinds(shipped_rules(), (plate, colour)).status is RuleStatus.MET


def test_a_city_can_leave_a_type_out_and_the_demo_file_matches_production():
    rules = shipped_rules()
    assert rules.plate_types == shipped_rules("demo_city_rules.toml").plate_types == DEFAULT_PLATE_TYPES
    data = tomllib.loads(resource("city_rules.toml").read_text(encoding="utf-8"))
    data["plates"]["allowed_types"] = sorted(DEFAULT_PLATE_TYPES - {"embassy"})
    result = party_kinds(parse_city_rules(data, SHANGHAI), ("使014578", "black"))
    assert (result.status, result.reason_zh) == (RuleStatus.FAILED, "甲方为使馆汽车（号牌使014578），不适用视频快处，需转民警到场处理")


def test_a_plate_not_entered_yet_or_malformed_is_left_to_verification():
    assert party_kinds(shipped_rules(), ("", ""), ("川A12", "blue")).status is RuleStatus.MET


def test_an_unknown_plate_type_in_the_rules_file_stops_start_up():
    data = tomllib.loads(resource("city_rules.toml").read_text(encoding="utf-8"))
    data["plates"]["allowed_types"] = ["small_car", "tank"]
    with pytest.raises(CityRulesError, match="tank"):
        parse_city_rules(data, SHANGHAI)


def test_stored_party_columns_carry_the_plate():
    facts = PartyFacts.from_stored(2, "motor", None, plate="VA12345", plate_colour="white")
    assert (facts.plate_type, PartyFacts.from_stored(1, "motor", None).plate_type) == ("military", "")
