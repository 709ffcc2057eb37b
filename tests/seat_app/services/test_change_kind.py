"""改为 on a thumbnail: a capture called another kind takes its old kind's fields away and fills the new kind's.

Through the seat's CaseSession against the fake server, as the operator workspace drives
it. The rules mirror a move to another party (归属到): only what the capture filled
leaves, never an operator's edit; the party is refilled from its other documents; the
new kind's values go to the party they share an identifier with, never overwriting.
"""
from __future__ import annotations

from seat_app.core.case import Case
from seat_app.core.evidence import CaptureTarget, OverlayItem
from seat_app.services.api_client import AsyncApi
from seat_app.services.case_session import CaseSession
from tests.seat_app.doubles import FakeApi, FakeEngine, FakeOcr, case_json

PLATE_A, VIN_A, ID_A = "川A5F7K2", "LSVAU2187N2123456", "510104198503127714"
VEHICLE_LICENCE_A = [
    OverlayItem((300, 80, 200, 30), PLATE_A, "plate", True, 0.97),
    OverlayItem((300, 120, 200, 30), "小型轿车", "vehicle_type", True, 0.95),
    OverlayItem((300, 160, 200, 30), "王建国", "owner", True, 0.95),
    OverlayItem((300, 200, 300, 30), VIN_A, "vin", True, 0.97),
]
LICENCE_A = [
    OverlayItem((300, 100, 120, 30), "王建国", "driver_name", True, 0.95),
    OverlayItem((300, 150, 260, 30), ID_A, "id_number", True, 0.97),
    OverlayItem((300, 200, 60, 30), "C1", "licence_class", True, 0.93),
]


def session_with(readings: dict[str, list[OverlayItem]], **known: str) -> tuple[CaseSession, FakeApi]:
    """Two parties; ``known``: 甲's values on the case before any capture (the operator's)."""
    api = FakeApi()
    api.cases[1] = case_json(1, state="collecting", parties=2)
    api.cases[1]["parties"][0].update(known)
    engine = FakeEngine("1")
    engine.next_frame()
    return CaseSession(AsyncApi(api), Case.from_json(api.cases[1]), engine=engine, ocr=FakeOcr(readings)), api


async def captured(session: CaseSession, label: str):
    record = await session.capture(CaptureTarget(label))
    await session.idle()
    return record.local_id


def server_party(api: FakeApi, position: int) -> dict:
    return {k: v for k, v in api.cases[1]["parties"][position - 1].items() if v and k in (
        "plate", "vin", "owner", "vehicle_type", "driver_name", "id_number", "licence_class")}


async def test_a_vehicle_licence_called_a_policy_keeps_the_plate_and_vin_a_policy_prints_and_drops_the_rest():
    session, api = session_with({"vehicle_licence": VEHICLE_LICENCE_A}, plate=PLATE_A)
    local_id = await captured(session, "vehicle_licence")
    assert session.case.party(11).value("owner") == "王建国"  # by the plate 甲 already had

    await session.relabel(local_id, "insurance")
    await session.idle()
    assert session.case.party(11).values == {"plate": PLATE_A, "vin": VIN_A}
    assert server_party(api, 1) == {"plate": PLATE_A, "vin": VIN_A}
    assert session.record(local_id).party_id == 11 and session.ledger.owners[local_id] == 11
    assert session.ledger.source_of(11, "vin").kind == "insurance"

    await session.relabel(local_id, "vehicle_licence")  # and back: its fields return
    await session.idle()
    assert server_party(api, 1) == {"plate": PLATE_A, "vin": VIN_A, "owner": "王建国", "vehicle_type": "小型轿车"}


async def test_a_licence_called_a_vehicle_licence_takes_its_fields_away_but_never_the_operators():
    session, api = session_with({"licence": LICENCE_A}, id_number=ID_A)
    local_id = await captured(session, "licence")
    await session.edit_field(11, "licence_class", "C2")  # the operator corrected it: theirs now
    assert session.checklist().item("evidence.licence.1").status.value == "met"

    await session.relabel(local_id, "vehicle_licence")
    await session.idle()
    assert session.case.party(11).values == {"id_number": ID_A, "licence_class": "C2"}
    assert server_party(api, 1) == {"id_number": ID_A, "licence_class": "C2"}
    assert session.checklist().item("evidence.licence.1").status.value == "missing"
    assert not session.ledger.pending  # nothing it reads is a 行驶证's: nothing to attribute

    await session.relabel(local_id, "licence")
    await session.idle()
    assert session.case.party(11).values == {"id_number": ID_A, "licence_class": "C2", "driver_name": "王建国"}
    assert session.ledger.conflicts[(11, "licence_class")][1].value == "C1"  # offered again, never overwriting


async def test_a_field_another_document_of_the_party_also_reads_stays():
    session, api = session_with({"vehicle_licence": VEHICLE_LICENCE_A}, plate=PLATE_A)
    first = await captured(session, "vehicle_licence")
    second = await captured(session, "vehicle_licence")  # the same 行驶证 again
    await session.relabel(first, "licence")
    await session.idle()
    assert server_party(api, 1) == {"plate": PLATE_A, "vin": VIN_A, "owner": "王建国", "vehicle_type": "小型轿车"}
    assert session.ledger.source_of(11, "vin").local_id == second
    assert first not in session.ledger.owners


async def test_a_document_whose_new_kind_names_no_party_waits_for_the_operators_answer():
    """A 驾驶证 (given to 甲 by its ID number) called a policy carries only its validity dates, which name
    nobody: it is not kept on 甲 by the label it had, the operator is asked, and the answer fills the policy's."""
    dated = LICENCE_A + [OverlayItem((300, 250, 200, 30), "2016-03-20", "licence_valid_from", True, 0.9),
                         OverlayItem((300, 300, 200, 30), "2036-03-20", "licence_valid_until", True, 0.9)]
    session, api = session_with({"licence": dated}, id_number=ID_A)
    local_id = await captured(session, "licence")
    assert session.case.party(11).value("licence_valid_until") == "2036-03-20"
    await session.relabel(local_id, "insurance")
    await session.idle()
    assert list(session.ledger.pending) == [local_id]
    assert session.record(local_id).party_id is None
    assert session.case.party(11).values == {"id_number": ID_A}
    await session.assign(local_id, 11)  # the one click
    await session.idle()
    assert not session.ledger.pending and session.record(local_id).party_id == 11
    assert session.case.party(11).values == {"id_number": ID_A, "insurance_valid_from": "2016-03-20",
                                             "insurance_valid_until": "2036-03-20"}


async def test_a_kind_chosen_before_ocr_is_done_is_the_kind_the_reading_fills():
    session, api = session_with({"licence": VEHICLE_LICENCE_A}, plate=PLATE_A)
    record = await session.capture(CaptureTarget("licence"))  # OCR still running
    await session.relabel(record.local_id, "insurance")
    await session.idle()
    assert session.case.party(11).values == {"plate": PLATE_A, "vin": VIN_A}
    assert session.ledger.readings[record.local_id].kind == "insurance"
