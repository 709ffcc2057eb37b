"""A seat engine and a simulated phone wired through the in-memory hub, over real loopback UDP.

Every test gets a fresh call and the teardown closes both peer connections, then
checks that no task was left running. Cameras are rendered once per session:
the scene at 640x360 (cheap on a shared 2-core machine) and, for the test that
checks the real size, at 1280x720.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from phone_sim import scene
from phone_sim.client import PhoneSim
from phone_sim.demo_data import load_scenario
from phone_sim.loopback import LoopbackHub
from phone_sim.transport import MemoryPhotoStore
from seat_app.services.call.audio import RecordingSink
from seat_app.services.call.engine import CallEngine, CallState
from seat_app.services.call.frames import ReceivedFrame
from seat_app.services.call.peers import PeerRegistry
from seat_app.services.call.signalling import SeatSignalling

CASE_ID = "case-7"
PARTY_TOKEN = "party-7"
TIMEOUT = 10.0  # generous: the machine is shared, and a wait only takes this long when something is broken


@pytest.fixture(scope="session")
def parties():
    return load_scenario("standard")


@pytest.fixture(scope="session")
def cameras_small(parties):
    """A back camera that holds the scene (no slide changes during a test) and the 640x480 front camera."""
    return scene.back_camera(parties, frame_size=(640, 360), slide_seconds=3600), scene.front_camera()


@pytest.fixture(scope="session")
def cameras_720p(parties):
    return scene.back_camera(parties, frame_size=(1280, 720), slide_seconds=3600), scene.front_camera()


class LoopbackCall:
    """One case: hub, seat router, engine and phone; ``start`` returns once the seat has a frame."""

    def __init__(self, cameras, parties, recorder=None) -> None:
        self.hub = LoopbackHub()
        self.peers = PeerRegistry()
        self.audio = RecordingSink()
        self.engine = CallEngine(CASE_ID, recorder=recorder, audio_sink=self.audio, peers=self.peers)
        self.seat = SeatSignalling(self.hub.from_seat)
        self.seat.open(self.engine)
        self.hub.attach_seat(self.seat.handle)
        self.hub.add_party(PARTY_TOKEN, CASE_ID)
        self.photos = MemoryPhotoStore()
        back, front = cameras
        self.phone = PhoneSim(self.hub.connector(PARTY_TOKEN), parties=parties, back=back, front=front,
                              photo_uploader=self.photos)
        self.run_task: asyncio.Task | None = None

    async def start(self) -> ReceivedFrame:
        first = self.next_frame()
        self.run_task = asyncio.ensure_future(self.phone.run())
        return await first

    def next_frame(self, predicate: Callable[[ReceivedFrame], bool] = lambda f: True) -> asyncio.Future:
        """A future for the next received frame that satisfies ``predicate`` (subscribe before acting)."""
        return wait_for_event(self.engine, "frame", predicate)

    async def close(self) -> None:
        await self.seat.close_all()
        await self.phone.close()
        if self.run_task is not None:
            await asyncio.wait_for(self.run_task, TIMEOUT)
        await self.peers.close_all()
        assert len(self.peers) == 0


def wait_for_event(engine: CallEngine, event: str, predicate: Callable[..., bool] = lambda *a: True,
                   timeout: float = TIMEOUT) -> asyncio.Future:
    """Resolve with the first ``event`` args matching ``predicate``; fails after ``timeout``."""
    future = asyncio.get_running_loop().create_future()

    def listener(*args) -> None:
        if not future.done() and predicate(*args):
            future.set_result(args[0] if len(args) == 1 else args)

    unsubscribe = engine.on(event, listener)
    future.add_done_callback(lambda _: unsubscribe())
    return asyncio.ensure_future(asyncio.wait_for(future, timeout))


def wait_for_state(engine: CallEngine, state: CallState) -> asyncio.Future:
    return wait_for_event(engine, "state", lambda s: s == state)


@pytest.fixture
async def make_call(cameras_small, parties):
    calls: list[LoopbackCall] = []

    def make(cameras=None, recorder=None) -> LoopbackCall:
        calls.append(LoopbackCall(cameras or cameras_small, parties, recorder))
        return calls[-1]

    yield make
    for call in calls:
        await call.close()
    await _assert_no_tasks_left()


@pytest.fixture
async def call(make_call):
    return make_call()


async def _assert_no_tasks_left() -> None:
    """aiortc finishes some of its tasks a moment after close(); wait for them, then insist."""
    current = asyncio.current_task()
    others = [t for t in asyncio.all_tasks() if t is not current]
    if others:
        await asyncio.wait(others, timeout=TIMEOUT)
    leftover = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    assert not leftover, f"tasks left running: {leftover}"
