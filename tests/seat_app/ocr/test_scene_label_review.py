"""The review of the shared real photos' labels (bench/data/scenes_real_review.tsv) that the OCR
bench reports beside the labels as given: every row names a photo and a label that exist, and
the corrections change only what the row says."""
from __future__ import annotations

import pytest

from bench import ocr_bench
from tests.seat_app.ocr.test_real_plates import on_ci

LABELS = ocr_bench.SCENES_REAL / "labels.tsv"


def _labels() -> dict[str, list[str]]:
    rows = LABELS.read_text(encoding="utf-8").splitlines()[1:]
    return {name: plates.split(",") for name, plates, _ in (row.split("\t") for row in rows)}


def test_every_review_row_names_a_shared_photo_and_its_label():
    if not LABELS.is_file():
        if on_ci():
            pytest.fail(f"the shared real photos are not at {LABELS.parent}")
        pytest.skip(f"the shared real photos are not at {LABELS.parent}")
    labels = _labels()
    review = ocr_bench.label_review()
    assert review
    for name, rows in review.items():
        assert name in labels, name
        for row in rows:
            assert (row["labelled"] in labels[name]) == (row["finding"] != "unlabelled"), row
            assert len([int(v) for v in row["box"].split(",")]) == 4, row


def _row(finding: str, labelled: str, reviewed: str) -> dict:
    return {"file": "x.jpg", "labelled": labelled, "reviewed": reviewed, "colour": "blue", "finding": finding}


def test_the_review_corrects_adds_and_sets_aside_only_what_it_names():
    labels = [("湘A11R55", "blue"), ("湘A07G31", "blue"), ("蒙HL9281", "yellow")]
    rows = [_row("cut_by_frame", "湘A11R55", "湘A11R55"), _row("wrong_label", "蒙HL9281", "津HL9281"),
            _row("unlabelled", "", "津GZH520")]
    plates, cut = ocr_bench.reviewed_labels(labels, rows)
    assert plates == [("湘A07G31", "blue"), ("津HL9281", "yellow"), ("津GZH520", "blue")]
    assert cut == {"湘A11R55"}
    assert ocr_bench.reviewed_labels(labels, []) == (labels, set())


def test_a_review_row_for_a_label_the_photo_lacks_is_an_error():
    with pytest.raises(ValueError, match="has no label 粤B450LJ"):
        ocr_bench.reviewed_labels([("湘A9NU97", "blue")], [_row("cut_by_frame", "粤B450LJ", "粤B450LJ")])
