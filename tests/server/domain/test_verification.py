"""Driver, vehicle and insurance checks: one row per outcome the issue lists."""
from dataclasses import replace
from datetime import date

import pytest

from server.domain.verification import (
    CheckStatus,
    DriverRecord,
    DriverStatus,
    PartyFields,
    PartyVerification,
    PolicyRecord,
    RegistryLookup,
    Unavailable,
    VehicleRecord,
    VehicleStatus,
    verify_party,
)

ACCIDENT = date(2026, 5, 20)

DRIVER = DriverRecord("510104198503127714", "王建国", "C1", date(2016, 3, 20), date(2036, 3, 20), DriverStatus.VALID)
VEHICLE = VehicleRecord(
    plate="川A5F7K2", plate_colour="blue", vehicle_type="小型轿车", vin="LSVAU2187N2123456", owner="王建国",
    engine_number="DJS418723", registered=date(2022, 4, 15), status=VehicleStatus.NORMAL,
    inspection_valid_until=date(2032, 4, 30), transmission="automatic",
)
POLICY = PolicyRecord("PDZA202551010000418723", "川A5F7K2", "PICC", "中国人民财产保险股份有限公司", date(2025, 4, 16), date(2039, 4, 15))
FIELDS = PartyFields(driver_name="王建国", id_number="510104198503127714", plate="川A·5F7K2", plate_colour="blue",
                     vehicle_type="小型轿车", vin="LSVAU2187N2123456")
LOOKUP = RegistryLookup(DRIVER, VEHICLE, POLICY)


def test_everything_in_order_passes_and_reports_the_insurer():
    result = verify_party(FIELDS, LOOKUP, ACCIDENT)
    assert result.passed
    assert result.insurance.details["insurer"] == "PICC"
    assert result.insurance.details["policy_number"] == "PDZA202551010000418723"
    assert "中国人民财产保险" in result.insurance.reason_zh


CASES = [
    # (name, fields changes, lookup changes, accident date, check, status, problem, words in the reason)
    ("licence not found", {}, {"driver": None}, ACCIDENT, "driver", "failed", "licence_not_found", "未查到"),
    ("name differs", {"driver_name": "王建军"}, {}, ACCIDENT, "driver", "failed", "name_mismatch", "姓名"),
    ("name missing", {"driver_name": ""}, {}, ACCIDENT, "driver", "incomplete", "name_missing", "姓名"),
    ("id missing", {"id_number": ""}, {}, ACCIDENT, "driver", "incomplete", "id_number_missing", "身份证号"),
    ("status expired", {}, {"driver": replace(DRIVER, status=DriverStatus.EXPIRED)}, ACCIDENT,
     "driver", "failed", "licence_expired", "过期"),
    ("date expired though status valid", {}, {"driver": replace(DRIVER, valid_until=date(2026, 5, 19))}, ACCIDENT,
     "driver", "failed", "licence_expired", "2026-05-19"),
    ("valid on its last day", {}, {"driver": replace(DRIVER, valid_until=ACCIDENT)}, ACCIDENT, "driver", "passed", None, ""),
    ("not yet valid", {}, {"driver": replace(DRIVER, valid_from=date(2026, 5, 21))}, ACCIDENT,
     "driver", "failed", "licence_not_yet_valid", "尚未生效"),
    ("suspended", {}, {"driver": replace(DRIVER, status=DriverStatus.SUSPENDED)}, ACCIDENT,
     "driver", "failed", "licence_suspended", "暂扣"),
    ("revoked", {}, {"driver": replace(DRIVER, status=DriverStatus.REVOKED)}, ACCIDENT,
     "driver", "failed", "licence_revoked", "吊销"),
    ("C2 holder, manual car", {}, {"driver": replace(DRIVER, licence_class="C2"),
                                   "vehicle": replace(VEHICLE, transmission="manual")}, ACCIDENT,
     "driver", "failed", "licence_class_mismatch", "C2"),
    ("C2 holder, automatic car", {}, {"driver": replace(DRIVER, licence_class="C2")}, ACCIDENT, "driver", "passed", None, ""),
    ("C2 holder, gearbox unknown", {}, {"driver": replace(DRIVER, licence_class="C2"),
                                        "vehicle": replace(VEHICLE, transmission="")}, ACCIDENT,
     "driver", "incomplete", "transmission_unknown", "自动挡"),
    ("C1 holder, truck", {"vehicle_type": ""}, {"vehicle": replace(VEHICLE, vehicle_type="中型普通货车")}, ACCIDENT,
     "driver", "failed", "licence_class_mismatch", "中型普通货车"),
    ("class judged on the typed type when the vehicle is unknown", {"vehicle_type": "普通二轮摩托车"},
     {"vehicle": None}, ACCIDENT, "driver", "failed", "licence_class_mismatch", "摩托车"),
    ("vehicle not found", {}, {"vehicle": None}, ACCIDENT, "vehicle", "failed", "vehicle_not_found", "未查到"),
    ("plate missing", {"plate": ""}, {}, ACCIDENT, "vehicle", "incomplete", "plate_missing", "号牌"),
    ("vin differs", {"vin": "LSVAU2187N2123457"}, {}, ACCIDENT, "vehicle", "failed", "vin_mismatch", "识别代号"),
    ("vin missing", {"vin": ""}, {}, ACCIDENT, "vehicle", "incomplete", "vin_missing", "VIN"),
    ("vin case and spaces ignored", {"vin": "lsvau2187n 2123456"}, {}, ACCIDENT, "vehicle", "passed", None, ""),
    ("plate colour differs", {"plate_colour": "green"}, {}, ACCIDENT, "vehicle", "failed", "plate_colour_mismatch", "颜色"),
    ("type differs", {"vehicle_type": "小型普通客车"}, {}, ACCIDENT, "vehicle", "failed", "vehicle_type_mismatch", "小型轿车"),
    ("stolen", {}, {"vehicle": replace(VEHICLE, status=VehicleStatus.STOLEN)}, ACCIDENT,
     "vehicle", "failed", "vehicle_stolen", "盗抢"),
    ("scrapped", {}, {"vehicle": replace(VEHICLE, status=VehicleStatus.SCRAPPED)}, ACCIDENT,
     "vehicle", "failed", "vehicle_scrapped", "报废"),
    ("seized", {}, {"vehicle": replace(VEHICLE, status=VehicleStatus.SEIZED)}, ACCIDENT,
     "vehicle", "failed", "vehicle_seized", "扣押"),
    ("inspection lapsed", {}, {"vehicle": replace(VEHICLE, inspection_valid_until=date(2026, 5, 19))}, ACCIDENT,
     "vehicle", "failed", "inspection_lapsed", "检验"),
    ("inspection valid on its last day", {}, {"vehicle": replace(VEHICLE, inspection_valid_until=ACCIDENT)}, ACCIDENT,
     "vehicle", "passed", None, ""),
    ("uninsured", {}, {"policy": None}, ACCIDENT, "insurance", "failed", "uninsured", "未查到"),
    ("policy expired the day before", {}, {"policy": replace(POLICY, valid_until=date(2026, 5, 19))}, ACCIDENT,
     "insurance", "failed", "policy_expired", "2026-05-19"),
    ("policy in force on its last day", {}, {"policy": replace(POLICY, valid_until=ACCIDENT)}, ACCIDENT,
     "insurance", "passed", None, ""),
    ("policy bought after the accident", {}, {"policy": replace(POLICY, valid_from=date(2026, 5, 21))}, ACCIDENT,
     "insurance", "failed", "policy_not_yet_valid", "尚未生效"),
    ("policy starts on the accident day", {}, {"policy": replace(POLICY, valid_from=ACCIDENT)}, ACCIDENT,
     "insurance", "passed", None, ""),
    ("same policy, accident years later", {}, {}, date(2039, 4, 16), "insurance", "failed", "policy_expired", "到期"),
]


