"""The checklist as the operator reads it: each question once, and answer buttons only where there is a question."""
from __future__ import annotations

from seat_app.core.case import Case
from seat_app.core.checklist import build_checklist
from seat_app.ui.widgets.checklist_widget import ChecklistWidget

RULES = [
    {"key": "motor_at_fault", "status": "met", "reason_zh": "不涉及非机动车，无需确认", "answer_key": None},
    {"key": "drink_drugs_flight", "status": "needs_answer", "reason_zh": "驾驶人是否有饮酒、吸毒或逃逸情形？",
     "answer_key": "drink_drugs_flight"},
    {"key": "vehicles_movable", "status": "met", "reason_zh": "车辆可以自行移动", "answer_key": None},
]


def shown(widget: ChecklistWidget, key: str) -> str:
    label = next(widget.grid.itemAt(i).widget() for i in range(widget.grid.count())
                 if widget.grid.itemAt(i).widget() is not None and widget.grid.itemAt(i).widget().property("key") == key)
    return label.text()


def test_questions_are_asked_once_and_a_rule_needing_no_answer_has_no_buttons(qtbot):
    case = Case.from_json({"id": 1, "number": "KC1", "state": "collecting", "answers": {"vehicles_movable": True},
                           "parties": [{"id": 11, "position": 1, "kind": "motor"}]})
    widget = ChecklistWidget()
    qtbot.addWidget(widget)
    widget.set_answers(case.answers)
    widget.set_checklist(build_checklist(case, evaluation={"rules": RULES}))
    assert shown(widget, "eligibility.drink_drugs_flight").count("饮酒、吸毒或逃逸") == 1
    assert widget.button("drink_drugs_flight", False) is not None  # 无
    assert "无需确认" in shown(widget, "eligibility.motor_at_fault")
    assert widget.button("motor_at_fault", True) is None and widget.button("motor_at_fault", False) is None
    assert widget.button("vehicles_movable", True).isChecked()  # answered: shown pressed, still changeable


def test_an_identifier_on_two_parties_keeps_submit_disabled_on_an_otherwise_complete_checklist(qtbot):
    passed = {c: {"status": "passed", "reason_zh": "ok"} for c in ("driver", "vehicle", "insurance")}
    parties = [{"id": 11, "position": 1, "id_number": "510104198503127714", "verification": passed},
               {"id": 12, "position": 2, "id_number": "510104198503127714", "verification": passed}]
    case = Case.from_json({"id": 1, "number": "KC1", "state": "collecting", "parties": parties,
                           "answers": {"safety_confirmed": True, "injuries": "none", "drink_drugs_flight": False,
                                       "vehicles_movable": True}})
    evidence = {"evidence": [{"key": k, "met": True} for k in ("scene", "impact", "together")]}
    widget = ChecklistWidget()
    qtbot.addWidget(widget)
    widget.set_checklist(build_checklist(case, evaluation=evidence))
    assert shown(widget, "verification.shared.id_number.1-2") == \
        "甲方与乙方的身份证号相同：同一身份证号不能属于两方，请改正后再提交"
    assert not widget.submit_button.isEnabled() and "还缺 1 项" in widget.summary.text()
    fixed = case.with_party(case.party(12).with_values({"id_number": "51010719900823468X"}))
    widget.set_checklist(build_checklist(fixed, evaluation=evidence))
    assert widget.submit_button.isEnabled() and widget.summary.text() == "清单已齐全，可以提交"
