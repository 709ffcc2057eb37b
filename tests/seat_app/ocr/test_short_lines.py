"""A detected line that stopped short of its plate (split at the gap after the province) is
extended and read again: the characters in the picture are read, and nothing is guessed."""
from __future__ import annotations

import numpy as np
import pytest

from kuaichu_artwork import artwork
from seat_app.services.ocr import plate as plate_module
from seat_app.services.ocr.plate_locator import PlateCandidate
from tests.seat_app.ocr.test_never_invent import char_cells, in_a_scene


def _serial_only(text: str, x: int, scale: float, y: int = 400) -> PlateCandidate:
    """The detector's line around the characters after the gap, as it finds them on a split plate."""
    cells = char_cells(text)
    x0 = x + cells[2][0] * scale - 3
    x1 = x + cells[-1][2] * scale + 3
    y0, y1 = y + cells[0][1] * scale - 2, y + cells[0][3] * scale + 2
    quad = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
    return PlateCandidate(quad, "text", 2.0, 1.0)


def _scene(text: str, colour: str = "blue"):
    art = artwork.render_plate(text, colour)
    frame, x, scale = in_a_scene(art)
    return frame, _serial_only(text, x, scale)


def test_a_line_that_stopped_at_the_gap_is_extended_and_read_whole(plate_reader):
    frame, short = _scene("川A5F7K2")
    first = plate_module._read_candidates(plate_reader, frame, [short], 1)
    assert first[0].text.startswith("??") and not first[0].valid  # what the short line alone gives
    again = plate_module._look_beyond_short_lines(plate_reader, frame, [short], first, True)
    assert again[0].text == "川A5F7K2" and again[0].valid


def test_nothing_is_extended_beyond_the_frame(plate_reader):
    frame, short = _scene("川A5F7K2")
    shift = short.quad[:, 0].min() - 2  # the plate's serial starts at the frame's left edge
    moved = np.ascontiguousarray(frame[:, int(shift):])
    cut = PlateCandidate(short.quad - np.float32([int(shift), 0]), "text", 2.0, 1.0)
    first = plate_module._read_candidates(plate_reader, moved, [cut], 1)
    again = plate_module._look_beyond_short_lines(plate_reader, moved, [cut], first, True)
    assert again == first


@pytest.mark.parametrize("text", ["湘A7GB86", "鄂C29A61"])
def test_a_line_that_starts_inside_the_province_is_extended_to_read_it_whole(plate_reader, text):
    """The detector's line can begin inside the province glyph: what is left of it is named, but not
    clearly, so the province is '?' until the line, grown by a character, shows all of it."""
    frame, x, scale = in_a_scene(artwork.render_plate(text, "blue"))
    cells = char_cells(text)
    short = _serial_only(text, x, scale)
    inside = x + (cells[0][0] + 0.8 * (cells[0][2] - cells[0][0])) * scale
    short = PlateCandidate(np.float32([[inside, q[1]] if k in (0, 3) else q for k, q in enumerate(short.quad)]),
                           "text", 2.0, 1.0)
    cuts = [plate_module._read_candidates(plate_reader, frame, [short], attempt)[0] for attempt in (0, 1)]
    chosen = plate_module._best_of_cuts(*cuts)
    assert chosen.text == "?" + text[1:] and not chosen.valid
    again = plate_module._look_beyond_short_lines(plate_reader, frame, [short], [chosen], True)
    assert again[0].text == text and again[0].valid
