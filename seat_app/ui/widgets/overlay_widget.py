"""A captured picture with what OCR read drawn over it: a box per reading, its text beside it.

Green boxes are well-formed values for a party field, orange ones are readings
that failed their check, grey ones are text that is not a field. Amber ones are plates OCR
flagged for the operator (a character unread, or one with another reading nearly as likely):
a click opens them zoomed with the readings to choose from (ReadingZoomDialog), and the one
picked fills the field. Clicking any other box fills that field; "apply all valid" fills every
green one.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneMouseEvent,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seat_app.core.evidence import EvidenceRecord, OcrStatus, OverlayItem
from seat_app.ui import labels, theme
from seat_app.ui.dialogs.reading_zoom_dialog import ReadingZoomDialog
from seat_app.ui.widgets.video_widget import rgb_to_image


FLAGGED = "#ffb300"  # amber: a plate to check on the zoomed picture before it fills anything
INVALID_READING = "#ef6c00"


def box_colour(item: OverlayItem) -> str:
    if not item.field:
        return theme.NEUTRAL
    if item.flag:
        return FLAGGED
    return theme.VALID if item.valid else INVALID_READING


class BoxItem(QGraphicsRectItem):
    """One reading; clickable when it names a field."""

    def __init__(self, item: OverlayItem, on_click) -> None:  # noqa: ANN001 - a plain callback
        x, y, w, h = item.box
        super().__init__(QRectF(x, y, w, h))
        self.item = item
        self._on_click = on_click
        colour = QColor(box_colour(item))
        pen = QPen(colour, 3)
        pen.setCosmetic(True)
        self.setPen(pen)
        self.setBrush(QBrush(QColor(colour.red(), colour.green(), colour.blue(), 40)))
        if item.field:
            self.setCursor(Qt.CursorShape.PointingHandCursor)
            self.setToolTip(f"{labels.field_label(item.field)}: {item.text}")
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, bool(item.field))

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:  # noqa: N802 - Qt's name
        if self.item.field:
            self._on_click(self.item)
            event.accept()
            return
        super().mousePressEvent(event)


class OverlayView(QGraphicsView):
    boxClicked = Signal(object)  # OverlayItem

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setMinimumHeight(160)
        self.setBackgroundBrush(QBrush(QColor("#101418")))
        self.boxes: list[BoxItem] = []

    def show_picture(self, rgb: np.ndarray | None, items: tuple[OverlayItem, ...] = ()) -> None:
        scene = self.scene()
        scene.clear()
        self.boxes = []
        if rgb is None:
            return
        scene.addItem(QGraphicsPixmapItem(QPixmap.fromImage(rgb_to_image(rgb))))
        scale = max(1.0, rgb.shape[1] / 600)  # captions stay readable when the view shrinks the picture
        for item in items:
            self._add_box(item, scale, rgb.shape[1])
        scene.setSceneRect(QRectF(0, 0, rgb.shape[1], rgb.shape[0]))
        self.fit()

    def _add_box(self, item: OverlayItem, scale: float, picture_width: int) -> None:
        box = BoxItem(item, self.boxClicked.emit)
        self.scene().addItem(box)
        self.boxes.append(box)
        if not item.field:  # other text on the document: a grey box with a tooltip, no caption clutter
            box.setToolTip(item.text)
            return
        caption = f"{labels.field_label(item.field)}: {item.text}"
        if item.flag:
            caption += self.tr("（点击核对）")
        text = QGraphicsSimpleTextItem(caption)
        font = QFont()
        font.setPixelSize(int(16 * scale))
        font.setBold(True)
        text.setFont(font)
        text.setBrush(QBrush(QColor("#ffffff")))
        x, y, _, h = item.box
        background = QGraphicsRectItem(text.boundingRect().adjusted(-3, -1, 3, 1))
        background.setBrush(QBrush(QColor(0, 0, 0, 170)))
        background.setPen(QPen(Qt.PenStyle.NoPen))
        top = y - text.boundingRect().height() - 4 if y > 24 * scale else y + h + 4
        # A box near the picture's right edge keeps its caption inside the picture.
        background.setPos(max(0.0, min(x, picture_width - background.boundingRect().width())), top)
        text.setParentItem(background)
        self.scene().addItem(background)

    def fit(self) -> None:
        if not self.scene().sceneRect().isEmpty():
            self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit()


class OverlayWidget(QWidget):
    """The overlay view with its title and the "apply all valid" button."""

    boxClicked = Signal(int, object)  # local_id, OverlayItem
    applyAllRequested = Signal(int)  # local_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: EvidenceRecord | None = None
        self.rgb: np.ndarray | None = None
        self.zoom_dialog: ReadingZoomDialog | None = None
        self.title = QLabel(self.tr("选择一张证据查看识别结果"))
        self.apply_button = QPushButton(self.tr("全部采用"))
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(self._apply_all)
        self.view = OverlayView()
        self.view.boxClicked.connect(self._box_clicked)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.view, 1)

    def set_shortcut_hint(self, key: str) -> None:
        self.apply_button.setToolTip(self.tr("把所有识别有效（绿色）的内容填入当事人信息（{0}）").format(key))

    def show_record(self, record: EvidenceRecord | None, rgb: np.ndarray | None) -> None:
        self.record = record
        self.rgb = rgb
        if record is None:
            self.view.show_picture(None)
            self.title.setText(self.tr("选择一张证据查看识别结果"))
            self.apply_button.setEnabled(False)
            return
        self.view.show_picture(rgb, record.overlay)
        valid = sum(1 for i in record.overlay if i.field and i.valid)
        title = labels.evidence_label(record.label, record.extra.get("position"))
        if record.ocr_status in (OcrStatus.PENDING, OcrStatus.RUNNING):
            self.title.setText(self.tr("{0}：识别中…").format(title))
        else:
            self.title.setText(self.tr("{0}：识别到 {1} 项有效内容").format(title, valid))
        self.apply_button.setEnabled(valid > 0)

    def _apply_all(self) -> None:
        if self.record is not None:
            self.applyAllRequested.emit(self.record.local_id)

    def _box_clicked(self, item: OverlayItem) -> None:
        if self.record is None:
            return
        if item.flag and item.field == "plate":
            self.open_zoom(item)
            return
        self.boxClicked.emit(self.record.local_id, item)

    def open_zoom(self, item: OverlayItem) -> ReadingZoomDialog:
        """The flagged reading zoomed, with its alternatives; the plate picked is applied as a click
        on a well-formed box would be."""
        local_id = self.record.local_id if self.record is not None else -1
        dialog = ReadingZoomDialog(self.rgb, item, parent=self)
        dialog.picked.connect(lambda text: self.boxClicked.emit(
            local_id, replace(item, text=text, valid=True, flag="", alternatives=())))
        dialog.finished.connect(dialog.deleteLater)
        self.zoom_dialog = dialog
        dialog.open()
        return dialog
