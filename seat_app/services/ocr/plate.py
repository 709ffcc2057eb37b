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
import math
from dataclasses import replace

import cv2
import numpy as np

from kuaichu_protocol import validators as v

from .constrained_ctc import Decoded, TemplateDecoder
from .engine import OcrEngine
from .geometry import quad_size
from .plate_locator import TWO_ROW_ASPECT, PlateCandidate, cut_out, find_candidates, overlap
from .results import PlateReading, Quad, to_quad

# Templates a plate of each background colour can carry; the others get COLOUR_PENALTY.
COLOUR_TEMPLATES = {
    "blue": {"standard", "temporary", "emergency"},
    "yellow": {"standard", "suffix", "new_energy_large", "temporary", "emergency", "agricultural"},
    "green": {"new_energy_small", "new_energy_large", "agricultural", "civil_aviation"},
    "white": {"suffix", "armed_police", "armed_police_coded", "military", "temporary", "emergency", "civil_aviation"},
    "black": {"hong_kong_macao", "standard", "embassy", "consulate"},
}
# Colours judged reliably enough to fix the plate's shape, not only to tip the decoder towards it:
# green (new-energy). A plate judged white is as often a washed-out blue or yellow one (8 of the
# 689 real crops), so white, like the others, is only a prior.
SHAPE_FROM_COLOUR = {"green"}
# Shapes with no province to anchor them, which part of another plate or a sign can fit: on a
# picture with colour, they count only in their own plate colour.
STRICT_COLOURS = {"military": {"white"}, "armed_police": {"white"}, "armed_police_coded": {"white"},
                  "embassy": {"black"}}
COLOUR_PENALTY = -6.0  # log-probability: outweighs a doubtful character, not a clearly printed one
# Pairs the recogniser mixes up on plates; the grammar may swap one for the other.
CONFUSABLE = {frozenset(p) for p in ("O0", "D0", "Q0", "U0", "I1", "L1", "J1", "T1", "Z2", "S5", "B8", "G6",
                                     "A4", "T7", "Z7", "E8")}
# A character the model rated below this is not read but returned as '?': hidden, cut off or worn.
MIN_CHAR_PROB = 0.2
# Another character the grammar allows at a position, rated at least this share of the chosen
# one's probability on the same frames, is an alternative the operator must choose between.
CLOSE_RATIO = 0.5
MIN_ALTERNATIVE_PROB = 0.05
# A province character read below this probability is not trusted alone when the model also rated
# another province (at least MIN_ALTERNATIVE_PROB): the reading is confusable, with those provinces
# as its alternatives. (Doubt between a province and no province, as a plain glyph like 川 gets on
# a clean plate, names no other car.) A province is a dense glyph that
# blur and a small plate turn into a blob the model still names (皖 for 桂, 鄂 for 湘), and a wrong
# one sends the registry check to another car. Chosen on half A of the shared real photos (the
# bench's split): halfway between the highest probability of a wrong province there (0.37) and
# the lowest of a right one on an otherwise clean reading (0.87).
PROVINCE_SURE = 0.62
BORDER_MARKS = "[]|()"
PARTIAL = "partial"  # the reason of a reading with a '?' in it
CONFUSABLE_REASON = "confusable"
# A plate whose box comes this close to the frame's left or right edge may run beyond it.
EDGE_PX = 2
EDGE_SHARE_OF_HEIGHT = 0.2
TWO_ROW_SPLIT = 0.38  # share of a two-row plate's height taken by its top row


