"""Every seed rule and combination: Chengdu/Liuzhou conditions, boundary times, area points."""
import itertools
from dataclasses import replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from server.domain.city_rules import parse_city_rules
from server.domain.eligibility import (
    Answers,
    CaseFacts,
    Injury,
    PartyFacts,
    RuleStatus,
    evaluate,
    missing_for_submission,
)
from server.domain.evidence_requirements import EvidenceRequirement
from server.domain.service_area import parse_service_area
from server.domain.verification import CheckResult, CheckStatus, PartyVerification

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULES = parse_city_rules(
    {
        "city": "成都市",
        "service_hours": {"start": "07:00", "end": "19:00"},
        "vehicles": {"min": 1, "max": 3, "allow_non_motor": True},
        "injury": {"minor_injury_allowed": False},
        "service_area": {"required": True},
    },
    SHANGHAI,
)
MINOR_INJURY_CITY = replace(RULES, city="柳州市", minor_injury_allowed=True)

# A city square with an excluded county in the middle and a motorway along lat 30.65.
AREA = parse_service_area({"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "市区", "hole_names": ["某县"]}, "geometry": {"type": "Polygon", "coordinates": [
        [[104.0, 30.6], [104.2, 30.6], [104.2, 30.8], [104.0, 30.8], [104.0, 30.6]],
        [[104.09, 30.69], [104.09, 30.71], [104.11, 30.71], [104.11, 30.69], [104.09, 30.69]]]}},
    {"type": "Feature", "properties": {"role": "exclude", "name": "某高速", "buffer_m": 100},
     "geometry": {"type": "LineString", "coordinates": [[104.0, 30.65], [104.2, 30.65]]}},
]})
INSIDE = (30.75, 104.05)
IN_COUNTY = (30.70, 104.10)
ON_COUNTY_EDGE = (30.70, 104.09)
ON_OUTER_EDGE = (30.8, 104.1)
ON_MOTORWAY = (30.65, 104.15)
OUTSIDE = (30.9, 104.1)

GOOD = Answers(injuries=Injury.NONE, drink_drugs_flight=False, vehicles_movable=True, motor_at_fault=True)


def local(hour, minute):
    return datetime(2026, 5, 20, hour, minute, tzinfo=SHANGHAI)


def verified(driver="passed", vehicle="passed", insurance="passed", reason="原因"):
    def check(name, status):
        return CheckResult(name, CheckStatus(status), "通过" if status == "passed" else reason)
    return PartyVerification(check("driver", driver), check("vehicle", vehicle), check("insurance", insurance))


def case(kinds=("motor", "motor"), answers=GOOD, at=local(10, 0), where=INSIDE, verifications=None):
    verifications = verifications or {}
    parties = [
        PartyFacts(i + 1, kind, verifications.get(i + 1, verified()) if kind == "motor" else None)
        for i, kind in enumerate(kinds)
    ]
    lat, lon = where if where else (None, None)
    return CaseFacts(parties=parties, answers=answers, latitude=lat, longitude=lon, reported_at=at)


def statuses(facts, rules=RULES):
    return {r.key: r.status.value for r in evaluate(facts, rules, local(12, 0), area=AREA)}


def test_a_clean_two_car_case_meets_every_rule():
    results = evaluate(case(), RULES, local(12, 0), area=AREA)
    assert [r.key for r in results] == [
        "vehicle_count", "party_kinds", "injuries", "drink_drugs_flight", "vehicles_movable",
        "motor_at_fault", "documents_valid", "insurance", "service_hours", "service_area",
    ]
    assert all(r.status is RuleStatus.MET for r in results), [r for r in results if r.status is not RuleStatus.MET]
    assert missing_for_submission(results) == []


