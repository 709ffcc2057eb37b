"""Recording segments: cut by duration and by frame size, closed before upload, uploads retried."""
from __future__ import annotations

import asyncio

import av

from seat_app.services.call.recorder import SegmentRecorder
from tests.support.media import feed


def probe(path) -> tuple[int, int, int, bool]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video=0))
        return stream.width, stream.height, frames, bool(container.streams.audio)


async def test_segments_split_on_duration_and_on_size_change(tmp_path):
    recorder = SegmentRecorder(tmp_path, segment_seconds=1.0)
    feed(recorder, [(320, 240)] * 30 + [(240, 320)] * 10)
    await recorder.stop()
    got = [(s.width, s.height, s.reason) for s in recorder.finished]
    assert got == [(320, 240, "duration"), (320, 240, "size_change"), (240, 320, "stop")]
    assert [probe(s.path) for s in recorder.finished] == [(320, 240, 25, True), (320, 240, 5, True),
                                                          (240, 320, 10, True)]


async def test_a_finished_segment_is_a_complete_file_while_the_next_is_still_recording(tmp_path):
    handed_over = asyncio.get_running_loop().create_future()

    async def uploader(segment):
        if not handed_over.done():
            handed_over.set_result(probe(segment.path))

    recorder = SegmentRecorder(tmp_path, uploader, segment_seconds=0.5, keep_uploaded=True)
    feed(recorder, [(320, 240)] * 20)
    assert await asyncio.wait_for(handed_over, 10) == (320, 240, 13, True)
    assert recorder.recording  # a crash now would lose only the open segment
    await recorder.stop()


async def test_uploaded_segments_are_deleted_locally(tmp_path):
    uploaded = []

    async def uploader(segment):
        uploaded.append((segment.index, segment.path.read_bytes()[4:8]))

    recorder = SegmentRecorder(tmp_path, uploader)
    feed(recorder, [(320, 240)] * 5 + [(160, 120)] * 5)
    await recorder.stop()
    assert uploaded == [(1, b"ftyp"), (2, b"ftyp")]
    assert recorder.uploaded == recorder.finished and not list(tmp_path.iterdir())


async def test_a_failing_upload_is_retried_then_kept_on_disk(tmp_path):
    attempts = []

    async def flaky(segment):
        attempts.append(segment.index)
        raise ConnectionError("server down")

    recorder = SegmentRecorder(tmp_path, flaky, upload_attempts=3, retry_delay=0)
    feed(recorder, [(320, 240)] * 5)
    await recorder.stop()
    assert attempts == [1, 1, 1]
    assert recorder.failed_uploads == recorder.finished and recorder.finished[0].path.exists()