class PlateReader:
    def __init__(self, engine: OcrEngine) -> None:
        self.engine = engine
        self.decoder = TemplateDecoder(v.PLATE_TEMPLATES, engine.charset)

    def read_crops(self, crops: list[np.ndarray], boxes: list[Quad] | None = None,
                   see_colour: bool = True, cuts: list[tuple[bool, bool]] | None = None) -> list[PlateReading]:
        """One reading per crop; ``boxes`` place them in the source picture (default: the crop itself).
        ``see_colour=False`` for a picture without colour (``colourless``): no colour, no colour prior.
        ``cuts``: per crop, whether its left and right ends touch the source frame's edge."""
        recognitions = self.engine.recognise(crops)
        if boxes is None:
            boxes = [to_quad([[0, 0], [c.shape[1], 0], [c.shape[1], c.shape[0]], [0, c.shape[0]]]) for c in crops]
        cuts = cuts or [(False, False)] * len(crops)
        return [self.reading(r.probs, r.text, plate_colour(c) if see_colour else None, b, cut)
                for r, c, b, cut in zip(recognitions, crops, boxes, cuts)]

    def read_two_row_crops(self, crops: list[np.ndarray], boxes: list[Quad], see_colour: bool = True,
                           cuts: list[tuple[bool, bool]] | None = None,
                           aspects: list[float] | None = None) -> list[PlateReading]:
        """Two-row plates (a lorry's rear): the small top row and the large bottom row are read
        as two lines and decoded as one sequence, top first. ``aspects``: each plate's own width
        over height, when the crop was cut with a margin (default: the crop's)."""
        tops = [c[round(c.shape[0] * 0.05):round(c.shape[0] * TWO_ROW_SPLIT),
                  round(c.shape[1] * 0.25):round(c.shape[1] * 0.75)] for c in crops]
        bottoms = [c[round(c.shape[0] * TWO_ROW_SPLIT):round(c.shape[0] * 0.97)] for c in crops]
        recognitions = self.engine.recognise(tops + bottoms)
        cuts = cuts or [(False, False)] * len(crops)
        readings = []
        for i, (crop, box) in enumerate(zip(crops, boxes)):
            top, bottom = recognitions[i], recognitions[len(crops) + i]
            probs = np.concatenate([top.probs, bottom.probs])
            colour = plate_colour(bottoms[i]) if see_colour else None
            aspect = aspects[i] if aspects else crop.shape[1] / max(crop.shape[0], 1)
            raw = _without_border(top.text) + _without_border(bottom.text)
            readings.append(self.reading(probs, raw, colour, box, cuts[i], rows=2, aspect=aspect))
        return readings

    def reading(self, probs: np.ndarray, raw: str, colour: str | None, box: Quad,
                cut: tuple[bool, bool] = (False, False), rows: int = 1, aspect: float | None = None) -> PlateReading:
        """``cut``: the plate's (left, right) end touches the edge of the frame it was found in, so
        the characters there may lie beyond it and are never trusted. ``rows``: 2 for a two-row plate,
        whose ``probs`` are the top row's frames followed by the bottom row's; ``aspect``, its width
        over its height, tells a motorcycle's from a lorry's."""
        decoded = self.decode(probs, colour)
        if decoded is None:
            return PlateReading(v.normalise_plate(raw), 0.0, box, False, colour, raw, "no plate shape fits")
        unsure = _unsure_positions(raw, decoded) | _cut_positions(decoded, len(probs), cut, rows)
        alternatives = self.alternatives(decoded, probs)
        if 0 not in unsure and _unsure_province(decoded):
            alternatives = (self.alternatives(decoded, probs, first=True),) + alternatives[1:]
        text = "".join("?" if k in unsure else ch for k, ch in enumerate(decoded.text))
        reason = PARTIAL if unsure else (_doubt(raw, decoded) or _colour_doubt(decoded, colour)
                                         or (CONFUSABLE_REASON if any(alternatives) else ""))
        sure = [p for k, p in enumerate(decoded.char_probs) if k not in unsure] or [0.0]
        return PlateReading(text, float(np.mean(sure)), box, not reason, colour, raw, reason, min(sure),
                            plate_type=v.plate_type(decoded.text, colour, rows, aspect), char_confidences=decoded.char_probs,
                            alternatives=alternatives)

    def alternatives(self, decoded: Decoded, probs: np.ndarray, first: bool = False):
        """Per character, the other characters the grammar allows there that the model rated almost
        as high on the same frames (8/B, 皖/赣...): the operator is shown them, as the grammar cannot choose.
        ``first``: only the first character's, every one the model rated at all (an unsure province)."""
        template = v.PLATE_TEMPLATES[decoded.template]
        out = []
        for k, ((first_frame, last), chosen) in enumerate(zip(decoded.frames, decoded.char_probs)):
            if first and k > 0:
                break
            allowed = [ch for ch in template[k] if ch in self.engine.char_index and ch != decoded.text[k]]
            ids = [self.engine.char_index[ch] for ch in allowed]
            best = probs[first_frame:last + 1][:, ids].max(axis=0) if ids else np.zeros(0)
            close = 0.0 if first else CLOSE_RATIO * chosen
            out.append(tuple(ch for ch, p in sorted(zip(allowed, best), key=lambda a: -a[1])
                             if p >= close and p >= MIN_ALTERNATIVE_PROB))
        return out[0] if first else tuple(out)

    def read_printed(self, probs: np.ndarray, raw: str) -> tuple[str, float, bool, str] | None:
        """A plate number printed on a document: (text, confidence, valid, reason), or None."""
        decoded = self.decode(probs, None)
        if decoded is None:
            return None
        reason = _doubt(raw, decoded)
        return decoded.text, float(np.mean(decoded.char_probs)), not reason, reason

    def decode(self, probs: np.ndarray, colour: str | None) -> Decoded | None:
        """The best reading in a shape the plate's colour allows, for a colour that fixes the shape
        (SHAPE_FROM_COLOUR): a green plate with one character hidden still has the 8 places of a new-energy plate, and its 7
        visible characters must not pass for an ordinary plate. The place the model did not see
        then has a character it barely rated, which the reading returns as '?'."""
        readings = self.decoder.best_first(probs, _colour_priors(colour))
        if colour not in SHAPE_FROM_COLOUR:
            return next(readings, None)
        best = None
        for decoded in readings:
            best = best or decoded
            if decoded.template in COLOUR_TEMPLATES[colour]:
                return decoded
        return best


