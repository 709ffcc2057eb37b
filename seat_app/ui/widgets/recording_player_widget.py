"""The call's recording segments, played in the seat: a list, the picture, play/pause and a scrub bar.

The widget asks for a segment's file (``segmentRequested``); the controller
fetches the bytes off the Qt thread into a temporary file and hands the path
to ``play_file``. QtMultimedia plays it (QMediaPlayer into a QVideoWidget).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)


def format_ms(ms: int) -> str:
    seconds = max(0, ms // 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


class RecordingPlayerWidget(QWidget):
    segmentRequested = Signal(int)  # evidence id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.segments = QListWidget()
        self.segments.setMaximumWidth(180)
        self.segments.itemActivated.connect(self._request)
        self.segments.itemClicked.connect(self._request)
        self.video = QVideoWidget()
        self.video.setMinimumSize(240, 135)
        self.audio = QAudioOutput(self)
        self.player = QMediaPlayer(self)
        self.player.setAudioOutput(self.audio)
        self.player.setVideoOutput(self.video)
        self.play_button = QPushButton(self.tr("播放"))
        self.play_button.setEnabled(False)
        self.play_button.clicked.connect(self.toggle)
        self.scrub = QSlider(Qt.Orientation.Horizontal)
        self.scrub.setEnabled(False)
        self.scrub.sliderMoved.connect(self.player.setPosition)
        self.time = QLabel("0:00 / 0:00")
        self.status = QLabel(self.tr("本案没有通话录像"))
        self.player.durationChanged.connect(self._duration)
        self.player.positionChanged.connect(self._position)
        self.player.playbackStateChanged.connect(self._state)
        self.player.errorOccurred.connect(lambda _e, text: self.status.setText(self.tr("无法播放：{0}").format(text)))
        controls = QHBoxLayout()
        controls.addWidget(self.play_button)
        controls.addWidget(self.scrub, 1)
        controls.addWidget(self.time)
        screen = QVBoxLayout()
        screen.addWidget(self.video, 1)
        screen.addLayout(controls)
        screen.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.segments)
        layout.addLayout(screen, 1)

    def set_segments(self, segments: list[tuple[int, str]]) -> None:
        """(evidence id, title) of each segment, in recording order."""
        self.player.stop()
        self.player.setSource(QUrl())
        self.segments.clear()
        for evidence_id, title in segments:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, evidence_id)
            self.segments.addItem(item)
        self.play_button.setEnabled(False)
        self.scrub.setEnabled(False)
        self.status.setText(self.tr("选择一段录像播放") if segments else self.tr("本案没有通话录像"))

    def _request(self, item: QListWidgetItem) -> None:
        self.status.setText(self.tr("正在下载 {0}…").format(item.text()))
        self.segmentRequested.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def play_file(self, path: Path, title: str = "") -> None:
        self.player.setSource(QUrl.fromLocalFile(str(path)))
        self.play_button.setEnabled(True)
        self.scrub.setEnabled(True)
        self.status.setText(title)
        self.player.play()

    def toggle(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        else:
            self.player.play()

    def show_error(self, text: str) -> None:
        self.status.setText(text)

    def _duration(self, duration: int) -> None:
        self.scrub.setRange(0, duration)
        self._position(self.player.position())

    def _position(self, position: int) -> None:
        if not self.scrub.isSliderDown():
            self.scrub.setValue(position)
        self.time.setText(f"{format_ms(position)} / {format_ms(self.player.duration())}")

    def _state(self, state: QMediaPlayer.PlaybackState) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.play_button.setText(self.tr("暂停") if playing else self.tr("播放"))

    def stop(self) -> None:
        self.player.stop()
        self.player.setSource(QUrl())
