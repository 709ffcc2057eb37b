"""Overlay items: what the UI draws, and which party field a click fills."""
from __future__ import annotations

import random

from kuaichu_artwork import artwork
from seat_app.services.ocr.overlay import overlay_items
from seat_app.services.ocr.reader import OcrReader
from tests.synthetic import fictional


def test_scene_overlay_has_one_plate_item_per_car(reader: OcrReader):
    scene = artwork.render_scene([("川A5F7K2", "blue"), ("川AD35812", "green")], (1280, 720), seed=3)
    items = overlay_items(reader.read(scene))
    plates = [i for i in items if i.field == "plate"]
    assert sorted(i.text for i in plates) == ["川A5F7K2", "川AD35812"]
    assert all(i.valid and i.caption.startswith("号牌号码") for i in plates)
    assert {i.caption for i in plates} == {"号牌号码（蓝牌）", "号牌号码（绿牌）"}


def test_licence_fields_map_to_party_fields_and_other_lines_stay_clickable(reader: OcrReader):
    data = fictional.driving_licence(random.Random(12))
    image = artwork.render_driving_licence(data, (1280, 720))
    items = overlay_items(reader.read(image))
    by_field = {i.field: i for i in items if i.field}
    assert by_field["driver_name"].text == data["name"]
    assert by_field["id_number"].text == data["id_number"]
    assert by_field["licence_valid_until"].text == data["valid_until"]
    assert by_field["driver_name"].caption == "姓名"
    others = [i for i in items if i.source in ("line", "unread")]
    texts = [i.text or reader.read_box(image, i.box).text for i in others]  # an unread box is read on a click
    address = [i for i, text in zip(others, texts) if data["address"][-6:] in text]
    assert address and not address[0].field and not address[0].valid
    assert all(len(i.box) == 4 for i in items)


def test_fields_without_a_party_field_are_shown_but_fill_nothing(reader: OcrReader):
    data = fictional.vehicle_licence(random.Random(13))
    items = overlay_items(reader.read(artwork.render_vehicle_licence(data, (1280, 720))))
    engine_items = [i for i in items if i.source == "engine_number"]
    assert engine_items and engine_items[0].field == "" and engine_items[0].text == data["engine_number"]


def test_flagged_plates_carry_their_flag_and_the_whole_readings_to_choose_from():
    from seat_app.services.ocr.overlay import _plate_item
    from seat_app.services.ocr.results import PlateReading

    box = ((0, 0), (100, 0), (100, 30), (0, 30))
    confusable = PlateReading("川A8F7K2", 0.8, box, False, "blue", reason="confusable",
                              alternatives=((), (), ("B",), (), (), ("X", "?"), ()))
    item = _plate_item(confusable)
    assert item.flag == "confusable" and not item.valid
    assert item.alternatives == ("川A8F7K2", "川ABF7K2", "川A8F7X2")  # each one well-formed, no '?'
    partial = PlateReading("?A8F7K2", 0.9, box, False, "blue", reason="partial", alternatives=(("皖",),) + ((),) * 6)
    assert _plate_item(partial).flag == "partial" and _plate_item(partial).alternatives == ()  # '?' is never guessed
    other = PlateReading("川A8F7K2", 0.9, box, False, "blue", reason="the grammar changed 0 to 8")
    assert _plate_item(other).flag == "" and _plate_item(other).alternatives == ()
    clean = PlateReading("川A8F7K2", 0.97, box, True, "blue")
    assert _plate_item(clean).flag == "" and _plate_item(clean).valid
