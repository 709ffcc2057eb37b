"""Settings: the server, the audio devices, the keyboard shortcuts and the language.

The dialog edits a copy of :class:`SeatSettings`; the controller saves it to the
user's file (IT-wide defaults stay underneath) and applies it.
"""
from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QKeySequenceEdit,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from seat_app.core.seat_settings import DEFAULT_SHORTCUTS, LANGUAGES, SeatSettings
from seat_app.ui import audio_io


class SettingsDialog(QDialog):
    def __init__(self, settings: SeatSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置"))
        self.setMinimumWidth(460)
        self.original = settings
        self.tabs = QTabWidget()
        self.tabs.addTab(self._server_tab(settings), self.tr("服务器"))
        self.tabs.addTab(self._devices_tab(settings), self.tr("音频设备"))
        self.tabs.addTab(self._shortcuts_tab(settings), self.tr("快捷键"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

    def _server_tab(self, settings: SeatSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.server = QLineEdit(settings.server_url)
        self.server.setReadOnly(not settings.allow_server_change)  # IT's lock (seat_app/core/it_config.py)
        self.verify_tls = QCheckBox(self.tr("校验服务器证书"))
        self.verify_tls.setChecked(settings.verify_tls)
        self.language = QComboBox()
        names = {"zh_CN": "简体中文", "en": "English"}
        for code in LANGUAGES:
            self.language.addItem(names[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(settings.language))
        self.fps = QSpinBox()
        self.fps.setRange(5, 60)
        self.fps.setValue(settings.display_fps)
        form.addRow(self.tr("服务器地址"), self.server)
        form.addRow("", self.verify_tls)
        form.addRow(self.tr("界面语言（重启后生效）"), self.language)
        form.addRow(self.tr("视频刷新率"), self.fps)
        return page

    def _devices_tab(self, settings: SeatSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.audio_enabled = QCheckBox(self.tr("启用通话音频"))
        self.audio_enabled.setChecked(settings.audio_enabled)
        self.audio_input = self._device_box(audio_io.input_names(), settings.audio_input)
        self.audio_output = self._device_box(audio_io.output_names(), settings.audio_output)
        form.addRow("", self.audio_enabled)
        form.addRow(self.tr("麦克风"), self.audio_input)
        form.addRow(self.tr("扬声器/耳机"), self.audio_output)
        return page

    def _device_box(self, names: list[str], current: str) -> QComboBox:
        box = QComboBox()
        box.addItem(self.tr("系统默认"), "")
        for name in names:
            box.addItem(name, name)
        if current and current not in names:
            box.addItem(self.tr("{0}（未连接）").format(current), current)
        box.setCurrentIndex(max(0, box.findData(current)))
        return box

    def _shortcuts_tab(self, settings: SeatSettings) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        names = {
            "answer": self.tr("接听"), "capture": self.tr("截图取证"), "photo": self.tr("拍原图"),
            "switch_camera": self.tr("切换摄像头"), "torch": self.tr("闪光灯"), "mute": self.tr("静音"),
            "end_call": self.tr("结束通话"), "apply_all": self.tr("全部采用"), "verify_all": self.tr("全部核验"),
            "submit": self.tr("提交责任认定"), "escalate": self.tr("转现场处理"),
        }
        self.shortcut_edits: dict[str, QKeySequenceEdit] = {}
        for action in DEFAULT_SHORTCUTS:
            edit = QKeySequenceEdit(QKeySequence(settings.shortcut(action)))
            self.shortcut_edits[action] = edit
            form.addRow(names.get(action, action), edit)
        return page

    def result_settings(self) -> SeatSettings:
        shortcuts = {a: e.keySequence().toString(QKeySequence.SequenceFormat.PortableText)
                     for a, e in self.shortcut_edits.items()}
        return self.original.evolve(
            server_url=self.server.text().strip() or self.original.server_url,
            verify_tls=self.verify_tls.isChecked(),
            language=self.language.currentData(),
            display_fps=self.fps.value(),
            audio_enabled=self.audio_enabled.isChecked(),
            audio_input=self.audio_input.currentData() or "",
            audio_output=self.audio_output.currentData() or "",
            shortcuts={a: k for a, k in shortcuts.items() if k} or dict(self.original.shortcuts),
        )
