"""The floor on the shared real street photos (../shared/data/scenes-real, issue #16), read as
``kuaichu-ocr --kind plate`` reads them: at most one invented plate per 100 photos, and 97% of the
labelled plates read exactly. Judged against the labels as reviewed (bench/data/scenes_real_review.tsv,
each finding checked by eye): a wrong label would otherwise count a right reading as invented.
bench/ocr_bench.py reports the same figures both ways, with times."""
from __future__ import annotations

import pytest

from bench import ocr_bench
from seat_app.services.ocr.reader import OcrReader
from tests.seat_app.ocr.test_real_plates import on_ci

INVENTED_PER_100 = 1.0
EXACT_FLOOR = 0.97


@pytest.fixture(scope="module")
def readings(reader: OcrReader) -> list[tuple[dict, list]]:
    if not (ocr_bench.SCENES_REAL / "labels.tsv").is_file():
        why = f"the shared real photos are not at {ocr_bench.SCENES_REAL} (set KUAICHU_SCENES_REAL)"
        if on_ci():
            pytest.fail(f"{why}; CI=true needs them, or the floor goes unchecked")
        pytest.skip(why)
    return [(photo, reader.read(photo["image"], "plate").plates) for photo in ocr_bench.real_scene_photos()]


def test_real_photos_invent_at_most_one_plate_per_100(readings):
    invented = []
    for photo, plates in readings:
        truth = {text for text, _ in photo["reviewed"]}
        invented += [(photo["name"], p.text) for p in plates if p.valid and p.text not in truth]
    assert 100 * len(invented) / len(readings) <= INVENTED_PER_100, invented


@pytest.mark.xfail(strict=True, reason=(
    "about 92% (issue #16 is open): 14 plates are never found by the text detector at the size "
    "the time allows, and the plain RapidOCR call finds none of them either"))
def test_real_photos_read_97_percent_of_plates_exactly(readings):
    labelled = [(text, {p.text for p in plates if p.valid}) for photo, plates in readings for text, _ in photo["reviewed"]]
    exact = sum(text in valid for text, valid in labelled) / len(labelled)
    assert exact >= EXACT_FLOOR, f"{exact:.1%} of {len(labelled)} plates"
