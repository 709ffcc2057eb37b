"""The phone's video, shown at display rate with its size and measured frame rate, the call controls
and the capture button.

A QTimer pulls the engine's newest frame (``latest_frame()``) at the display
rate; frames that arrived in between are simply never converted, so there is no
backlog. Nothing here is called from aiortc: the engine only keeps the frame.
"""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from seat_app.core.evidence import CaptureTarget
from seat_app.services.ports import VideoFrame
from seat_app.ui import labels

FrameSource = Callable[[], VideoFrame | None]  # the call engine's newest frame
RATE_WINDOW_S = 2.0  # the frame rate shown is over this sliding window


def rgb_to_image(rgb: np.ndarray) -> QImage:
    """H x W x 3 uint8 -> a QImage that owns its pixels (the array may be reused afterwards)."""
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()


def fit(size: QSize, into: QRect) -> QRect:
    """The largest rectangle of ``size``'s aspect centred in ``into``."""
    scaled = size.scaled(into.size(), Qt.AspectRatioMode.KeepAspectRatio)
    x = into.x() + (into.width() - scaled.width()) // 2
    y = into.y() + (into.height() - scaled.height()) // 2
    return QRect(x, y, scaled.width(), scaled.height())


class VideoCanvas(QWidget):
    """Paints the newest picture scaled with its aspect kept, on black, with an optional banner."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.pixmap: QPixmap | None = None
        self.banner = ""
        self.placeholder = ""

    def set_image(self, image: QImage | None) -> None:
        self.pixmap = QPixmap.fromImage(image) if image is not None else None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#101418"))
        if self.pixmap is not None:
            target = fit(self.pixmap.size(), self.rect())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawPixmap(target, self.pixmap)
        elif self.placeholder:
            painter.setPen(QColor("#c0c8d0"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        if self.banner:
            band = QRect(0, self.height() // 2 - 24, self.width(), 48)
            painter.fillRect(band, QColor(255, 193, 7, 220))
            painter.setPen(QColor("#3a2a00"))
            font = painter.font()
            font.setPointSize(font.pointSize() + 3)
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(band, Qt.AlignmentFlag.AlignCenter, self.banner)
        painter.end()


class VideoWidget(QWidget):
    captureRequested = Signal()
    photoRequested = Signal()
    switchCameraRequested = Signal()
    torchToggled = Signal(bool)
    muteToggled = Signal(bool)
    endCallRequested = Signal()
    targetChosen = Signal(object)  # CaptureTarget

    def __init__(self, parent: QWidget | None = None, fps: int = 30,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.frame_source: FrameSource | None = None
        self.frames_shown = 0
        self._last_index: int | None = None
        self.clock = clock
        self._shown_at: deque[float] = deque()  # when each frame of the last RATE_WINDOW_S was painted
        self._attached_at = 0.0
        self._size = ""
        self._call_status = ""
        self.canvas = VideoCanvas()
        self.canvas.placeholder = self.tr("暂无视频")
        self.info = QLabel("—")
        self.rec = QLabel("")
        self.rec.setObjectName("rec")
        self.audio_warning = QLabel("")
        self.audio_warning.setStyleSheet("color: #b26a00; font-weight: bold;")
        self._build_controls()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.info, 1)
        top.addWidget(self.audio_warning)
        top.addWidget(self.rec)
        layout.addLayout(top)
        layout.addWidget(self.canvas, 1)
        layout.addLayout(self.capture_row)
        layout.addLayout(self.controls)
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.pull_frame)
        self.set_fps(fps)
        self.set_call_active(False)

    def _build_controls(self) -> None:
        self.target_box = QComboBox()
        self.target_box.setMinimumWidth(160)
        self.target_box.activated.connect(self._target_activated)
        self.capture_button = QPushButton(self.tr("截图取证"))
        self.capture_button.setObjectName("primary")
        self.capture_button.clicked.connect(self.captureRequested)
        self.capture_row = QHBoxLayout()
        self.capture_row.addWidget(QLabel(self.tr("下一张：")))
        self.capture_row.addWidget(self.target_box, 1)
        self.capture_row.addWidget(self.capture_button)
        self.photo_button = QPushButton(self.tr("拍原图"))
        self.photo_button.clicked.connect(self.photoRequested)
        self.camera_button = QPushButton(self.tr("切换摄像头"))
        self.camera_button.clicked.connect(self.switchCameraRequested)
        self.torch_button = QPushButton(self.tr("闪光灯"))
        self.torch_button.setCheckable(True)
        self.torch_button.toggled.connect(self.torchToggled)
        self.mute_button = QPushButton(self.tr("静音"))
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self.muteToggled)
        self.end_button = QPushButton(self.tr("结束通话"))
        self.end_button.setObjectName("danger")
        self.end_button.clicked.connect(self.endCallRequested)
        self.controls = QHBoxLayout()
        for button in (self.camera_button, self.photo_button, self.torch_button, self.mute_button):
            self.controls.addWidget(button)
        self.controls.addStretch(1)
        self.controls.addWidget(self.end_button)

    # --- configuration ---------------------------------------------------------------
    def set_fps(self, fps: int) -> None:
        self.timer.setInterval(max(10, int(1000 / max(1, fps))))

    def set_shortcuts(self, keys: dict[str, str]) -> None:
        """Tooltips name the shortcut, so the operator learns them by hovering."""
        tips = {
            self.capture_button: (self.tr("截取当前画面（全分辨率）作为证据"), keys.get("capture")),
            self.photo_button: (self.tr("让手机拍摄一张全分辨率照片"), keys.get("photo")),
            self.camera_button: (self.tr("切换手机前后摄像头"), keys.get("switch_camera")),
            self.torch_button: (self.tr("打开或关闭手机闪光灯"), keys.get("torch")),
            self.mute_button: (self.tr("关闭或打开坐席麦克风"), keys.get("mute")),
            self.end_button: (self.tr("结束与当事人的通话"), keys.get("end_call")),
        }
        for button, (text, key) in tips.items():
            button.setToolTip(f"{text}（{key}）" if key else text)

    def attach(self, frame_source: FrameSource | None) -> None:
        """Start (or stop, with None) pulling frames."""
        self.frame_source = frame_source
        self._last_index = None
        self._shown_at.clear()
        self._attached_at = self.clock()
        self._size = self._call_status = ""
        if frame_source is None:
            self.timer.stop()
            self.canvas.set_image(None)
            self.info.setText("—")
        else:
            self.timer.start()
        self.set_call_active(frame_source is not None)

    def set_call_active(self, active: bool) -> None:
        for button in (self.capture_button, self.photo_button, self.camera_button, self.torch_button,
                       self.mute_button, self.end_button, self.target_box):
            button.setEnabled(active)

    def set_banner(self, text: str) -> None:
        self.canvas.banner = text
        self.canvas.update()

    def set_audio_warning(self, text: str) -> None:
        """A missing microphone or speaker: the call goes on, and the operator knows why it is silent."""
        self.audio_warning.setText(f"⚠ {text}" if text else "")
        self.audio_warning.setToolTip(text)

    def set_recording(self, on: bool) -> None:
        self.rec.setText(self.tr("● 录制中") if on else "")

    def set_targets(self, targets: list[CaptureTarget], current: CaptureTarget) -> None:
        self.target_box.blockSignals(True)
        self.target_box.clear()
        for target in targets:
            self.target_box.addItem(labels.evidence_label(target.label, target.party_position), target)
        index = next((i for i, t in enumerate(targets) if t == current), -1)
        if index < 0:
            self.target_box.addItem(labels.evidence_label(current.label, current.party_position), current)
            index = self.target_box.count() - 1
        self.target_box.setCurrentIndex(index)
        self.target_box.blockSignals(False)

    def _target_activated(self, index: int) -> None:
        self.targetChosen.emit(self.target_box.itemData(index))

    # --- frames ------------------------------------------------------------------------
    def pull_frame(self) -> None:
        frame = self.frame_source() if self.frame_source is not None else None
        now = self.clock()
        if frame is not None and frame.index != self._last_index:
            self._last_index = frame.index
            self.canvas.set_image(rgb_to_image(frame.to_rgb()))
            self.frames_shown += 1
            self._shown_at.append(now)
            self._size = self.tr("{0}×{1}").format(frame.width, frame.height)
        if self._size:
            self._show_info(now)

    def set_call_status(self, text: str) -> None:
        """The call's state (通话中, 正在连接…), shown after the size and the rate."""
        self._call_status = text
        if self._size:
            self._show_info(self.clock())

    def frame_rate(self, now: float | None = None) -> float:
        """Frames painted per second over the last RATE_WINDOW_S (less since the call started); 0 when stalled."""
        now = self.clock() if now is None else now
        while self._shown_at and now - self._shown_at[0] > RATE_WINDOW_S:
            self._shown_at.popleft()
        span = min(RATE_WINDOW_S, now - self._attached_at)
        return len(self._shown_at) / span if span > 0 else 0.0

    def _show_info(self, now: float) -> None:
        parts = [self._size, self.tr("{0:.0f} 帧/秒").format(self.frame_rate(now))]
        text = " · ".join(parts + ([self._call_status] if self._call_status else []))
        if self.info.text() != text:
            self.info.setText(text)
