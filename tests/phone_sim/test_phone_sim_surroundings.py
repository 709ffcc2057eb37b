"""The simulated phone reports its GPS fix and safety ticks to a real server, as the phone page does."""
import asyncio

import pytest

from kuaichu_protocol.messages import SAFETY_TICKS
from phone_sim.cli import parse_location
from phone_sim.client import PhoneSim
from phone_sim.transport import websocket_connector
from tests.support.hub import party_token
from tests.support.live_server import LiveServer, sqlite_settings
from tests.support.waiting import wait_for


async def test_location_and_safety_ticks_reach_the_case(tmp_path, sqlite_template):
    with LiveServer.start(sqlite_settings(tmp_path, sqlite_template)) as server:
        case_id = server.ctx.cases.open_case("invitation", reporter_phone="13800138000").id
        token = party_token(server.app, case_id)
        phone = PhoneSim(websocket_connector(server.url, token), location=(30.6574, 104.0658, 12.0),
                         safety={t: True for t in SAFETY_TICKS})
        task = asyncio.create_task(phone.run())
        try:
            def reported():
                case = server.ctx.cases.get(case_id)
                return case.latitude is not None and all(case.safety.get(t) for t in SAFETY_TICKS)
            await wait_for(reported)
            case = server.ctx.cases.get(case_id)
            assert (case.latitude, case.longitude, case.location_accuracy_m) == (30.6574, 104.0658, 12.0)
        finally:
            await phone.close()
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


@pytest.mark.parametrize("text,expected", [
    ("30.6,104.1", (30.6, 104.1, 20.0)), ("30.6,104.1,5", (30.6, 104.1, 5.0)), ("none", None)])
def test_location_argument(text, expected):
    assert parse_location(text) == expected


@pytest.mark.parametrize("text", ["91,104", "30", "a,b", "30,200"])
def test_bad_location_argument_is_refused(text):
    with pytest.raises(ValueError):
        parse_location(text)
