"""The seat's OCR port: RGB in, items the capture pipeline understands out."""
from __future__ import annotations

import cv2

from kuaichu_artwork import artwork
from seat_app.services.ocr.seat_port import LocalOcr
from seat_app.services.ocr_port import to_overlay_item


def test_rgb_frames_become_seat_overlay_items(reader):
    rgb = cv2.cvtColor(artwork.render_scene([("川A5F7K2", "blue"), ("川AD35812", "green")], seed=3), cv2.COLOR_BGR2RGB)
    items = [to_overlay_item(i) for i in LocalOcr(reader).read(rgb, "scene")]
    plates = {i.text for i in items if i.field == "plate" and i.valid}
    assert plates == {"川A5F7K2", "川AD35812"}
    assert all(i.box[2] > 0 and i.box[3] > 0 for i in items)


def test_a_licence_on_a_shot_labelled_scene_is_still_read(reader):
    """The label only steers cost: the driver shows the licence when the seat asked for the scene."""
    import random

    from tests.synthetic import fictional

    data = fictional.driving_licence(random.Random(5))
    rgb = cv2.cvtColor(artwork.render_driving_licence(data, (1280, 720)), cv2.COLOR_BGR2RGB)
    for label in ("scene", "licence"):
        items = [to_overlay_item(i) for i in LocalOcr(reader).read(rgb, label)]
        assert {i.field: i.text for i in items if i.field in ("driver_name", "id_number")} == {
            "driver_name": data["name"], "id_number": data["id_number"]}


def test_a_scene_shot_is_detected_once_at_the_plates_size(reader, monkeypatch):
    sides = []
    detect = reader.engine.detect
    monkeypatch.setattr(reader.engine, "detect", lambda image, side=640: sides.append(side) or detect(image, side))
    rgb = cv2.cvtColor(artwork.render_scene([("川A5F7K2", "blue")], seed=4), cv2.COLOR_BGR2RGB)
    port = LocalOcr(reader)
    assert {i.text for i in port.read(rgb, "scene") if i.field == "plate"} == {"川A5F7K2"}
    assert sides == [960]
    sides.clear()
    assert {i.text for i in port.read(rgb, "other") if i.field == "plate"} == {"川A5F7K2"}
    assert sides == [640, 960]  # a look for a card first, then for plates
