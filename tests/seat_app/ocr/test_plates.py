"""Plates: read from crops and from whole scenes, with colour and an honest validity flag."""
from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from kuaichu_artwork import artwork
from seat_app.services.ocr.constrained_ctc import Decoded
from seat_app.services.ocr.plate import PlateReader, _doubt, plate_colour, read_scene
from seat_app.services.ocr.reader import OcrReader
from tests.synthetic import samples


def photographed(plate: np.ndarray, height: int = 48) -> np.ndarray:
    """A rendered plate at a camera's scale, with a little of the car around it."""
    small = cv2.resize(plate, (round(plate.shape[1] * height / plate.shape[0]), height), interpolation=cv2.INTER_AREA)
    return cv2.copyMakeBorder(small, 3, 3, 4, 4, cv2.BORDER_CONSTANT, value=(70, 70, 70))


@pytest.mark.parametrize(
    ("text", "colour"),
    [("川A5F7K2", "blue"), ("粤BD12345", "green"), ("苏E1234学", "yellow"), ("京A1234警", "white"),
     ("粤Z1234港", "black"), ("沪C8GK31", "yellow"), ("浙A12345D", "green")],
)
def test_every_plate_colour_and_shape_reads_exactly(plate_reader: PlateReader, text, colour):
    reading = plate_reader.read_crops([photographed(artwork.render_plate(text, colour))])[0]
    assert (reading.text, reading.colour, reading.valid) == (text, colour, True)
    assert reading.confidence > 0.8


@pytest.mark.parametrize("colour", ["blue", "yellow", "green", "white", "black"])
def test_plate_colour_survives_dim_light(colour):
    plate = photographed(artwork.render_plate("川A5F7K2" if colour != "green" else "川AD35812", colour))
    dim = np.clip(plate.astype(np.float32) * 0.45, 0, 255).astype(np.uint8)
    assert plate_colour(dim) == colour


def test_an_unexplained_correction_is_flagged_not_hidden():
    """The grammar dropped a character the model read: the text is the best guess, but not 'valid'."""
    decoded = Decoded("皖DFX886", "standard", 0.0, (1.0,) * 7, ((0, 0),) * 7)
    assert "changed" in _doubt("皖D·FX8861", decoded)


def test_known_confusions_are_allowed_corrections():
    decoded = Decoded("皖AA1R81", "standard", 0.0, (0.9,) * 7, ((0, 0),) * 7)
    assert _doubt("皖AAIR81", decoded) == ""


def test_barely_legible_character_is_flagged():
    decoded = Decoded("皖A29C52", "standard", 0.0, (0.9, 0.1, 0.9, 0.9, 0.9, 0.9, 0.9), ((0, 0),) * 7)
    assert _doubt("皖429C52", decoded)


def test_a_scene_with_two_cars_yields_both_plates_with_boxes_on_them(plate_reader: PlateReader, engine):
    plates = [("川A5F7K2", "blue"), ("川AD35812", "green")]
    scene = artwork.render_scene(plates, (1280, 720), seed=3)
    found = read_scene(plate_reader, scene, engine.detect(scene))
    assert {(p.text, p.colour) for p in found} == set(plates)
    for plate in found:
        xs = [x for x, _ in plate.box]
        on_left_car = max(xs) < 640
        assert on_left_car == (plate.text == "川A5F7K2")


def test_nothing_is_invented_on_a_picture_without_plates(reader: OcrReader):
    rng = np.random.default_rng(5)
    road = np.full((720, 1280, 3), 100, np.uint8) + rng.integers(0, 20, (720, 1280, 3), dtype=np.uint8)
    cv2.rectangle(road, (300, 300), (700, 450), (160, 60, 20), -1)  # a blue car door, no plate on it
    result = reader.read(road, "plate")
    assert result.plates == []


def test_synthetic_scenes_floor(reader: OcrReader):
    """Degraded scenes (perspective, blur, JPEG, low light, glare): a regression floor; bench/ has the full figure."""
    scenes = samples.plate_scenes(16, seed=91)
    truth = [p for s in scenes for p, _ in s.plates]
    found = [{p.text for p in reader.read(s.image, "plate").plates} for s in scenes]
    hits = sum(p in got for s, got in zip(scenes, found) for p, _ in s.plates)
    invented = sum(len(got - {p for p, _ in s.plates}) for s, got in zip(scenes, found))
    assert hits / len(truth) >= 0.93
    assert invented <= 1


def test_plates_of_a_random_mix_follow_the_grammar(plate_reader: PlateReader):
    from tests.synthetic import fictional

    rng = random.Random(8)
    crops, truth = [], []
    for colour in ["blue", "green", "yellow"] * 4:
        text = fictional.plate(rng, colour)
        crops.append(photographed(artwork.render_plate(text, colour), height=40))
        truth.append(text)
    readings = plate_reader.read_crops(crops)
    assert sum(r.text == t for r, t in zip(readings, truth)) >= 11


def test_a_distant_car_in_a_full_resolution_photo_is_still_found(reader: OcrReader):
    scene = artwork.render_scene([("川A5F7K2", "blue"), ("粤BD12345", "green")], (1280, 720), seed=2)
    photo = np.full((3000, 4000, 3), 110, np.uint8)
    photo[300:1020, 500:1780] = scene  # plates about 120 px wide in a 4000 px photo
    assert {p.text for p in reader.read(photo, "plate").plates} == {"川A5F7K2", "粤BD12345"}


