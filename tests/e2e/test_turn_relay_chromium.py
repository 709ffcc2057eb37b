"""A call relayed through a real coturn: real Chromium as the phone, the seat's aiortc CallEngine as the seat.

The server hands out coturn as its only ICE server with ``ice_transport_policy=relay``, so
both sides gather only TURN-relayed candidates and every packet goes through coturn. The
test proves it three ways: the pair Chromium selected is relay/relay (getStats), the pair
aiortc nominated is relay/relay, and coturn's own log shows the allocations. Frames of the
plate scene are decoded at the seat.

Both ways of offering are run: with ``ice_trickle`` the phone offers at once and sends its
candidates as ``signal`` frames as they are gathered (the relayed one among them, then an
empty end-of-candidates); without it the offer waits and carries every candidate itself.
"""
from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from seat_app.services.call.engine import CallEngine
from tests.e2e.test_phone_chromium import (  # noqa: F401 - browser and fake_camera are fixtures
    CHROMIUM, HERE, PASSWORD, PHONE, browser, fake_camera, party_link, wait_until)
from tests.support.coturn import Coturn
from tests.support.live_server import LiveServer, sqlite_settings
from tests.support.plate_scene import looks_like_scene
from tests.support.thin_seat import ThinSeat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SELECTED_PAIR = """async () => {
    const stats = await window.kuaichu.call.pc.getStats();
    let pairId = null;
    stats.forEach((s) => {
        if (s.type === "transport" && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId;
    });
    if (!pairId) return null;
    const pair = stats.get(pairId);
    const local = stats.get(pair.localCandidateId), remote = stats.get(pair.remoteCandidateId);
    return { state: pair.state, local: local.candidateType, remote: remote.candidateType,
             localAddress: `${local.address}:${local.port}`, bytesSent: pair.bytesSent };
}"""


@pytest.fixture
def turn(tmp_path):
    with Coturn.start(tmp_path / "turn") as server:
        yield server


def relay_server(tmp_path, sqlite_template, turn: Coturn, trickle: bool) -> LiveServer:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    return LiveServer.start({**sqlite_settings(tmp_path, sqlite_template), "ice_servers": turn.ice_servers,
                             "ice_transport_policy": "relay", "ice_trickle": trickle})


def nominated_pairs(engine: CallEngine) -> list[tuple[str, str]]:
    """(local type, remote type) of every pair aiortc's ICE nominated, one per transport (bundled: one)."""
    pc = engine._pc
    transports = {t.receiver.transport.transport for t in pc.getTransceivers()}
    pairs = []
    for transport in transports:
        for pair in transport._connection._nominated.values():  # aioice: component -> CandidatePair
            pairs.append((pair.local_candidate.type, pair.remote_candidate.type))
    return pairs


@pytest.mark.parametrize("trickle", [True, False], ids=["trickle", "vanilla"])
async def test_relay_only_call_goes_through_coturn(tmp_path, sqlite_template, turn, browser, trickle):
    with relay_server(tmp_path, sqlite_template, turn, trickle) as server:
        server.create_user("op1", PASSWORD, "operator")
        http = httpx.AsyncClient(base_url=server.url, timeout=10)
        login = await http.post("/api/auth/login", json={"username": "op1", "password": PASSWORD})
        op = {"Authorization": f"Bearer {login.json()['token']}"}
        case_id = (await http.post("/api/cases", headers=op, json={"phone": PHONE})).json()["case"]["id"]
        context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                            permissions=["camera", "microphone", "geolocation"], geolocation=HERE)
        page = await context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
        try:
            async with ThinSeat(server.ws_url, login.json()["token"]) as seat:
                await relayed_call(server, http, op, case_id, page, seat, turn, trickle)
        except BaseException:
            print("\n--- phone console ---\n" + "\n".join(console[-40:]))
            print("\n--- coturn ---\n" + turn.log_tail(40))
            raise
        finally:
            await context.close()
            await http.aclose()


async def relayed_call(server, http, op, case_id, page, seat, turn, trickle) -> None:
    await page.goto(party_link(server))
    await page.locator("#consent").check()
    await page.get_by_role("button", name="同意，下一步").click()
    await page.get_by_role("button", name="开始检测").click()
    await page.locator("#screen-waiting.active").wait_for(timeout=20_000)
    await page.locator("#queue-position", has_text="第 1 位").wait_for(timeout=15_000)  # the phone is queued
    allocations_before = turn.allocations()

    engine = seat.signalling.open(CallEngine(case_id))
    engine.expect_configuration()  # as the seat app does: the offer may come before the answer's reply
    first_frames: list[float] = []
    engine.on("first_frame", lambda _f: first_frames.append(time.monotonic()))
    reply = await http.post(f"/api/cases/{case_id}/answer", headers=op)
    assert reply.status_code == 200, reply.text
    # as the seat app does (seat_app/services/seat.py): the answer's reply carries the ICE configuration
    engine.configure(reply.json()["ice_servers"], reply.json()["ice_transport_policy"])
    assert engine.ice_transport_policy == "relay" and engine.ice_servers == turn.ice_servers

    await wait_until(lambda: first_frames, 40, "the first video frame at the seat, through coturn")
    print(f"\n{'trickle' if trickle else 'vanilla'}: offer -> first frame at the seat "
          f"{first_frames[0] - seat.offer_at[case_id]:.3f} s")
    frame = await wait_until(lambda: _sized(engine), 30, "a 1280x720 frame")
    ok, why = looks_like_scene(frame.to_rgb())
    assert ok, why

    # Chromium's selected pair, and aiortc's nominated one, are relayed on both ends
    pair = await page.evaluate(SELECTED_PAIR)
    assert pair is not None and pair["state"] == "succeeded", pair
    assert (pair["local"], pair["remote"]) == ("relay", "relay"), pair
    assert pair["localAddress"].startswith("127.0.0.1:")
    low, high = turn.relay_ports
    assert low <= int(pair["localAddress"].rsplit(":", 1)[1]) <= high, (pair, turn.relay_ports)
    assert nominated_pairs(engine) and set(nominated_pairs(engine)) == {("relay", "relay")}
    allocated = turn.wait_for_allocations(allocations_before + 2) - allocations_before
    assert allocated >= 2, turn.log_tail()  # the phone's and the seat's

    # how the phone offered
    offer = next(m for m in seat.messages if m["type"] == "signal" and m.get("sdp", {}).get("type") == "offer")
    candidates = [m["candidate"] for m in seat.messages if m["type"] == "signal" and "candidate" in m]
    if trickle:
        assert "typ relay" not in offer["sdp"]["sdp"]  # sent before TURN answered
        assert any("typ relay" in c["candidate"] for c in candidates), candidates
        assert all("typ host" not in c["candidate"] for c in candidates)  # relay policy: nothing else
        await wait_until(lambda: any(m["type"] == "signal" and m.get("candidate", {}).get("candidate") == ""
                                     for m in seat.messages), 15, "the phone's end-of-candidates")
    else:
        assert "typ relay" in offer["sdp"]["sdp"] and "typ host" not in offer["sdp"]["sdp"]
        assert candidates == []

    await seat.signalling.hangup(case_id, "completed")
    await page.locator("#screen-ended.active").wait_for(timeout=10_000)


def _sized(engine: CallEngine):
    frame = engine.latest_frame()
    return frame if frame is not None and frame.size == (1280, 720) else None
