"""The timestamp drawn into the simulated video must survive a real VP8 round trip at any size."""
from __future__ import annotations

import fractions

import av
import numpy as np
import pytest

from phone_sim import scene, timecode
from phone_sim.demo_data import load_scenario


@pytest.fixture(scope="module")
def back_camera():
    """The scene at 640x360, held for the whole test (no slide change)."""
    return scene.back_camera(load_scenario("standard"), frame_size=(640, 360), slide_seconds=3600)


@pytest.mark.parametrize("size", [(1280, 720), (640, 480), (640, 360)])
def test_drawn_value_reads_back(size):
    luma = np.full((size[1], size[0]), 120, np.uint8)
    assert timecode.read(luma) is None
    timecode.draw(luma, 123_456_789)
    assert timecode.read(luma) == 123_456_789


def test_a_damaged_code_is_rejected_not_misread():
    luma = np.full((360, 640), 120, np.uint8)
    timecode.draw(luma, 42)
    x0, x1 = timecode._cell_edges(640)[10]
    luma[:, x0:x1] = 255 - luma[:, x0:x1]
    assert timecode.read(luma) is None


def test_age_crosses_the_wrap():
    now = (timecode.WRAP + 5) / 1000  # 5 ms after a wrap
    assert timecode.age_ms(timecode.WRAP - 10, now) == 15
    assert timecode.age_ms(20, now) == -15


def test_the_code_survives_vp8_at_a_low_bitrate(back_camera):
    back = back_camera
    encoder = av.CodecContext.create("libvpx", "w")
    encoder.width, encoder.height, encoder.pix_fmt = 640, 360, "yuv420p"
    encoder.bit_rate, encoder.time_base = 250_000, fractions.Fraction(1, 30)
    decoder = av.CodecContext.create("libvpx", "r")
    sent, read = [], []
    for i in range(15):
        frame = av.VideoFrame.from_ndarray(back.frame(i / 30), format="yuv420p")
        frame.pts = i
        sent.append(back.last_stamp)
        for packet in encoder.encode(frame):
            for decoded in decoder.decode(packet):
                read.append(timecode.read(decoded.to_ndarray(format="gray")))
    assert read and read == sent[: len(read)]
