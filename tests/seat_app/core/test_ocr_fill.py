"""What OCR fills, and for whom: by a shared identifier only, never overwriting; a click is the operator's choice."""
import pytest

from seat_app.core.attribution import (
    KIND_PLATES, NEW_PARTY, OPERATOR, Candidate, FieldLedger, Reading, Source, owner_of, plate_parties, reading_as,
    reading_of,
)
from seat_app.core.case import Case
from seat_app.core.evidence import OverlayItem
from seat_app.core.field_checks import shared_identifiers
from seat_app.core.ocr_fill import plan_single

ID_A, ID_B = "510104198503127714", "51010719900823468X"
VIN_A, VIN_B = "LSVAU2187N2123456", "LGXCE4CB6P0658213"


def case_with(*parties):
    return Case.from_json({"id": 1, "number": "KC1", "state": "collecting", "parties": list(parties)})


def plate(text, valid=True, x=0):
    return OverlayItem((x, 0, 10, 10), text, "plate", valid)


def item(name, text, valid=True):
    return OverlayItem((0, 0, 10, 10), text, name, valid)


def licence(name, id_number):
    return reading_of(1, [item("driver_name", name), item("id_number", id_number), item("licence_class", "C1")])


def vehicle_licence(plate_text, vin, owner):
    return reading_of(2, [plate(plate_text), item("vin", vin), item("owner", owner)])


A = {"id": 11, "position": 1, "plate": "川A5F7K2", "vin": VIN_A, "owner": "王建国"}
B = {"id": 12, "position": 2, "plate": "川AD35812", "vin": VIN_B, "owner": "李秀英"}


def test_a_reading_is_one_document_or_plates_left_to_right():
    assert licence("王建国", ID_A).kind == "licence"
    assert licence("王建国", ID_A).value("id_number") == ID_A
    scene = reading_of(3, [plate("川AD35812", x=900), plate("川A·5F7K2", x=100), plate("川?5F7K2", valid=False)])
    assert (scene.kind, scene.plates) == (KIND_PLATES, ("川A5F7K2", "川AD35812"))
    assert reading_of(4, [item("driver_name", "王建国")]) is None  # one unchecked field proves nothing


@pytest.mark.parametrize("parties, reading, expected", [
    ((A, B), vehicle_licence("川AD35812", VIN_B, "李秀英"), 12),  # plate and VIN agree
    (({**A, "vin": ""}, B), vehicle_licence("川A5F7K2", VIN_A, "王建国"), 11),  # the plate alone
    ((A, B), vehicle_licence("川A5F7K2", VIN_B, "李秀英"), None),  # plate names 甲, VIN names 乙: ask
    ((A, B), licence("李秀英", ID_B), 12),  # the owner drives: the name ties the driver
    (({"id": 11, "position": 1, "plate": "川A5F7K2", "driver_name": "王建国"}, {"id": 12, "position": 2}),
     reading_of(2, [item("vin", VIN_A), item("owner", "王建国")]), 11),  # a 行驶证 whose plate went unread
    (({"id": 11, "position": 1, "vin": VIN_B, "driver_name": "王建国"}, {"id": 12, "position": 2}),
     reading_of(2, [item("vin", VIN_A), item("owner", "王建国")]), None),  # that driver's car has another VIN
    (({**A, "id_number": ID_B}, B), licence("李秀英", ID_B), 11),  # an ID number beats a name
    (({**A, "owner": ""}, {**B, "owner": ""}), licence("李秀英", ID_B), None),  # nothing ties it: ask
    (({"id": 11, "position": 1}, {"id": 12, "position": 2}), vehicle_licence("川A5F7K2", VIN_A, "王建国"), None),
    (({**A, "owner": "李秀英"}, B), licence("李秀英", ID_B), None),  # two owners of that name: ask
])
def test_a_document_goes_only_to_the_party_it_shares_an_identifier_with(parties, reading, expected):
    assert owner_of(case_with(*parties), reading) == expected


