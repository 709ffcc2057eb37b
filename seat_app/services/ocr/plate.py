"""Read licence plates from plate-sized crops: recognition only, decoded against the plate grammar.

The full detector finds nothing on a tight plate crop (PITFALLS.md), so a crop goes
straight to the recogniser. Its per-frame probabilities are decoded against the plate
templates of ``kuaichu_protocol.validators``, with the plate's background colour as a
prior (a blue plate has 7 characters, a green one 8). The decoder may only settle the
usual confusions (O/0, I/1, B/8...) where the grammar forces them; a reading that needed
anything else is still returned, with ``valid=False`` and the reason, for the operator.
"""
from __future__ import annotations

import difflib
from dataclasses import replace

import cv2
import numpy as np

from kuaichu_protocol import validators as v

from .constrained_ctc import Decoded, TemplateDecoder
from .engine import OcrEngine
from .plate_locator import TWO_ROW_ASPECT, PlateCandidate, cut_out, find_candidates
from .results import PlateReading, Quad, to_quad

# Templates a plate of each background colour can carry; the others get COLOUR_PENALTY.
COLOUR_TEMPLATES = {
    "blue": {"standard"},
    "yellow": {"standard", "suffix", "new_energy_large"},
    "green": {"new_energy_small", "new_energy_large"},
    "white": {"suffix"},
    "black": {"hong_kong_macao", "standard"},
}
COLOUR_PENALTY = -6.0  # log-probability: outweighs a doubtful character, not a clearly printed one
# Pairs the recogniser mixes up on plates; the grammar may swap one for the other.
CONFUSABLE = {frozenset(p) for p in ("O0", "D0", "Q0", "U0", "I1", "L1", "J1", "T1", "Z2", "S5", "B8", "G6",
                                     "A4", "T7", "Z7", "E8")}
MIN_CHAR_PROB = 0.2  # a character the model barely saw makes the plate doubtful
TWO_ROW_SPLIT = 0.38  # share of a two-row plate's height taken by its top row


class PlateReader:
    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.decoder = TemplateDecoder(v.PLATE_TEMPLATES, engine.charset)

    def read_crops(self, crops: list[np.ndarray], boxes: list[Quad] | None = None,
                   see_colour: bool = True) -> list[PlateReading]:
        """One reading per crop; ``boxes`` place them in the source picture (default: the crop itself).
        ``see_colour=False`` for a picture without colour (``colourless``): no colour, no colour prior."""
        recognitions = self.engine.recognise(crops)
        if boxes is None:
            boxes = [to_quad([[0, 0], [c.shape[1], 0], [c.shape[1], c.shape[0]], [0, c.shape[0]]]) for c in crops]
        return [self.reading(r.probs, r.text, plate_colour(c) if see_colour else None, b)
                for r, c, b in zip(recognitions, crops, boxes)]

    def read_two_row_crops(self, crops: list[np.ndarray], boxes: list[Quad],
                           see_colour: bool = True) -> list[PlateReading]:
        """Two-row plates (a lorry's rear): the small top row and the large bottom row are read
        as two lines and decoded as one sequence, top first."""
        tops = [c[round(c.shape[0] * 0.05):round(c.shape[0] * TWO_ROW_SPLIT),
                  round(c.shape[1] * 0.25):round(c.shape[1] * 0.75)] for c in crops]
        bottoms = [c[round(c.shape[0] * TWO_ROW_SPLIT):round(c.shape[0] * 0.97)] for c in crops]
        recognitions = self.engine.recognise(tops + bottoms)
        readings = []
        for i, (crop, box) in enumerate(zip(crops, boxes)):
            top, bottom = recognitions[i], recognitions[len(crops) + i]
            probs = np.concatenate([top.probs, bottom.probs])
            colour = plate_colour(bottoms[i]) if see_colour else None
            readings.append(self.reading(probs, top.text + bottom.text, colour, box))
        return readings

    def reading(self, probs: np.ndarray, raw: str, colour: str | None, box: Quad) -> PlateReading:
        decoded = self.decode(probs, colour)
        if decoded is None:
            return PlateReading(v.normalise_plate(raw), 0.0, box, False, colour, raw, "no plate shape fits")
        confidence = float(np.mean(decoded.char_probs))
        reason = _doubt(raw, decoded)
        return PlateReading(decoded.text, confidence, box, not reason, colour, raw, reason, min(decoded.char_probs))

    def read_printed(self, probs: np.ndarray, raw: str) -> tuple[str, float, bool, str] | None:
        """A plate number printed on a document: (text, confidence, valid, reason), or None."""
        decoded = self.decode(probs, None)
        if decoded is None:
            return None
        reason = _doubt(raw, decoded)
        return decoded.text, float(np.mean(decoded.char_probs)), not reason, reason

    def decode(self, probs: np.ndarray, colour: str | None) -> Decoded | None:
        decoded = self.decoder.decode(probs, _colour_priors(colour))
        return decoded[0] if decoded else None


