"""Every plate type of issue #16 reads with its type: GA 36-2018's, the armed police's, civil aviation's, the military's."""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from kuaichu_protocol import validators as v
from kuaichu_artwork import artwork
from seat_app.services.ocr.plate import PlateReader
from seat_app.services.ocr.reader import OcrReader
from seat_app.services.ocr.results import to_quad
from tests.synthetic.special_plates import SIZES, two_row_plate

ONE_ROW = [
    ("川A5F7K2", "blue", "small_car"), ("川A5F7K2", "yellow", "large_vehicle"), ("川A1234挂", "yellow", "trailer"),
    ("苏E1234学", "yellow", "coach"), ("京A1234警", "white", "police"), ("使014578", "black", "embassy"),
    ("沪A1234领", "black", "consulate"), ("粤Z1234港", "black", "hong_kong_macao"),
    ("粤BD12345", "green", "new_energy_small"), ("粤B12345F", "green", "new_energy_large"),
    ("川A12345临", "white", "temporary"), ("川A1234应急", "yellow", "emergency"), ("WJ京1234X", "white", "armed_police"),
    ("民航A1234", "white", "civil_aviation"), ("VA12345", "white", "military"),
]
# (type, top row, bottom row, colour, red characters)
TWO_ROW = [
    ("large_vehicle", "川A", "5F7K2", "yellow", ""), ("motorcycle", "川A", "5F7K2", "yellow", ""),
    ("low_speed", "川A", "5F7K2", "yellow", ""), ("agricultural", "鲁01", "12345", "yellow", ""),
    ("agricultural", "鲁01", "12345", "green", ""), ("armed_police", "WJ京", "1234X", "white", "WJ"),
]
SCENE_WIDTH = 220  # px


def in_a_scene(plate: np.ndarray) -> np.ndarray:
    height = round(SCENE_WIDTH * plate.shape[0] / plate.shape[1])
    frame = np.full((720, 1280, 3), (70, 75, 80), np.uint8)
    frame[380:440 + height, 480:560 + SCENE_WIDTH + 80] = (40, 40, 45)
    frame[400:400 + height, 520:520 + SCENE_WIDTH] = cv2.resize(plate, (SCENE_WIDTH, height), interpolation=cv2.INTER_AREA)
    return frame


def photographed(plate: np.ndarray, height: int = 48) -> np.ndarray:
    small = cv2.resize(plate, (round(plate.shape[1] * height / plate.shape[0]), height), interpolation=cv2.INTER_AREA)
    return cv2.copyMakeBorder(small, 3, 3, 4, 4, cv2.BORDER_CONSTANT, value=(70, 70, 70))


def test_the_tests_cover_every_plate_type():
    assert {t for _, _, t in ONE_ROW} | {t for t, *_ in TWO_ROW} == set(v.PLATE_TYPES)


@pytest.mark.parametrize(("text", "colour", "plate_type"), ONE_ROW)
def test_a_one_row_plate_of_every_type_reads_with_its_type(plate_reader: PlateReader, reader: OcrReader,
                                                            text, colour, plate_type):
    art = artwork.render_plate(text, colour, scale=2)
    crop = plate_reader.read_crops([photographed(art)])[0]
    assert (crop.text, crop.plate_type, crop.valid, crop.colour) == (text, plate_type, True, colour)
    assert len(crop.char_confidences) == len(crop.alternatives) == len(text)
    found = [(p.text, p.plate_type, p.valid) for p in reader.read(in_a_scene(art), "plate").plates]
    assert found == [(text, plate_type, True)]


@pytest.mark.parametrize(("plate_type", "top", "bottom", "colour", "red"), TWO_ROW)
def test_a_two_row_plate_of_every_type_reads_top_row_first_with_its_type(plate_reader: PlateReader,
                                                                        plate_type, top, bottom, colour, red):
    art = two_row_plate(top, bottom, colour, SIZES[plate_type], red=red)
    height = round(SCENE_WIDTH * art.shape[0] / art.shape[1])
    crop = cv2.resize(art, (SCENE_WIDTH, height), interpolation=cv2.INTER_AREA)
    box = to_quad([[0, 0], [SCENE_WIDTH, 0], [SCENE_WIDTH, height], [0, height]])
    reading = plate_reader.read_two_row_crops([crop], [box])[0]
    assert (reading.text, reading.plate_type, reading.valid) == (top + bottom, plate_type, True)


@pytest.mark.parametrize(("plate_type", "top", "bottom"), [("large_vehicle", "川A", "5F7K2"),
                                                           ("low_speed", "川A", "5F7K2"),
                                                           ("agricultural", "鲁01", "12345")])
def test_a_yellow_two_row_plate_is_found_in_a_scene_with_its_type(reader: OcrReader, plate_type, top, bottom):
    art = two_row_plate(top, bottom, "yellow", SIZES[plate_type])
    found = [(p.text, p.plate_type, p.valid) for p in reader.read(in_a_scene(art), "plate").plates]
    assert found == [(top + bottom, plate_type, True)]
