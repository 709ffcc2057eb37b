"""The seat's side of one video call with a phone, on aiortc, with no UI in it.

The phone always offers and the seat answers (kuaichu_protocol). One CallEngine
serves one case for its whole life: when the phone drops and rejoins, aiortc
cannot restart ICE, so the engine swaps in a fresh RTCPeerConnection for the
new offer and carries on (state interrupted -> connecting -> connected).

Every received track is drained by its own task as fast as frames arrive, and
only the newest video frame is kept: aiortc's receive queue is unbounded, and
a consumer that reads at its own pace would turn it into latency.

Events (``on(name, callback)``; callbacks run on the event loop, must be quick,
and a Qt adapter turns them into signals):

* ``state`` (CallState) and the state's own name (no args): connecting, connected, interrupted, ended
* ``first_frame`` (ReceivedFrame) once per peer connection, ``frame`` (ReceivedFrame) for every frame
* ``video_size`` (width, height) whenever the remote picture changes size
* ``phone_event`` (name, data) for data-channel events such as photo_uploaded
* ``control_error`` (code, message) when the phone sent something the seat had to reject
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack
from aiortc.sdp import candidate_from_sdp

from kuaichu_protocol.messages import DATA_CHANNEL_LABEL, Command

from .audio import AudioSink, AudioSource, AudioSourceTrack, NullSink, SilenceSource
from .control import CommandError, ControlChannel
from .frames import RateMeter, ReceivedFrame
from .peers import PeerRegistry
from .recorder import SegmentRecorder

log = logging.getLogger(__name__)

CONFIGURATION_WAIT_S = 15.0  # an offer waits this long for configure() (the answer's reply), then goes on


class CallState(StrEnum):
    IDLE = "idle"
    CONNECTING = "connecting"
    CONNECTED = "connected"
    INTERRUPTED = "interrupted"
    ENDED = "ended"


class OfferError(Exception):
    """The phone's offer could not be answered (malformed SDP, no usable media)."""


@dataclass(frozen=True)
class CallStats:
    state: CallState
    frames: int
    fps: float
    width: int
    height: int
    audio_frames: int
    connections: int  # peer connections used so far, 1 + reconnects
    backlog: int  # decoded frames waiting in aiortc's queues; stays ~0 because the engine drains them


