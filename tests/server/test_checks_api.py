"""Verification, eligibility answers, the checklist, the submission guard and escalation, through HTTP."""
import io
import socket
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from server.adapters.db import unit_of_work
from server.adapters.orm import Case, Dispatch, SmsMessage

STANDARD = [
    {"driver_name": "王建国", "id_number": "510104198503127714", "plate": "川A5F7K2", "plate_colour": "blue",
     "vehicle_type": "小型轿车", "vin": "LSVAU2187N2123456", "phone": "13800000001"},
    {"driver_name": "李秀英", "id_number": "51010719900823468X", "plate": "川AD35812", "plate_colour": "green",
     "vehicle_type": "小型轿车", "vin": "LGXCE4CB6P0658213", "phone": "13800000002"},
]
UNINSURED_B = {"driver_name": "杨帆", "id_number": "510104199211182759", "plate": "川A4B6N8",
               "plate_colour": "blue", "vehicle_type": "小型轿车", "vin": "LSGKB54H2N1052316"}
IN_HOURS = datetime(2026, 11, 24, 2, 30, tzinfo=timezone.utc)  # 10:30 in Chengdu
TIANFU_SQUARE = (30.6574, 104.0658)
ANSWERS = {"injuries": "none", "drink_drugs_flight": False, "vehicles_movable": True, "safety_confirmed": True}


def _png(seed: int) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 40 % 256, seed * 90 % 256, 200)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def collecting_case(client, auth_headers, app):
    op = auth_headers("operator")
    case_id = app.state.ctx.cases.open_case("public", reporter_phone="13800000001").id
    with unit_of_work(app.state.ctx.session_factory) as s:
        case = s.get(Case, case_id)
        case.created_at = IN_HOURS
        case.latitude, case.longitude = TIANFU_SQUARE
    assert client.post(f"/api/cases/{case_id}/answer", headers=op).status_code == 200
    assert client.post(f"/api/cases/{case_id}/start-collection", headers=op).status_code == 200
    return case_id


def _fill_parties(client, op, case_id, parties):
    party_ids = [client.get(f"/api/cases/{case_id}", headers=op).json()["parties"][0]["id"]]
    for _ in parties[1:]:
        party_ids.append(client.post(f"/api/cases/{case_id}/parties", json={"kind": "motor"}, headers=op).json()["id"])
    for pid, fields in zip(party_ids, parties):
        r = client.patch(f"/api/cases/{case_id}/parties/{pid}", json=fields, headers=op)
        assert r.status_code == 200, r.text
    return party_ids


def _upload_evidence(client, op, case_id, party_ids):
    uploads = [("scene", None), ("impact", None), ("together", None)]
    uploads += [(label, pid) for pid in party_ids for label in ("plate", "licence")]
    for n, (label, pid) in enumerate(uploads):
        data = {"kind": "frame", "label": label, **({"party_id": str(pid)} if pid else {})}
        r = client.post(f"/api/cases/{case_id}/evidence", headers=op, data=data,
                        files={"file": (f"f{n}.png", _png(n), "image/png")})
        assert r.status_code == 201, r.text


def _statuses(checklist):
    return {r["key"]: r["status"] for r in checklist["rules"]}


