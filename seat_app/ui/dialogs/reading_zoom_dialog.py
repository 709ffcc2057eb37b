"""A doubtful plate reading, zoomed: the operator reads it off the picture and picks or types it.

OCR flags a plate it will not fill on its own: a character it could not read ('?': hidden, cut
off by the frame, worn) or one with another reading nearly as likely (8/B, 0/D, 皖/赣). The
overlay draws such a box amber; a click opens this dialog with the box enlarged and the readings
to choose from. Picking one, or typing the plate, fills the field; only a well-formed plate can
be taken.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kuaichu_protocol.validators import is_valid_plate, normalise_plate
from seat_app.core.evidence import OverlayItem
from seat_app.ui.widgets.video_widget import rgb_to_image

ZOOM_WIDTH = 560  # px the plate is shown at
CONTEXT = 0.35  # share of the box's width and height shown around it


def zoomed_crop(rgb: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """The box with some of its surroundings (the frame's edge, what hides a character)."""
    x, y, w, h = box
    dx, dy = int(w * CONTEXT) + 4, int(h * CONTEXT) + 4
    height, width = rgb.shape[:2]
    x0, y0 = max(0, x - dx), max(0, y - dy)
    x1, y1 = min(width, x + w + dx), min(height, y + h + dy)
    if x1 <= x0 or y1 <= y0:
        return rgb
    return np.ascontiguousarray(rgb[y0:y1, x0:x1])


class ReadingZoomDialog(QDialog):
    picked = Signal(str)  # the plate the operator chose or typed, normalised

    def __init__(self, rgb: np.ndarray | None, item: OverlayItem, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setWindowTitle(self.tr("核对识别结果"))
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(120)
        if rgb is not None:
            pixmap = QPixmap.fromImage(rgb_to_image(zoomed_crop(rgb, item.box)))
            self.picture.setPixmap(pixmap.scaledToWidth(ZOOM_WIDTH, Qt.TransformationMode.SmoothTransformation))
        if item.flag == "partial":
            hint = self.tr("有字符无法识别（以 ? 表示）：请对照放大的图像填写完整号牌。")
        else:
            hint = self.tr("有字符容易混淆：请对照放大的图像选择正确的号牌。")
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.choices: list[QPushButton] = []
        row = QHBoxLayout()
        for text in item.alternatives:
            button = QPushButton(text)
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _checked=False, t=text: self._take(t))
            row.addWidget(button)
            self.choices.append(button)
        row.addStretch(1)
        self.edit = QLineEdit(item.text)
        self.edit.setPlaceholderText(self.tr("号牌号码"))
        self.edit.textChanged.connect(self._update)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("填入"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(lambda: self._take(self.edit.text()))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.picture)
        layout.addWidget(self.hint)
        if self.choices:
            layout.addWidget(QLabel(self.tr("可能的读法：")))
            layout.addLayout(row)
        layout.addWidget(QLabel(self.tr("或输入：")))
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(is_valid_plate(self.edit.text()))

    def _take(self, text: str) -> None:
        plate = normalise_plate(text)
        if not is_valid_plate(plate):
            return
        self.picked.emit(plate)
        self.accept()
