"""The signed-in seats: who is in a call, who is free, and for how long (from the ``now`` frames)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from seat_app.ui.workspaces.supervisor.dashboard_figures import NowFigures, SeatState, format_duration

STATE_COLOURS = {SeatState.IN_CALL: "#1565c0", SeatState.WRAP_UP: "#b26a00", SeatState.IDLE: "#2e7d32"}


class SeatListWidget(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels([self.tr("坐席"), self.tr("状态"), self.tr("持续"), self.tr("案件")])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.figures = NowFigures()

    def state_text(self, state: str) -> str:
        texts = {SeatState.IDLE: self.tr("空闲"), SeatState.IN_CALL: self.tr("通话中"),
                 SeatState.WRAP_UP: self.tr("整理中")}
        return texts.get(state, state)

    def show_figures(self, figures: NowFigures) -> None:
        """A new frame: the rows, busiest first and longest in their state first."""
        self.figures = figures
        order = {SeatState.IN_CALL: 0, SeatState.WRAP_UP: 1, SeatState.IDLE: 2}
        rows = sorted(figures.seats, key=lambda r: (order.get(r.state, 3), -(r.in_state_s or 0), r.name))
        self.setRowCount(len(rows))
        for i, row in enumerate(rows):
            state = QTableWidgetItem(f"● {self.state_text(row.state)}")
            state.setForeground(QColor(STATE_COLOURS.get(row.state, "#607d8b")))
            case = QTableWidgetItem(str(row.case_id) if row.case_id is not None else "")
            self.setItem(i, 0, QTableWidgetItem(row.name))
            self.setItem(i, 1, state)
            self.setItem(i, 2, QTableWidgetItem(""))
            self.setItem(i, 3, case)
            self.item(i, 2).setData(Qt.ItemDataRole.UserRole, row)
        self.tick()

    def tick(self) -> None:
        """Once a second: the time in state keeps counting between frames."""
        for i in range(self.rowCount()):
            item = self.item(i, 2)
            row = item.data(Qt.ItemDataRole.UserRole)
            item.setText(format_duration(self.figures.seat_in_state_now(row)))

    def rows_text(self) -> list[tuple[str, str, str]]:
        return [(self.item(i, 0).text(), self.item(i, 1).text(), self.item(i, 2).text())
                for i in range(self.rowCount())]
