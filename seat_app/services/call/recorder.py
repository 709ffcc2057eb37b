"""Records the remote audio+video of a call to files of about a minute each, and uploads each one.

Why not aiortc's ``MediaRecorder`` as it is:

* it fixes the output size at the first frame and stretches every later frame
  to it, so a camera switch (or a phone rotating) distorts the rest of the file;
* it encodes on the event loop, so x264 would steal time from decoding and the UI;
* it stamps frames with RTP times, and audio and video RTP clocks start at
  unrelated random offsets.

So this follows MediaRecorder's recipe (PyAV container, libx264 + AAC in MP4)
but starts a new segment every ``segment_seconds`` and on any frame-size
change, stamps frames by arrival time, and encodes each segment on its own
thread. A finished segment is closed on disk before it is handed to the
uploader, so a crash loses at most the segment being written.
"""
from __future__ import annotations

import asyncio
import fractions
import logging
import queue
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import av

log = logging.getLogger(__name__)

VIDEO_TIME_BASE = fractions.Fraction(1, 1000)
AUDIO_RATE = 48_000
AUDIO_TIME_BASE = fractions.Fraction(1, AUDIO_RATE)
AUDIO_RESYNC_SAMPLES = AUDIO_RATE // 5  # re-anchor audio to arrival time after a 200 ms gap
# Same quality (CRF) as slower presets, bigger files: on a 2-core seat that also runs OCR, recording 720p30
# costs ~0.08 core with ultrafast against ~0.3 with veryfast (bench/call_bench.py --record).
DEFAULT_VIDEO_OPTIONS = {"preset": "ultrafast", "crf": "26"}


@dataclass(frozen=True)
class Segment:
    index: int
    path: Path
    started_at: float  # time.time() of its first frame
    ended_at: float
    width: int
    height: int
    reason: str  # why it ended: "duration", "size_change" or "stop"
    dropped_frames: int = 0

    @property
    def duration(self) -> float:
        return self.ended_at - self.started_at


Uploader = Callable[[Segment], Awaitable[object]]



