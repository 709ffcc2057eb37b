"""One party's driver, vehicle and insurance fields, with their validity and the registry checks.

Fields fill themselves from OCR and verification; the operator may still edit
any of them. Each field's border says whether its value is well-formed (green),
malformed (red) or missing (grey); the verification lines say what the registry
found. Two more things show under a field, both as errors: a conflict (two
documents, or a document and the operator, gave different values: each value is
a button saying where it came from, and a click picks it), and a plate, VIN or ID
number that another party holds too.
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


#: A conflict as the form shows it: each value with where it came from (第3张 行驶证, 操作员...).
Offers = tuple[tuple[str, str], ...]


class PartyFormWidget(QGroupBox):
    fieldEdited = Signal(int, str, str)  # party_id, field, value
    valueChosen = Signal(int, str, str)  # party_id, field, the conflict's value picked
    verifyRequested = Signal(int)

    def __init__(self, party: Party, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.party = party
        self.edits: dict[str, QLineEdit] = {}
        self.issues: dict[str, QWidget] = {}  # field -> the row under it for a conflict or a shared identifier
        self._conflicts: dict[str, Offers] = {}
        self._shared: dict[str, tuple[int, ...]] = {}
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
            issue = QWidget()
            issue.setObjectName(f"issue_{name}")
            issue.setLayout(QVBoxLayout())
            issue.layout().setContentsMargins(0, 0, 0, 2)
            issue.layout().setSpacing(1)
            issue.setVisible(False)
            self.issues[name] = issue
            form.addRow(issue)
        return box

    def set_issues(self, conflicts: dict[str, Offers], shared: dict[str, tuple[int, ...]]) -> None:
        """The fields' conflicts (values with their sources) and identifiers other parties (positions) hold too."""
        if (conflicts, shared) == (self._conflicts, self._shared):
            return
        self._conflicts, self._shared = dict(conflicts), dict(shared)
        for name, row in self.issues.items():
            _clear_layout(row.layout())
            if name in self._shared:
                others = "、".join(labels.party_name(p) for p in self._shared[name])
                row.layout().addWidget(_error_label(self.tr("✖ 与{0}相同：同一{1}不能属于两方").format(
                    others, labels.field_label(name))))
            if name in self._conflicts:
                row.layout().addWidget(_error_label(self.tr("⚠ 来源不一致，请选择：")))
                for value, source in self._conflicts[name]:
                    shown = labels.field_display(name, value, self.party.value("plate"))
                    button = QPushButton(self.tr("{0}（{1}）").format(shown, source))
                    button.setObjectName("conflict_choice")
                    button.setStyleSheet("text-align: left; padding: 1px 6px;")
                    button.clicked.connect(lambda _c=False, n=name, v=value: self.valueChosen.emit(self.party.id, n, v))
                    row.layout().addWidget(button)
            row.setVisible(name in self._shared or name in self._conflicts)
            self._show_validity(name)

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
        validity = Validity.INVALID if name in self._shared or name in self._conflicts else check.validity
        colour = theme.FIELD_BORDERS[validity]
        width = 1 if validity is Validity.EMPTY else 2
        edit.setStyleSheet(f"QLineEdit {{ border: {width}px solid {colour}; border-radius: 3px; padding: 2px; }}")
        tips = {Validity.EMPTY: self.tr("未填写"), Validity.VALID: self.tr("格式正确"),
                Validity.INVALID: self.tr("格式不正确")}
        tip = tips[check.validity]
        if name in self._shared:
            tip = self.tr("其他当事方也填了这个{0}").format(labels.field_label(name))
        elif name in self._conflicts:
            tip = self.tr("两个来源的值不一致")
        edit.setToolTip(tip)
        edit.setProperty("validity", validity.value)

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


def _error_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.INVALID}; font-size: 12px;")
    return label


def _clear_layout(layout) -> None:
    while layout.count():
        widget = layout.takeAt(0).widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
