"""Thumbnails of the evidence captured in this call, shown the moment a picture is taken.

Each tile says what the picture is (甲方 号牌) and where it stands: uploading,
reading, read, or failed. Selecting a tile opens it in the overlay view.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from seat_app.core.evidence import EvidenceRecord, OcrStatus
from seat_app.ui import labels
from seat_app.ui.widgets.video_widget import rgb_to_image

THUMB = QSize(128, 80)


class EvidenceGalleryWidget(QWidget):
    selected = Signal(int)  # local_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(THUMB)
        self.list.setGridSize(QSize(THUMB.width() + 16, THUMB.height() + 40))
        self.list.setMovement(QListView.Movement.Static)
        self.list.setFixedHeight(THUMB.height() + 60)
        self.list.currentItemChanged.connect(self._current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        self._items: dict[int, QListWidgetItem] = {}
        self._records: dict[int, EvidenceRecord] = {}

    def clear(self) -> None:
        self.list.clear()
        self._items.clear()
        self._records.clear()

    def add(self, record: EvidenceRecord, rgb: np.ndarray) -> None:
        pixmap = QPixmap.fromImage(rgb_to_image(rgb)).scaled(
            THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        item = QListWidgetItem(QIcon(pixmap), "")
        item.setData(Qt.ItemDataRole.UserRole, record.local_id)
        self.list.addItem(item)
        self._items[record.local_id] = item
        self.update_record(record)
        self.list.setCurrentItem(item)
        self.list.scrollToItem(item)

    def update_record(self, record: EvidenceRecord) -> None:
        item = self._items.get(record.local_id)
        if item is None:
            return
        self._records[record.local_id] = record
        item.setText(f"{self._title(record)}\n{self._status(record)}")
        item.setToolTip(f"{labels.kind_label(record.kind)} {record.width}×{record.height}")

    def _title(self, record: EvidenceRecord) -> str:
        position = self._position_of(record)
        return labels.evidence_label(record.label, position)

    def _position_of(self, record: EvidenceRecord) -> int | None:
        return record.extra.get("position") if record.party_id is not None else None

    def _status(self, record: EvidenceRecord) -> str:
        if record.upload_error:
            return self.tr("上传失败")
        if record.ocr_status in (OcrStatus.PENDING, OcrStatus.RUNNING):
            return self.tr("识别中…")
        if record.ocr_status is OcrStatus.FAILED:
            return self.tr("识别失败")
        if not record.uploaded:
            return self.tr("上传中…")
        read = sum(1 for i in record.overlay if i.field and i.valid)
        return self.tr("已识别 {0} 项").format(read) if read else self.tr("已上传")

    def count(self) -> int:
        return self.list.count()

    def record(self, local_id: int) -> EvidenceRecord | None:
        return self._records.get(local_id)

    def _current_changed(self, current: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if current is not None:
            self.selected.emit(int(current.data(Qt.ItemDataRole.UserRole)))