def _unsure_province(decoded: Decoded) -> bool:
    return decoded.text[:1] in v.PROVINCES and decoded.char_probs[0] < PROVINCE_SURE


def _colour_priors(colour: str | None) -> dict[str, float]:
    if colour not in COLOUR_TEMPLATES:
        return {}
    allowed = COLOUR_TEMPLATES[colour]
    return {name: 0.0 if name in allowed else COLOUR_PENALTY for name in v.PLATE_TEMPLATES}


def _colour_doubt(decoded: Decoded, colour: str | None) -> str:
    allowed = STRICT_COLOURS.get(decoded.template)
    if colour is None or allowed is None or colour in allowed:
        return ""
    return f"a {decoded.template} plate is never {colour}"


def _unsure_positions(raw: str, decoded: Decoded) -> set[int]:
    """Characters the model barely saw, and characters the grammar had to add to what the model
    read (a hidden character leaves a gap that the template fills with whatever fits best)."""
    unsure = {k for k, p in enumerate(decoded.char_probs) if p < MIN_CHAR_PROB}
    read = _without_border(v.normalise_plate(raw))
    matcher = difflib.SequenceMatcher(a=read, b=decoded.text, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "insert" or (op == "replace" and b1 - b0 > a1 - a0):
            unsure |= set(range(b0, b1)) if op == "insert" else set(range(b0 + (a1 - a0), b1))
    return unsure


def _cut_positions(decoded: Decoded, frames: int, cut: tuple[bool, bool], rows: int) -> set[int]:
    """The characters at an end of the plate that touches the frame's edge. Where the edge runs
    through the plate, the recogniser sees only part of it and the template fills the missing
    places with the characters nearest the edge, so every character within reach of it goes."""
    left, right = cut
    if not (left or right):
        return set()
    count = len(decoded.text)
    if rows == 2:  # top row: province and letter; bottom: the serial
        return ({0, 2} if left else set()) | ({1, count - 1} if right else set())
    reach = 1.2 / count
    unsure = set()
    for k, (first, last) in enumerate(decoded.frames):
        centre = (first + last + 1) / 2 / max(frames, 1)
        if (left and centre < reach) or (right and centre > 1 - reach):
            unsure.add(k)
    return unsure


def _doubt(raw: str, decoded: Decoded) -> str:
    """Why the decoded plate should not be trusted without a look; '' if it can be."""
    if min(decoded.char_probs) < MIN_CHAR_PROB:
        return "a character is barely legible"
    read = _without_border(v.normalise_plate(raw))
    matcher = difflib.SequenceMatcher(a=read, b=decoded.text, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        if op == "replace" and a1 - a0 == b1 - b0 and all(_explained(a, b, b0 + i) for i, (a, b) in
                                                          enumerate(zip(read[a0:a1], decoded.text[b0:b1]))):
            continue
        return f"the grammar changed {read[a0:a1] or '∅'} to {decoded.text[b0:b1] or '∅'}"
    return ""


def _without_border(read: str) -> str:
    """A plate's painted border, cut in with a row, reads as a bracket or a bar at its ends."""
    return read.strip(BORDER_MARKS)


def _explained(seen: str, decided: str, position: int) -> bool:
    """A substitution the grammar may make: a known confusion, or a province glyph misread."""
    if frozenset((seen, decided)) in CONFUSABLE:
        return True
    return position == 0 and decided in v.PROVINCES and "\u4e00" <= seen <= "\u9fff"


# --- colour -------------------------------------------------------------------------
COLOURLESS_SAMPLES = 250_000  # a 2 MP photo's every 4th row and column; a 12 MP one's every 7th


def colourless(image: np.ndarray) -> bool:
    """A grey picture (a grey-scale file, an infrared camera): every pixel's channels agree. No
    plate colour can be told there, and guessing one (dark ground: 'black') would steer the
    decoder away from the templates of the plate's real colour. Every 4th row and column is enough,
    and on a larger photo fewer still (about COLOURLESS_SAMPLES pixels)."""
    if image.ndim == 2 or image.shape[-1] == 1:
        return True
    step = max(4, math.ceil(math.sqrt(image.shape[0] * image.shape[1] / COLOURLESS_SAMPLES)))
    sample = image[::step, ::step, :3].astype(np.int16)
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
# A candidate with more characters than this not read ('?') is not reported: too little of it
# was seen to tell a plate from other text forced into the grammar. Both tests are on the
# characters that were read.
MAX_UNSURE = 2
PARTIAL_MIN_GROUND = 0.4


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
    readings = [_best_of_cuts(a, b) for a, b in zip(first, second)]
    readings = _look_beyond_short_lines(reader, image, candidates, readings, see_colour)
    plates = [r for r, c in zip(readings, candidates) if _accepted(r, c)]
    return _distinct(sorted(plates, key=lambda r: (r.valid, r.confidence), reverse=True))


def _best_of_cuts(*cuts: PlateReading) -> PlateReading:
    """One reading of a candidate from its cuts: valid first, then whole, then the most confident."""
    return _province_seen(max(cuts, key=lambda r: (r.valid, not r.partial, r.confidence)), *cuts)


def _province_seen(chosen: PlateReading, *cuts: PlateReading) -> PlateReading:
    """A valid reading whose province no valid cut of the plate read at PROVINCE_SURE, even where
    the model named no other province, has it as '?'. A province half hidden (by a post, or by the
    detected line stopping short of it) or a blur of a few pixels is still named, at a middling
    probability, and one cut may not see it at all: small plates on half A of the shared real
    photos read 鄂 at 0.58 for 粤 (the other cut saw no province), and 皖 at 0.46 on a plate whose
    province is a blur (the other cut, at 0.70, had a character too many). A cut the grammar had
    to correct is no witness. A clear province is read clearly by one clean cut at least."""
    if not chosen.valid or chosen.text[:1] not in v.PROVINCES:
        return chosen
    seen = [c.char_confidences[0] for c in cuts if c.valid and c.text[:1] == chosen.text[:1] and c.char_confidences]
    if max(seen, default=0.0) >= PROVINCE_SURE:
        return chosen
    sure = chosen.char_confidences[1:] or (0.0,)
    return replace(chosen, text="?" + chosen.text[1:], valid=False, reason=PARTIAL,
                   confidence=float(np.mean(sure)), weakest=min(sure))


def _look_beyond_short_lines(reader: PlateReader, image: np.ndarray, candidates: list[PlateCandidate],
                             readings: list[PlateReading], see_colour: bool) -> list[PlateReading]:
    """A detected line that stopped short of the plate: the detector often splits a plate at the
    wide gap after the province and letter, and finds only the serial, so the reading has '?'
    at its start (or end) for characters that are in the picture but were not in the box; a line
    that begins inside the province glyph leaves it named but not clearly, also '?'. The box
    is extended by that many characters and read again; the new reading is taken only if it is
    whole and agrees with every character the first one read, and a province it adds must be
    clear (``_province_seen``): beyond the line's end may be a post hiding most of the glyph."""
    retry = []
    for i, (reading, candidate) in enumerate(zip(readings, candidates)):
        extended = _extended_quad(reading, candidate, image.shape[1])
        if extended is not None:
            retry.append((i, replace(candidate, quad=extended)))
    if not retry:
        return readings
    again = _read_candidates(reader, image, [c for _, c in retry], 1, see_colour)
    out = list(readings)
    for (i, _), new in zip(retry, again):
        old, new = readings[i], _province_seen(new, new)
        if (not new.partial and len(new.text) == len(old.text)
                and all(a == "?" or a == b for a, b in zip(old.text, new.text))):
            out[i] = new
    return out


MAX_EXTENDED = 3  # characters a short line may be extended by


def _extended_quad(reading: PlateReading, candidate: PlateCandidate, width: int) -> np.ndarray | None:
    """The line grown along itself by the characters missing at its '?' end(s), or None."""
    text = reading.text
    lead, trail = len(text) - len(text.lstrip("?")), len(text) - len(text.rstrip("?"))
    seen = len(_without_border(v.normalise_plate(reading.raw)))  # characters inside the line
    if text[:1] == "?" and seen == len(text) and reading.raw[:1] in v.PROVINCES:
        seen -= 1  # a province named but not clearly (_province_seen): the line may stop inside its glyph
    missing = len(text) - seen
    if (candidate.source not in ("text", "joined") or not 0 < lead + trail <= MAX_EXTENDED
            or text.count("?") != lead + trail or seen < 3 or not 0 < missing <= MAX_EXTENDED):
        return None
    left = round(missing * lead / (lead + trail))
    quad = np.asarray(candidate.quad, np.float32)
    pitch = ((quad[1] - quad[0]) + (quad[2] - quad[3])) / 2 / seen  # one character's step along the line
    grown = quad.copy()
    grown[[0, 3]] -= pitch * left * 1.15  # the gap after the province is wider than a character's step
    grown[[1, 2]] += pitch * (missing - left) * 1.15
    if grown[:, 0].min() < 0 or grown[:, 0].max() > width - 1:
        return None  # beyond the frame: nothing more to see
    return grown


def _accepted(reading: PlateReading, candidate: PlateCandidate) -> bool:
    """Taken for a plate. With a character unread, only on a plate's painted ground: other text
    (a badge, 'ABC123') lacks a province just as a plate whose province is hidden does."""
    if reading.confidence < ACCEPT_CONFIDENCE or reading.weakest < ACCEPT_WEAKEST:
        return False
    return not reading.partial or (reading.text.count("?") <= MAX_UNSURE and candidate.ground >= PARTIAL_MIN_GROUND)


def _centre_in(quad: np.ndarray, region: np.ndarray | None) -> bool:
    if region is None:
        return False
    x, y = quad.mean(axis=0)
    return bool(region[0] <= x <= region[2] and region[1] <= y <= region[3])


def _read_candidates(reader: PlateReader, image: np.ndarray, candidates: list[PlateCandidate],
                     attempt: int, see_colour: bool = True) -> list[PlateReading]:
    crops = [cut_out(image, c.quad, c.margins[attempt]) for c in candidates]
    two_rows = [c.source != "text" and c.aspect < TWO_ROW_ASPECT for c in candidates]
    cuts = [_touches_edge(c.quad, image.shape[1]) for c in candidates]
    boxes = [to_quad(c.quad) for c in candidates]
    one_row = [not two for two in two_rows]
    single = reader.read_crops(_where(crops, one_row), _where(boxes, one_row), see_colour, _where(cuts, one_row))
    double = reader.read_two_row_crops(_where(crops, two_rows), _where(boxes, two_rows), see_colour,
                                       _where(cuts, two_rows), [c.aspect for c in _where(candidates, two_rows)])
    # A squat coloured patch is more often a car's bodywork than a two-row plate: only a clean read counts.
    double = [r if r.valid else replace(r, confidence=0.0) for r in double]
    return [double.pop(0) if two else single.pop(0) for two in two_rows]


def _where(items: list, flags: list[bool]) -> list:
    return [item for item, flag in zip(items, flags) if flag]


def _touches_edge(quad: np.ndarray, width: int) -> tuple[bool, bool]:
    """Whether the plate may run beyond the frame's left or right edge. A detected line stops at
    the characters, and the plate's own margin beyond them is about a fifth of their height
    (GA 36: about 15 mm beside characters 90 mm high): a line ending closer than that to the
    edge may have lost its end character to it."""
    near = max(EDGE_PX, EDGE_SHARE_OF_HEIGHT * quad_size(quad)[1])
    xs = quad[:, 0]
    return bool(xs.min() <= near), bool(xs.max() >= width - 1 - near)


def _distinct(plates: list[PlateReading]) -> list[PlateReading]:
    """One reading per plate (valid first, then the most confident), as overlapping candidates
    read the same plate: one text once, and no doubtful reading over a plate read cleanly (a
    candidate that took in only part of it, or one of a two-row plate's rows)."""
    seen: set[str] = set()
    kept = []
    for plate in plates:
        if plate.text in seen:
            continue
        if not plate.valid and any(k.valid and overlap(_corners(plate.box), _corners(k.box)) > 0.3 for k in kept):
            continue
        seen.add(plate.text)
        kept.append(plate)
    return kept


def _corners(box: Quad) -> np.ndarray:
    return np.asarray(box, np.float32)
