"""Thumbnails of the evidence captured in this call, shown the moment a picture is taken.

Each tile says what the picture is (甲方 号牌) and where it stands: uploading,
reading, read, or failed. Selecting a tile opens it in the overlay view.

A document that shares no identifier with any party waits for the operator: the bar
under the tiles asks which party it belongs to, one click (甲方 / 乙方 / 新当事方).
A tile's context menu moves any capture to another party or another kind.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QMenu, QPushButton, QVBoxLayout, QWidget,
)

from seat_app.core.evidence import EvidenceRecord, OcrStatus
from seat_app.ui import labels
from seat_app.ui.widgets.video_widget import rgb_to_image

THUMB = QSize(128, 80)
NEW_PARTY = -1  # seat_app.core.attribution.NEW_PARTY: the answer "a new party"
#: The kinds a capture can be given from its menu.
MENU_LABELS = ("scene", "impact", "plate", "licence", "vehicle_licence", "insurance", "together", "other")


class EvidenceGalleryWidget(QWidget):
    selected = Signal(int)  # local_id
    assignRequested = Signal(int, int)  # local_id, party id (NEW_PARTY: a new party)
    relabelRequested = Signal(int, str)  # local_id, label

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
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._open_menu)
        self.prompt = QWidget()
        self.prompt.setObjectName("attribution_prompt")
        self.prompt_label = QLabel()
        self.prompt_label.setStyleSheet("color: #b26a00; font-weight: bold;")
        self.prompt_buttons = QHBoxLayout()
        prompt_layout = QHBoxLayout(self.prompt)
        prompt_layout.setContentsMargins(0, 0, 0, 0)
        prompt_layout.addWidget(self.prompt_label, 1)
        prompt_layout.addLayout(self.prompt_buttons)
        self.prompt.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addWidget(self.prompt)
        self._items: dict[int, QListWidgetItem] = {}
        self._records: dict[int, EvidenceRecord] = {}
        self._parties: list[tuple[int, int]] = []  # (party id, position)
        self._can_add = True
        self._pending: dict[int, str] = {}  # local_id -> what the document says (its name, plate...)
        self.menu: QMenu | None = None

    def clear(self) -> None:
        self.list.clear()
        self._items.clear()
        self._records.clear()
        self.set_pending({})

    def set_parties(self, parties: list[tuple[int, int]], can_add: bool) -> None:
        """The parties a capture can be given to: (party id, position); ``can_add``: room for a new one."""
        if (parties, can_add) != (self._parties, self._can_add):
            self._parties, self._can_add = list(parties), can_add
            self._show_prompt()

    def set_pending(self, pending: dict[int, str]) -> None:
        """The captures that wait for the operator's answer, with what each document says."""
        if pending == self._pending:
            return
        self._pending = dict(pending)
        for local_id, record in self._records.items():
            self.update_record(record)
        self._show_prompt()

    def _show_prompt(self) -> None:
        while self.prompt_buttons.count():
            widget = self.prompt_buttons.takeAt(0).widget()
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        local_id = next((i for i in self._records if i in self._pending), None)
        self.prompt.setVisible(local_id is not None)
        if local_id is None:
            return
        record = self._records[local_id]
        more = len(self._pending) - 1
        text = self.tr("第{0}张 {1}（{2}）属于哪一方？").format(
            self._number(local_id), labels.evidence_label(record.label), self._pending[local_id])
        self.prompt_label.setText(text + (self.tr(" 另有 {0} 张待归属").format(more) if more else ""))
        for party_id, name in self._choices():
            button = QPushButton(name)
            button.setObjectName("attribute_to")
            button.clicked.connect(lambda _c=False, p=party_id: self.assignRequested.emit(local_id, p))
            self.prompt_buttons.addWidget(button)

    def _choices(self) -> list[tuple[int, str]]:
        choices = [(party_id, labels.party_name(position)) for party_id, position in self._parties]
        if self._can_add:
            choices.append((NEW_PARTY, self.tr("新当事方")))
        return choices

    def _number(self, local_id: int) -> int:
        return list(self._records).index(local_id) + 1

    def menu_for(self, local_id: int) -> QMenu:
        """The tile's context menu: move the capture to another party, or call it another kind."""
        record = self._records[local_id]
        menu = QMenu(self)
        to_party = menu.addMenu(self.tr("归属到"))
        for party_id, name in self._choices():
            action = to_party.addAction(name)
            action.setCheckable(True)
            action.setChecked(party_id == record.party_id)
            action.triggered.connect(lambda _c=False, p=party_id: self.assignRequested.emit(local_id, p))
        to_kind = menu.addMenu(self.tr("改为"))
        for label in MENU_LABELS:
            action = to_kind.addAction(labels.evidence_label(label))
            action.setCheckable(True)
            action.setChecked(label == record.label)
            action.triggered.connect(lambda _c=False, lab=label: self.relabelRequested.emit(local_id, lab))
        return menu

    def _open_menu(self, point: QPoint) -> None:
        item = self.list.itemAt(point)
        if item is None:
            return
        self.menu = self.menu_for(int(item.data(Qt.ItemDataRole.UserRole)))
        self.menu.popup(self.list.viewport().mapToGlobal(point))

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
        if record.local_id in self._pending:
            return self.tr("待选归属")
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
