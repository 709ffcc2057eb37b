"""The checklist: what is still missing before the case may go to liability.

Four sections (safety, evidence, verification, eligibility); a plate, VIN or ID number two
parties hold is also said in red above them, since it blocks submission. Questions are
answered with one click on the answer; safety steps the phone did not tick are
confirmed with one click for all of them. "Submit for liability" is enabled only when every
item is met; "escalate to on-scene officer" is always there.
"""
from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from seat_app.core.checklist import QUESTIONS, SECTIONS, Checklist, Item, Status
from seat_app.ui import labels, theme


class ChecklistWidget(QWidget):
    answerGiven = Signal(str, object)  # answer key, value
    safetyConfirmed = Signal()
    submitRequested = Signal()
    escalateRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.checklist: Checklist | None = None
        self.buttons: dict[tuple[str, Any], QPushButton] = {}
        self.current_answers: dict[str, Any] = {}
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(3)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        self.submit_button = QPushButton(self.tr("提交责任认定"))
        self.submit_button.setObjectName("primary")
        self.submit_button.clicked.connect(self.submitRequested)
        self.escalate_button = QPushButton(self.tr("转现场处理"))
        self.escalate_button.setObjectName("danger")
        self.escalate_button.clicked.connect(self.escalateRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.escalate_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.set_checklist(None)

    def set_shortcuts(self, keys: dict[str, str]) -> None:
        self.submit_button.setToolTip(self.tr("清单齐全后提交民警责任认定（{0}）").format(keys.get("submit", "")))
        self.escalate_button.setToolTip(self.tr("不适用视频快处时转交现场民警（{0}）").format(keys.get("escalate", "")))

    def set_checklist(self, checklist: Checklist | None) -> None:
        self.checklist = checklist
        self._clear()
        if checklist is None:
            self.summary.setText(self.tr("接听案件后显示清单"))
            self.submit_button.setEnabled(False)
            self.escalate_button.setEnabled(False)
            return
        row = 0
        for section in SECTIONS:
            items = checklist.section(section)
            if items:
                row = self._add_section(section, items, row)
        self.grid.setRowStretch(row, 1)
        missing = len(checklist.missing)
        text = self.tr("清单已齐全，可以提交") if checklist.complete else self.tr("还缺 {0} 项").format(missing)
        # Above the scrolled list, so an error the operator must put right is seen without looking for it.
        errors = "".join(f"<br><span style='color:{theme.INVALID}'>✖ {labels.checklist_text(i)}</span>"
                         for i in checklist.shared_identifiers)
        self.summary.setText(text + errors)
        self.summary.setStyleSheet(f"font-weight: bold; color: {theme.VALID if checklist.complete else '#b26a00'};")
        self.submit_button.setEnabled(checklist.complete)
        self.escalate_button.setEnabled(True)

    def _clear(self) -> None:
        self.buttons.clear()
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:  # hidden at once: deleteLater alone leaves it painted until the next loop turn
                widget.hide()
                widget.setParent(None)
                widget.deleteLater()

    def _add_section(self, section: str, items: list[Item], row: int) -> int:
        done = sum(1 for i in items if i.met)
        header = QWidget()
        line = QHBoxLayout(header)
        line.setContentsMargins(0, 6, 0, 0)
        title = QLabel(f"{labels.section_label(section)}  {done}/{len(items)}")
        title.setStyleSheet("font-weight: bold; color: #37474f;")
        line.addWidget(title, 1)
        if section == "safety" and done < len(items):
            confirm = self._button_row([(self.tr("确认已落实"), ("safety_confirmed", True), self.safetyConfirmed.emit)])
            confirm.setToolTip(self.tr("当事人已开启双闪、放置三角牌并撤离到安全地带"))
            line.addWidget(confirm)
        self.grid.addWidget(header, row, 0, 1, 3)
        row += 1
        for item in items:
            self._add_item(item, row)
            row += 1
        return row

    def _add_item(self, item: Item, row: int) -> None:
        mark = QLabel(theme.STATUS_MARKS[item.status])
        mark.setStyleSheet(f"color: {theme.STATUS_COLOURS[item.status]}; font-weight: bold;")
        text = labels.checklist_text(item)
        asks = item.status is Status.NEEDS_ANSWER and item.answer_key in QUESTIONS  # its reason is the question
        if item.reason and item.section != "evidence" and not asks:  # an evidence item's reason repeats its name
            text += f" <span style='color:#607d8b'>— {item.reason}</span>"
        label = QLabel(text)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setProperty("key", item.key)
        self.grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(label, row, 1)
        actions = self._actions(item)
        if actions is not None:
            self.grid.addWidget(actions, row, 2, Qt.AlignmentFlag.AlignTop)

    def _actions(self, item: Item) -> QWidget | None:
        if item.section == "eligibility" and item.answer_key in QUESTIONS:
            key = item.answer_key
            return self._button_row([
                (labels.answer_label(key, value), (key, value), lambda value=value: self.answerGiven.emit(key, value))
                for value in QUESTIONS[key]
            ], checked=self._current_answer(item))
        return None

    def _current_answer(self, item: Item) -> Any:
        return self.current_answers.get(item.answer_key, _UNSET)

    def _button_row(self, specs: list, checked: Any = None) -> QWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        for text, ident, slot in specs:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setChecked(checked is not _UNSET and ident[1] == checked)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())  # clicked(bool) must not reach slot
            self.buttons[ident] = button
            row.addWidget(button)
        return holder

    def set_answers(self, answers: dict[str, Any]) -> None:
        """The case's current answers, so the chosen one shows pressed."""
        self.current_answers = dict(answers)

    def button(self, key: str, value: Any) -> QPushButton | None:
        return self.buttons.get((key, value))

    def status(self, key: str) -> Status | None:
        item = self.checklist.item(key) if self.checklist else None
        return item.status if item else None


_UNSET = object()
