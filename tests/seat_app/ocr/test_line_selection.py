"""Only the lines wanted fields begin are read in full; the rest only when a field is missing."""
from __future__ import annotations

import random

from kuaichu_artwork import artwork
from seat_app.services.ocr import documents, line_selection
from seat_app.services.ocr.reader import OcrReader
from seat_app.services.ocr.results import DocumentKind
from tests.synthetic import fictional

FRAME = (1280, 720)


def test_heads_name_the_kind_and_the_lines_to_read(reader: OcrReader, engine):
    image = artwork.render_vehicle_licence(fictional.vehicle_licence(random.Random(21)), FRAME)
    quads = documents.document_lines(engine.detect(image))
    heads = line_selection.read_heads(engine, image, quads)
    assert line_selection.kind_from_heads(heads) == DocumentKind.VEHICLE_LICENCE
    wanted = line_selection.wanted_lines(DocumentKind.VEHICLE_LICENCE, quads, heads)
    assert 4 <= len(wanted) < len(quads)
    assert not any(heads[i].startswith(("中华", "住址", "使用")) for i in wanted)


def test_the_address_and_title_are_left_unread_when_the_fields_are_complete(reader: OcrReader):
    data = fictional.driving_licence(random.Random(22))
    result = reader.read(artwork.render_driving_licence(data, FRAME))
    assert {k: result.fields[k].text for k in ("name", "id_number")} == {k: data[k] for k in ("name", "id_number")}
    assert result.unread
    assert not any(data["address"][-4:] in line.text for line in result.lines)


def test_a_missing_field_makes_every_line_read(reader: OcrReader):
    data = {**fictional.driving_licence(random.Random(23)), "licence_class": ""}  # nothing printed after 准驾车型
    result = reader.read(artwork.render_driving_licence(data, FRAME))
    assert "licence_class" not in result.fields
    assert result.unread == []
    assert any(data["address"][-4:] in line.text for line in result.lines)
    assert result.fields["name"].text == data["name"]


def test_lines_beginning_with_no_label_are_next_when_a_field_is_missing():
    heads = ["中华人", "证号33", "姓汪", "性别女", "住址四", "Dor", "准驾车型"]
    # 0 (the title), 2 (姓名 misread) and 5 (English print) begin with no label; 3 and 4 hold their own fields.
    assert line_selection.unlabelled_lines(heads, read=[1, 6]) == [0, 2, 5]
    assert line_selection.unlabelled_lines(heads, read=[0, 1, 2, 5, 6]) == []