def _colour_priors(colour: str | None) -> dict[str, float]:
    if colour not in COLOUR_TEMPLATES:
        return {}
    allowed = COLOUR_TEMPLATES[colour]
    return {name: 0.0 if name in allowed else COLOUR_PENALTY for name in v.PLATE_TEMPLATES}


def _doubt(raw: str, decoded: Decoded) -> str:
    """Why the decoded plate should not be trusted without a look; '' if it can be."""
    if min(decoded.char_probs) < MIN_CHAR_PROB:
        return "a character is barely legible"
    read = v.normalise_plate(raw)
    matcher = difflib.SequenceMatcher(a=read, b=decoded.text, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a1 - a0 == b1 - b0 and all(_explained(a, b, b0 + i) for i, (a, b) in
                                                          enumerate(zip(read[a0:a1], decoded.text[b0:b1]))):
            continue
        return f"the grammar changed {read[a0:a1] or '∅'} to {decoded.text[b0:b1] or '∅'}"
    return ""


def _explained(seen: str, decided: str, position: int) -> bool:
    """A substitution the grammar may make: a known confusion, or a province glyph misread."""
    if frozenset((seen, decided)) in CONFUSABLE:
        return True
    return position == 0 and decided in v.PROVINCES and "\u4e00" <= seen <= "\u9fff"


# --- colour -------------------------------------------------------------------------
def colourless(image: np.ndarray) -> bool:
    """A grey picture (a grey-scale file, an infrared camera): every pixel's channels agree. No
    plate colour can be told there, and guessing one (dark ground: 'black') would steer the
    decoder away from the templates of the plate's real colour. Every 4th row and column is enough."""
    if image.ndim == 2 or image.shape[-1] == 1:
        return True
    sample = image[::4, ::4, :3].astype(np.int16)
    return int(np.abs(sample - sample[..., :1]).max()) <= 1


def plate_colour(crop: np.ndarray) -> str | None:
    """The plate's background colour, or None when it cannot be told.

    Polarity first, because night light and white balance shift hues but not which of
    ink and background is the brighter: blue and black plates carry light characters,
    yellow, green and white plates dark ones. Characters are the far tail of the grey
    levels in the plate's middle band (a tail, not a threshold: a new-energy plate's
    own background runs from white to green). The background's hue then names the colour.
    """
    height, width = crop.shape[:2]
    if height < 6 or width < 12:
        return None
    band = crop[height // 4: height - height // 4, width // 10: width - width // 10]
    gray = cv2.cvtColor(band, cv2.COLOR_BGR2GRAY).reshape(-1).astype(np.int32)
    low, middle, high = np.percentile(gray, (5, 50, 95))
    hsv = cv2.cvtColor(band, cv2.COLOR_BGR2HSV).reshape(-1, 3).astype(np.int32)
    if high - middle > middle - low:  # light characters on a dark background
        return _dark_background_colour(hsv[gray <= middle])
    return _light_background_colour(hsv[gray >= middle])


def _dark_background_colour(hsv: np.ndarray) -> str:
    """Blue unless the background is neutral: even a blue plate at night keeps some blue cast."""
    bluish = (hsv[:, 0] >= 85) & (hsv[:, 0] <= 140) & (hsv[:, 1] >= 40)
    return "blue" if bluish.mean() >= 0.3 else "black"


def _light_background_colour(hsv: np.ndarray) -> str | None:
    lit = hsv[:, 2] >= 70
    coloured = lit & (hsv[:, 1] >= 60)
    yellow = coloured & (hsv[:, 0] >= 12) & (hsv[:, 0] <= 34)
    blue = coloured & (hsv[:, 0] >= 91) & (hsv[:, 0] <= 135)
    # Green needs least: a new-energy plate is white at the top, and glare bleaches the rest
    # to a pale tint that still has a green hue.
    green = lit & (hsv[:, 1] >= 20) & (hsv[:, 0] >= 35) & (hsv[:, 0] <= 84)
    shares = {"yellow": yellow.mean() / 0.2, "green": green.mean() / 0.3, "blue": blue.mean() / 0.2}
    best = max(shares, key=shares.get)
    if shares[best] >= 1.0:
        return best
    neutral = hsv[:, 1] < 60  # the light part of the plate, so no brightness floor: dusk dims white too
    return "white" if neutral.mean() >= 0.5 else None


# --- scenes -------------------------------------------------------------------------
ACCEPT_CONFIDENCE = 0.6  # mean character probability below which a candidate is not taken for a plate
# Every character must have been seen at least this faintly. Other text forced into the plate
# grammar (a badge, a date, 'NISSAN 2.0T') gets a province the model rated below 1e-4; real
# plates, even the worst of the 689 crops that still read right, stay above 0.006.
ACCEPT_WEAKEST = 0.002


def read_scene(reader: PlateReader, image: np.ndarray, text_boxes: list[np.ndarray],
               exclude: np.ndarray | None = None, see_colour: bool = True) -> list[PlateReading]:
    """Every plate in a scene, best first: locate cheaply, then recognise only the candidates.
    ``exclude`` (x0, y0, x1, y1) is a document's area: a plate number printed on a licence is
    not a plate in the scene."""
    candidates = [c for c in find_candidates(image, text_boxes) if not _centre_in(c.quad, exclude)]
    # Each candidate is cut out both ways: the tight cut reads best on the whole, but where the
    # detector's box was already tight it clips the last character (a D read as 0) with a
    # confident, valid result, so confidence alone cannot tell when to try the other.
    first = _read_candidates(reader, image, candidates, 0, see_colour)
    second = _read_candidates(reader, image, candidates, 1, see_colour)
    readings = [max(a, b, key=lambda r: (r.valid, r.confidence)) for a, b in zip(first, second)]
    plates = [r for r in readings if r.confidence >= ACCEPT_CONFIDENCE and r.weakest >= ACCEPT_WEAKEST]
    return _distinct(sorted(plates, key=lambda r: (r.valid, r.confidence), reverse=True))


def _centre_in(quad: np.ndarray, region: np.ndarray | None) -> bool:
    if region is None:
        return False
    x, y = quad.mean(axis=0)
    return bool(region[0] <= x <= region[2] and region[1] <= y <= region[3])


def _read_candidates(reader: PlateReader, image: np.ndarray, candidates: list[PlateCandidate],
                     attempt: int, see_colour: bool = True) -> list[PlateReading]:
    crops = [cut_out(image, c.quad, c.margins[attempt]) for c in candidates]
    two_rows = [c.source != "text" and c.aspect < TWO_ROW_ASPECT for c in candidates]
    single = reader.read_crops([c for c, two in zip(crops, two_rows) if not two],
                               [to_quad(c.quad) for c, two in zip(candidates, two_rows) if not two], see_colour)
    double = reader.read_two_row_crops([c for c, two in zip(crops, two_rows) if two],
                                       [to_quad(c.quad) for c, two in zip(candidates, two_rows) if two], see_colour)
    # A squat coloured patch is more often a car's bodywork than a two-row plate: only a clean read counts.
    double = [r if r.valid else replace(r, confidence=0.0) for r in double]
    return [double.pop(0) if two else single.pop(0) for two in two_rows]


def _distinct(plates: list[PlateReading]) -> list[PlateReading]:
    """One reading per plate text (valid first, then the most confident), as overlapping candidates
    read the same plate."""
    seen: set[str] = set()
    kept = []
    for plate in plates:
        if plate.text not in seen:
            seen.add(plate.text)
            kept.append(plate)
    return kept
