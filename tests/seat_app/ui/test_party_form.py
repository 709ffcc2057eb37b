"""The party form shows what the operator reads (蓝, 渐变绿), stores what the registry speaks, and fits the policy."""
from __future__ import annotations

from seat_app.core.case import Case, Party
from seat_app.ui import labels
from seat_app.ui.widgets.parties_widget import PartiesWidget
from seat_app.ui.widgets.party_form_widget import PartyFormWidget


def party(**vehicle: str) -> Party:
    return Party.from_json({"id": 7, "position": 1, "kind": "motor", **vehicle})


def test_plate_colours_are_shown_in_chinese_and_kept_as_codes():
    assert [labels.plate_colour_label(c) for c in ("blue", "yellow", "green", "white", "black")] == \
        ["蓝", "黄", "绿", "白", "黑"]
    assert labels.plate_colour_label("green", "川AD35812") == "渐变绿"  # a small new-energy plate
    assert labels.plate_colour_label("green", "川A12345D") == "黄绿"  # a large one
    assert [labels.plate_colour_code(t) for t in ("蓝", "蓝色", "渐变绿", "黄绿", "Blue")] == \
        ["blue", "blue", "green", "yellow_green", "blue"]


def test_the_form_shows_the_colour_in_words_and_an_edit_sends_the_code(qtbot):
    form = PartyFormWidget(party(plate="川AD35812", plate_colour="green"))
    qtbot.addWidget(form)
    edit = form.edits["plate_colour"]
    assert edit.text() == "渐变绿" and form.validity("plate_colour") == "valid"
    with qtbot.waitSignal(form.fieldEdited) as sent:
        edit.setText("蓝色")
        edit.editingFinished.emit()
    assert sent.args == [7, "plate_colour", "blue"]
    with qtbot.assertNotEmitted(form.fieldEdited):  # showing 渐变绿 again is no edit
        edit.setText("渐变绿")
        edit.editingFinished.emit()


def test_the_longest_policy_number_fits_its_field_with_two_parties_side_by_side(qtbot):
    number = "10501003902025000120458"  # 23 digits, the longest format in the demo registry
    case = Case.from_json({"id": 1, "number": "KC1", "state": "collecting", "parties": [
        {"id": 11, "position": 1, "kind": "motor", "policy_number": number},
        {"id": 12, "position": 2, "kind": "motor", "policy_number": "PDZA202551010000031872"}]})
    parties = PartiesWidget()
    qtbot.addWidget(parties)
    parties.resize(660, 700)  # the case column's width in the operator's workspace
    parties.set_case(case)
    parties.show()
    qtbot.waitExposed(parties)
    for form in parties.forms.values():
        edit = form.edits["policy_number"]
        margins = edit.textMargins().left() + edit.textMargins().right() + 8  # the frame and its padding
        assert edit.width() >= edit.fontMetrics().horizontalAdvance(number) + margins
