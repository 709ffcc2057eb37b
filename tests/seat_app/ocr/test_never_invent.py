"""Never invent a character: one hidden or cut off by the frame's edge is '?', and the plate partial.

An invented character sends the registry check to someone else's car. Each plate here has one
character painted over with the plate's own ground (mud, a sticker, a tow bar), or the frame's
edge running through a character, at every position: no reading may be a valid plate.
"""
from __future__ import annotations

import cv2
import numpy as np
import pytest

from kuaichu_artwork import artwork
from seat_app.services.ocr.plate import _province_seen
from seat_app.services.ocr.reader import OcrReader
from seat_app.services.ocr.results import PlateReading

PLATES = [("川A5F7K2", "blue"), ("粤BD12345", "green"), ("苏E1234学", "yellow")]
WIDTH = 220  # px, a car a few metres off in a 720p frame
CASES = [(text, colour, k) for text, colour in PLATES for k in range(len(text))]


def in_a_scene(plate: np.ndarray) -> tuple[np.ndarray, int, float]:
    """The plate on a dark car in a 1280x720 frame; its left edge's x and its scale."""
    frame = np.full((720, 1280, 3), (70, 75, 80), np.uint8)
    height = round(WIDTH * plate.shape[0] / plate.shape[1])
    y, x = 400, 530
    frame[y - 30:y + height + 30, x - 60:x + WIDTH + 60] = (40, 40, 45)
    frame[y:y + height, x:x + WIDTH] = cv2.resize(plate, (WIDTH, height), interpolation=cv2.INTER_AREA)
    return frame, x, WIDTH / plate.shape[1]


def char_cells(text: str) -> list[tuple[int, int, int, int]]:
    return artwork._plate_char_boxes(len(text), 1.0)


@pytest.mark.parametrize(("text", "colour", "k"), CASES)
def test_a_hidden_character_is_a_question_mark_never_a_valid_plate(reader: OcrReader, text, colour, k):
    art = artwork.render_plate(text, colour)
    x0, y0, x1, y1 = char_cells(text)[k]
    art[y0 - 2:y1 + 2, x0 - 2:x1 + 2] = np.median(art[8:20, 20:-20].reshape(-1, 3), axis=0)
    frame, _, _ = in_a_scene(art)
    plates = reader.read(frame, "plate").plates
    assert not [p.text for p in plates if p.valid]
    assert plates and all(p.partial and p.reason == "partial" for p in plates), [(p.text, p.reason) for p in plates]


@pytest.mark.parametrize("side", ["left", "right"])
@pytest.mark.parametrize(("text", "colour", "k"), CASES)
def test_a_plate_cut_by_the_frame_edge_is_never_a_valid_plate(reader: OcrReader, text, colour, k, side):
    """The edge runs through the middle of character k; everything beyond it is out of the picture."""
    frame, x, scale = in_a_scene(artwork.render_plate(text, colour))
    x0, _, x1, _ = char_cells(text)[k]
    edge = int(x + (x0 + x1) / 2 * scale)
    cut = frame[:, edge:] if side == "left" else frame[:, :edge]
    plates = reader.read(np.ascontiguousarray(cut), "plate").plates
    assert not [p.text for p in plates if p.valid]
    assert all(p.partial for p in plates), [(p.text, p.reason) for p in plates]


def test_a_partial_reading_fills_no_form_field_on_its_own(reader: OcrReader):
    from seat_app.core.attribution import reading_of
    from seat_app.core.evidence import OverlayItem
    from seat_app.services.ocr.overlay import overlay_items

    art = artwork.render_plate("川A5F7K2", "blue")
    x0, y0, x1, y1 = char_cells("川A5F7K2")[0]
    art[y0 - 2:y1 + 2, x0 - 2:x1 + 2] = np.median(art[8:20, 20:-20].reshape(-1, 3), axis=0)
    frame, _, _ = in_a_scene(art)
    items = overlay_items(reader.read(frame, "plate"))
    assert [(i.text, i.valid) for i in items if i.field == "plate"] == [("?A5F7K2", False)]
    seat_items = [OverlayItem((0, 0, 10, 10), i.text, i.field, i.valid) for i in items]
    assert reading_of(1, seat_items) is None  # nothing to attribute, so nothing is filled


def _probs(engine, text: str, province_probs: dict[str, float]) -> np.ndarray:
    """CTC frames for ``text``: each character sure on one frame between blanks, except the
    province, whose frame splits its probability as given (the rest is blank)."""
    frames = []
    for k, ch in enumerate(text):
        blank = np.zeros(len(engine.charset), np.float32)
        blank[0] = 1.0
        frame = np.zeros(len(engine.charset), np.float32)
        for glyph, p in (province_probs.items() if k == 0 else [(ch, 0.98)]):
            frame[engine.char_index[glyph]] = p
        frame[0] += 1.0 - frame.sum()
        frames += [blank, frame]
    return np.stack(frames + [frames[0]])


