"""The waiting cases: longest wait and rejoining parties on top, colour turning amber then red.

Answer with a double click, the button, or Enter. The widget only asks
(``answerRequested``); the controller answers and handles losing the race.
"""
from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seat_app.core.queue import QueueItem, format_wait, sort_queue
from seat_app.ui import theme

COLUMNS = 4
WAIT, STATUS, NUMBER, PLACE = range(COLUMNS)


class QueueTable(QTableWidget):
    """Enter answers the selected row."""

    enterPressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.enterPressed.emit()
            return
        super().keyPressEvent(event)


class QueueWidget(QWidget):
    answerRequested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.items: list[QueueItem] = []
        self._busy = False
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.table = QueueTable(0, COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("等待"), self.tr("状态"), self.tr("案件"), self.tr("位置")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.cellDoubleClicked.connect(lambda row, _col: self._answer_row(row))
        self.table.enterPressed.connect(self.answer_selected)
        self.answer_button = QPushButton(self.tr("接听"))
        self.answer_button.setObjectName("primary")
        self.answer_button.clicked.connect(self.answer_selected)
        self.empty = QLabel(self.tr("暂无等待的案件"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.answer_button)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._refresh_times)
        self._tick.start()
        self.set_items([])

    def set_shortcut_hint(self, key: str) -> None:
        self.answer_button.setToolTip(self.tr("接听选中的案件（{0}，或双击）").format(key))

    def set_busy(self, busy: bool) -> None:
        """While a case is open the seat cannot answer another."""
        self._busy = busy
        self._update_button()

    def set_items(self, items: list[QueueItem]) -> None:
        selected = self.selected_case_id()
        self.items = sort_queue(items)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            self._fill_row(row, item)
        self._reselect(selected)
        self.title.setText(self.tr("排队中（{0}）").format(len(self.items)))
        self.empty.setVisible(not self.items)
        self._update_button()

    def _fill_row(self, row: int, item: QueueItem) -> None:
        place = item.place_text or item.location_text or self.tr("位置未知")  # coordinates only when unnamed
        where = "\n".join(p for p in (item.place_text, item.location_text) if p) or place
        if item.rejoining:
            status = self.tr("重新接入（原坐席）") if item.preferred_seat else self.tr("重新接入")
        else:
            status = self.tr("等待接听") if item.phone_online else self.tr("手机未连接")
        for col, text in enumerate((format_wait(item.waiting_now()), status, item.number, place)):
            cell = QTableWidgetItem(text)
            cell.setData(Qt.ItemDataRole.UserRole, item.case_id)
            cell.setToolTip(f"{item.number}\n{where}")
            self.table.setItem(row, col, cell)
        if item.rejoining:
            font = QFont()
            font.setBold(True)
            self.table.item(row, STATUS).setFont(font)
            self.table.item(row, STATUS).setForeground(QBrush(theme.ACCENT_COLOUR))
        self._colour_row(row, item)

    def _colour_row(self, row: int, item: QueueItem) -> None:
        level = item.level()
        for col in range(COLUMNS):
            cell = self.table.item(row, col)
            cell.setBackground(QBrush(theme.WAIT_BACKGROUNDS[level]))
            if col != STATUS or not item.rejoining:
                cell.setForeground(QBrush(theme.WAIT_COLOURS[level]))

    def _refresh_times(self) -> None:
        now = time.monotonic()
        for row, item in enumerate(self.items):
            self.table.item(row, WAIT).setText(format_wait(item.waiting_now(now)))
            self._colour_row(row, item)

    def _reselect(self, case_id: int | None) -> None:
        rows = [r for r, i in enumerate(self.items) if i.case_id == case_id]
        if rows:
            self.table.selectRow(rows[0])
        elif self.items:
            self.table.selectRow(0)

    def selected_case_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if rows and rows[0].row() < len(self.items):
            return self.items[rows[0].row()].case_id
        return None

    def answer_selected(self) -> None:
        case_id = self.selected_case_id()
        if case_id is not None and not self._busy:
            self.answerRequested.emit(case_id)

    def _answer_row(self, row: int) -> None:
        if 0 <= row < len(self.items) and not self._busy:
            self.answerRequested.emit(self.items[row].case_id)

    def _update_button(self) -> None:
        self.answer_button.setEnabled(bool(self.items) and not self._busy)

    def row_colour(self, case_id: int) -> str:
        """The background colour name of a case's row (for tests and the screenshot check)."""
        for row, item in enumerate(self.items):
            if item.case_id == case_id:
                return self.table.item(row, WAIT).background().color().name()
        return ""
