"""The simulated phone's own camera, as the seat captures it: both plates, then the licence fields.

Frames come from the phone simulator's back camera (I420, with its drawn timestamp band and
hand-held drift), converted the way the seat converts a received frame.
"""
from __future__ import annotations

import cv2
import pytest

from phone_sim import demo_data, scene
from seat_app.services.ocr.reader import OcrReader


@pytest.fixture(scope="module")
def camera():
    parties = demo_data.load_scenario("standard")
    return parties, scene.back_camera(parties, frame_size=(1280, 720))


@pytest.fixture(params=[False, True], ids=["aimed-as-labelled", "labelled-scene"])
def expect_scene(request) -> bool:
    """Every picture must read the same whether the operator labelled the shot for it or as a scene."""
    return request.param


def captured(source: scene.CameraSource, slide: int):
    """The 720p frame showing picture ``slide``, as BGR."""
    at = source.start + slide * source.slide_seconds + source.slide_seconds / 2
    return cv2.cvtColor(source.frame(at), cv2.COLOR_YUV2BGR_I420)


def test_scene_frame_yields_both_plates(reader: OcrReader, camera, expect_scene):
    parties, source = camera
    result = reader.read(captured(source, 0), expect_scene=expect_scene)
    assert result.kind == "plate"
    assert {(p.text, p.colour) for p in result.plates} == {(p.plate, p.plate_colour) for p in parties}
    assert all(p.valid for p in result.plates)


def test_licence_frames_yield_the_licence_fields(reader: OcrReader, camera, expect_scene):
    parties, source = camera
    driver = parties[0].driver
    result = reader.read(captured(source, 1), expect_scene=expect_scene)
    assert result.kind == "driver_licence"
    got = {name: f.text for name, f in result.fields.items() if f.valid}
    assert got["name"] == driver["name"]
    assert got["id_number"] == driver["id_number"]
    assert got["licence_class"] == driver["licence_class"]
    assert (got["valid_from"], got["valid_until"]) == (driver["valid_from"], driver["valid_until"])


def test_vehicle_licence_frame_yields_plate_vin_and_owner(reader: OcrReader, camera, expect_scene):
    parties, source = camera
    vehicle = parties[0].vehicle
    result = reader.read(captured(source, 2), expect_scene=expect_scene)
    assert result.kind == "vehicle_licence"
    assert {k: result.fields[k].text for k in ("plate", "vin", "owner")} == {k: vehicle[k] for k in ("plate", "vin", "owner")}
