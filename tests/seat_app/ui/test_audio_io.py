"""Call audio through QtMultimedia: a seat without a device gets silence and a warning, never an error."""
from __future__ import annotations

import pytest

from seat_app.services.call.audio import NullSink
from seat_app.ui import audio_io


def test_audio_switched_off_is_silent_without_a_warning(qapp):
    audio = audio_io.open_call_audio(False, "", "", "no microphone", "no speaker")
    assert audio.warning == "" and isinstance(audio.sink, NullSink)
    assert not audio.source.read(960).any()


def test_no_device_means_a_warning_and_the_call_goes_on(qapp):
    if audio_io.input_names() or audio_io.output_names():
        pytest.skip("this machine has audio devices")
    audio = audio_io.open_call_audio(True, "", "", "no microphone", "no speaker")
    assert audio.warning == "no microphone；no speaker"
    audio.source.muted = True
    assert audio.source.read(960).shape == (960,)
    audio.close()


def test_mute_silences_the_outgoing_audio():
    import numpy as np

    from seat_app.services.audio_control import MutableSource
    from seat_app.services.call.audio import ToneSource

    source = MutableSource(ToneSource())
    assert np.abs(source.read(960)).max() > 0
    source.muted = True
    assert not source.read(960).any()
