from seat_app.core.case import Case
from seat_app.core.evidence import OverlayItem
from seat_app.core.ocr_fill import NEW_PARTY, plan_fill, plan_single


def case_with(*parties):
    return Case.from_json({"id": 1, "number": "KC1", "state": "collecting", "parties": list(parties)})


def plate(text, valid=True, x=0):
    return OverlayItem((x, 0, 10, 10), text, "plate", valid)


def test_two_plates_in_a_scene_fill_both_parties_left_to_right_adding_the_second():
    case = case_with({"id": 11, "position": 1})
    steps = plan_fill(case, [plate("川B67890", x=900), plate("川A·12345", x=100)], target_party_id=None)
    assert [(s.party_id, s.values) for s in steps] == [(11, {"plate": "川A12345"}), (NEW_PARTY, {"plate": "川B67890"})]


def test_a_known_plate_never_moves_and_invalid_readings_are_ignored():
    case = case_with({"id": 11, "position": 1, "plate": "川A12345"}, {"id": 12, "position": 2})
    steps = plan_fill(case, [plate("川A12345"), plate("XX", valid=False)], target_party_id=12)
    assert steps == []


def test_document_fields_go_to_the_aimed_at_party_without_overwriting():
    case = case_with({"id": 11, "position": 1, "driver_name": "张三"}, {"id": 12, "position": 2})
    items = [OverlayItem((0, 0, 1, 1), "李四", "driver_name", True),
             OverlayItem((0, 0, 1, 1), "11010519491231002X", "id_number", True)]
    assert [(s.party_id, s.values) for s in plan_fill(case, items, 11)] == [(11, {"id_number": "11010519491231002X"})]
    overwrite = plan_fill(case, items, 11, overwrite=True)
    assert overwrite[0].values == {"driver_name": "李四", "id_number": "11010519491231002X"}


def test_a_click_on_one_box_overwrites_that_field():
    case = case_with({"id": 11, "position": 1, "plate": "川A12345"})
    (step,) = plan_single(case, plate("川A·54321"), 11)
    assert (step.party_id, step.values) == (11, {"plate": "川A54321"})


def test_a_misread_plate_on_a_party_document_never_adds_a_vehicle():
    case = case_with({"id": 11, "position": 1, "plate": "川A12345"}, {"id": 12, "position": 2, "plate": "川B67890"})
    assert plan_fill(case, [plate("川B67B90")], target_party_id=12) == []
    assert [(s.party_id, s.values) for s in plan_fill(case, [plate("川B67B90")], 12, overwrite=True)] == [
        (12, {"plate": "川B67B90"})]



def test_a_partial_plate_fills_nothing_even_on_a_click():
    """'?' marks a character OCR could not read (hidden, cut off by the frame): never a form value."""
    case = case_with({"id": 11, "position": 1})
    assert plan_fill(case, [plate("川?5F7K2", valid=False)], target_party_id=None) == []
    assert plan_single(case, plate("川?5F7K2", valid=False), 11) == []