@pytest.mark.parametrize(
    ("fields_changes", "lookup_changes", "accident", "check", "status", "problem", "words"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_check_outcome(fields_changes, lookup_changes, accident, check, status, problem, words):
    result = verify_party(replace(FIELDS, **fields_changes), replace(LOOKUP, **lookup_changes), accident)
    outcome = getattr(result, check)
    assert outcome.status == status, outcome.reason_zh
    if problem:
        assert problem in outcome.problems
    assert words in outcome.reason_zh


@pytest.mark.parametrize("lookup", ["driver", "vehicle", "policy"])
def test_an_unanswered_lookup_is_unavailable_never_passed(lookup):
    result = verify_party(FIELDS, replace(LOOKUP, **{lookup: Unavailable("timeout")}), ACCIDENT)
    check = {"driver": result.driver, "vehicle": result.vehicle, "policy": result.insurance}[lookup]
    assert check.status is CheckStatus.UNAVAILABLE
    assert check.reason_zh == "核验系统暂不可用，请重试"
    assert not result.passed and result.unavailable


def test_several_problems_are_all_reported():
    result = verify_party(
        replace(FIELDS, vin="LSVAU2187N2123457"),
        replace(LOOKUP, vehicle=replace(VEHICLE, status=VehicleStatus.SEIZED, inspection_valid_until=date(2020, 1, 1))),
        ACCIDENT,
    )
    assert set(result.vehicle.problems) == {"vin_mismatch", "vehicle_seized", "inspection_lapsed"}
    assert result.vehicle.reason_zh.count("；") == 2


def test_stored_form_round_trips():
    result = verify_party(FIELDS, replace(LOOKUP, policy=None), ACCIDENT)
    assert PartyVerification.from_json(result.to_json()) == result


@pytest.mark.parametrize("stored", [{}, {"driver": {}}, {"driver": "x", "vehicle": 1, "insurance": None},
                                    {n: {"status": "maybe", "reason_zh": ""} for n in ("driver", "vehicle", "insurance")}])
def test_stored_form_that_is_not_ours_is_refused(stored):
    with pytest.raises(ValueError):
        PartyVerification.from_json(stored)