ROWS = [
    # id, facts, rules, {rule: status}, words expected in that (first listed) rule's reason
    ("single vehicle", case(kinds=("motor",)), RULES, {"party_kinds": "met", "vehicle_count": "met"}, "单车"),
    ("three vehicles", case(kinds=("motor",) * 3), RULES, {"vehicle_count": "met"}, "3方"),
    ("four vehicles", case(kinds=("motor",) * 4), RULES, {"vehicle_count": "failed"}, "上限3方"),
    ("no parties yet", case(kinds=()), RULES, {"vehicle_count": "needs_answer", "party_kinds": "needs_answer",
                                               "documents_valid": "needs_answer"}, "尚未录入"),
    ("non-motor only", case(kinds=("non_motor",)), RULES, {"party_kinds": "failed"}, "没有机动车"),
    ("motor with non-motor", case(kinds=("motor", "non_motor")), RULES,
     {"party_kinds": "met", "motor_at_fault": "met", "insurance": "met"}, "非机动车"),
    ("city refuses non-motor", case(kinds=("motor", "non_motor")), replace(RULES, allow_non_motor=False),
     {"party_kinds": "failed"}, "不受理"),
    ("injuries not asked", case(answers=replace(GOOD, injuries=None)), RULES, {"injuries": "needs_answer"}, "受伤"),
    ("no injuries", case(), RULES, {"injuries": "met"}, "财产损失"),
    ("minor injury, Chengdu", case(answers=replace(GOOD, injuries=Injury.MINOR)), RULES, {"injuries": "failed"},
     "成都市"),
    ("minor injury, city allows", case(answers=replace(GOOD, injuries=Injury.MINOR)), MINOR_INJURY_CITY,
     {"injuries": "met"}, "轻微人伤"),
    ("serious injury, city allows minor", case(answers=replace(GOOD, injuries=Injury.SERIOUS)), MINOR_INJURY_CITY,
     {"injuries": "failed"}, "民警"),
    ("drink/drugs/flight not asked", case(answers=replace(GOOD, drink_drugs_flight=None)), RULES,
     {"drink_drugs_flight": "needs_answer"}, "饮酒"),
    ("drink/drugs/flight", case(answers=replace(GOOD, drink_drugs_flight=True)), RULES,
     {"drink_drugs_flight": "failed"}, "饮酒"),
    ("movable not asked", case(answers=replace(GOOD, vehicles_movable=None)), RULES,
     {"vehicles_movable": "needs_answer"}, "移动"),
    ("not movable", case(answers=replace(GOOD, vehicles_movable=False)), RULES, {"vehicles_movable": "failed"}, "无法"),
    ("single vehicle must be movable", case(kinds=("motor",), answers=replace(GOOD, vehicles_movable=False)), RULES,
     {"vehicles_movable": "failed"}, "无法"),
    ("motor with non-motor need not be movable",
     case(kinds=("motor", "non_motor"), answers=replace(GOOD, vehicles_movable=None)), RULES,
     {"vehicles_movable": "met"}, "不要求"),
    ("two motors and a non-motor must be movable",
     case(kinds=("motor", "motor", "non_motor"), answers=replace(GOOD, vehicles_movable=False)), RULES,
     {"vehicles_movable": "failed", "motor_at_fault": "met"}, "无法"),
    ("motor at fault not asked", case(kinds=("motor", "non_motor"), answers=replace(GOOD, motor_at_fault=None)), RULES,
     {"motor_at_fault": "needs_answer"}, "责任"),
    ("motor not at fault", case(kinds=("motor", "non_motor"), answers=replace(GOOD, motor_at_fault=False)), RULES,
     {"motor_at_fault": "failed"}, "无责任"),
    ("fault irrelevant between motors", case(answers=replace(GOOD, motor_at_fault=False)), RULES,
     {"motor_at_fault": "met"}, "无需"),
    ("second car uninsured", case(verifications={2: verified(insurance="failed", reason="未查到该车交强险投保记录")}),
     RULES, {"insurance": "failed", "documents_valid": "met"}, "乙方：未查到"),
    ("motor uninsured against non-motor",
     case(kinds=("motor", "non_motor"), verifications={1: verified(insurance="failed")}), RULES,
     {"insurance": "failed"}, "甲方"),
    ("licence suspended", case(verifications={1: verified(driver="failed", reason="驾驶证被暂扣")}), RULES,
     {"documents_valid": "failed", "insurance": "met"}, "甲方：驾驶证被暂扣"),
    ("vehicle stolen", case(verifications={2: verified(vehicle="failed", reason="该车已登记为被盗抢车辆")}), RULES,
     {"documents_valid": "failed"}, "乙方"),
    ("not verified yet", case(verifications={2: None}), RULES,
     {"documents_valid": "needs_answer", "insurance": "needs_answer"}, "乙方尚未核验"),
    ("registry down", case(verifications={1: verified("unavailable", "unavailable", "unavailable", "核验系统暂不可用，请重试")}),
     RULES, {"documents_valid": "needs_answer", "insurance": "needs_answer"}, "请重试"),
    ("field missing", case(verifications={1: verified(vehicle="incomplete", reason="缺少车辆识别代号（VIN）")}), RULES,
     {"documents_valid": "needs_answer"}, "VIN"),
    ("06:59", case(at=local(6, 59)), RULES, {"service_hours": "failed"}, "06:59"),
    ("07:00", case(at=local(7, 0)), RULES, {"service_hours": "met"}, "07:00"),
    ("18:59", case(at=local(18, 59)), RULES, {"service_hours": "met"}, "18:59"),
    ("19:00", case(at=local(19, 0)), RULES, {"service_hours": "failed"}, "07:00至19:00"),
    ("19:00 given in UTC", case(at=datetime(2026, 5, 20, 11, 0, tzinfo=timezone.utc)), RULES,
     {"service_hours": "failed"}, "19:00"),
    ("07:00 given in UTC, the day before", case(at=datetime(2026, 5, 19, 23, 0, tzinfo=timezone.utc)), RULES,
     {"service_hours": "met"}, "07:00"),
    ("inside the area", case(where=INSIDE), RULES, {"service_area": "met"}, "市区"),
    ("in the excluded county", case(where=IN_COUNTY), RULES, {"service_area": "failed"}, "某县"),
    ("on the county's border", case(where=ON_COUNTY_EDGE), RULES, {"service_area": "met"}, "服务范围内"),
    ("on the area's border", case(where=ON_OUTER_EDGE), RULES, {"service_area": "met"}, "服务范围内"),
    ("on the motorway", case(where=ON_MOTORWAY), RULES, {"service_area": "failed"}, "某高速"),
    ("outside the area", case(where=OUTSIDE), RULES, {"service_area": "failed"}, "不在"),
    ("no location", case(where=None), RULES, {"service_area": "needs_answer"}, "位置"),
    ("whole city served", case(where=OUTSIDE), replace(RULES, service_area_required=False), {"service_area": "met"},
     "全域"),
]


