"""The simulated phone's cameras: pictures filmed as live video, with a timestamp drawn in.

The back camera cycles through the accident scene (two cars with readable
plates) and each party's driving licence and vehicle licence, until the seat's
下一张 asks for a shot (show_instruction with ``shot``): then it films that
shot's picture, as a driver points the phone where told. The front camera
shows a face. Pictures are rendered once at photo resolution; each video frame
is a crop of a pre-converted I420 image that drifts a few pixels like a
hand-held phone (so the encoder has real motion to work on), plus the capture
timestamp as blocks across the top (timecode.py). That keeps a 720p30 source
at about a millisecond a frame, which matters for load tests.

Every camera stamps frames from one shared clock, so RTCRtpSender.replaceTrack
(switching cameras) keeps RTP timestamps moving forward.
"""
from __future__ import annotations

import asyncio
import fractions
import math
import time
from collections.abc import Callable

import av
import cv2
import numpy as np
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from kuaichu_artwork import artwork
from kuaichu_artwork.front_art import render_front_camera

from . import timecode
from .demo_data import Party

VIDEO_CLOCK_RATE = 90_000
VIDEO_TIME_BASE = fractions.Fraction(1, VIDEO_CLOCK_RATE)
DRIFT = 16  # pixels of hand-held wander each way; even, to keep chroma aligned

class MediaClock:
    """One time origin for all of a phone's cameras."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def pts(self) -> int:
        return int((time.monotonic() - self.start) * VIDEO_CLOCK_RATE)


class _Picture:
    """One picture, kept as full-resolution RGB (for photos) and as planes to crop video from."""

    def __init__(self, rgb: np.ndarray, frame_size: tuple[int, int]) -> None:
        self.rgb = rgb
        width, height = frame_size[0] + 2 * DRIFT, frame_size[1] + 2 * DRIFT
        i420 = cv2.cvtColor(cv2.resize(self.rgb, (width, height), interpolation=cv2.INTER_AREA),
                            cv2.COLOR_RGB2YUV_I420)
        self.y = i420[:height]
        chroma = i420[height:].reshape(2, height // 2, width // 2)
        self.u, self.v = chroma[0], chroma[1]


class CameraSource:
    """A set of RGB pictures shown in turn, ``slide_seconds`` each."""

    def __init__(self, facing: str, pictures: list[np.ndarray], frame_size: tuple[int, int],
                 slide_seconds: float = 4.0, shots: Callable[[str], np.ndarray | None] | None = None) -> None:
        if frame_size[0] % 2 or frame_size[1] % 4:
            raise ValueError(f"frame size {frame_size} must be even wide and a multiple of 4 high")
        self.facing = facing
        self.frame_size = frame_size
        self.slide_seconds = slide_seconds
        self.pictures = [_Picture(p, frame_size) for p in pictures]
        self._draw_shot = shots  # drawn when first asked for: most phones (load tests) are never asked
        self.shots: dict[str, _Picture] = {}
        self.shot: str | None = None  # the shot the seat asked for; None: the pictures in turn
        self.start = time.monotonic()
        self.last_stamp: int | None = None  # the timecode of the newest frame made (the sender's clock)

    def point_at(self, shot: str) -> bool:
        """Film the picture of one shot (a CaptureTarget key: "plate.1", "licence.2", "scene") until told
        otherwise, as a driver does when the operator asks; False when this camera has no such picture."""
        if shot not in self.shots:
            rgb = self._draw_shot(shot) if self._draw_shot is not None else None
            if rgb is None:
                return False
            self.shots[shot] = _Picture(rgb, self.frame_size)
        self.shot = shot
        return True

    def current(self, at: float | None = None) -> _Picture:
        if self.shot is not None:
            return self.shots[self.shot]
        elapsed = (time.monotonic() if at is None else at) - self.start
        return self.pictures[int(elapsed / self.slide_seconds) % len(self.pictures)]

    def still(self) -> np.ndarray:
        """A full-resolution RGB photo of what the camera sees now."""
        return self.current().rgb

    def frame(self, at: float) -> np.ndarray:
        """An I420 frame (H*3/2 x W) with the timestamp drawn in."""
        picture, (width, height) = self.current(at), self.frame_size
        dx, dy = _drift(at)
        out = np.empty((height * 3 // 2, width), dtype=np.uint8)
        out[:height] = picture.y[dy : dy + height, dx : dx + width]
        quarter = height // 4
        for i, plane in enumerate((picture.u, picture.v)):
            crop = plane[dy // 2 : dy // 2 + height // 2, dx // 2 : dx // 2 + width // 2]
            out[height + i * quarter : height + (i + 1) * quarter] = crop.reshape(quarter, width)
            out[height + i * quarter : height + i * quarter + timecode.band_height(height) // 4] = 128
        self.last_stamp = timecode.draw(out[:height])
        return out


def _drift(at: float) -> tuple[int, int]:
    x = DRIFT * (1 + math.sin(at * 1.3))
    y = DRIFT * (1 + math.sin(at * 0.9 + 1.0))
    return int(x) // 2 * 2, int(y) // 2 * 2


class CameraTrack(MediaStreamTrack):
    """Films a CameraSource at ``fps``; never bursts to catch up after a stall."""

    kind = "video"

    def __init__(self, source: CameraSource, clock: MediaClock, fps: float = 30.0) -> None:
        super().__init__()
        self.source = source
        self.clock = clock
        self.period = 1.0 / fps
        self._due: float | None = None

    async def recv(self) -> av.VideoFrame:
        if self.readyState != "live":
            raise MediaStreamError
        await self._wait_for_slot()
        frame = av.VideoFrame.from_ndarray(self.source.frame(time.monotonic()), format="yuv420p")
        frame.pts, frame.time_base = self.clock.pts(), VIDEO_TIME_BASE
        return frame

    async def _wait_for_slot(self) -> None:
        now = time.monotonic()
        self._due = now if self._due is None else max(self._due + self.period, now - self.period)
        await asyncio.sleep(max(0.0, self._due - now))


class FileCameraTrack(MediaStreamTrack):
    """Streams a video file (aiortc MediaPlayer, looped) as the back camera, with the timestamp drawn in."""

    kind = "video"

    def __init__(self, player_track: MediaStreamTrack, clock: MediaClock) -> None:
        super().__init__()
        self.player_track = player_track
        self.clock = clock
        self.last_rgb: np.ndarray | None = None

    async def recv(self) -> av.VideoFrame:
        frame = await self.player_track.recv()
        planes = frame.to_ndarray(format="yuv420p")
        timecode.draw(planes[: frame.height])
        out = av.VideoFrame.from_ndarray(planes, format="yuv420p")
        out.pts, out.time_base = self.clock.pts(), VIDEO_TIME_BASE
        self.last_rgb = frame.to_ndarray(format="rgb24")
        return out

    def stop(self) -> None:
        super().stop()
        self.player_track.stop()


def back_camera_pictures(parties: list[Party], size: tuple[int, int], seed: int = 7) -> list[np.ndarray]:
    """RGB: the scene, then each party's driving licence, vehicle licence and insurance policy."""
    plates = [(p.plate, p.plate_colour) for p in parties]
    pictures = [artwork.render_scene(plates, size, seed)]
    for party in parties:
        pictures.append(artwork.render_driving_licence(party.driver, size))
        pictures.append(artwork.render_vehicle_licence(party.vehicle, size))
        if party.policy:
            policy = {"insured": party.vehicle.get("owner", ""), "vin": party.vehicle.get("vin", ""),
                      **party.policy}
            pictures.append(artwork.on_desk(artwork.render_insurance(policy), size))
    return [cv2.cvtColor(p, cv2.COLOR_BGR2RGB) for p in pictures]  # artwork draws in OpenCV's BGR


