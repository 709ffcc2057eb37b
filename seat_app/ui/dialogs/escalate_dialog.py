"""Escalate to an on-scene officer: always possible, never without a reason."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class EscalateDialog(QDialog):
    def __init__(self, suggestion: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("转现场处理"))
        self.setMinimumWidth(420)
        self.presets = QComboBox()
        self.presets.addItems([
            self.tr("（选择常见原因）"), self.tr("有人员受伤"), self.tr("车辆无法移动"),
            self.tr("驾驶人疑似饮酒、吸毒或有逃逸情形"), self.tr("证件无效或未投保交强险"),
            self.tr("当事人不同意视频快处"), self.tr("不在服务时间或服务区域"),
        ])
        self.presets.activated.connect(self._use_preset)
        self.reason = QPlainTextEdit(suggestion)
        self.reason.setPlaceholderText(self.tr("请填写转现场处理的原因（必填）"))
        self.reason.textChanged.connect(self._update)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确认转现场"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("将派民警到现场处理，请说明原因：")))
        layout.addWidget(self.presets)
        layout.addWidget(self.reason)
        layout.addWidget(self.buttons)
        self._update()

    def _use_preset(self, index: int) -> None:
        if index > 0:
            self.reason.setPlainText(self.presets.itemText(index))

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text()))

    def text(self) -> str:
        return self.reason.toPlainText().strip()
