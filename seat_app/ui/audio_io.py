"""The seat's microphone and speaker through QtMultimedia, behind the call engine's audio interfaces.

The engine never sees a device: it reads an ``AudioSource`` and writes an
``AudioSink``. A seat without a usable device gets silence and a warning, and
the call carries on (video and capture do not need audio).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QIODevice, QObject
from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QAudioSource, QMediaDevices

from seat_app.services.audio_control import MutableSource
from seat_app.services.call.audio import SAMPLE_RATE, AudioSink, BufferedAudioSource, NullSink, SilenceSource, to_mono_int16

log = logging.getLogger(__name__)


def call_format() -> QAudioFormat:
    fmt = QAudioFormat()
    fmt.setSampleRate(SAMPLE_RATE)
    fmt.setChannelCount(1)
    fmt.setSampleFormat(QAudioFormat.SampleFormat.Int16)
    return fmt


def input_names() -> list[str]:
    return [d.description() for d in QMediaDevices.audioInputs()]


def output_names() -> list[str]:
    return [d.description() for d in QMediaDevices.audioOutputs()]


def _pick(devices: list[QAudioDevice], default: QAudioDevice, wanted: str) -> QAudioDevice | None:
    if wanted:
        for device in devices:
            if device.description() == wanted:
                return device
    return None if default.isNull() else default


class QtMicrophone(QObject):
    """Feeds a BufferedAudioSource from a QAudioSource as the device delivers samples."""

    def __init__(self, device: QAudioDevice, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.buffer = BufferedAudioSource()
        self._source = QAudioSource(device, call_format(), self)
        self._io: QIODevice | None = self._source.start()
        if self._io is not None:
            self._io.readyRead.connect(self._read)

    def _read(self) -> None:
        data = bytes(self._io.readAll().data()) if self._io is not None else b""
        if data:
            self.buffer.push(np.frombuffer(data[: len(data) // 2 * 2], dtype=np.int16))

    def stop(self) -> None:
        self._source.stop()


class QtSpeaker(AudioSink):
    """Plays every decoded remote frame; the engine calls ``write`` on the GUI thread's loop."""

    def __init__(self, device: QAudioDevice) -> None:
        self._sink = QAudioSink(device, call_format())
        self._io = self._sink.start()

    def write(self, frame) -> None:  # noqa: ANN001 - av.AudioFrame
        if self._io is not None:
            self._io.write(to_mono_int16(frame).tobytes())

    def close(self) -> None:
        self._sink.stop()


@dataclass
class CallAudio:
    source: MutableSource
    sink: AudioSink
    warning: str = ""  # non-empty when a device is missing; the call runs without it
    microphone: QtMicrophone | None = None

    def close(self) -> None:
        if self.microphone is not None:
            self.microphone.stop()


def open_call_audio(enabled: bool, input_name: str, output_name: str, no_input: str, no_output: str) -> CallAudio:
    """Devices by their description ("" = system default); missing ones become silence plus a warning."""
    if not enabled:
        return CallAudio(MutableSource(SilenceSource()), NullSink())
    warnings = []
    microphone = None
    source = SilenceSource()
    device = _pick(QMediaDevices.audioInputs(), QMediaDevices.defaultAudioInput(), input_name)
    if device is None:
        warnings.append(no_input)
    else:
        microphone = QtMicrophone(device)
        source = microphone.buffer
    sink: AudioSink = NullSink()
    device = _pick(QMediaDevices.audioOutputs(), QMediaDevices.defaultAudioOutput(), output_name)
    if device is None:
        warnings.append(no_output)
    else:
        sink = QtSpeaker(device)
    return CallAudio(MutableSource(source), sink, "；".join(warnings), microphone)
