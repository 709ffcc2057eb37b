"""A detected line that stopped short of its plate (split at the gap after the province) is
extended and read again: the characters in the picture are read, and nothing is guessed."""
from __future__ import annotations

import numpy as np

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
