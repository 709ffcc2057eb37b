"""The seat's side of ICE trickle and the relay-only policy, between two aiortc peers on loopback.

The phone page trickles (server/web/static/rtc.js): its offer may carry no candidate at all, and the
candidates follow as ``signal`` frames, then an empty one for end-of-candidates. Here an aiortc offerer
plays the phone: its candidates are cut out of the offer and fed to the seat's router one by one.
"""
from __future__ import annotations

import asyncio
import re

import pytest
from aiortc import RTCIceTransportPolicy, RTCPeerConnection, RTCSessionDescription

from seat_app.services.call.engine import CallEngine, CallState
from seat_app.services.call.peers import PeerRegistry, rtc_configuration
from seat_app.services.call.signalling import SeatSignalling
from server.settings import Settings

CANDIDATE = re.compile(r"^a=(candidate:.*)$", re.M)


def split_candidates(sdp: str) -> tuple[str, list[str]]:
    """The SDP without its candidate and end-of-candidates lines, and the candidates as a browser trickles them."""
    candidates = CANDIDATE.findall(sdp)
    lines = [line for line in sdp.split("\r\n") if not line.startswith(("a=candidate:", "a=end-of-candidates"))]
    return "\r\n".join(lines), candidates


async def wait_for(condition, timeout: float, what: str) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


@pytest.fixture
async def seat():
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    peers = PeerRegistry()
    router = SeatSignalling(send)
    engine = router.open(CallEngine("trickle", peers=peers))
    yield router, engine, sent
    await router.close_all()
    await peers.close_all()


async def test_an_offer_without_candidates_connects_on_trickled_ones(seat):
    router, engine, sent = seat
    phone = RTCPeerConnection(rtc_configuration([]))
    try:
        phone.addTransceiver("audio")
        phone.createDataChannel("control")
        await phone.setLocalDescription(await phone.createOffer())
        bare, candidates = split_candidates(phone.localDescription.sdp)
        assert candidates and "a=candidate" not in bare

        await router.handle({"type": "signal", "case_id": "trickle", "sdp": {"type": "offer", "sdp": bare}})
        answer = next(m["sdp"] for m in sent if "sdp" in m)
        for candidate in candidates:
            await router.handle({"type": "signal", "case_id": "trickle",
                                 "candidate": {"candidate": candidate, "sdpMid": "0", "sdpMLineIndex": 0}})
        await router.handle({"type": "signal", "case_id": "trickle",
                             "candidate": {"candidate": "", "sdpMid": None, "sdpMLineIndex": None}})
        await router.handle({"type": "signal", "case_id": "trickle", "candidate": {"candidate": ""}})  # twice: no harm
        await phone.setRemoteDescription(RTCSessionDescription(**answer))

        await wait_for(lambda: engine.state == CallState.CONNECTED, 20, "the trickled call to connect")
        assert phone.connectionState == "connected"
    finally:
        await phone.close()


async def test_a_malformed_trickled_candidate_is_dropped(seat, caplog):
    router, engine, _sent = seat
    await router.handle({"type": "signal", "case_id": "trickle", "candidate": {"candidate": "candidate:nonsense"}})
    assert "bad ICE candidate" in caplog.text
    assert engine.state == CallState.IDLE


def test_the_relay_policy_reaches_aiortc():
    turn = [{"urls": "turn:127.0.0.1:3478", "username": "u", "credential": "p"}]
    assert rtc_configuration(turn, "relay").iceTransportPolicy == RTCIceTransportPolicy.RELAY
    assert rtc_configuration(turn).iceTransportPolicy == RTCIceTransportPolicy.ALL
    with pytest.raises(ValueError):
        rtc_configuration(turn, "relayed")


def test_relay_without_a_turn_server_is_refused_at_start_up():
    with pytest.raises(ValueError, match="needs a turn: or turns: server"):
        Settings(ice_transport_policy="relay", ice_servers=[{"urls": "stun:stun.example:3478"}])
    ok = Settings(ice_transport_policy="relay",
                  ice_servers=[{"urls": ["stun:s.example", "turns:t.example:5349?transport=tcp"]}])
    assert ok.ice_transport_policy == "relay" and ok.ice_trickle is True


async def test_end_of_candidates_with_none_usable_fails_the_call_instead_of_waiting(seat):
    """Until end-of-candidates aiortc waits for more; after it, no usable pair means failed (interrupted)."""
    router, engine, sent = seat
    phone = RTCPeerConnection(rtc_configuration([]))
    try:
        phone.addTransceiver("audio")
        await phone.setLocalDescription(await phone.createOffer())
        bare, _candidates = split_candidates(phone.localDescription.sdp)
        await router.handle({"type": "signal", "case_id": "trickle", "sdp": {"type": "offer", "sdp": bare}})
        answer = next(m["sdp"] for m in sent if "sdp" in m)
        # the phone gets none of the seat's candidates either, or its checks would reach the seat anyway
        await phone.setRemoteDescription(RTCSessionDescription(split_candidates(answer["sdp"])[0], "answer"))
        await asyncio.sleep(0.5)
        assert engine.state == CallState.CONNECTING  # no candidate yet, none refused: still waiting
        await router.handle({"type": "signal", "case_id": "trickle", "candidate": {"candidate": ""}})
        await wait_for(lambda: engine.state == CallState.INTERRUPTED, 20, "the call to fail")
    finally:
        await phone.close()


async def test_an_offer_before_the_answer_reply_waits_for_the_ice_configuration(seat):
    """A trickling phone offers at once; the seat's answer must still use the TURN servers of the REST reply."""
    router, engine, sent = seat
    engine.expect_configuration()
    phone = RTCPeerConnection(rtc_configuration([]))
    try:
        phone.addTransceiver("audio")
        await phone.setLocalDescription(await phone.createOffer())
        offer = asyncio.ensure_future(router.handle(
            {"type": "signal", "case_id": "trickle", "sdp": {"type": "offer", "sdp": phone.localDescription.sdp}}))
        await asyncio.sleep(0.3)
        assert not offer.done() and not sent  # held until the reply's configuration
        engine.configure([{"urls": "stun:127.0.0.1:9"}], "all")
        await asyncio.wait_for(offer, 15)
        assert engine.ice_servers == [{"urls": "stun:127.0.0.1:9"}]
        assert next(m for m in sent if "sdp" in m)["sdp"]["type"] == "answer"
    finally:
        await phone.close()


async def test_an_engine_closed_while_its_offer_waits_refuses_it(seat, caplog):
    router, engine, sent = seat
    engine.expect_configuration()
    phone = RTCPeerConnection(rtc_configuration([]))
    try:
        phone.addTransceiver("audio")
        await phone.setLocalDescription(await phone.createOffer())
        offer = asyncio.ensure_future(router.handle(
            {"type": "signal", "case_id": "trickle", "sdp": {"type": "offer", "sdp": phone.localDescription.sdp}}))
        await asyncio.sleep(0.1)
        await engine.close()  # the answer failed (another seat was faster): the seat drops the engine
        await asyncio.wait_for(offer, 5)
        assert not sent and "the call has ended" in caplog.text
    finally:
        await phone.close()