class _SegmentWriter:
    """One MP4 file, encoded on a thread of its own; the loop only enqueues frames."""

    QUEUE_FRAMES = 120  # ~2 s of video plus audio; beyond that the encoder is hopeless, so drop

    def __init__(self, path: Path, size: tuple[int, int], started_at: float, video_options: dict) -> None:
        self.path, self.size, self.started_at = path, size, started_at
        self.last_at = started_at
        self.dropped = 0
        self.failed = False
        self._queue: queue.Queue = queue.Queue(self.QUEUE_FRAMES)
        self._video_pts = -1
        self._audio_pts: int | None = None
        self._container = av.open(str(path), mode="w", format="mp4")
        self._video = self._add_video_stream(video_options)
        self._audio = self._container.add_stream("aac", rate=AUDIO_RATE)
        self._audio.layout = "mono"
        self._thread = threading.Thread(target=self._run, name=f"recorder-{path.name}", daemon=True)
        self._thread.start()

    def _add_video_stream(self, options: dict):
        stream = self._container.add_stream("libx264", rate=30)
        stream.width, stream.height = self.size
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = VIDEO_TIME_BASE
        stream.options = dict(options)
        return stream

    def put(self, kind: str, frame, at: float) -> None:
        self.last_at = max(self.last_at, at)
        try:
            self._queue.put_nowait((kind, frame, at))
        except queue.Full:
            self.dropped += 1

    def finish(self) -> None:
        self._queue.put(None)

    def join(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                self._encode(*item)
            self._flush()
        except Exception:
            self.failed = True
            log.exception("recording segment %s failed", self.path)
            self._drain_queue()
        finally:
            self._container.close()

    def _drain_queue(self) -> None:
        while self._queue.get() is not None:
            pass

    def _encode(self, kind: str, frame, at: float) -> None:
        if kind == "video":
            self._stamp_video(frame, at)
            packets = self._video.encode(frame)
        else:
            self._stamp_audio(frame, at)
            packets = self._audio.encode(frame)
        self._container.mux(packets)

    def _stamp_video(self, frame: av.VideoFrame, at: float) -> None:
        self._video_pts = max(self._video_pts + 1, round((at - self.started_at) * 1000))
        frame.pts, frame.time_base = self._video_pts, VIDEO_TIME_BASE
        frame.pict_type = av.video.frame.PictureType.NONE  # let x264 place its own keyframes

    def _stamp_audio(self, frame: av.AudioFrame, at: float) -> None:
        arrival = round((at - self.started_at) * AUDIO_RATE)
        if self._audio_pts is None or arrival - self._audio_pts > AUDIO_RESYNC_SAMPLES:
            self._audio_pts = max(arrival, self._audio_pts or 0)
        frame.pts, frame.time_base = self._audio_pts, AUDIO_TIME_BASE
        self._audio_pts += frame.samples

    def _flush(self) -> None:
        self._container.mux(self._video.encode(None))
        self._container.mux(self._audio.encode(None))


class SegmentRecorder:
    """Feed it every received frame (``add_video`` / ``add_audio``); ``await stop()`` at the end of the call."""

    def __init__(
        self,
        directory: str | Path,
        uploader: Uploader | None = None,
        *,
        segment_seconds: float = 60.0,
        prefix: str = "call",
        video_options: dict | None = None,
        upload_attempts: int = 3,
        retry_delay: float = 2.0,
        keep_uploaded: bool = False,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.uploader = uploader
        self.segment_seconds = segment_seconds
        self.prefix = prefix
        self.video_options = video_options or DEFAULT_VIDEO_OPTIONS
        self.upload_attempts = upload_attempts
        self.retry_delay = retry_delay
        self.keep_uploaded = keep_uploaded
        self.finished: list[Segment] = []  # closed on disk, in order
        self.uploaded: list[Segment] = []
        self.failed_uploads: list[Segment] = []  # kept on disk for a later retry
        self._writer: _SegmentWriter | None = None
        self._index = 0
        self._tasks: set[asyncio.Task] = set()
        self._previous: asyncio.Task | None = None  # segments are handed over in order

    @property
    def recording(self) -> bool:
        return self._writer is not None

    def add_video(self, frame: av.VideoFrame, at: float | None = None) -> None:
        at = time.time() if at is None else at
        writer = self._writer
        if writer is None:
            self._open(frame, at)
        elif (frame.width, frame.height) != writer.size:
            self._rotate("size_change", frame, at)
        elif at - writer.started_at >= self.segment_seconds:
            self._rotate("duration", frame, at)
        self._writer.put("video", frame, at)

    def add_audio(self, frame: av.AudioFrame, at: float | None = None) -> None:
        """Audio before the first video frame is dropped: a segment's size comes from video."""
        if self._writer is not None:
            self._writer.put("audio", frame, time.time() if at is None else at)

    async def stop(self) -> None:
        """Close the current segment and wait until every segment is encoded and uploaded (or given up)."""
        if self._writer is not None:
            self._close_current("stop", self._writer.last_at)
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _rotate(self, reason: str, frame: av.VideoFrame, at: float) -> None:
        self._close_current(reason, at)
        self._open(frame, at)

    def _open(self, frame: av.VideoFrame, at: float) -> None:
        self._index += 1
        stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(at))
        path = self.directory / f"{self.prefix}-{self._index:04d}-{stamp}.mp4"
        self.directory.mkdir(parents=True, exist_ok=True)  # the leftover uploader removes emptied folders
        self._writer = _SegmentWriter(path, (frame.width, frame.height), at, self.video_options)
        log.info("recording segment %s (%dx%d)", path.name, frame.width, frame.height)

    def _close_current(self, reason: str, at: float) -> None:
        writer, self._writer = self._writer, None
        writer.finish()
        segment = Segment(self._index, writer.path, writer.started_at, max(at, writer.last_at),
                          *writer.size, reason, writer.dropped)
        task = asyncio.ensure_future(self._complete(writer, segment, self._previous))
        self._previous = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _complete(self, writer: _SegmentWriter, segment: Segment, previous: asyncio.Task | None) -> None:
        await asyncio.to_thread(writer.join)
        if previous is not None:
            await asyncio.wait({previous})
        if writer.failed:
            return
        self.finished.append(segment)
        if self.uploader is not None:
            await self._upload(segment)

    async def _upload(self, segment: Segment) -> None:
        for attempt in range(1, self.upload_attempts + 1):
            try:
                await self.uploader(segment)
            except Exception as exc:
                log.warning("upload of %s failed (attempt %d): %r", segment.path.name, attempt, exc)
                if attempt < self.upload_attempts:
                    await asyncio.sleep(self.retry_delay * attempt)
                continue
            self.uploaded.append(segment)
            if not self.keep_uploaded:
                segment.path.unlink(missing_ok=True)
            return
        self.failed_uploads.append(segment)
