"""The case file beside the decision: the place, the eligibility results with the operator's answers, the audit.

Each panel shows the server's JSON as it is; none of them edits anything.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
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
translate = QCoreApplication.translate


def audit_action_label(action: str) -> str:
    """What an audit event's action means to an officer; an action the seat does not know stays as it is."""
    return {
        "open": translate("AuditPanel", "报警"), "answer": translate("AuditPanel", "坐席接听"),
        "start_collection": translate("AuditPanel", "开始采集"), "interrupt": translate("AuditPanel", "通话中断"),
        "rejoin": translate("AuditPanel", "当事人重新接入"), "abandon": translate("AuditPanel", "当事人放弃"),
        "escalate": translate("AuditPanel", "转现场处理"), "submit": translate("AuditPanel", "提交认定"),
        "takeover": translate("AuditPanel", "值班长转交"), "evidence_added": translate("AuditPanel", "上传证据"),
        "evidence_ocr_set": translate("AuditPanel", "保存识别结果"),
        "evidence_relabelled": translate("AuditPanel", "证据改标签"), "party_added": translate("AuditPanel", "添加当事方"),
        "party_updated": translate("AuditPanel", "修改当事人信息"), "party_verified": translate("AuditPanel", "登记核验"),
        "answers_set": translate("AuditPanel", "记录询问结果"), "safety": translate("AuditPanel", "确认现场安全"),
        "location": translate("AuditPanel", "定位"), "instruction": translate("AuditPanel", "提示当事人"),
        "invitation_created": translate("AuditPanel", "发送链接"), "invitation_revoked": translate("AuditPanel", "撤销链接"),
        "case_noted": translate("AuditPanel", "记录天气和备注"), "officer_took": translate("AuditPanel", "民警受理"),
        "send_back": translate("AuditPanel", "退回补充证据"), "determine": translate("AuditPanel", "作出认定"),
        "document_issued": translate("AuditPanel", "出具认定书"),
        "request_review": translate("AuditPanel", "当事人申请复核"),
        "withdraw_review": translate("AuditPanel", "撤回复核申请"), "review": translate("AuditPanel", "作出复核结论"),
        "document_revoked": translate("AuditPanel", "撤销原认定书"),
    }.get(action, action)


def state_label(state: str) -> str:
    return {
        "queued": translate("AuditPanel", "排队"), "in_call": translate("AuditPanel", "通话中"),
        "collecting": translate("AuditPanel", "采集中"), "interrupted": translate("AuditPanel", "中断"),
        "escalated": translate("AuditPanel", "转现场"), "abandoned": translate("AuditPanel", "已放弃"),
        "awaiting_liability": translate("AuditPanel", "待认定"), "determined": translate("AuditPanel", "已认定"),
        "review_requested": translate("AuditPanel", "复核中"), "reviewed": translate("AuditPanel", "已复核"),
    }.get(state, state)


def case_point(case: dict[str, Any]) -> tuple[float | None, float | None]:
    """(lat, lon) of the case: ``location`` {lat, lon}, or ``latitude``/``longitude``."""
    location = case.get("location") or {}
    lat = location.get("lat", case.get("latitude"))
    lon = location.get("lon", case.get("longitude"))
    return (float(lat) if lat is not None else None, float(lon) if lon is not None else None)


def local_stamp(iso: str | None) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on this seat's clock for a server time."""
    try:
        return datetime.fromisoformat(str(iso)).astimezone().strftime("%Y-%m-%d %H:%M:%S") if iso else ""
    except ValueError:
        return str(iso)


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
            states = " → ".join(state_label(s) for s in (event.get("from"), event.get("to")) if s)
            at = local_stamp(event.get("at"))
            action = str(event.get("action") or "")
            for col, text in enumerate((at, str(event.get("actor") or ""), audit_action_label(action), states)):
                cell = QTableWidgetItem(text)
                cell.setToolTip(str(event.get("detail") or ""))
                self.setItem(row, col, cell)
