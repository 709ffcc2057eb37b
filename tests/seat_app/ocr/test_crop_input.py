"""A picture that is nothing but a plate (a stored crop, IT checking a seat) is read in auto mode too."""
import numpy as np
import pytest

from kuaichu_artwork.artwork import render_plate
from seat_app.services.ocr.reader import looks_like_plate_crop
from seat_app.services.ocr.results import DocumentKind


@pytest.mark.parametrize("text,colour", [("川A5F7K2", "blue"), ("川AD35812", "green"), ("川B12345", "yellow")])
def test_a_tight_plate_crop_is_read_in_auto_mode(reader, text, colour):
    crop = render_plate(text, colour)
    result = reader.read(crop, "auto")
    assert result.kind == DocumentKind.PLATE
    assert [p.text for p in result.plates] == [text]


@pytest.mark.parametrize("shape,expected", [
    ((48, 150, 3), True), ((140, 440, 3), True), ((720, 1280, 3), False), ((200, 200, 3), False),
    ((40, 400, 3), False)])
def test_only_small_plate_shaped_pictures_count_as_crops(shape, expected):
    assert looks_like_plate_crop(np.zeros(shape, np.uint8)) is expected
