"""The operator's weather (one click) and notes (经过, saved after a pause) in the real window, fake server."""
from __future__ import annotations

from PySide6.QtCore import Qt

from seat_app.ui.widgets.case_notes_widget import WEATHER, CaseNotesWidget
from tests.seat_app.doubles import case_json
from tests.seat_app.ui.test_operator_workspace import answered, fake_api, ocr, shell, wiring  # noqa: F401


def _updates(fake_api):
    return [args[1:] for args in fake_api.called("update_case")]


def test_weather_is_one_click_and_only_one_is_down(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    notes = op.page.notes
    qtbot.waitUntil(notes.isEnabled, timeout=2000)
    assert [b.text() for b in notes.weather_buttons.values()] == list(WEATHER)
    qtbot.mouseClick(notes.weather_buttons["雨"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fake_api.cases[1].get("weather") == "雨", timeout=2000)
    qtbot.mouseClick(notes.weather_buttons["雾"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fake_api.cases[1].get("weather") == "雾", timeout=2000)
    assert _updates(fake_api) == [("雨", None), ("雾", None)]
    assert [v for v, b in notes.weather_buttons.items() if b.isChecked()] == ["雾"]


def test_notes_are_saved_once_after_the_operator_pauses(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    notes = op.page.notes
    qtbot.waitUntil(notes.isEnabled, timeout=2000)
    for ch in "甲车直行 乙车右转":  # as an input method commits them (QTest types Latin-1 only)
        notes.notes.insertPlainText(ch)
    assert _updates(fake_api) == [], "nothing is sent while typing"
    qtbot.waitUntil(lambda: fake_api.cases[1].get("operator_notes") == "甲车直行 乙车右转", timeout=3000)
    assert _updates(fake_api) == [(None, "甲车直行 乙车右转")]
    qtbot.waitUntil(lambda: "已保存" in notes.status.text(), timeout=2000)


def test_notes_still_being_typed_are_saved_before_submitting(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "collecting", timeout=3000)
    notes = op.page.notes
    notes.notes.setPlainText("追尾，前车后保险杠受损")
    op.act("submit")  # the checklist's button; the fake server does not check the checklist
    qtbot.waitUntil(lambda: fake_api.cases[1]["state"] == "awaiting_liability", timeout=3000)
    assert fake_api.cases[1]["operator_notes"] == "追尾，前车后保险杠受损"
    names = [name for name, _ in fake_api.calls]
    assert names.index("update_case") < names.index("submit")
    assert len(fake_api.called("update_case")) == 1


def test_a_refused_weather_goes_back_and_says_why(qtbot, shell, fake_api, wiring):
    op, _ = answered(qtbot, shell, fake_api, wiring)
    notes = op.page.notes
    qtbot.waitUntil(notes.isEnabled, timeout=2000)
    qtbot.mouseClick(notes.weather_buttons["晴"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: fake_api.cases[1].get("weather") == "晴", timeout=2000)
    fake_api.cases[1]["state"] = "interrupted"  # the server moved on; the seat has not heard yet
    qtbot.mouseClick(notes.weather_buttons["雪"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: notes.weather_buttons["晴"].isChecked(), timeout=2000)
    assert not notes.weather_buttons["雪"].isChecked()
    assert "保存天气和经过失败" in shell.window.notice.text()


def test_a_rejoined_case_shows_what_was_recorded(qtbot, shell, fake_api, wiring):
    fake_api.cases[1] = {**case_json(1), "weather": "阴", "operator_notes": "倒车时碰到后方车辆"}
    op, _ = answered(qtbot, shell, fake_api, wiring)
    notes = op.page.notes
    qtbot.waitUntil(lambda: notes.notes.toPlainText() == "倒车时碰到后方车辆", timeout=2000)
    assert notes.weather() == "阴" and not notes.pending()
    assert _updates(fake_api) == []


def test_too_long_notes_are_not_sent_and_the_count_says_so(qtbot):
    widget = CaseNotesWidget()
    qtbot.addWidget(widget)
    sent = []
    widget.notesEdited.connect(sent.append)
    widget.notes.setPlainText("长" * 2001)
    widget.flush()
    assert sent == [] and "已超出 1 字" in widget.status.text()
    widget.notes.setPlainText("长" * 2000)
    widget.flush()
    assert sent == ["长" * 2000]
    widget.mark_unsaved("长" * 2000)
    assert widget.pending()