@pytest.mark.parametrize(("facts", "rules", "expected", "words"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS])
def test_rule(facts, rules, expected, words):
    results = {r.key: r for r in evaluate(facts, rules, local(12, 0), area=AREA)}
    for key, status in expected.items():
        assert results[key].status == status, (key, results[key].reason_zh)
    first = results[next(iter(expected))]
    assert words in first.reason_zh


@pytest.mark.parametrize(("key", "answers"), [
    ("injuries", replace(GOOD, injuries=None)),
    ("drink_drugs_flight", replace(GOOD, drink_drugs_flight=None)),
    ("vehicles_movable", replace(GOOD, vehicles_movable=None)),
])
def test_a_question_names_the_answer_that_settles_it(key, answers):
    result = next(r for r in evaluate(case(answers=answers), RULES, local(12, 0), area=AREA) if r.key == key)
    assert result.status is RuleStatus.NEEDS_ANSWER
    assert result.answer_key == key
    assert result.reason_zh.endswith("？")


def test_the_report_time_counts_not_the_time_of_evaluation():
    facts = case(at=local(18, 58))
    assert statuses(facts)["service_hours"] == "met"
    late = {r.key: r for r in evaluate(facts, RULES, local(19, 30), area=AREA)}
    assert late["service_hours"].status is RuleStatus.MET
    unknown_report = {r.key: r for r in evaluate(replace(facts, reported_at=None), RULES, local(19, 30), area=AREA)}
    assert unknown_report["service_hours"].status is RuleStatus.FAILED


# --- every combination of the seed conditions --------------------------------------------

