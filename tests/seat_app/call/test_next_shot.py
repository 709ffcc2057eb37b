"""下一张 over a real data channel: the seat asks for a shot, the simulated phone films that document.

The seat's CaseController sends ``show_instruction`` with the words for the driver and the shot's key
(tests/seat_app/ui/test_operator_workspace.py checks it does); here the engine sends the same command
to a PhoneSim over loopback UDP, and the frames the seat then receives show the picture asked for.
"""
from __future__ import annotations

import asyncio

import cv2
import numpy as np
import pytest

from phone_sim import scene
from seat_app.core.phrases import shot_instruction

from .conftest import TIMEOUT, LoopbackCall

THUMB = (64, 36)


def _thumb(rgb: np.ndarray) -> np.ndarray:
    return cv2.resize(rgb, THUMB, interpolation=cv2.INTER_AREA).astype(np.float32)


SHOTS = ("scene", "impact", "together", "plate.1", "plate.2", "licence.1", "licence.2",
         "vehicle_licence.1", "vehicle_licence.2", "insurance.1", "insurance.2")


def closest_shot(rgb: np.ndarray, references: dict[str, np.ndarray]) -> str:
    """Which shot's picture a received frame shows (the hand-held drift and the timecode band aside)."""
    seen = _thumb(rgb)
    return min(references, key=lambda key: float(np.abs(references[key] - seen).mean()))


@pytest.fixture(scope="module")
def references(parties):
    return {key: _thumb(scene.shot_picture(parties, key, (1920, 1080))) for key in SHOTS}


@pytest.fixture(scope="module")
def own_cameras(parties):
    """Cameras of this module's own: pointing one at a shot must not change the shared ones' picture."""
    return scene.back_camera(parties, frame_size=(640, 360), slide_seconds=3600), scene.front_camera()


async def test_the_phone_films_what_the_seat_asks_for(own_cameras, parties, references):
    call = LoopbackCall(own_cameras, parties)
    back = own_cameras[0]
    try:
        first = await call.start()
        assert closest_shot(first.to_rgb(), references) in ("scene", "together")  # the slideshow's first picture
        for shot, label, position in (("plate.2", "plate", 2), ("licence.1", "licence", 1),
                                      ("vehicle_licence.2", "vehicle_licence", 2)):
            text = shot_instruction(label, position)
            assert await call.engine.command("show_instruction", {"text": text, "shot": shot}) == {"shot": shot}
            assert call.phone.instructions[-1] == text
            frame = await call.next_frame(lambda f, shot=shot: closest_shot(f.to_rgb(), references) == shot)
            assert frame.size == (640, 360)
        reply = await call.engine.command("show_instruction", {"text": "请出示驾驶证", "shot": "licence.9"})
        assert reply == {"shot": None} and back.shot == "vehicle_licence.2"  # no such party: it stays put
    finally:
        await asyncio.wait_for(call.close(), TIMEOUT)
        back.shot = None
