"""The case file beside the decision: the place, the eligibility results with the operator's answers, the audit.

Each panel shows the server's JSON as it is; none of them edits anything.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from seat_app.ui import labels, theme
from seat_app.ui.widgets.location_map_widget import LocationMapWidget

RULE_COLOURS = {"met": theme.VALID, "failed": theme.INVALID, "needs_answer": "#b26a00"}


def case_point(case: dict[str, Any]) -> tuple[float | None, float | None]:
    """(lat, lon) of the case: ``location`` {lat, lon}, or ``latitude``/``longitude``."""
    location = case.get("location") or {}
    lat = location.get("lat", case.get("latitude"))
    lon = location.get("lon", case.get("longitude"))
    return (float(lat) if lat is not None else None, float(lon) if lon is not None else None)


class LocationPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel(self.tr("未选择案件"))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.map = LocationMapWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.map, 1)

    def show_case(self, case: dict[str, Any]) -> None:
        lat, lon = case_point(case)
        accuracy = (case.get("location") or {}).get("accuracy_m")
        where = f"{lat:.6f}, {lon:.6f}" if lat is not None and lon is not None else self.tr("无坐标")
        if accuracy:
            where += self.tr("（精度约 {0} 米）").format(int(accuracy))
        self.text.setText(self.tr("辖区：{0}\n坐标：{1}").format(case.get("district") or self.tr("未知"), where))
        self.map.set_point(lat, lon)


class EligibilityPanel(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderLabels([self.tr("项目"), self.tr("结果")])
        self.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.setRootIsDecorated(True)

    def show_case(self, case: dict[str, Any], rules: list[dict[str, Any]]) -> None:
        self.clear()
        checks = QTreeWidgetItem(self, [self.tr("适用条件核查"), ""])
        for rule in rules:
            status = str(rule.get("status") or "")
            item = QTreeWidgetItem(checks, [labels.rule_label(str(rule.get("key") or "")),
                                            str(rule.get("reason_zh") or status)])
            item.setForeground(1, QBrush(QColor(RULE_COLOURS.get(status, theme.NEUTRAL))))
        if not rules:
            QTreeWidgetItem(checks, [self.tr("无记录"), ""])
        answers = QTreeWidgetItem(self, [self.tr("接警员的询问"), ""])
        for key, value in (case.get("answers") or {}).items():
            if key == "safety_confirmed":
                text = self.tr("已确认") if value else self.tr("未确认")
                QTreeWidgetItem(answers, [self.tr("现场安全确认"), text])
            else:
                QTreeWidgetItem(answers, [labels.question_label(key), labels.answer_label(key, value)])
        notes = str(case.get("operator_notes") or "")
        if notes:
            QTreeWidgetItem(answers, [self.tr("接警员备注"), notes])
        self.expandAll()


class AuditPanel(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setHorizontalHeaderLabels([self.tr("时间"), self.tr("操作人"), self.tr("操作"), self.tr("状态")])
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def show_events(self, events: list[dict[str, Any]]) -> None:
        self.setRowCount(len(events))
        for row, event in enumerate(events):
            states = " → ".join(s for s in (event.get("from"), event.get("to")) if s)
            at = str(event.get("at") or "").replace("T", " ")[:19]
            for col, text in enumerate((at, str(event.get("actor") or ""), str(event.get("action") or ""), states)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(str(event.get("detail") or ""))
                self.setItem(row, col, cell)