def test_a_plate_read_in_full_but_not_judged_well_formed_names_its_party_and_fills_nothing():
    reading = reading_of(2, [plate("川AD35812", valid=False), item("vin", VIN_B), item("owner", "李秀英")])
    assert reading.value("plate") == "" and reading.key("plate") == "川AD35812"
    case = case_with({"id": 11, "position": 1, "plate": "川A5F7K2"}, {"id": 12, "position": 2, "plate": "川AD35812"})
    assert owner_of(case, reading) == 12
    partial = reading_of(2, [plate("川?D35812", valid=False), item("vin", VIN_B), item("owner", "李秀英")])
    assert owner_of(case, partial) is None


def test_a_name_never_beats_a_different_id_number():
    case = case_with({**B, "driver_name": "李秀英", "id_number": "510104199211182759"})
    assert owner_of(case, licence("李秀英", ID_B)) is None


def test_plates_match_their_party_else_fill_an_empty_one_else_start_one():
    case = case_with({"id": 11, "position": 1, "phone": "13800000000"}, {"id": 12, "position": 2, "vin": VIN_B})
    assert plate_parties(case, ["川AD35812", "川A5F7K2"]) == [("川AD35812", 11), ("川A5F7K2", NEW_PARTY)]
    assert plate_parties(case_with(A, B), ["川AD35812", "川A5F7K2"]) == [("川AD35812", 12), ("川A5F7K2", 11)]
    full = case_with(A, B, {**A, "id": 13, "position": 3, "plate": "川A3Q861"})
    assert plate_parties(full, ["川B12345"]) == []  # three vehicles already: nothing invented


def test_a_reading_never_overwrites_and_keeps_both_values_with_their_sources():
    ledger = FieldLedger()
    party = case_with({**A, "driver_name": "王建国"}).party(11)
    ledger.took(11, {"driver_name": "王建国"}, Source(OPERATOR))
    values = ledger.plan(party, licence("李秀英", ID_B), Source("licence", 7))
    assert values == {"id_number": ID_B, "licence_class": "C1"}
    assert ledger.conflicts[(11, "driver_name")] == (Candidate("王建国", Source(OPERATOR)),
                                                     Candidate("李秀英", Source("licence", 7)))
    ledger.took(11, {"driver_name": "李秀英"}, Source("licence", 7))  # the operator picked one
    assert ledger.conflicts == {}


def test_a_capture_that_leaves_takes_its_fields_and_its_offers():
    ledger = FieldLedger()
    ledger.took(11, {"vin": VIN_A, "owner": "王建国"}, Source("vehicle_licence", 3))
    ledger.offer(12, "vin", Candidate(VIN_B, Source(OPERATOR)), Candidate(VIN_A, Source("vehicle_licence", 3)))
    assert ledger.release(3) == {11: ["vin", "owner"]}
    assert ledger.conflicts == {} and ledger.sources == {}


def test_an_identifier_on_two_parties_is_an_error_on_both():
    case = case_with(A, {**B, "vin": VIN_A.lower(), "plate": "川A·5F7K2"}, {"id": 13, "position": 3})
    assert shared_identifiers(case) == {(11, "plate"): (2,), (12, "plate"): (1,), (11, "vin"): (2,),
                                        (12, "vin"): (1,)}
    assert shared_identifiers(case_with(A, B)) == {}


def test_a_click_on_one_box_overwrites_that_field_of_the_captures_party():
    case = case_with({"id": 11, "position": 1, "plate": "川A12345"})
    (step,) = plan_single(case, plate("川A·54321"), 11)
    assert (step.party_id, step.values) == (11, {"plate": "川A54321"})
    assert plan_single(case, plate("川A·54321"), None) == []  # a capture nobody owns yet fills no one


def test_a_partial_plate_fills_nothing_even_on_a_click():
    """'?' marks a character OCR could not read (hidden, cut off by the frame): never a form value."""
    case = case_with({"id": 11, "position": 1})
    assert reading_of(1, [plate("川?5F7K2", valid=False)]) is None
    assert plan_single(case, plate("川?5F7K2", valid=False), 11) == []


def test_a_document_waiting_for_its_party_is_not_asked_for_again():
    from seat_app.core.evidence import CaptureTarget, new_record, next_target

    case = case_with({"id": 11, "position": 1, "plate": "川A5F7K2"})
    taken = [new_record("frame", CaptureTarget(label, pid, pos), 1280, 720)
             for label, pid, pos in (("scene", None, None), ("impact", None, None), ("plate", 11, 1),
                                     ("licence", None, None))]
    assert next_target(case, taken).key == "licence.1"
    assert next_target(case, taken, waiting=["licence"]).key == "vehicle_licence.1"


