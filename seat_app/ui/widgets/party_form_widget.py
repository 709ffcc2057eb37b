"""One party's driver, vehicle and insurance fields, with their validity and the registry checks.

Fields fill themselves from OCR and verification; the operator may still edit
any of them. Each field's border says whether its value is well-formed (green),
malformed (red) or missing (grey); the verification lines say what the registry
found.
"""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from seat_app.core.case import Party
from seat_app.core.field_checks import Validity, check_field
from seat_app.core.verification import CHECKS, CheckStatus, VerificationView, parse_verification
from seat_app.ui import labels, theme

_CHECK_MARKS = {
    CheckStatus.PASSED: ("✔", theme.VALID),
    CheckStatus.FAILED: ("✖", theme.INVALID),
    CheckStatus.INCOMPLETE: ("…", "#b26a00"),
    CheckStatus.UNAVAILABLE: ("⟳", "#b26a00"),
    CheckStatus.NOT_RUN: ("○", theme.NEUTRAL),
}

#: Fields whose whole value must show: the longest forms in use (a 23-digit policy such as
#: 中国平安's, 22 characters for PICC's PDZA… and CPIC's ACHDA…; a VIN is 17).
_WIDEST_VALUES = {"policy_number": "10501003902025000120458", "vin": "LBV8W3109N5K07219"}


class PartyFormWidget(QGroupBox):
    fieldEdited = Signal(int, str, str)  # party_id, field, value
    verifyRequested = Signal(int)

    def __init__(self, party: Party, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.party = party
        self.edits: dict[str, QLineEdit] = {}
        self.verify_button = QPushButton(self.tr("核验"))
        self.verify_button.setToolTip(self.tr("向车驾管与保险系统核验驾驶证、机动车和交强险"))
        self.verify_button.clicked.connect(lambda: self.verifyRequested.emit(self.party.id))
        self.check_labels: dict[str, QLabel] = {name: QLabel() for name in CHECKS}
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        for group, names in party.groups.items():
            layout.addWidget(self._group(group, names))
        if party.is_motor:
            layout.addWidget(self._verification_box())
        layout.addStretch(1)
        self.set_party(party)

    def _group(self, group: str, names: tuple[str, ...]) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(2)
        title = QLabel(labels.group_label(group))
        title.setStyleSheet("font-weight: bold; color: #455a64;")
        form.addRow(title)
        for name in names:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setPlaceholderText(self.tr("待识别"))
            edit.editingFinished.connect(lambda name=name: self._edited(name))
            edit.textChanged.connect(lambda _text, name=name: self._show_validity(name))
            self.edits[name] = edit
            if name in _WIDEST_VALUES:
                edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(_WIDEST_VALUES[name]) + 16)
            form.addRow(labels.field_label(name), edit)
        return box

    def _verification_box(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        row = QHBoxLayout()
        title = QLabel(self.tr("核验结果"))
        title.setStyleSheet("font-weight: bold; color: #455a64;")
        row.addWidget(title, 1)
        row.addWidget(self.verify_button)
        layout.addLayout(row)
        for name in CHECKS:
            self.check_labels[name].setWordWrap(True)
            layout.addWidget(self.check_labels[name])
        return box

    def set_party(self, party: Party) -> None:
        self.party = party
        kind = self.tr("机动车") if party.is_motor else self.tr("非机动车")
        self.setTitle(f"{labels.party_name(party.position)} · {kind}")
        for name, edit in self.edits.items():
            value = labels.field_display(name, party.value(name), party.value("plate"))
            if edit.text() != value and not (edit.hasFocus() and edit.isModified()):
                edit.setText(value)
                edit.setModified(False)
            self._show_validity(name)
        self._show_verification(parse_verification(party.verification))

    def _edited(self, name: str) -> None:
        edit = self.edits[name]
        value = labels.field_value(name, edit.text().strip())
        if value != self.party.value(name):
            self.fieldEdited.emit(self.party.id, name, value)
        edit.setModified(False)

    def _show_validity(self, name: str) -> None:
        edit = self.edits[name]
        check = check_field(name, labels.field_value(name, edit.text().strip()))
        colour = theme.FIELD_BORDERS[check.validity]
        width = 1 if check.validity is Validity.EMPTY else 2
        edit.setStyleSheet(f"QLineEdit {{ border: {width}px solid {colour}; border-radius: 3px; padding: 2px; }}")
        tips = {Validity.EMPTY: self.tr("未填写"), Validity.VALID: self.tr("格式正确"),
                Validity.INVALID: self.tr("格式不正确")}
        edit.setToolTip(tips[check.validity])
        edit.setProperty("validity", check.validity.value)

    def _show_verification(self, view: VerificationView) -> None:
        for name in CHECKS:
            check = view.get(name)
            mark, colour = _CHECK_MARKS[check.status]
            reason = check.reason or (self.tr("未核验") if check.status is CheckStatus.NOT_RUN else "")
            source = f"（{check.source}）" if check.source else ""
            label = self.check_labels[name]
            label.setText(f"<span style='color:{colour}; font-weight:bold'>{mark}</span> "
                          f"<b>{labels.check_label(name)}</b> {reason}{source}")
            label.setProperty("status", check.status.value)

    def validity(self, name: str) -> str:
        return str(self.edits[name].property("validity"))
