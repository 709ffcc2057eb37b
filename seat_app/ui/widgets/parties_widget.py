"""The case panel's parties: one form per party side by side (1-3 vehicles, at most one non-motor)."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from seat_app.core.case import Case
from seat_app.ui.widgets.party_form_widget import Offers, PartyFormWidget


class PartiesWidget(QWidget):
    fieldEdited = Signal(int, str, str)
    valueChosen = Signal(int, str, str)  # party_id, field, one of a conflict's values
    verifyRequested = Signal(int)
    verifyAllRequested = Signal()
    addPartyRequested = Signal(str)  # motor | non_motor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms: dict[int, PartyFormWidget] = {}
        self.case_label = QLabel(self.tr("未接听案件"))
        self.case_label.setStyleSheet("font-weight: bold; font-size: 14px;")
        self.add_vehicle = QPushButton(self.tr("添加车辆"))
        self.add_vehicle.clicked.connect(lambda: self.addPartyRequested.emit("motor"))
        self.add_non_motor = QPushButton(self.tr("添加非机动车"))
        self.add_non_motor.clicked.connect(lambda: self.addPartyRequested.emit("non_motor"))
        self.verify_all = QPushButton(self.tr("全部核验"))
        self.verify_all.setObjectName("primary")
        self.verify_all.clicked.connect(self.verifyAllRequested)
        header = QHBoxLayout()
        header.addWidget(self.case_label, 1)
        for button in (self.add_vehicle, self.add_non_motor, self.verify_all):
            header.addWidget(button)
        self.row = QHBoxLayout()
        self.row.addStretch(1)
        holder = QWidget()
        holder.setLayout(self.row)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.scroll, 1)
        self.set_case(None)

    def set_shortcut_hint(self, key: str) -> None:
        self.verify_all.setToolTip(self.tr("核验所有机动车当事方（{0}）").format(key))

    def set_case(self, case: Case | None) -> None:
        if case is None:
            self._clear()
            self.case_label.setText(self.tr("未接听案件"))
            for button in (self.add_vehicle, self.add_non_motor, self.verify_all):
                button.setEnabled(False)
            return
        self.case_label.setText(self.tr("案件 {0}").format(case.number))
        self._sync_forms(case)
        self.add_vehicle.setEnabled(case.can_add_vehicle)
        self.add_non_motor.setEnabled(not case.has_non_motor)
        self.verify_all.setEnabled(bool(case.motor_parties))

    def _sync_forms(self, case: Case) -> None:
        ids = {p.id for p in case.parties}
        for party_id in [i for i in self.forms if i not in ids]:
            _discard(self.forms.pop(party_id))
        for index, party in enumerate(case.parties):
            form = self.forms.get(party.id)
            if form is None:
                form = PartyFormWidget(party)
                form.setMinimumWidth(max(270, form.minimumSizeHint().width()))  # its longest fields show whole
                form.fieldEdited.connect(self.fieldEdited)
                form.valueChosen.connect(self.valueChosen)
                form.verifyRequested.connect(self.verifyRequested)
                self.forms[party.id] = form
                self.row.insertWidget(index, form, 1)
            else:
                form.set_party(party)

    def set_issues(self, conflicts: dict[tuple[int, str], Offers],
                   shared: dict[tuple[int, str], tuple[int, ...]]) -> None:
        """Per (party id, field): a conflict's values with their sources; the other parties holding an identifier."""
        for party_id, form in self.forms.items():
            form.set_issues({n: c for (p, n), c in conflicts.items() if p == party_id},
                            {n: o for (p, n), o in shared.items() if p == party_id})

    def _clear(self) -> None:
        for form in self.forms.values():
            _discard(form)
        self.forms.clear()

    def form_at(self, position: int) -> PartyFormWidget | None:
        return next((f for f in self.forms.values() if f.party.position == position), None)


def _discard(widget: QWidget) -> None:
    """Gone from the screen now, deleted once Qt is back in its loop."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()
