from seat_app.core.case import Case
from seat_app.core.checklist import Status, build_checklist
from seat_app.core.evidence import CaptureTarget, new_record

PASSED = {c: {"status": "passed", "reason_zh": "ok"} for c in ("driver", "vehicle", "insurance")}


def two_car_case(**changes):
    data = {"id": 1, "number": "KC1", "state": "collecting", "safety": {}, "answers": {},
            "parties": [{"id": 11, "position": 1, "kind": "motor"}, {"id": 12, "position": 2, "kind": "motor"}]}
    data.update(changes)
    return Case.from_json(data)


def all_evidence(case):
    targets = [CaptureTarget("scene"), CaptureTarget("impact"), CaptureTarget("together")]
    for p in case.parties:
        targets += [CaptureTarget("plate", p.id, p.position), CaptureTarget("licence", p.id, p.position)]
    return [new_record("frame", t, 10, 10) for t in targets]


def test_a_fresh_case_misses_everything_and_cannot_be_submitted():
    checklist = build_checklist(two_car_case())
    assert not checklist.complete
    sections = {i.section for i in checklist.missing}
    assert sections == {"safety", "evidence", "verification", "eligibility"}
    assert checklist.item("evidence.plate.2").status is Status.MISSING
    assert checklist.item("eligibility.injuries").status is Status.NEEDS_ANSWER


def test_complete_when_safety_evidence_verification_and_answers_are_in():
    case = two_car_case(
        safety={"hazard_lights": True, "triangle": True},
        answers={"injuries": "none", "drink_drugs_flight": False, "vehicles_movable": True, "safety_confirmed": True},
        parties=[{"id": 11, "position": 1, "verification": PASSED}, {"id": 12, "position": 2, "verification": PASSED}],
    )
    checklist = build_checklist(case, all_evidence(case))
    assert checklist.complete, checklist.missing


def test_a_bad_answer_or_failed_check_is_a_failure_not_a_gap():
    failed = {**PASSED, "insurance": {"status": "failed", "reason_zh": "未查到该车交强险投保记录"}}
    case = two_car_case(answers={"vehicles_movable": False},
                        parties=[{"id": 11, "position": 1, "verification": failed}])
    checklist = build_checklist(case)
    assert checklist.item("eligibility.vehicles_movable").status is Status.FAILED
    item = checklist.item("verification.1")
    assert item.status is Status.FAILED and "交强险" in item.reason


def test_server_rules_replace_local_questions_and_carry_evidence():
    evaluation = {
        "rules": [
            {"key": "injuries", "status": "met", "reason_zh": "无人员受伤"},
            {"key": "service_hours", "status": "failed", "reason_zh": "不在服务时间"},
            {"key": "documents_valid", "status": "needs_answer", "reason_zh": "甲方尚未核验"},
        ],
        "evidence": [{"key": "evidence.scene", "label_zh": "事故现场全景照片", "met": True},
                     {"key": "evidence.plate.1", "label_zh": "甲方号牌照片", "met": False}],
        "safety": [{"key": "safety.hazard_lights", "met": True}, {"key": "safety.triangle", "met": False}],
    }
    checklist = build_checklist(two_car_case(answers={"injuries": "none"}), evaluation=evaluation)
    keys = [i.key for i in checklist.items]
    assert "eligibility.service_hours" in keys and "eligibility.documents_valid" not in keys
    assert checklist.item("eligibility.injuries").answer_key == "injuries"
    assert checklist.item("evidence.scene").met
    assert checklist.item("evidence.plate.1").position == 1
    assert checklist.evaluated_by_server
    assert [i.met for i in checklist.section("safety")] == [True, False]


def test_a_rule_settled_without_asking_has_no_question_and_an_answered_one_keeps_its_answers():
    rules = [{"key": "motor_at_fault", "status": "met", "reason_zh": "不涉及非机动车，无需确认", "answer_key": None},
             {"key": "vehicles_movable", "status": "met", "reason_zh": "车辆可以自行移动", "answer_key": None},
             {"key": "injuries", "status": "needs_answer", "reason_zh": "是否有人员受伤？", "answer_key": "injuries"}]
    checklist = build_checklist(two_car_case(answers={"vehicles_movable": True}), evaluation={"rules": rules})
    assert checklist.item("eligibility.motor_at_fault").answer_key is None
    assert checklist.item("eligibility.vehicles_movable").answer_key == "vehicles_movable"  # may be changed
    assert checklist.item("eligibility.injuries").answer_key == "injuries"


def complete_case(parties):
    case = two_car_case(safety={"hazard_lights": True, "triangle": True}, parties=parties,
                        answers={"injuries": "none", "drink_drugs_flight": False, "vehicles_movable": True,
                                 "safety_confirmed": True})
    return case, all_evidence(case)


VIN = "LSVAU2187N2123456"


def test_an_identifier_two_parties_hold_blocks_submission_until_one_changes():
    """Everything else is in, and even the registry passed both (it checks each party alone)."""
    parties = [{"id": 11, "position": 1, "plate": "川A5F7K2", "vin": VIN, "verification": PASSED},
               {"id": 12, "position": 2, "plate": "川AD35812", "vin": VIN.lower(), "verification": PASSED}]
    case, records = complete_case(parties)
    checklist = build_checklist(case, records)
    assert not checklist.complete
    (item,) = [i for i in checklist.failed]
    assert (item.key, item.section, item.positions) == ("verification.shared.vin.1-2", "verification", (1, 2))
    assert item.reason == ""  # worded by the UI; an escalation's reasons are the server's rules only

    fixed = case.with_party(case.party(12).with_values({"vin": "LGXCE4CB6P0658213"}))
    assert build_checklist(fixed, records).complete


def test_each_shared_identifier_is_one_item_naming_all_the_parties_holding_it():
    parties = [{"id": 11, "position": 1, "plate": "川A5F7K2", "id_number": "510104198503127714"},
               {"id": 12, "position": 2, "plate": "川A·5F7K2"},
               {"id": 13, "position": 3, "plate": "川A5F7K2", "id_number": "510104198503127714"}]
    shared = [i.key for i in build_checklist(two_car_case(parties=parties)).items if ".shared." in i.key]
    assert shared == ["verification.shared.plate.1-2-3", "verification.shared.id_number.1-3"]
    assert [i.key for i in build_checklist(two_car_case()).items if ".shared." in i.key] == []
