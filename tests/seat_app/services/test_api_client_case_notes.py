"""The seat's update_case and service_area against a real server (issue 12)."""
from __future__ import annotations

import pytest

from seat_app.services import api_client as api
from tests.seat_app.services.test_api_client import client


def test_weather_and_notes_round_trip_and_a_bad_weather_is_invalid(live):
    case = live.ctx.cases.open_case("public", reporter_phone="13800138000")
    c = client(live)
    c.answer(case.id)
    assert c.update_case(case.id, weather="雪")["weather"] == "雪"
    reply = c.update_case(case.id, notes="乙车倒车时碰到甲车前保险杠")
    assert (reply["weather"], reply["operator_notes"]) == ("雪", "乙车倒车时碰到甲车前保险杠")
    with pytest.raises(api.Invalid):
        c.update_case(case.id, weather="冰雹")
    with pytest.raises(api.Forbidden):
        client(live, "operator2").update_case(case.id, notes="不是我的案件")
    assert c.get_case(case.id)["operator_notes"] == "乙车倒车时碰到甲车前保险杠"


def test_the_officer_gets_the_service_area(live):
    area = client(live, "operator1").service_area()
    assert area["type"] == "FeatureCollection" and area["features"]
