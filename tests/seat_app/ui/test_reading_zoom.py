"""A plate OCR flagged is drawn amber; a click zooms it, and the reading picked fills the field."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from seat_app.core.evidence import EvidenceRecord, OcrStatus, OverlayItem
from seat_app.ui.dialogs.reading_zoom_dialog import zoomed_crop
from seat_app.ui.widgets.overlay_widget import FLAGGED, OverlayWidget

CONFUSABLE = OverlayItem((300, 200, 180, 50), "川A8F7K2", "plate", False, 0.8, "号牌号码（蓝牌）",
                         flag="confusable", alternatives=("川A8F7K2", "川ABF7K2"))
PARTIAL = OverlayItem((40, 400, 160, 48), "?A5F7K2", "plate", False, 0.9, "号牌号码（蓝牌）", flag="partial")
CLEAN = OverlayItem((600, 200, 180, 50), "川B12345", "plate", True, 0.97, "号牌号码（蓝牌）")


def _widget(qtbot, items):
    widget = OverlayWidget()
    qtbot.addWidget(widget)
    rgb = np.zeros((720, 1280, 3), np.uint8)
    rgb[200:250, 300:480] = (20, 60, 200)
    record = EvidenceRecord(7, "frame", "plate", None, 1280, 720, ocr_status=OcrStatus.DONE, overlay=tuple(items))
    widget.show_record(record, rgb)
    return widget


def _clicks(widget):
    got = []
    widget.boxClicked.connect(lambda local_id, item: got.append((local_id, item)))
    return got


def test_flagged_plates_are_amber_and_others_keep_their_colour(qtbot):
    widget = _widget(qtbot, [CONFUSABLE, PARTIAL, CLEAN])
    colours = {b.item.text: b.pen().color().name() for b in widget.view.boxes}
    assert colours["川A8F7K2"] == colours["?A5F7K2"] == FLAGGED
    assert colours["川B12345"] != FLAGGED


def test_a_click_on_a_confusable_plate_opens_the_zoom_and_the_pick_fills_the_field(qtbot):
    widget = _widget(qtbot, [CONFUSABLE, CLEAN])
    got = _clicks(widget)
    widget.view.boxClicked.emit(CONFUSABLE)
    dialog = widget.zoom_dialog
    assert dialog is not None and dialog.isVisible() and not got  # nothing filled by the click itself
    assert [b.text() for b in dialog.choices] == ["川A8F7K2", "川ABF7K2"]
    assert dialog.picture.pixmap().width() > CONFUSABLE.box[2]  # shown larger than in the frame
    qtbot.mouseClick(dialog.choices[1], Qt.MouseButton.LeftButton)
    assert len(got) == 1
    local_id, item = got[0]
    assert local_id == 7 and item.text == "川ABF7K2" and item.valid and item.field == "plate" and not item.flag


def test_a_partial_plate_fills_only_once_the_operator_has_typed_a_whole_plate(qtbot):
    widget = _widget(qtbot, [PARTIAL])
    got = _clicks(widget)
    widget.view.boxClicked.emit(PARTIAL)
    dialog = widget.zoom_dialog
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.choices == [] and not ok.isEnabled()  # '?' is never guessed
    ok.click()
    assert not got
    dialog.edit.setText("川A5F7K2")
    assert ok.isEnabled()
    ok.click()
    assert [(i, it.text, it.valid) for i, it in got] == [(7, "川A5F7K2", True)]


def test_a_clean_plate_still_fills_on_a_click_without_a_dialog(qtbot):
    widget = _widget(qtbot, [CLEAN])
    got = _clicks(widget)
    widget.view.boxClicked.emit(CLEAN)
    assert widget.zoom_dialog is None
    assert [it.text for _, it in got] == ["川B12345"]


def test_the_zoom_keeps_the_plate_and_some_of_its_surroundings():
    rgb = np.zeros((100, 200, 3), np.uint8)
    crop = zoomed_crop(rgb, (190, 10, 40, 20))  # runs beyond the frame's right edge
    assert crop.shape[0] > 20 and crop.shape[1] <= 200 - 190 + 40
    assert zoomed_crop(rgb, (50, 40, 60, 20)).shape[:2] == (2 * (7 + 4) + 20, 2 * (21 + 4) + 60)


def test_a_caption_near_the_right_edge_stays_inside_the_picture(qtbot):
    edge = OverlayItem((1200, 300, 78, 30), "鄂A7KZ55", "plate", False, 0.9, "号牌号码（蓝牌）", flag="confusable")
    widget = _widget(qtbot, [edge])
    captions = [i for i in widget.view.scene().items() if i.childItems() and not hasattr(i, "item")]
    assert captions
    assert all(c.pos().x() + c.boundingRect().right() <= 1280 + 1 for c in captions)
