"""The operator's weather and notes (issue 12) through HTTP, and the service area for the officer's map."""
from __future__ import annotations

import json

from server.services.audit import events_for_case


def _start(client, op, case_id: int) -> None:
    assert client.post(f"/api/cases/{case_id}/start-collection", headers=op).status_code == 200


def test_the_holder_records_weather_and_notes_and_the_officer_reads_them(client, auth_headers, held_case, app):
    op = auth_headers("operator")
    r = client.patch(f"/api/cases/{held_case}", json={"weather": "雨"}, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["weather"] == "雨" and r.json()["operator_notes"] == ""
    _start(client, op, held_case)
    r = client.patch(f"/api/cases/{held_case}", json={"notes": "甲车直行，乙车右转时剐蹭甲车左后门"}, headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["weather"] == "雨", "leaving weather out keeps it"
    case = client.get(f"/api/cases/{held_case}", headers=auth_headers("officer")).json()
    assert case["weather"] == "雨" and case["operator_notes"] == "甲车直行，乙车右转时剐蹭甲车左后门"


def test_each_change_is_audited_once_and_a_repeat_is_not(client, auth_headers, held_case, app):
    op = auth_headers("operator")
    for _ in range(2):
        assert client.patch(f"/api/cases/{held_case}", json={"weather": "雾", "notes": "追尾"},
                            headers=op).status_code == 200
    with app.state.ctx.session_factory() as s:
        noted = [e for e in events_for_case(s, held_case) if e.action == "case_noted"]
    assert len(noted) == 1
    assert noted[0].detail == {"fields": ["operator_notes", "weather"], "weather": "雾"}
    assert noted[0].actor.startswith("user:")


def test_unknown_weather_and_long_notes_are_422_and_change_nothing(client, auth_headers, held_case, app):
    op = auth_headers("operator")
    url = f"/api/cases/{held_case}"
    assert client.patch(url, json={"weather": "晴"}, headers=op).status_code == 200
    for body in ({"weather": "多云"}, {"weather": ""}, {"notes": "长" * 2001}, {"colour": "red"},
                 {"weather": "雨", "notes": "x" * 2001}, {"notes": "甲车\x00乙车"}):
        r = client.patch(url, json=body, headers=op)
        assert r.status_code == 422, (body, r.text)
    case = app.state.ctx.cases.get(held_case)
    assert (case.weather, case.operator_notes) == ("晴", "")
    assert client.patch(url, json={"notes": "长" * 2000}, headers=op).status_code == 200
    assert client.patch(url, json={"notes": "第一行\n\t第二行"}, headers=op).status_code == 200


def test_only_the_holder_and_only_during_the_call(client, auth_headers, held_case, app):
    op = auth_headers("operator")
    unanswered = app.state.ctx.cases.open_case("public", reporter_phone="13800138001").id
    r = client.patch(f"/api/cases/{unanswered}", json={"weather": "晴"}, headers=op)
    assert r.status_code == 403 and "尚未接听" in r.json()["message"]
    r = client.patch(f"/api/cases/{held_case}", json={"weather": "晴"}, headers=auth_headers("operator", "operator2"))
    assert r.status_code == 403
    assert client.post(f"/api/cases/{held_case}/interrupt", headers=op).status_code == 200
    r = client.patch(f"/api/cases/{held_case}", json={"weather": "晴"}, headers=op)
    assert r.status_code == 409 and "通话中" in r.json()["message"], r.text
    assert app.state.ctx.cases.get(held_case).weather == ""


def test_service_area_is_the_loaded_geojson(client, auth_headers, settings):
    shipped = json.loads(settings.service_area_file.read_text(encoding="utf-8"))
    for role in ("operator", "officer", "supervisor"):
        r = client.get("/api/service-area", headers=auth_headers(role))
        assert r.status_code == 200, r.text
        assert r.json() == shipped
    names = [f["properties"].get("name") for f in r.json()["features"]]
    assert "成都市中心城区" in names
    assert client.get("/api/service-area").status_code == 401
