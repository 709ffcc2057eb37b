"""The video panel shows the newest frame only, keeps its aspect, and names the resolution and frame rate."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize

from seat_app.ui.widgets.video_widget import VideoWidget, fit
from tests.seat_app.doubles import FakeFrame


def test_picture_keeps_its_aspect_and_is_centred():
    assert fit(QSize(1920, 1080), QRect(0, 0, 800, 300)) == QRect(133, 0, 533, 300)
    assert fit(QSize(720, 1280), QRect(0, 0, 800, 600)) == QRect(231, 0, 337, 600)


def test_only_the_newest_frame_is_painted_and_none_twice(qtbot):
    widget = VideoWidget(fps=30)
    qtbot.addWidget(widget)
    frames = iter(range(0, 1000, 10))  # ten frames arrive between two display ticks
    current = {"frame": FakeFrame(0, 1920, 1080)}
    widget.attach(lambda: current["frame"])
    widget.timer.stop()  # the test ticks by hand
    for _ in range(3):
        current["frame"] = FakeFrame(next(frames), 1920, 1080)
        widget.pull_frame()
        widget.pull_frame()  # no new frame: nothing repainted
    assert widget.frames_shown == 3
    assert widget.info.text().startswith("1920×1080 · ")
    assert widget.canvas.pixmap.size() == QSize(1920, 1080)  # full decoded resolution, scaled only when painted


def test_controls_are_disabled_without_a_call_and_tooltips_name_the_keys(qtbot):
    widget = VideoWidget()
    qtbot.addWidget(widget)
    assert not widget.capture_button.isEnabled()
    widget.set_shortcuts({"capture": "Space", "photo": "P"})
    assert "Space" in widget.capture_button.toolTip() and "P" in widget.photo_button.toolTip()
    widget.attach(lambda: None)
    assert widget.capture_button.isEnabled()


def test_the_frame_rate_is_measured_over_a_sliding_window_and_falls_to_zero_when_frames_stop(qtbot):
    now = {"t": 100.0}
    widget = VideoWidget(fps=30, clock=lambda: now["t"])
    qtbot.addWidget(widget)
    current = {"frame": None}
    widget.attach(lambda: current["frame"])
    widget.timer.stop()
    for index in range(60):  # 15 new frames a second for 4 s, the display ticking at 30 Hz
        for tick in range(2):
            now["t"] += 1 / 30
            if tick == 0:
                current["frame"] = FakeFrame(index, 1280, 720)
            widget.pull_frame()
    widget.set_call_status("通话中")
    assert widget.info.text() == "1280×720 · 15 帧/秒 · 通话中"
    for _ in range(90):  # the phone stalls for 3 s: no new frame
        now["t"] += 1 / 30
        widget.pull_frame()
    assert widget.info.text() == "1280×720 · 0 帧/秒 · 通话中"