def test_a_standard_two_car_case_verifies_and_submits(client, auth_headers, collecting_case):
    op = auth_headers("operator")
    party_ids = _fill_parties(client, op, collecting_case, STANDARD)
    for pid in party_ids:  # the PATCH above started the automatic check; asking again is harmless
        r = client.post(f"/api/cases/{collecting_case}/parties/{pid}/verify", headers=op)
        assert r.status_code == 200, r.text
        assert {c["status"] for c in r.json()["verification"].values()} == {"passed"}
    blocked = client.post(f"/api/cases/{collecting_case}/submit", headers=op)
    assert blocked.status_code == 409
    keys = {m["key"] for m in blocked.json()["missing"]}
    assert "evidence.scene" in keys and "injuries" in keys
    _upload_evidence(client, op, collecting_case, party_ids)
    listing = client.put(f"/api/cases/{collecting_case}/answers", json=ANSWERS, headers=op).json()
    assert listing["complete"], listing["missing"]
    r = client.post(f"/api/cases/{collecting_case}/submit", headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "awaiting_liability"


def test_an_uninsured_car_blocks_submission_with_a_reason(client, auth_headers, collecting_case):
    op = auth_headers("operator")
    party_ids = _fill_parties(client, op, collecting_case, [STANDARD[0], UNINSURED_B])
    for pid in party_ids:
        client.post(f"/api/cases/{collecting_case}/parties/{pid}/verify", headers=op)
    _upload_evidence(client, op, collecting_case, party_ids)
    listing = client.put(f"/api/cases/{collecting_case}/answers", json=ANSWERS, headers=op).json()
    assert _statuses(listing)["insurance"] == "failed"
    r = client.post(f"/api/cases/{collecting_case}/submit", headers=op)
    assert r.status_code == 409
    assert "交强险" in r.json()["message"]


def test_automatic_verification_runs_once_ocr_fields_validate(client, auth_headers, collecting_case, app):
    op = auth_headers("operator")
    party_id = _fill_parties(client, op, collecting_case, [STANDARD[0]])[0]
    party = app.state.ctx.cases.get(collecting_case).parties[0]
    assert party.id == party_id and party.verification["driver"]["status"] == "passed"
    assert party.verification_source and party.verified_at is not None


def test_changing_the_plate_clears_a_stale_verification(client, auth_headers, collecting_case, app):
    op = auth_headers("operator")
    party_id = _fill_parties(client, op, collecting_case, [STANDARD[0]])[0]
    client.patch(f"/api/cases/{collecting_case}/parties/{party_id}", json={"plate": "川A00000"}, headers=op)
    party = app.state.ctx.cases.get(collecting_case).parties[0]
    assert party.verification == {} or party.verification["vehicle"]["status"] != "passed"


def test_bad_answers_are_422(client, auth_headers, collecting_case):
    op = auth_headers("operator")
    url = f"/api/cases/{collecting_case}/answers"
    assert client.put(url, json={"injuries": "maybe"}, headers=op).status_code == 422
    assert client.put(url, json={"vehicles_movable": "yes"}, headers=op).status_code == 422
    assert client.put(url, json={"colour": "red"}, headers=op).status_code == 422


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TestWithRegistryAndSmsGatewayDown:
    @pytest.fixture
    def settings(self, db_url, tmp_path):
        from server.settings import Settings
        return Settings(data_dir=tmp_path / "data", database_url=db_url, registry_backend="http",
                        registry_http_url=f"http://127.0.0.1:{_closed_port()}", registry_timeout_seconds=1,
                        sms_backend="http", sms_http_url=f"http://127.0.0.1:{_closed_port()}/sms")

    def test_registry_down_is_503_and_never_a_pass_and_escalation_still_works(self, client, auth_headers, collecting_case, app):
        op = auth_headers("operator")
        party_id = _fill_parties(client, op, collecting_case, [STANDARD[0]])[0]
        r = client.post(f"/api/cases/{collecting_case}/parties/{party_id}/verify", headers=op)
        assert r.status_code == 503 and "重试" in r.json()["message"]
        assert {c["status"] for c in r.json()["verification"].values()} == {"unavailable"}
        listing = client.get(f"/api/cases/{collecting_case}/checklist", headers=op).json()
        assert _statuses(listing)["insurance"] != "met"
        # the SMS gateway is down as well: escalation must still complete and keep the message
        r = client.post(f"/api/cases/{collecting_case}/escalate", json={"reason": "核验系统故障，转现场"}, headers=op)
        assert r.status_code == 200, r.text
        assert r.json()["state"] == "escalated"
        with app.state.ctx.session_factory() as s:
            dispatch = s.get(Dispatch, r.json()["dispatch_id"])
            assert dispatch.payload["case_number"] and dispatch.payload["location"]["lat"] == TIANFU_SQUARE[0]
            texts = [m.text for m in s.query(SmsMessage).filter(SmsMessage.case_id == collecting_case)]
        assert any("民警" in t for t in texts)




def test_supervisor_sees_a_dispatch_that_keeps_failing(client, auth_headers, collecting_case, app):
    from server.adapters.dispatch.fake import FakeDispatchSender
    from server.adapters.orm import utcnow
    from server.services import dispatch_outbox

    op = auth_headers("operator")
    client.post(f"/api/cases/{collecting_case}/escalate", json={"reason": "有人受伤"}, headers=op)

    down = FakeDispatchSender()
    down.failures_left = 1
    dispatch_outbox.deliver_due(app.state.ctx.session_factory, down, utcnow() + timedelta(seconds=1))
    assert down.sent == []
    items = client.get("/api/dispatches", headers=auth_headers("supervisor")).json()["items"]
    assert items and items[0]["case_id"] == collecting_case and items[0]["last_error"]


def test_a_military_vehicle_fails_eligibility_with_a_reason_so_the_operator_escalates(client, auth_headers,
                                                                                      collecting_case):
    op = auth_headers("operator")
    military = {**STANDARD[1], "plate": "VA12345", "plate_colour": "white"}
    _fill_parties(client, op, collecting_case, [STANDARD[0], military])
    listing = client.put(f"/api/cases/{collecting_case}/answers", json=ANSWERS, headers=op).json()
    [rule] = [r for r in listing["rules"] if r["key"] == "party_kinds"]
    assert rule["status"] == "failed" and "军队" in rule["reason_zh"], rule
    r = client.post(f"/api/cases/{collecting_case}/submit", headers=op)
    assert r.status_code == 409 and any(m["key"] == "party_kinds" for m in r.json()["missing"])
