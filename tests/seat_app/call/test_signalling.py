"""The seat's signalling router: bad signalling is logged and dropped, never crashes the seat."""
from __future__ import annotations

import asyncio

import pytest
from aiortc import RTCPeerConnection

from seat_app.services.call.engine import CallEngine, CallState, OfferError
from seat_app.services.call.peers import PeerRegistry, rtc_configuration
from seat_app.services.call.signalling import SeatSignalling


@pytest.fixture
async def router():
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    peers = PeerRegistry()
    seat = SeatSignalling(send)
    seat.open(CallEngine(12, peers=peers))
    yield seat, sent, peers
    await seat.close_all()
    await peers.close_all()


async def test_a_malformed_offer_is_refused_and_leaves_no_connection(router):
    seat, sent, peers = router
    await seat.handle({"type": "signal", "case_id": 12, "sdp": {"type": "offer", "sdp": "v=0\r\nnonsense"}})
    assert sent == []
    assert seat.engine(12).state == CallState.INTERRUPTED
    assert len(peers) == 0


@pytest.mark.parametrize("message", [
    {"type": "signal", "case_id": 99, "sdp": {"type": "offer", "sdp": "x"}},  # no such call here
    {"type": "signal", "case_id": 12, "sdp": "offer"},
    {"type": "signal", "case_id": 12, "candidate": {"candidate": "candidate:garbage", "sdpMid": "0"}},
    {"type": "signal", "sdp": {"type": "offer", "sdp": "x"}},
    {"type": "queue", "items": []},
    {"type": "phone_left", "case_id": 99},
])
async def test_unusable_messages_are_ignored(router, message):
    seat, sent, peers = router
    await seat.handle(message)
    assert sent == [] and seat.engine(12).state == CallState.IDLE


async def test_an_ended_call_takes_no_new_offer():
    engine = CallEngine("c")
    await engine.close()
    with pytest.raises(OfferError):
        await engine.accept_offer("v=0")


def test_no_ice_servers_means_none_at_all():
    """aiortc's default would be Google's STUN, which stalls gathering on a closed network."""
    assert rtc_configuration(None).iceServers == []
    turn = rtc_configuration([{"urls": "turn:t.example:3478", "username": "u", "credential": "p"}])
    assert turn.iceServers[0].username == "u"


async def test_concurrent_offers_are_answered_one_after_the_other():
    """A rejoin's offer can arrive while the previous one is being answered; the newest call must win."""
    offerers = [RTCPeerConnection(rtc_configuration([])) for _ in range(2)]
    peers = PeerRegistry()
    engine = CallEngine("race", peers=peers)
    try:
        offers = []
        for pc in offerers:
            pc.addTransceiver("video", direction="sendonly")  # no audio: a phone whose microphone was refused
            pc.createDataChannel("control")
            await pc.setLocalDescription(await pc.createOffer())
            offers.append(pc.localDescription.sdp)
        answers = await asyncio.gather(*(engine.accept_offer(sdp) for sdp in offers))
        assert all(a.startswith("v=0") for a in answers)
        assert len(peers) == 1 and engine.stats().connections == 2
        assert engine.state == CallState.CONNECTING
    finally:
        await engine.close()
        await asyncio.gather(*(pc.close() for pc in offerers))
        await peers.close_all()
