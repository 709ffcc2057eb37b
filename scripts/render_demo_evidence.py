"""Draws and reads the pictures of the two demo cases: server/resources/demo_evidence/*.jpg and ocr.json.

    PYTHONPATH=. .venv/bin/python scripts/render_demo_evidence.py

`kuaichu-server seed-demo` stores these files as the cases' evidence (server/services/demo_cases.py).
The server may import neither kuaichu_artwork (the drawings) nor seat_app (the OCR), so both run here,
once: the scenes, plates and driving licences are kuaichu_artwork's drawings of the demo registry's
parties, and ocr.json holds what the seat's own OCR reads in each picture, in the shape the seat sends
(PUT /api/evidence/{id}/ocr). Drawing is deterministic; rerun after the artwork or the cases change.
"""
from __future__ import annotations

import json
import sys

import cv2
import numpy as np

from kuaichu_artwork import artwork
from seat_app.services.ocr.seat_port import make_ocr
from seat_app.services.ocr_port import overlay_json
from server.services.demo_cases import DEMO_CASES, DemoCase, evidence_dir
from server.resource_files import resource

SIZE = (1280, 720)
JPEG_QUALITY = 80
MAX_BYTES = 250 * 1024


def registry() -> dict:
    return json.loads(resource("demo_registry.json").read_text(encoding="utf-8"))


def colours(demo: DemoCase, reg: dict) -> list[tuple[str, str]]:
    by_plate = {v["plate"]: v for v in reg["vehicles"]}
    return [(p.plate, by_plate[p.plate]["plate_colour"]) for p in demo.parties]


def impact(plates: list[tuple[str, str]], seed: int) -> np.ndarray:
    """Closer in, where the two cars meet: the middle of a wider scene, enlarged."""
    wide = artwork.render_scene(plates, size=(1920, 1080), seed=seed)
    h, w = wide.shape[:2]
    crop = wide[h // 4: h // 4 + h // 2 + h // 8, w // 4: w - w // 4]
    return cv2.resize(crop, SIZE, interpolation=cv2.INTER_AREA)


def licence(id_number: str, reg: dict) -> np.ndarray:
    driver = next(d for d in reg["drivers"] if d["id_number"] == id_number)
    born = id_number[6:14]
    data = {**driver, "birth_date": f"{born[:4]}-{born[4:6]}-{born[6:]}", "first_issue_date": driver["valid_from"],
            "sex": "女" if int(id_number[16]) % 2 == 0 else "男", "address": "四川省成都市锦江区红星路二段"}
    return artwork.render_driving_licence(data, size=SIZE)


def pictures(demo: DemoCase, reg: dict) -> dict[str, np.ndarray]:
    plates = colours(demo, reg)
    drawn = {"scene": artwork.render_scene(plates, size=SIZE, seed=demo.seed * 10),
             "impact": impact(plates, demo.seed * 10 + 1),
             "together": artwork.render_scene(plates, size=SIZE, seed=demo.seed * 10 + 2)}
    for position, (party, plate) in enumerate(zip(demo.parties, plates), start=1):
        drawn[f"plate-{position}"] = artwork.render_scene([plate], size=SIZE, seed=demo.seed * 10 + 2 + position)
        drawn[f"licence-{position}"] = licence(party.id_number, reg)
    return {name: drawn[name.removeprefix(f"{demo.number}-").removesuffix(".jpg")]
            for name, _, _ in demo.pictures()}


def main() -> int:
    reg, out = registry(), evidence_dir()
    out.mkdir(parents=True, exist_ok=True)
    ocr = make_ocr()
    results: dict[str, dict] = {}
    for demo in DEMO_CASES:
        drawn = pictures(demo, reg)
        for name, label, _ in demo.pictures():
            ok, jpeg = cv2.imencode(".jpg", drawn[name], [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
            if not ok or len(jpeg) > MAX_BYTES:
                raise SystemExit(f"{name}: could not encode under {MAX_BYTES // 1024} KB")
            (out / name).write_bytes(jpeg.tobytes())
            decoded = cv2.imdecode(jpeg, cv2.IMREAD_COLOR)  # read what is stored, as the seat reads its capture
            items = ocr.read(cv2.cvtColor(decoded, cv2.COLOR_BGR2RGB), label)
            results[name] = overlay_json(items)
            print(f"{name:28} {len(jpeg) // 1024:4d} KB  {json.dumps(results[name]['fields'], ensure_ascii=False)}")
    (out / "ocr.json").write_text(json.dumps(results, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                  encoding="utf-8")
    print(f"wrote {len(results)} pictures and ocr.json to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
