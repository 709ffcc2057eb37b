"""What a reading of one picture hands back: plates, document fields, and every text line seen.

Plain dataclasses, so the UI, the CLI, the tests and the case record all use the same
shapes; ``to_json()`` gives the CLI's ``--json`` form. Boxes are quadrilaterals in the
coordinates of the picture that was read: four ``[x, y]`` points, clockwise from top left.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

Quad = tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]


class DocumentKind(StrEnum):
    PLATE = "plate"
    DRIVER_LICENCE = "driver_licence"  # 驾驶证
    VEHICLE_LICENCE = "vehicle_licence"  # 行驶证
    INSURANCE = "insurance"  # 交强险保单/标志
    UNKNOWN = "unknown"


REQUESTABLE_KINDS = ("plate", "driver_licence", "vehicle_licence", "insurance", "auto")


def to_quad(points: np.ndarray | list) -> Quad:
    array = np.asarray(points, dtype=np.float64).reshape(4, 2)
    return tuple((int(round(x)), int(round(y))) for x, y in array)  # type: ignore[return-value]


def quad_json(quad: Quad) -> list[list[int]]:
    return [list(point) for point in quad]


@dataclass(frozen=True)
class TextLine:
    """One recognised line: the raw material for fields, and a clickable box in the overlay."""

    text: str
    confidence: float
    box: Quad
    # The recogniser's frame-by-frame probabilities and each character's frame, kept so that a
    # plate printed on a document can be decoded against the plate grammar like a real plate.
    probs: Any = field(default=None, repr=False, compare=False)
    frames: tuple[int, ...] = field(default=(), repr=False, compare=False)


@dataclass(frozen=True)
class OcrField:
    """A document field: its value, how sure the recogniser was, where it is, whether it checks out."""

    name: str
    text: str
    confidence: float
    box: Quad
    valid: bool
    reason: str = ""  # why the validator refused it (English, for logs); "confusable" (see alternatives)
    # Per character, look-alikes the model rated almost as high (engine and policy numbers, which
    # have no checksum); a field with any is valid=False, reason "confusable".
    alternatives: tuple[tuple[str, ...], ...] = ()

    def to_json(self) -> dict:
        out = {"text": self.text, "confidence": round(self.confidence, 3), "box": quad_json(self.box),
               "valid": self.valid}
        if self.alternatives:
            out.update(reason=self.reason, alternatives=[list(a) for a in self.alternatives])
        return out


@dataclass(frozen=True)
class PlateReading:
    """One plate. A character that could not be read (hidden, beyond the frame's edge, too faint)
    is '?' in ``text``, and the reading is then ``valid=False`` with ``reason`` "partial": it never
    fills a form on its own. ``alternatives`` lists, per character, the others the model rated
    almost as high (8/B, 皖/赣); a reading with any is ``valid=False``, reason "confusable"."""

    text: str
    confidence: float  # mean probability of the characters that were read
    box: Quad
    valid: bool
    colour: str | None  # blue | yellow | green | white | black, or None when it cannot be told
    raw: str = ""  # what the recogniser read before the grammar was applied
    reason: str = ""
    weakest: float = 0.0  # probability of the least certain character that was read
    plate_type: str = ""  # kuaichu_protocol.validators.PLATE_TYPES, "" when no plate shape fits
    char_confidences: tuple[float, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()  # per character, possibly empty

    @property
    def partial(self) -> bool:
        return "?" in self.text

    def to_json(self) -> dict:
        return {"text": self.text, "plate_type": self.plate_type, "colour": self.colour,
                "confidence": round(self.confidence, 3),
                "char_confidences": [round(p, 3) for p in self.char_confidences],
                "alternatives": [list(a) for a in self.alternatives],
                "box": quad_json(self.box), "valid": self.valid, "reason": self.reason}


@dataclass
class OcrResult:
    kind: DocumentKind
    plates: list[PlateReading] = field(default_factory=list)
    fields: dict[str, OcrField] = field(default_factory=dict)
    lines: list[TextLine] = field(default_factory=list)
    unread: list[Quad] = field(default_factory=list)  # document lines no wanted field needed: see OcrReader.read_box
    ms: float = 0.0
    image_size: tuple[int, int] = (0, 0)  # width, height

    def to_json(self, file: str | None = None) -> dict:
        out = {"file": file} if file is not None else {}
        out.update({
            "kind": str(self.kind),
            "plates": [p.to_json() for p in self.plates],
            "fields": {name: f.to_json() for name, f in self.fields.items()},
            "ms": round(self.ms, 1),
        })
        return out