class CallEngine:
    def __init__(
        self,
        case_id: str | int = "",
        *,
        ice_servers: list[dict] | None = None,
        ice_transport_policy: str = "all",
        audio_source: AudioSource | None = None,
        audio_sink: AudioSink | None = None,
        recorder: SegmentRecorder | None = None,
        peers: PeerRegistry | None = None,
    ) -> None:
        self.case_id = case_id
        self.ice_servers = ice_servers or []
        self.ice_transport_policy = ice_transport_policy  # "relay": TURN only (the server's setting)
        self.audio_source = audio_source or SilenceSource()
        self.audio_sink = audio_sink or NullSink()
        self.recorder = recorder
        self.peers = peers if peers is not None else PeerRegistry()  # an empty registry is falsy
        self.state = CallState.IDLE
        self.control = ControlChannel(on_event=self._on_phone_event, on_error=self._on_control_error)
        self.offer_received_at: float | None = None  # time.time() of the latest offer
        self._pc: RTCPeerConnection | None = None
        self._connections = 0
        self._latest: ReceivedFrame | None = None
        self._frames = 0
        self._audio_frames = 0
        self._rate = RateMeter()
        self._first_frame_pending = False
        self._tasks: set[asyncio.Task] = set()
        self._offer_lock = asyncio.Lock()  # one offer at a time: a rejoin must not race the call it replaces
        self._configured = asyncio.Event()
        self._configured.set()  # ice_servers as given; expect_configuration() makes offers wait for configure()
        self._tracks: list[MediaStreamTrack] = []
        self._listeners: dict[str, list[Callable]] = defaultdict(list)

    # --- events -------------------------------------------------------------
    def on(self, event: str, callback: Callable) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        self._listeners[event].append(callback)
        return lambda: self._listeners[event].remove(callback)

    def _emit(self, event: str, *args) -> None:
        for callback in list(self._listeners.get(event, ())):
            try:
                callback(*args)
            except Exception:
                log.exception("call %s: %s listener failed", self.case_id, event)

    def _set_state(self, state: CallState) -> None:
        if state == self.state:
            return
        log.info("call %s: %s -> %s", self.case_id, self.state, state)
        self.state = state
        self._emit("state", state)
        self._emit(str(state))

    # --- signalling ---------------------------------------------------------
    def expect_configuration(self) -> None:
        """The ICE servers and policy come later, with the answer's REST reply (``configure``).

        A trickling phone offers at once, so its offer can reach the seat before that reply: the
        offer then waits for ``configure`` (at most CONFIGURATION_WAIT_S) instead of being answered
        with no TURN server, which a relay-only policy could never connect.
        """
        self._configured.clear()

    def configure(self, ice_servers: list[dict], ice_transport_policy: str) -> None:
        self.ice_servers, self.ice_transport_policy = list(ice_servers), ice_transport_policy
        self._configured.set()

    async def accept_offer(self, offer_sdp: str) -> str:
        """Answer the phone's offer (first call or a rejoin) and return the answer SDP.

        The answer carries all our candidates: aiortc gathers before it returns.
        """
        async with self._offer_lock:  # held while waiting: trickled candidates queue behind the offer
            if not self._configured.is_set():
                try:
                    await asyncio.wait_for(self._configured.wait(), CONFIGURATION_WAIT_S)
                except asyncio.TimeoutError:
                    log.warning("call %s: no ICE configuration after %.0f s; answering with %d ICE servers",
                                self.case_id, CONFIGURATION_WAIT_S, len(self.ice_servers))
            if self.state == CallState.ENDED:
                raise OfferError("the call has ended")
            self.offer_received_at = time.time()
            await self._drop_peer()
            return await self._answer(self._new_peer(), offer_sdp)

    async def _answer(self, pc: RTCPeerConnection, offer_sdp: str) -> str:
        try:
            await pc.setRemoteDescription(RTCSessionDescription(sdp=offer_sdp, type="offer"))
            if not pc.getTransceivers():
                raise ValueError("the offer has neither audio nor video")
            self._add_outgoing_audio(pc)
            await pc.setLocalDescription(await pc.createAnswer())
        except Exception as exc:
            if pc is self._pc:
                await self._drop_peer()
                self._set_state(CallState.INTERRUPTED)
            raise OfferError(str(exc)) from exc
        return pc.localDescription.sdp

    def _add_outgoing_audio(self, pc: RTCPeerConnection) -> None:
        """Talk back on the phone's audio line; a phone whose microphone was refused offers none."""
        if any(t.kind == "audio" for t in pc.getTransceivers()):
            pc.addTrack(AudioSourceTrack(self.audio_source))
        else:
            log.warning("call %s: the offer has no audio; the operator will not be heard", self.case_id)

    async def add_candidate(self, candidate: dict) -> None:
        """A trickled ``{candidate, sdpMid, sdpMLineIndex}`` from a browser; empty means end-of-candidates.

        Waits for an offer being answered: before that, aiortc would drop the candidate silently.
        End-of-candidates lets aiortc give up once every pair failed (until then it waits for more).
        """
        if not candidate.get("candidate"):
            async with self._offer_lock:
                if self._pc is not None:
                    await self._pc.addIceCandidate(None)  # ValueError if it came twice: logged by the router
            return
        try:
            parsed = candidate_from_sdp(str(candidate["candidate"]).removeprefix("candidate:"))
        except (AssertionError, ValueError, IndexError) as exc:  # aiortc asserts on malformed text
            raise ValueError(f"malformed ICE candidate: {exc!r}") from exc
        parsed.sdpMid = candidate.get("sdpMid")
        parsed.sdpMLineIndex = candidate.get("sdpMLineIndex")
        async with self._offer_lock:
            if self._pc is not None:
                await self._pc.addIceCandidate(parsed)

    def _new_peer(self) -> RTCPeerConnection:
        pc = self.peers.create(self.ice_servers, self.ice_transport_policy)
        self._pc = pc
        self._connections += 1
        self._first_frame_pending = True
        pc.on("track", lambda track: self._on_track(pc, track))
        pc.on("datachannel", self._on_datachannel)
        pc.on("connectionstatechange", lambda: self._on_pc_state(pc))
        self._set_state(CallState.CONNECTING)
        return pc

    def _on_pc_state(self, pc: RTCPeerConnection) -> None:
        if pc is not self._pc or self.state == CallState.ENDED:
            return
        if pc.connectionState == "connected":
            self._set_state(CallState.CONNECTED)
        elif pc.connectionState in ("failed", "closed"):
            self._set_state(CallState.INTERRUPTED)

    def _on_datachannel(self, channel) -> None:
        if channel.label == DATA_CHANNEL_LABEL:
            self.control.attach(channel)
        else:
            log.warning("call %s: ignoring data channel %r", self.case_id, channel.label)

    def mark_interrupted(self) -> None:
        """The server says the phone left; media may not have noticed yet."""
        if self.state not in (CallState.ENDED, CallState.IDLE):
            self._set_state(CallState.INTERRUPTED)
            self.control.detach("interrupted")

    # --- media --------------------------------------------------------------
    def _on_track(self, pc: RTCPeerConnection, track: MediaStreamTrack) -> None:
        drain = self._drain_video if track.kind == "video" else self._drain_audio
        self._tracks = [t for t in self._tracks if t.readyState == "live"] + [track]
        task = asyncio.ensure_future(self._drain(pc, track, drain))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _drain(self, pc: RTCPeerConnection, track: MediaStreamTrack, take: Callable) -> None:
        """Pull frames as fast as they come; ends with the track or the connection."""
        while pc is self._pc:
            try:
                frame = await track.recv()
            except MediaStreamError:
                return
            take(frame)

    def _drain_video(self, frame) -> None:
        now = time.time()
        previous = self._latest
        received = ReceivedFrame(frame, now, self._frames)
        self._latest = received
        self._frames += 1
        self._rate.tick(time.monotonic())
        if previous is None or previous.size != received.size:
            self._emit("video_size", *received.size)
        if self._first_frame_pending:
            self._first_frame_pending = False
            self._emit("first_frame", received)
        if self.recorder is not None:
            self.recorder.add_video(frame, now)
        self._emit("frame", received)

    def _drain_audio(self, frame) -> None:
        now = time.time()
        self._audio_frames += 1
        self.audio_sink.write(frame)
        if self.recorder is not None:
            self.recorder.add_audio(frame, now)

    def latest_frame(self) -> ReceivedFrame | None:
        """The newest decoded video frame, or None before the first one."""
        return self._latest

    def stats(self) -> CallStats:
        width, height = self._latest.size if self._latest else (0, 0)
        return CallStats(self.state, self._frames, self._rate.rate(), width, height,
                         self._audio_frames, self._connections, self._backlog())

    def _backlog(self) -> int:
        queues = (getattr(track, "_queue", None) for track in self._tracks)  # aiortc's RemoteStreamTrack
        return sum(q.qsize() for q in queues if q is not None)

    # --- commands -----------------------------------------------------------
    async def command(self, name: str, args: dict | None = None, timeout: float = 5.0) -> dict:
        """Send a data-channel command to the phone and return its result.

        Raises CommandTimeout, or CommandError with the phone's error code
        (e.g. ``unsupported``, ``unknown_command``) or ``interrupted``/``closed``.
        """
        if self.state == CallState.ENDED:
            raise CommandError("closed", "the call has ended")
        return await self.control.command(name, args, timeout)

    def _on_phone_event(self, name: str, data: dict) -> None:
        self._emit("phone_event", name, data)

    def _on_control_error(self, code: str, message: str) -> None:
        self._emit("control_error", code, message)

    # --- teardown -----------------------------------------------------------
    async def hangup(self, reason: str = "operator", timeout: float = 1.0) -> None:
        """Tell the phone the call is over (best effort), then close."""
        if self.control.is_open:
            try:
                await self.control.command(Command.END, {"reason": reason}, timeout)
            except CommandError as exc:
                log.info("call %s: end command not acknowledged: %s", self.case_id, exc)
        await self.close()

    async def close(self) -> None:
        """End the call: close the connection, flush the recording, release the audio sink."""
        if self.state == CallState.ENDED:
            return
        self._set_state(CallState.ENDED)
        self._configured.set()  # an offer still waiting for configure() is refused now (the call has ended)
        await self.control.close()
        await self._drop_peer()
        if self.recorder is not None:
            await self.recorder.stop()
        self.audio_sink.close()

    async def _drop_peer(self) -> None:
        pc, self._pc = self._pc, None
        self.control.detach("interrupted")
        if pc is not None:
            await self.peers.close(pc)
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
