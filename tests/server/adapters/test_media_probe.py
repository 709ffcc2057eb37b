"""Recordings are recognised by their bytes, an MP4 cut short is refused with a reason, and boxes that
merely look like an MP4 are refused because no video plays from them."""
from __future__ import annotations

import io

import av
import numpy as np
import pytest

from server.adapters.media_probe import NotRecognised, _mp4_complete, probe_recording


def real_mp4(frames: int = 12) -> bytes:
    """A short H.264 MP4 as the seat's recorder writes it (moov after mdat)."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=25)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for i in range(frames):
            picture = np.full((120, 160, 3), (i * 20) % 255, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(stream.encode(None))
    return out.getvalue()


def box(kind: bytes, body: bytes) -> bytes:
    return (8 + len(body)).to_bytes(4, "big") + kind + body


def test_a_whole_mp4_is_a_recording():
    assert probe_recording(real_mp4()).content_type == "video/mp4"


@pytest.mark.parametrize("keep", [12, 40, 200, 0.5, 0.95])
def test_an_mp4_cut_short_is_refused_as_incomplete(keep):
    data = real_mp4()
    cut = data[: keep if isinstance(keep, int) else int(len(data) * keep)]
    with pytest.raises(NotRecognised, match="录像文件不完整"):
        probe_recording(cut)


def test_box_sizes_of_64_bits_and_to_the_end_of_the_file_are_understood_but_boxes_alone_are_no_video():
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isom")
    moov = box(b"moov", b"\x00" * 16)
    large = (1).to_bytes(4, "big") + b"mdat" + (16 + 32).to_bytes(8, "big") + b"\x01" * 32
    to_end = (0).to_bytes(4, "big") + b"mdat" + b"\x02" * 40
    for data in (ftyp + moov + large, ftyp + moov + to_end):
        assert _mp4_complete(data)  # the structure is whole...
        with pytest.raises(NotRecognised, match="不是有效的录像"):  # ...but nothing in it plays
            probe_recording(data)


def test_an_mp4_without_its_index_or_with_a_box_too_small_is_refused():
    ftyp = box(b"ftyp", b"isom\x00\x00\x02\x00isom")
    with pytest.raises(NotRecognised):
        probe_recording(ftyp + box(b"mdat", b"\x00" * 64))  # no moov
    with pytest.raises(NotRecognised):
        probe_recording(ftyp + (4).to_bytes(4, "big") + b"moov")  # a size smaller than its own header