def shot_picture(parties: list[Party], shot: str, size: tuple[int, int], seed: int = 7) -> np.ndarray | None:
    """RGB for one shot the seat's 下一张 can ask for (a CaptureTarget key), drawn as
    scripts/render_demo_evidence.py draws the demo cases' evidence: the scene, the impact closer in,
    each car alone for its plate, each party's documents, all the cars together. None: no such shot here."""
    plates = [(p.plate, p.plate_colour) for p in parties]
    label, _, tail = shot.partition(".")
    if label in ("scene", "together", "impact") and not tail:
        drawn = artwork.render_scene(plates, size, seed + (2 if label == "together" else 0))
        if label == "impact":
            h, w = drawn.shape[:2]
            drawn = cv2.resize(drawn[h // 4: h // 4 + h // 2 + h // 8, w // 4: w - w // 4], size,
                               interpolation=cv2.INTER_AREA)
        return cv2.cvtColor(drawn, cv2.COLOR_BGR2RGB)
    if not tail.isdigit() or not 1 <= int(tail) <= len(parties):
        return None
    party = parties[int(tail) - 1]
    if label == "plate":
        drawn = artwork.render_scene([plates[int(tail) - 1]], size, seed + 2 + int(tail))
    elif label == "licence":
        drawn = artwork.render_driving_licence(party.driver, size)
    elif label == "vehicle_licence":
        drawn = artwork.render_vehicle_licence(party.vehicle, size)
    elif label == "insurance" and party.policy:
        policy = {"insured": party.vehicle.get("owner", ""), "vin": party.vehicle.get("vin", ""), **party.policy}
        drawn = artwork.on_desk(artwork.render_insurance(policy), size)
    else:
        return None
    return cv2.cvtColor(drawn, cv2.COLOR_BGR2RGB)  # artwork draws in OpenCV's BGR


def back_camera(parties: list[Party], frame_size=(1280, 720), still_size=(1920, 1080),
                slide_seconds: float = 4.0, shots: bool = True) -> CameraSource:
    """The scene and the documents in turn; with ``shots``, also a picture for each shot the seat asks for."""
    draw = (lambda shot: shot_picture(parties, shot, still_size)) if shots else None
    return CameraSource("environment", back_camera_pictures(parties, still_size), frame_size, slide_seconds,
                        shots=draw)


def front_camera(frame_size=(640, 480), still_size=(1280, 960)) -> CameraSource:
    return CameraSource("user", [render_front_camera(still_size)], frame_size)
