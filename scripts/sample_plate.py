"""Draws seat_app/resources/samples/plate.png, the plate `kuaichu-ocr` reads to check an install.

    PYTHONPATH=. .venv/bin/python scripts/sample_plate.py

The plate is kuaichu_artwork's drawing (what the simulator films and the OCR tests read), so
the sample is fictional and can be redrawn after the artwork changes.
"""
from __future__ import annotations

import cv2

from kuaichu_artwork import artwork
from seat_app import paths

TEXT, COLOUR = "川A5F7K2", "blue"


def main() -> None:
    target = paths.sample_plate()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(target), artwork.render_plate(TEXT, COLOUR)):
        raise SystemExit(f"could not write {target}")
    print(f"wrote {TEXT} ({COLOUR}) to {target}")


if __name__ == "__main__":
    main()