# --- 改为: the same OCR items read as another kind -------------------------------------------------
VEHICLE_LICENCE_ITEMS = [plate("川A5F7K2"), item("vehicle_type", "小型轿车"), item("owner", "王建国"), item("vin", VIN_A)]
LICENCE_ITEMS = [item("driver_name", "王建国"), item("id_number", ID_A), item("licence_class", "C1"),
                 item("licence_valid_from", "2016-03-20"), item("licence_valid_until", "2036-03-20")]


def test_read_as_the_kind_ocr_saw_a_capture_reads_as_before():
    assert reading_as(5, VEHICLE_LICENCE_ITEMS, "vehicle_licence") == reading_of(5, VEHICLE_LICENCE_ITEMS)
    assert reading_as(5, LICENCE_ITEMS, "licence") == reading_of(5, LICENCE_ITEMS)


def test_read_as_another_document_a_capture_keeps_only_what_that_document_prints_too():
    policy = reading_as(5, VEHICLE_LICENCE_ITEMS, "insurance")  # a policy prints the car's plate and VIN
    assert (policy.kind, dict(policy.values)) == ("insurance", {"plate": "川A5F7K2", "vin": VIN_A})
    from_licence = reading_as(5, LICENCE_ITEMS, "insurance")  # the same 有效期起/有效期至
    assert dict(from_licence.values) == {"insurance_valid_from": "2016-03-20", "insurance_valid_until": "2036-03-20"}
    back = reading_as(5, [item(n, dict(from_licence.values)[n]) for n in dict(from_licence.values)], "licence")
    assert dict(back.values) == {"licence_valid_from": "2016-03-20", "licence_valid_until": "2036-03-20"}
    assert reading_as(5, LICENCE_ITEMS, "vehicle_licence") is None  # a 驾驶证 prints nothing a 行驶证 does


def test_read_as_a_picture_that_is_no_document_a_capture_shows_its_plates():
    assert reading_as(5, VEHICLE_LICENCE_ITEMS, "plate") == Reading(5, KIND_PLATES, plates=("川A5F7K2",))
    assert reading_as(5, LICENCE_ITEMS, "scene") is None


def test_the_operators_word_makes_a_weak_reading_a_document():
    """One valid field proves no document to OCR (plates only); said to be a 行驶证, it is one."""
    items = [plate("川A5F7K2"), item("owner", "王建国")]
    assert reading_of(5, items).kind == KIND_PLATES
    assert dict(reading_as(5, items, "vehicle_licence").values) == {"plate": "川A5F7K2", "owner": "王建国"}


def test_a_capture_turned_another_kind_keeps_what_it_still_reads_and_withdraws_the_rest():
    ledger = FieldLedger()
    ledger.took(11, {"plate": "川A5F7K2", "vin": VIN_A, "owner": "王建国", "vehicle_type": "小型轿车"},
                Source("vehicle_licence", 5))
    ledger.took(11, {"driver_name": "王建国"}, Source(OPERATOR))
    ledger.offer(11, "vin", Candidate(VIN_A, Source("vehicle_licence", 5)), Candidate(VIN_B, Source(OPERATOR)))
    ledger.offer(12, "owner", Candidate("李秀英", Source(OPERATOR)), Candidate("王建国", Source("vehicle_licence", 5)))
    policy = reading_as(5, VEHICLE_LICENCE_ITEMS, "insurance")
    assert ledger.release(5, policy, 11) == {11: ["owner", "vehicle_type"]}
    assert ledger.sources[(11, "plate")] == ledger.sources[(11, "vin")] == Source("insurance", 5)
    assert ledger.conflicts == {(11, "vin"): (Candidate(VIN_A, Source("insurance", 5)),
                                              Candidate(VIN_B, Source(OPERATOR)))}
    assert ledger.sources[(11, "driver_name")] == Source(OPERATOR)  # an operator's value never leaves
    assert ledger.release(5, policy, 12) == {11: ["plate", "vin"]}  # at another party, nothing of it stays