def test_badges_dates_and_signs_are_not_taken_for_plates(reader: OcrReader):
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1280, 720), (120, 124, 128))
    draw = ImageDraw.Draw(picture)
    for i, word in enumerate(["NISSAN 2.0T", "HYBRID", "2024-05-01", "ABC123", "BMW X5", "事故现场"]):
        draw.rectangle([60 + (i % 3) * 400, 120 + (i // 3) * 300, 400 + (i % 3) * 400, 220 + (i // 3) * 300],
                       fill=(235, 235, 235))
        draw.text((80 + (i % 3) * 400, 140 + (i // 3) * 300), word, font=artwork.font(50), fill=(20, 20, 20))
    image = cv2.cvtColor(np.asarray(picture), cv2.COLOR_RGB2BGR)
    assert reader.read(image, "plate").plates == []


@pytest.mark.parametrize(("text", "colour", "width", "angle"),
                         [("粤BD12345", "green", 1100, 8), ("京A1234警", "white", 500, -12), ("粤Z1234港", "black", 900, 8)])
def test_a_plate_photographed_close_up_and_tilted_reads_whole(reader: OcrReader, text, colour, width, angle):
    """Close up, the gaps around the province and the suffix split the detector's line in three."""
    art = artwork.render_plate(text, colour, scale=3)
    art = cv2.resize(art, (width, round(width * art.shape[0] / art.shape[1])))
    frame = np.full((720, 1280, 3), (60, 70, 80), np.uint8)
    y, x = (720 - art.shape[0]) // 2, (1280 - width) // 2
    frame[y:y + art.shape[0], x:x + width] = art
    frame = cv2.warpAffine(frame, cv2.getRotationMatrix2D((640, 360), angle, 1), (1280, 720),
                           borderMode=cv2.BORDER_REPLICATE)
    assert [(p.text, p.valid) for p in reader.read(frame, "plate").plates] == [(text, True)]


@pytest.mark.parametrize(("text", "width"), [("皖A12345", 300), ("鲁Q88J61", 150), ("粤BH2345", 400)])
def test_a_lorrys_two_row_plate_is_read_top_row_first(reader: OcrReader, text, width):
    plate = cv2.resize(artwork.render_plate(text, "yellow", scale=2, rows=2), (width, width // 2),
                       interpolation=cv2.INTER_AREA)
    scene = artwork.render_scene([("川A5F7K2", "blue")], (1280, 720), seed=4)
    scene[450:450 + width // 2, 800:800 + width] = plate
    found = {(p.text, p.colour, p.valid) for p in reader.read(scene, "plate").plates}
    assert found == {("川A5F7K2", "blue", True), (text, "yellow", True)}


@pytest.mark.parametrize("text", ["川A5F7K2", "鄂B82Q17", "苏E3M906", "浙C7H259", "湘D40K78"])
def test_a_small_plate_at_dusk_beside_a_nearer_car_is_found(reader: OcrReader, text):
    """A second car further off: its plate 70 px wide in a 720p frame, dim and soft.
    White print blurred into a dark blue ground is grey, not white: the colour cue must still
    see characters on it, and the detector must look closer than at 640 px."""
    image = artwork.render_scene([("粤Z1234港", "black")], samples.FRAME, seed=5)
    width = 70
    plate = cv2.resize(artwork.render_plate(text, "blue"), (width, round(width * 140 / 440)), interpolation=cv2.INTER_AREA)
    y, x = 470, 120
    image[y - 12:y + plate.shape[0] + 12, x - 16:x + width + 16] = (60, 60, 60)
    image[y:y + plate.shape[0], x:x + width] = plate
    dusk = (image.astype(np.float32) / 255.0) ** 1.5 * 0.35 * 255.0
    image = cv2.GaussianBlur(dusk.astype(np.uint8), (0, 0), 1.3)
    assert text in {p.text for p in reader.read(image, "auto").plates}


def test_a_grey_picture_reads_its_plates_without_guessing_their_colour(reader: OcrReader):
    """Grey-scale files and infrared cameras carry no colour: a blue plate there would look 'black',
    and black plates have other templates. The colour stays unknown and steers nothing."""
    sample = samples.plate_scene(77)
    grey = cv2.cvtColor(sample.image, cv2.COLOR_BGR2GRAY)
    for picture in (grey, cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)):
        plates = reader.read(picture, "auto").plates
        assert {p.text for p in plates} == {text for text, _ in sample.plates}
        assert {p.colour for p in plates} == {None}
    in_colour = reader.read(sample.image, "auto").plates
    assert {(p.text, p.colour) for p in in_colour} == set(sample.plates)


def test_a_black_plate_in_a_colour_picture_is_still_black(reader: OcrReader):
    image = artwork.render_scene([("粤Z1234港", "black"), ("川A5F7K2", "blue")], samples.FRAME, seed=3)
    assert {(p.text, p.colour) for p in reader.read(image, "auto").plates} == {("粤Z1234港", "black"), ("川A5F7K2", "blue")}
