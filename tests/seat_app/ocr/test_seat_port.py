"""The seat's OCR port: RGB in, items the capture pipeline understands out."""
from __future__ import annotations

import cv2

from seat_app.phone_sim import artwork
from seat_app.services.ocr.seat_port import LocalOcr
from seat_app.services.ocr_port import to_overlay_item


def test_rgb_frames_become_seat_overlay_items(reader):
    rgb = cv2.cvtColor(artwork.render_scene([("川A5F7K2", "blue"), ("川AD35812", "green")], seed=3), cv2.COLOR_BGR2RGB)
    items = [to_overlay_item(i) for i in LocalOcr(reader).read(rgb, "scene")]
    plates = {i.text for i in items if i.field == "plate" and i.valid}
    assert plates == {"川A5F7K2", "川AD35812"}
    assert all(i.box[2] > 0 and i.box[3] > 0 for i in items)
