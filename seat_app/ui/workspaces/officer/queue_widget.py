"""The cases awaiting liability, oldest first: age (amber past 10 min, red past 30), place, parties, holder.

The ages tick every second. Opening (double click, Enter, the button) only
asks (``openRequested``); the controller takes the case.
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seat_app.ui import theme
from seat_app.ui.widgets.queue_widget import QueueTable
from seat_app.ui.workspaces.officer.queue_items import OfficerQueueItem, format_age

COLUMNS = 4
AGE, NUMBER, DISTRICT, HOLDER = range(COLUMNS)


class OfficerQueueWidget(QWidget):
    openRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[OfficerQueueItem] = []
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.table = QueueTable(0, COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("已等"), self.tr("案件"), self.tr("区"), self.tr("处理民警")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HOLDER, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._open_row(row))
        self.table.enterPressed.connect(self.open_selected)
        self.open_button = QPushButton(self.tr("办理"))
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_selected)
        self.empty = QLabel(self.tr("暂无等待认定的案件"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.open_button)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.refresh_ages)
        self._tick.start()
        self.set_items([])

    def set_items(self, items: list[OfficerQueueItem]) -> None:
        selected = self.selected_case_id()
        self.items = list(items)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            self._fill_row(row, item)
        rows = [r for r, i in enumerate(self.items) if i.case_id == selected]
        if rows or self.items:
            self.table.selectRow(rows[0] if rows else 0)
        self.title.setText(self.tr("待认定（{0}）").format(len(self.items)))
        self.empty.setVisible(not self.items)
        self.open_button.setEnabled(bool(self.items))

    def _fill_row(self, row: int, item: OfficerQueueItem) -> None:
        number = item.number + (self.tr("（退回后再次提交）") if item.sent_back else "")
        holder = item.officer_name or (self.tr("有人办理") if item.held else self.tr("—"))
        texts = (format_age(item.age()), number, item.district, holder)
        tip = self.tr("{0}，{1} 方当事人，提交于 {2}").format(item.number, item.parties, item.submitted_at or "—")
        for col, text in enumerate(texts):
            cell = QTableWidgetItem(text)
            cell.setData(Qt.ItemDataRole.UserRole, item.case_id)
            cell.setToolTip(tip)
            self.table.setItem(row, col, cell)
        self._colour_row(row, item, time.monotonic())

    def _colour_row(self, row: int, item: OfficerQueueItem, now: float) -> None:
        level = item.level(now)
        for col in range(COLUMNS):
            cell = self.table.item(row, col)
            cell.setBackground(QBrush(theme.WAIT_BACKGROUNDS[level]))
            cell.setForeground(QBrush(theme.WAIT_COLOURS[level] if col != HOLDER or not item.held
                                      else theme.ACCENT_COLOUR))

    def refresh_ages(self) -> None:
        now = time.monotonic()
        for row, item in enumerate(self.items):
            self.table.item(row, AGE).setText(format_age(item.age(now)))
            self._colour_row(row, item, now)

    def selected_case_id(self) -> int | None:
        model = self.table.selectionModel()
        rows = model.selectedRows() if model else []
        if rows and rows[0].row() < len(self.items):
            return self.items[rows[0].row()].case_id
        return None

    def open_selected(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None:
            self.openRequested.emit(case_id)

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self.openRequested.emit(self.items[row].case_id)

    def row_colour(self, case_id: int) -> str:
        for row, item in enumerate(self.items):
            if item.case_id == case_id:
                return self.table.item(row, AGE).background().color().name()
        return ""

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, col).text() for col in range(COLUMNS)]