@pytest.mark.parametrize("sure", [0.5, 0.3])
def test_an_unsure_province_is_flagged_with_the_provinces_it_may_be(plate_reader, engine, sure):
    """A province glyph blurred into a blob still gets a name from the model (皖 for 桂): below
    PROVINCE_SURE the reading is confusable, and the next provinces are there to choose from."""
    probs = _probs(engine, "皖ATK071", {"皖": sure, "桂": 0.2, "赣": 0.1})
    box = ((0, 0), (140, 0), (140, 44), (0, 44))
    reading = plate_reader.reading(probs, "皖ATK071", "blue", box)
    assert reading.text == "皖ATK071" and not reading.valid and reading.reason == "confusable"
    assert reading.alternatives[0][:2] == ("桂", "赣")


def test_a_sure_province_is_not_flagged(plate_reader, engine):
    probs = _probs(engine, "皖ATK071", {"皖": 0.95, "桂": 0.01})
    reading = plate_reader.reading(probs, "皖ATK071", "blue", ((0, 0), (140, 0), (140, 44), (0, 44)))
    assert reading.valid and reading.reason == "" and reading.alternatives[0] == ()


def test_doubt_between_a_province_and_no_province_names_no_other_car(plate_reader, engine):
    """A plain glyph (川 on a clean plate) can get half its probability as 'no character': with
    no other province rated, the reading stays valid."""
    probs = _probs(engine, "川B12345", {"川": 0.48})
    reading = plate_reader.reading(probs, "川B12345", "yellow", ((0, 0), (140, 0), (140, 44), (0, 44)))
    assert reading.valid and reading.text == "川B12345"


# A post (a pole, a pillar, a parked bike) in front of the plate's left end hides part of the
# province; the glyph left visible is still given a name. The plate is small (140 px, a car
# further off in a 720p frame), where the model is least sure of it.
POST_PLATES = ["川A5F7K2", "粤B3K7Q2", "湘A7GB86", "鄂C29A61", "苏E372XN", "浙A88Y88"]
POST_WIDTH = 140
STILL_INVENTED = {("浙A88Y88", 0.5)}  # see the xfail reason below


def behind_a_post(text: str, cover: float) -> np.ndarray:
    """The plate in a 1280x720 frame with a grey post covering ``cover`` of its province, from the left."""
    art = artwork.render_plate(text, "blue")
    frame = np.full((720, 1280, 3), (70, 75, 80), np.uint8)
    height = round(POST_WIDTH * art.shape[0] / art.shape[1])
    y, x = 400, 530
    frame[y - 30:y + height + 30, x - 60:x + POST_WIDTH + 60] = (40, 40, 45)
    frame[y:y + height, x:x + POST_WIDTH] = cv2.resize(art, (POST_WIDTH, height), interpolation=cv2.INTER_AREA)
    x0, _, x1, _ = char_cells(text)[0]
    post_right = int(x + (x0 + (x1 - x0) * cover) * POST_WIDTH / art.shape[1])
    frame[200:720, x - 40:post_right] = (150, 150, 145)
    return frame


@pytest.mark.parametrize("cover", [0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize("text", POST_PLATES)
def test_a_province_half_hidden_by_a_post_is_never_read_as_another(reader: OcrReader, text, cover, request):
    """Before the cuts had to agree on a clear province, 粤 half hidden read as a valid 皖, and 湘
    two-thirds hidden as 皖 once the line was extended towards the post."""
    if (text, cover) in STILL_INVENTED:
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            "the right half of 浙 reads as 新 at 0.81 in one cut (the other sees 斤, no province): "
            "telling an occluded plate end needs a cue beside the reading")))
    plates = reader.read(behind_a_post(text, cover), "plate").plates
    assert all(p.text == text for p in plates if p.valid), [(p.text, p.valid, p.reason) for p in plates]


def _cut(text: str, province_prob: float) -> PlateReading:
    probs = (province_prob,) + (0.99,) * (len(text) - 1)
    box = ((0, 0), (140, 0), (140, 44), (0, 44))
    return PlateReading(text, 0.9, box, "?" not in text, "blue", text, "" if "?" not in text else "partial",
                        0.5, char_confidences=probs)


def test_a_province_no_cut_read_clearly_is_a_question_mark():
    """One cut saw no province, the other named one at a middling probability: '?', partial."""
    seen = _province_seen(_cut("鄂A961F3", 0.58), _cut("?A961F3", 0.0), _cut("鄂A961F3", 0.58))
    assert (seen.text, seen.valid, seen.reason) == ("?A961F3", False, "partial")
    assert seen.weakest == 0.99  # the province no longer counts among the characters read


def test_a_province_one_cut_read_clearly_stands():
    chosen = _cut("川A105LR", 0.39)
    assert _province_seen(chosen, chosen, _cut("川A105LR", 0.93)) is chosen
    assert _province_seen(_cut("湘ATL269", 0.34), _cut("皖ATL269", 0.95)).text == "?ATL269"  # not the same province
