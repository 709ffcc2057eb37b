from seat_app.core.case import Party
from seat_app.core.verification import CheckStatus, parse_verification, verification_key

STORED = {
    "driver": {"status": "passed", "reason_zh": "驾驶证有效", "details": {"licence_class": "C1", "valid_until": "2036-03-20"}},
    "vehicle": {"status": "incomplete", "reason_zh": "缺少车辆识别代号（VIN）", "details": {"vehicle_type": "小型轿车"}},
    "insurance": {"status": "passed", "reason_zh": "交强险有效", "details": {"insurer_name": "中国人民财产保险股份有限公司",
                                                                        "policy_number": "PDZA2025"}},
}


def test_the_stored_shape_is_read_and_fills_what_the_registry_knows():
    view = parse_verification(STORED)
    assert view.ran and not view.passed and not view.failed
    assert view.get("vehicle").status is CheckStatus.INCOMPLETE
    assert view.filled_fields() == {"licence_class": "C1", "licence_valid_until": "2036-03-20",
                                    "vehicle_type": "小型轿车", "insurer": "中国人民财产保险股份有限公司",
                                    "policy_number": "PDZA2025"}


def test_the_list_shape_is_read_too():
    view = parse_verification([{"check": "driver", "ok": True, "reason": "ok", "source": "demo"},
                               {"check": "insurance", "ok": False, "reason": "未投保"}])
    assert view.get("driver").ok and view.get("driver").source == "demo"
    assert view.failed and view.get("vehicle").status is CheckStatus.NOT_RUN


def test_verification_waits_until_plate_id_name_and_vin_are_well_formed():
    values = {"plate": "川A5F7K2", "id_number": "510104198503127714", "driver_name": "王建国"}
    assert verification_key(Party(1, 1, values=values)) is None
    complete = {**values, "vin": "LSVAU2187N2123456"}
    assert verification_key(Party(1, 1, values=complete)) == ("川A5F7K2", "510104198503127714", "王建国",
                                                             "LSVAU2187N2123456")
    assert verification_key(Party(1, 1, kind="non_motor", values=complete)) is None
