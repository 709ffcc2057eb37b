"""Draws the self-test's sample licence, seat_app/resources/samples/licence.png, and writes samples.json,
the truth the self-test compares its readings with (seat_app/selftest/checks.py).

    PYTHONPATH=. .venv/bin/python scripts/self_test_samples.py

The licence is kuaichu_artwork's drawing of a fictional 驾驶证 (the demo's 王建国), lying on a desk in a
720p frame as a seat's camera would see it. The plate, plate.png, is drawn by scripts/sample_plate.py.
Production code never imports kuaichu_artwork: the bundle carries the finished pictures.
"""
from __future__ import annotations

import json

import cv2

from kuaichu_artwork import artwork
from seat_app import paths

LICENCE = {"name": "王建国", "id_number": "510107198503124619", "sex": "男", "address": "四川省成都市武侯区天府大道北段1700号",
           "birth_date": "1985-03-12", "first_issue_date": "2008-06-20", "licence_class": "C1",
           "valid_from": "2020-06-20", "valid_until": "2030-06-20"}
PLATE = "川A5F7K2"  # scripts/sample_plate.py draws it
FRAME = (1280, 720)


def main() -> None:
    samples = paths.resources_dir() / "samples"
    samples.mkdir(parents=True, exist_ok=True)
    licence = samples / "licence.png"
    if not cv2.imwrite(str(licence), artwork.render_driving_licence(LICENCE, FRAME)):
        raise SystemExit(f"could not write {licence}")
    truth = {
        "plate.png": {"kind": "plate", "plates": [PLATE]},
        "licence.png": {"kind": "driver_licence",
                        "fields": {k: LICENCE[k] for k in ("name", "id_number", "licence_class")}},
    }
    (samples / "samples.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {licence} and {samples / 'samples.json'}")


if __name__ == "__main__":
    main()
