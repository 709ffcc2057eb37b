"""One party as the officer decides: who they are, what the registries said, the grade and the violations.

The data is the case as the server holds it (``GET /api/cases/{id}``); the
officer's choices go out as signals, and the problems of 第六十条 that name
this party come back through ``set_problems`` and are shown under it in red.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from kuaichu_protocol.accident_facts import plate_with_dot
from seat_app.ui import labels, theme
from seat_app.ui.widgets.violation_picker_widget import ViolationPickerWidget

#: the fields shown for a party, in the order of the document's party block
SHOWN_FIELDS = ("driver_name", "id_number", "phone", "licence_class", "plate", "vehicle_type", "owner", "insurer",
                "policy_number")
REGISTRY_CHECKS = ("driver", "vehicle", "insurance")
STATUS_COLOURS = {"passed": theme.VALID, "failed": theme.INVALID, "unavailable": "#b26a00"}


def grade_label(grade: str) -> str:
    translate = QCoreApplication.translate
    return {
        "full": translate("LiabilityPartyWidget", "全部责任"),
        "major": translate("LiabilityPartyWidget", "主要责任"),
        "equal": translate("LiabilityPartyWidget", "同等责任"),
        "minor": translate("LiabilityPartyWidget", "次要责任"),
        "none": translate("LiabilityPartyWidget", "无责任"),
    }.get(grade, grade)


class LiabilityPartyWidget(QGroupBox):
    responsibilityChosen = Signal(int, str)  # party id, grade ("" = not chosen)
    violationSearch = Signal(int, str)  # party id, query
    violationPicked = Signal(int, str)  # party id, code
    violationRemoved = Signal(int, str)  # party id, code

    def __init__(self, party: dict[str, Any], grades: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.party_id = int(party["id"])
        self.position = int(party.get("position") or 0)
        self.setTitle(self._title(party))
        self.details = QGridLayout()
        self.details.setContentsMargins(0, 0, 0, 0)
        self.details.setHorizontalSpacing(10)
        self.details.setVerticalSpacing(2)
        self.details.setColumnStretch(1, 1)
        self.details.setColumnStretch(3, 1)
        self._fill_details(party)
        self.registry = QLabel(self._registry_text(party.get("verification") or {}))
        self.registry.setWordWrap(True)
        self.registry.setTextFormat(Qt.TextFormat.RichText)
        self.grade = QComboBox()
        self.grade.addItem(self.tr("请选择责任"), "")
        for grade in grades:
            self.grade.addItem(grade_label(grade), grade)
        self.grade.currentIndexChanged.connect(
            lambda _i: self.responsibilityChosen.emit(self.party_id, self.grade.currentData() or ""))
        self.picker = ViolationPickerWidget()
        self.picker.searchRequested.connect(lambda q: self.violationSearch.emit(self.party_id, q))
        self.picker.picked.connect(lambda code: self.violationPicked.emit(self.party_id, code))
        self.picker.removeRequested.connect(lambda code: self.violationRemoved.emit(self.party_id, code))
        self.problems = QLabel()
        self.problems.setObjectName("error")
        self.problems.setWordWrap(True)
        self.problems.setVisible(False)
        decision = QFormLayout()
        decision.addRow(self.tr("责任"), self.grade)
        decision.addRow(self.tr("违法行为"), self.picker)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 14, 8, 8)
        layout.addLayout(self.details)
        layout.addWidget(self.registry)
        layout.addLayout(decision)
        layout.addWidget(self.problems)

    def _title(self, party: dict[str, Any]) -> str:
        who = " ".join(x for x in (party.get("driver_name"), plate_with_dot(party.get("plate") or "")) if x)
        kind = self.tr("非机动车") if party.get("kind") == "non_motor" else self.tr("机动车")
        return f"{labels.party_name(self.position)}（{kind}）{who}"

    def _fill_details(self, party: dict[str, Any]) -> None:
        """Label and value pairs, two to a row, so a party's card stays short."""
        shown = [(name, plate_with_dot(party[name]) if name == "plate" else str(party[name]))
                 for name in SHOWN_FIELDS if party.get(name)]
        for i, (name, value) in enumerate(shown):
            row, col = divmod(i, 2)
            key = QLabel(labels.field_label(name))
            key.setStyleSheet("color: #607d8b;")
            text = QLabel(value)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.details.addWidget(key, row, col * 2)
            self.details.addWidget(text, row, col * 2 + 1)

    def _registry_text(self, verification: dict[str, Any]) -> str:
        if not verification:
            return self.tr("<i>未做登记核验</i>")
        rows = []
        for check in REGISTRY_CHECKS:
            result = verification.get(check)
            if not isinstance(result, dict):
                continue
            status = str(result.get("status") or "")
            colour = STATUS_COLOURS.get(status, theme.NEUTRAL)
            rows.append(f"<span style='color:{colour}'>●</span> {labels.check_label(check)}："
                        f"{result.get('reason_zh') or status}")
        return "&nbsp;&nbsp;".join(rows) or self.tr("<i>未做登记核验</i>")

    def set_grade(self, grade: str) -> None:
        index = self.grade.findData(grade)
        self.grade.setCurrentIndex(max(0, index))

    def set_problems(self, messages: list[str]) -> None:
        self.problems.setText("\n".join(f"⚠ {m}" for m in messages))
        self.problems.setVisible(bool(messages))
        colour = theme.INVALID if messages else "#d0d7de"
        self.setStyleSheet(f"LiabilityPartyWidget {{ border: 1px solid {colour}; }}")

    def set_read_only(self, read_only: bool) -> None:
        self.grade.setEnabled(not read_only)
        self.picker.setEnabled(not read_only)
