"""The seat socket against a real server: queue pushes arrive, a bad token stops the retries."""
from __future__ import annotations

import asyncio

from kuaichu_protocol.messages import ToSeatMsg
from seat_app.services.api_client import ApiClient
from seat_app.services.seat_socket import SeatSocket
from tests.seat_app.services.conftest import PASSWORD
from tests.support.waiting import wait_for


async def test_queue_arrives_and_reconnects_after_a_drop(live):
    client = ApiClient(live.url)
    await asyncio.to_thread(client.login, "operator1", PASSWORD)
    socket = SeatSocket(client.ws_url)
    seen: list[tuple[str, dict]] = []
    ups: list[bool] = []
    socket.events.on("message", lambda type, data: seen.append((type, data)))
    socket.events.on("connected", lambda: ups.append(True))
    case = await asyncio.to_thread(live.ctx.cases.open_case, "public", "13800138000")

    def queued_ids() -> set[int]:
        return {i["case_id"] for t, d in seen if t == ToSeatMsg.QUEUE for i in d["items"]}

    socket.start()
    try:
        await wait_for(lambda: case.id in queued_ids())  # the hub pushes the queue to a seat that connects
        seen.clear()
        await socket._ws.close()  # the network drops
        await wait_for(lambda: len(ups) >= 2 and case.id in queued_ids())
    finally:
        await socket.stop()
    assert not socket.connected


async def test_a_bad_token_is_session_expired_and_stops_retrying(live):
    socket = SeatSocket(f"{live.ws_url}/ws/seat?token=bogus")
    expired: list[bool] = []
    socket.events.on("session_expired", lambda: expired.append(True))
    socket.start()
    try:
        await wait_for(lambda: expired)
        await wait_for(lambda: socket._task.done())
    finally:
        await socket.stop()
