"""Through the capture pipeline (fake server, call and OCR): a capture OCR reads as a licence becomes one.

The operator pressed Space on 现场全景 while the phone showed 甲方's driving licence:
the server must end up with the licence label, the checklist must still ask for the
scene, and the seat must propose the scene again.
"""
from __future__ import annotations

from seat_app.core.case import Case
from seat_app.core.evidence import CaptureTarget, OverlayItem
from seat_app.services.api_client import AsyncApi
from seat_app.services.case_session import CaseSession
from tests.seat_app.doubles import FakeApi, FakeEngine, FakeOcr, case_json

LICENCE_OF_A = [
    OverlayItem((300, 100, 120, 30), "张伟", "driver_name", True, 0.95),
    OverlayItem((300, 150, 260, 30), "11010519491231002X", "id_number", True, 0.97),
    OverlayItem((300, 200, 60, 30), "C1", "licence_class", True, 0.93),
]


def session_showing(items: list[OverlayItem], label: str = "scene", known: bool = True,
                    ) -> tuple[CaseSession, FakeApi, list]:
    """``known``: 甲's ID number is already on the case, so the licence names 甲."""
    api = FakeApi()
    api.cases[1] = case_json(1, state="collecting", parties=2)
    if known:
        api.cases[1]["parties"][0]["id_number"] = "11010519491231002X"
    engine = FakeEngine("1")
    engine.next_frame()
    session = CaseSession(AsyncApi(api), Case.from_json(api.cases[1]), engine=engine,
                          ocr=FakeOcr({label: items}))
    relabelled: list = []
    session.events.on("evidence_relabelled", lambda record: relabelled.append(record))
    return session, api, relabelled


def evidence_status(session: CaseSession, key: str) -> str:
    return session.checklist().item(key).status.value


async def test_a_scene_capture_showing_a_licence_is_relabelled_here_and_on_the_server():
    session, api, relabelled = session_showing(LICENCE_OF_A)
    assert session.capture_target() == CaptureTarget("scene")
    await session.capture()
    await session.idle()

    assert api.uploads[0]["label"] == "scene"  # uploaded at once, under the proposed label
    assert api.called("label_evidence") == [(100, "licence", 11)]
    (record,) = session.records
    assert (record.label, record.party_id, record.extra["position"]) == ("licence", 11, 1)
    assert [r.local_id for r in relabelled] == [record.local_id]
    assert evidence_status(session, "evidence.scene") == "missing"
    assert evidence_status(session, "evidence.licence.1") == "met"
    assert session.capture_target() == CaptureTarget("scene")
    assert session.case.party(11).value("driver_name") == "张伟"  # the ID number named 甲
    assert session.case.party(12).values == {}


async def test_a_licence_nobody_shares_an_identifier_with_waits_for_the_operators_answer():
    session, api, relabelled = session_showing(LICENCE_OF_A, known=False)
    await session.capture()
    await session.idle()

    (record,) = session.records
    assert (record.label, record.party_id) == ("licence", None)  # the kind is sure, the party is not guessed
    assert list(session.ledger.pending) == [record.local_id]
    assert session.case.party(11).values == {} and session.case.party(12).values == {}
    await session.assign(record.local_id, 12)  # the one click: 乙
    await session.idle()

    assert session.case.party(12).value("id_number") == "11010519491231002X"
    assert session.record(record.local_id).party_id == 12 and not session.ledger.pending
    assert api.called("label_evidence")[-1] == (100, "licence", 12)
    assert evidence_status(session, "evidence.licence.2") == "met"


async def test_a_shot_the_operator_chose_keeps_its_label():
    session, api, relabelled = session_showing(LICENCE_OF_A)
    session.set_capture_target(CaptureTarget("scene"))  # picked in 下一张
    await session.capture()
    await session.idle()

    assert session.records[0].label == "scene" and relabelled == []
    assert api.called("label_evidence") == []
    assert evidence_status(session, "evidence.scene") == "met"


async def test_a_phone_photo_relabelled_by_ocr_ends_with_the_relabel_on_the_server():
    session, api, _ = session_showing(LICENCE_OF_A)
    await session.take_phone_photo(555)
    await session.idle()

    assert api.called("label_evidence") == [(555, "scene", None), (555, "licence", 11)]
    assert evidence_status(session, "evidence.licence.1") == "met"


async def test_plates_in_a_scene_shot_leave_it_a_scene_shot():
    plates = [OverlayItem((100, 300, 220, 70), "川A·5F7K2", "plate", True, 0.98),
              OverlayItem((800, 320, 220, 70), "川B·12345", "plate", True, 0.97)]
    session, api, relabelled = session_showing(plates)
    await session.capture()
    await session.idle()

    assert session.records[0].label == "scene" and relabelled == []
    assert api.called("label_evidence") == []
    assert session.capture_target().label == "impact"


async def test_apply_all_is_the_operators_choice_for_the_captures_own_party_only():
    session, api, _ = session_showing(LICENCE_OF_A, known=False)
    errors: list = []
    session.events.on("error", lambda action, message: errors.append(message))
    await session.capture()
    await session.idle()
    (record,) = session.records
    await session.apply_all(record.local_id)  # whose? not known yet: nothing is filled anywhere
    assert errors == ["请先选择这张证据属于哪一方"]
    assert session.case.party(11).values == {} and session.case.party(12).values == {}

    await session.edit_field(12, "driver_name", "李四")  # typed by the operator
    await session.assign(record.local_id, 12)
    await session.idle()
    assert session.case.party(12).value("driver_name") == "李四"  # never overwritten by the reading
    assert [c.value for c in session.ledger.conflicts[(12, "driver_name")]] == ["李四", "张伟"]
    await session.apply_all(record.local_id)  # 全部采用: this capture's values, for its party
    await session.idle()
    assert session.case.party(12).value("driver_name") == "张伟" and session.ledger.conflicts == {}
    assert api.cases[1]["parties"][1]["driver_name"] == "张伟"
