"""Synthetic test pictures with their ground truth, generated in memory from a fixed seed.

Plate scenes: two cars (sometimes one or three) with blue, green or yellow plates, at
1280x720, degraded by ``degrade``. Documents: a driving licence, vehicle licence or
insurance policy/sticker photographed on a desk, degraded the same way. The same seed
gives the same pictures, so a failure can be reproduced and looked at
(``python -m tests.synthetic.samples`` writes them to tests/.generated/).
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from kuaichu_artwork import artwork

from . import fictional
from .degrade import degrade, perspective

FRAME = (1280, 720)
PLATE_COLOURS = ("blue", "blue", "green", "yellow")
# Fields each document kind must yield, with the key in the fictional data that holds the truth.
DOCUMENT_FIELDS = {
    "driver_licence": ("name", "id_number", "licence_class", "valid_from", "valid_until"),
    "vehicle_licence": ("plate", "vehicle_type", "owner", "vin", "engine_number", "registration_date"),
    "insurance": ("insurer", "policy_number", "valid_from", "valid_until"),
}


@dataclass
class Sample:
    image: np.ndarray
    kind: str
    plates: list[tuple[str, str]] = field(default_factory=list)  # (text, colour)
    fields: dict[str, str] = field(default_factory=dict)
    faults: list[str] = field(default_factory=list)
    seed: int = 0
    plate_width: int = 0  # px, for real_plate_scene


def plate_scene(seed: int) -> Sample:
    rng = random.Random(seed)
    count = rng.choice((1, 2, 2, 2))
    plates = [(fictional.plate(rng, colour), colour) for colour in (rng.choice(PLATE_COLOURS) for _ in range(count))]
    image = artwork.render_scene(plates, FRAME, seed=seed)
    image, faults = degrade(image, rng)
    return Sample(image, "plate", plates=plates, faults=faults, seed=seed)


def plate_scenes(count: int, seed: int = 2024) -> list[Sample]:
    return [plate_scene(seed * 1000 + i) for i in range(count)]


def document(seed: int, kind: str | None = None) -> Sample:
    rng = random.Random(seed)
    kind = kind or rng.choice(list(DOCUMENT_FIELDS))
    data, art = _render_document(kind, rng)
    frame = _photograph(art, rng)
    frame, faults = degrade(frame, rng, tuple(f for f in ("blur", "jpeg", "low_light", "glare") if rng.random() < 0.5))
    truth = {name: data[name] for name in DOCUMENT_FIELDS[kind]}
    return Sample(frame, kind, fields=truth, faults=faults, seed=seed)


def documents(count: int, seed: int = 2024) -> list[Sample]:
    kinds = list(DOCUMENT_FIELDS)
    return [document(seed * 1000 + i, kinds[i % len(kinds)]) for i in range(count)]


def _render_document(kind: str, rng: random.Random) -> tuple[dict[str, str], np.ndarray]:
    if kind == "driver_licence":
        data = fictional.driving_licence(rng)
        return data, artwork.render_driving_licence(data)
    if kind == "vehicle_licence":
        data = fictional.vehicle_licence(rng)
        return data, artwork.render_vehicle_licence(data)
    data = fictional.insurance(rng)
    return data, artwork.render_insurance(data)


def real_plate_scene(crop: np.ndarray, text: str, seed: int) -> Sample:
    """A photographed real plate (a crop from the real-plate set) mounted on the bumper-coloured
    patch of a synthetic scene beside a rendered car, 90-260 px wide, a little turned, degraded
    like the rest. The rendered plate is not part of the truth: the figure is the real one."""
    rng = random.Random(seed)
    image = artwork.render_scene([(fictional.plate(rng, "yellow"), "yellow")], FRAME, seed=seed)
    width = rng.choice((90, 120, 160, 200, 260))
    height = round(width * crop.shape[0] / crop.shape[1])
    plate = cv2.resize(crop, (width, height), interpolation=cv2.INTER_CUBIC)
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), rng.uniform(-4, 4), 1.0)
    plate = cv2.warpAffine(plate, turn, (width, height), borderMode=cv2.BORDER_REPLICATE)
    x, y = rng.randint(40, FRAME[0] - width - 40), rng.randint(FRAME[1] * 2 // 5, FRAME[1] - height - 20)
    image[y - 20:y + height + 20, x - 30:x + width + 30] = rng.choice(((30, 30, 30), (200, 200, 200), (120, 120, 120)))
    image[y:y + height, x:x + width] = plate
    image, faults = degrade(image, rng)
    return Sample(image, "plate", plates=[(text, "")], faults=faults, seed=seed, plate_width=width)


def _photograph(document_art: np.ndarray, rng: random.Random) -> np.ndarray:
    """The document held or laid in front of the camera: filling most of the frame, a little turned."""
    frame = artwork.on_desk(document_art, FRAME, fill=rng.uniform(0.72, 0.92))
    angle = rng.uniform(-6, 6)
    rotation = cv2.getRotationMatrix2D((FRAME[0] / 2, FRAME[1] / 2), angle, 1.0)
    frame = cv2.warpAffine(frame, rotation, FRAME, borderMode=cv2.BORDER_REPLICATE)
    return perspective(frame, rng, strength=0.06)


def main() -> None:
    out = Path(__file__).resolve().parents[1] / ".generated"
    out.mkdir(exist_ok=True)
    for sample in plate_scenes(12) + documents(12):
        name = f"{sample.kind}-{sample.seed}-{'+'.join(sample.faults) or 'clean'}.png"
        cv2.imwrite(str(out / name), sample.image)
    print(f"wrote samples to {out}")


if __name__ == "__main__":
    main()