MOTOR_MOTOR = list(itertools.product(
    [Injury.NONE, Injury.MINOR, Injury.SERIOUS],  # injuries
    [False, True],  # city allows minor injury
    [True, False],  # movable
    [False, True],  # drink, drugs or flight
    [True, False],  # every party insured
    [True, False],  # documents valid
    [local(7, 0), local(19, 0)],  # report time: first and first-after service hours
    [INSIDE, ON_MOTORWAY],
    [1, 2, 3, 4],  # vehicles
))


@pytest.mark.parametrize(("injuries", "minor_ok", "movable", "drink", "insured", "docs", "at", "where", "n"), MOTOR_MOTOR)
def test_motor_vehicles_every_combination(injuries, minor_ok, movable, drink, insured, docs, at, where, n):
    last = verified(driver="passed" if docs else "failed", insurance="passed" if insured else "failed")
    facts = case(kinds=("motor",) * n, at=at, where=where, verifications={n: last},
                 answers=Answers(injuries=injuries, drink_drugs_flight=drink, vehicles_movable=movable))
    rules = replace(RULES, minor_injury_allowed=minor_ok)
    expected = (
        (injuries is Injury.NONE or (injuries is Injury.MINOR and minor_ok))
        and movable and not drink and insured and docs
        and at == local(7, 0) and where == INSIDE and n <= 3
    )
    results = evaluate(facts, rules, local(12, 0), area=AREA)
    assert (missing_for_submission(results) == []) is expected
    assert all(r.status is not RuleStatus.NEEDS_ANSWER for r in results)


MOTOR_NON_MOTOR = list(itertools.product(
    [Injury.NONE, Injury.MINOR],
    [False, True],  # city allows minor injury
    [True, False, None],  # motor at fault (None: not asked yet)
    [True, False],  # motor insured
    [True, False, None],  # movable: not a condition here
    [True, False],  # city takes non-motor cases
))


@pytest.mark.parametrize(("injuries", "minor_ok", "at_fault", "insured", "movable", "non_motor_ok"), MOTOR_NON_MOTOR)
def test_motor_with_non_motor_every_combination(injuries, minor_ok, at_fault, insured, movable, non_motor_ok):
    facts = case(kinds=("motor", "non_motor"), verifications={1: verified(insurance="passed" if insured else "failed")},
                 answers=Answers(injuries=injuries, drink_drugs_flight=False, vehicles_movable=movable,
                                 motor_at_fault=at_fault))
    rules = replace(RULES, minor_injury_allowed=minor_ok, allow_non_motor=non_motor_ok)
    expected = (injuries is Injury.NONE or minor_ok) and at_fault is True and insured and non_motor_ok
    assert (missing_for_submission(evaluate(facts, rules, local(12, 0), area=AREA)) == []) is expected


# --- submission --------------------------------------------------------------------------


def test_missing_lists_unmet_rules_and_missing_evidence_in_order():
    results = evaluate(case(answers=replace(GOOD, injuries=None), where=OUTSIDE), RULES, local(12, 0), area=AREA)
    evidence = [EvidenceRequirement("evidence.scene", "事故现场全景照片", True, 1),
                EvidenceRequirement("evidence.together", "双方同框照片", False, 0)]
    missing = missing_for_submission(results, evidence)
    assert [m.key for m in missing] == ["injuries", "service_area", "evidence.together"]
    assert missing[-1].reason_zh == "缺少双方同框照片"


@pytest.mark.parametrize(("stored", "expected"), [
    ({"injuries": "minor", "vehicles_movable": True}, Answers(injuries=Injury.MINOR, vehicles_movable=True)),
    ({}, Answers()),
    ({"injuries": None, "other": "ignored"}, Answers()),
])
def test_answers_from_the_case(stored, expected):
    assert Answers.from_dict(stored) == expected


@pytest.mark.parametrize("stored", [{"injuries": "a bit"}, {"vehicles_movable": "yes"}, {"motor_at_fault": 1}])
def test_bad_answers_are_refused(stored):
    with pytest.raises(ValueError):
        Answers.from_dict(stored)


def test_party_facts_from_stored_verification():
    stored = verified(insurance="failed").to_json()
    assert PartyFacts.from_stored(1, "motor", stored).verification == verified(insurance="failed")
    assert PartyFacts.from_stored(1, "motor", {}).verification is None
    assert PartyFacts.from_stored(1, "motor", {"garbage": 1}).verification is None
