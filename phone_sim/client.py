"""A phone in software: joins a case, offers a call, streams cameras and obeys the seat.

It does what the phone page does, so the seat, the server and load tests can be
exercised without a browser: join the queue over the phone WebSocket, make the
offer when the server says "answered", stream the back camera and a microphone
tone, and answer every data-channel command (switch_camera, take_photo, torch,
show_instruction, end). ``drop_connection`` (or ``reconnect_after``) plays a
network drop: the peer connection and the socket go, and the phone rejoins the
same case with a fresh peer connection and a new offer, since aiortc has no ICE
restart.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import time

import cv2
import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaPlayer
from aiortc.mediastreams import MediaStreamError, MediaStreamTrack

from kuaichu_protocol.messages import DATA_CHANNEL_LABEL, Command, PhoneEvent, PhoneMsg, ToPhoneMsg
from seat_app.services.call.audio import AudioSink, AudioSource, AudioSourceTrack, RecordingSink, ToneSource
from seat_app.services.call.control import CommandError, ControlChannel
from seat_app.services.call.peers import rtc_configuration

from . import scene
from .demo_data import Party, load_scenario
from .transport import Connector, MemoryPhotoStore, PhoneTransport, PhotoUploader

log = logging.getLogger(__name__)

FACINGS = ("environment", "user")
MAX_INSTRUCTION_CHARS = 500
END_GRACE_SECONDS = 0.2  # lets the reply to "end" leave before the connection closes


class PhoneSim:
    def __init__(
        self,
        connect: Connector,
        *,
        parties: list[Party] | None = None,
        back: scene.CameraSource | None = None,
        front: scene.CameraSource | None = None,
        video_file: str | None = None,
        photo_uploader: PhotoUploader | None = None,
        audio_source: AudioSource | None = None,
        audio_sink: AudioSink | None = None,
        fps: float = 30.0,
        once: bool = True,
        reconnect_after: float | None = None,
        location: tuple[float, float, float] | None = None,
        safety: dict[str, bool] | None = None,
    ) -> None:
        self.connect = connect
        self.parties = parties or load_scenario()
        self.cameras = {"environment": back or scene.back_camera(self.parties), "user": front or scene.front_camera()}
        self.video_file = video_file
        self.photo_uploader = photo_uploader or MemoryPhotoStore()
        self.audio_source = audio_source or ToneSource(660)
        self.audio_sink = audio_sink or RecordingSink(max_seconds=2)
        self.fps = fps
        self.once = once
        self.reconnect_after = reconnect_after
        self.location = location  # (lat, lon, accuracy_m) sent after joining, like a granted GPS fix
        self.safety = safety  # the safety ticks the driver has made while waiting
        # what a test (or a curious human) can look at
        self.facing = "environment"
        self.torch = False
        self.instructions: list[str] = []
        self.photos: list[dict] = []
        self.queue_position: int | None = None
        self.calls = 0
        self.offer_created_at: float | None = None
        self.connected = asyncio.Event()
        self.ended = asyncio.Event()
        self.control = ControlChannel(handlers={
            Command.SWITCH_CAMERA: self._switch_camera, Command.TAKE_PHOTO: self._take_photo,
            Command.TORCH: self._torch, Command.SHOW_INSTRUCTION: self._show_instruction,
            Command.END: self._end})
        self._clock = scene.MediaClock()
        self._transport: PhoneTransport | None = None
        self._pc: RTCPeerConnection | None = None
        self._video_sender = None
        self._video_track: MediaStreamTrack | None = None
        self._outcome: str | None = None
        self._reconnect_pending = reconnect_after is not None
        self._tasks: set[asyncio.Task] = set()

    # --- session ------------------------------------------------------------
    async def run(self) -> str:
        """Serve until the call ends (``once``) or the server goes; returns "ended" or "closed"."""
        while True:
            self._outcome = None
            self._transport = await self.connect()
            await self._transport.send({"type": PhoneMsg.JOIN, "consent": True})
            await self._report_surroundings()
            outcome = await self._serve(self._transport)
            await self._drop_call()
            if outcome != "dropped":
                return outcome
            log.info("rejoining the case after a dropped connection")

    async def _report_surroundings(self) -> None:
        """What the phone page sends while waiting: the GPS fix and the safety ticks."""
        if self.location is not None:
            lat, lon, accuracy = self.location
            await self._transport.send({"type": PhoneMsg.LOCATION, "lat": lat, "lon": lon, "accuracy": accuracy})
        if self.safety:
            await self._transport.send({"type": PhoneMsg.SAFETY, "ticks": dict(self.safety)})

    async def _serve(self, transport: PhoneTransport) -> str:
        while (message := await transport.receive()) is not None:
            try:
                await self._on_message(message)
            except Exception:
                log.exception("phone: handling %s failed", message.get("type"))
        return self._outcome or "closed"

    async def _on_message(self, message: dict) -> None:
        kind = message.get("type")
        if kind == ToPhoneMsg.QUEUE:
            self.queue_position = message.get("position")
            log.info("queue position %s, wait %ss", self.queue_position, message.get("estimated_wait_s"))
        elif kind == ToPhoneMsg.ANSWERED:
            await self._start_call(message.get("ice_servers") or [], message.get("ice_transport_policy") or "all")
        elif kind == ToPhoneMsg.SIGNAL:
            await self._on_signal(message)
        elif kind == ToPhoneMsg.INSTRUCTION:
            self.instructions.append(str(message.get("text", "")))
        elif kind == ToPhoneMsg.ENDED:
            await self._finish("ended")
        else:
            log.info("server says %s", message)

    async def drop_connection(self) -> None:
        """Simulate losing the network: the call and the socket go; ``run`` rejoins."""
        self._outcome = "dropped"
        await self._drop_call()
        if self._transport is not None:
            await self._transport.close()

    async def close(self) -> None:
        self._outcome = self._outcome or "closed"
        await self._drop_call()
        if self._transport is not None:
            await self._transport.close()
        await self.control.close()
        await self._cancel_tasks()

    async def _finish(self, outcome: str) -> None:
        self._outcome = outcome
        await self._drop_call()
        self.ended.set()
        if self.once and self._transport is not None:
            await self._transport.close()

    # --- the call -----------------------------------------------------------
    async def _start_call(self, ice_servers: list[dict], policy: str = "all") -> None:
        """aiortc gathers before it offers, so the simulated phone never trickles (ice_trickle is the page's)."""
        await self._drop_call()
        pc = self._pc = RTCPeerConnection(rtc_configuration(ice_servers, policy))
        self.calls += 1
        self._video_track = self._camera_track(self.facing)
        self._video_sender = pc.addTrack(self._video_track)
        pc.addTrack(AudioSourceTrack(self.audio_source))
        self.control.attach(pc.createDataChannel(DATA_CHANNEL_LABEL))
        pc.on("track", self._on_track)
        pc.on("connectionstatechange", lambda: self._on_pc_state(pc))
        self.offer_created_at = time.time()
        await pc.setLocalDescription(await pc.createOffer())
        await self._transport.send({"type": PhoneMsg.SIGNAL,
                                    "sdp": {"type": "offer", "sdp": pc.localDescription.sdp}})

    async def _on_signal(self, message: dict) -> None:
        sdp = message.get("sdp")
        if self._pc is None or not isinstance(sdp, dict) or sdp.get("type") != "answer":
            log.warning("phone: unusable signal %s", sorted(message))
            return
        await self._pc.setRemoteDescription(RTCSessionDescription(sdp=sdp["sdp"], type="answer"))

    def _on_pc_state(self, pc: RTCPeerConnection) -> None:
        if pc is not self._pc:
            return
        log.info("phone: connection %s", pc.connectionState)
        if pc.connectionState == "connected":
            self.connected.set()
            if self._reconnect_pending:
                self._reconnect_pending = False
                self._spawn(self._drop_later(self.reconnect_after))

    async def _drop_later(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.drop_connection()

    def _on_track(self, track: MediaStreamTrack) -> None:
        if track.kind == "audio":
            self._spawn(self._drain_audio(track))

    async def _drain_audio(self, track: MediaStreamTrack) -> None:
        while True:
            try:
                self.audio_sink.write(await track.recv())
            except MediaStreamError:
                return

    async def _drop_call(self) -> None:
        pc, self._pc = self._pc, None
        self.connected.clear()
        self.control.detach("interrupted")
        if self._video_track is not None:
            self._video_track.stop()
            self._video_track = None
        if pc is not None:
            await pc.close()

    def _camera_track(self, facing: str) -> MediaStreamTrack:
        if facing == "environment" and self.video_file:
            player = MediaPlayer(self.video_file, loop=True)
            return scene.FileCameraTrack(player.video, self._clock)
        return scene.CameraTrack(self.cameras[facing], self._clock, self.fps)

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _cancel_tasks(self) -> None:
        current = asyncio.current_task()
        tasks = [t for t in self._tasks if t is not current]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _publish(self, name: str, data: dict) -> None:
        """An event for the seat (data channel) and a copy for the case record (server)."""
        self.control.send_event(name, data)
        if self._transport is not None:
            await self._transport.send({"type": PhoneMsg.EVENT, "name": name, "data": data})

    # --- commands -----------------------------------------------------------
    async def _switch_camera(self, args: dict) -> dict:
        facing = args.get("facing") or FACINGS[1 - FACINGS.index(self.facing)]
        if facing not in FACINGS:
            raise CommandError("bad_args", f"facing must be one of {FACINGS}")
        if facing != self.facing and self._video_sender is not None:
            old, self._video_track = self._video_track, self._camera_track(facing)
            self._video_sender.replaceTrack(self._video_track)
            old.stop()
        self.facing = facing
        width, height = self._frame_size(facing)
        result = {"facing": facing, "width": width, "height": height}
        await self._publish(PhoneEvent.CAMERA_SWITCHED, result)
        return result

    def _frame_size(self, facing: str) -> tuple[int, int]:
        if facing == "environment" and self.video_file:
            still = getattr(self._video_track, "last_rgb", None)
            return (still.shape[1], still.shape[0]) if still is not None else (0, 0)
        return self.cameras[facing].frame_size

    async def _take_photo(self, args: dict) -> dict:
        rgb = self._still()
        data = await asyncio.to_thread(encode_jpeg, rgb)
        try:
            stored = await self.photo_uploader(data, f"photo-{len(self.photos) + 1}.jpg")
        except Exception as exc:
            raise CommandError("upload_failed", repr(exc)) from exc
        result = {"evidence_id": stored.get("evidence_id"), "sha256": hashlib.sha256(data).hexdigest(),
                  "width": rgb.shape[1], "height": rgb.shape[0]}
        self.photos.append(result)
        await self._publish(PhoneEvent.PHOTO_UPLOADED, result)
        return result

    def _still(self) -> np.ndarray:
        if self.facing == "environment" and self.video_file:
            still = getattr(self._video_track, "last_rgb", None)
            if still is None:
                raise CommandError("not_ready", "no video frame yet")
            return still
        return self.cameras[self.facing].still()

    async def _torch(self, args: dict) -> dict:
        if self.facing == "user":
            raise CommandError("unsupported", "the front camera has no torch")
        self.torch = bool(args.get("on", not self.torch))
        return {"on": self.torch}

    async def _show_instruction(self, args: dict) -> dict:
        text = args.get("text")
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_INSTRUCTION_CHARS:
            raise CommandError("bad_args", f"text must be 1..{MAX_INSTRUCTION_CHARS} characters")
        self.instructions.append(text)
        log.info("instruction on screen: %s", text)
        shot = args.get("shot")
        if isinstance(shot, str) and shot:  # 下一张: point the camera at what the seat asks for
            # drawing a shot's picture takes a fifth of a second: off the loop, so the video keeps flowing
            filmed = await asyncio.get_running_loop().run_in_executor(None, self.cameras["environment"].point_at, shot)
            log.info("pointing the back camera at %s%s", shot, "" if filmed else " (no such picture here)")
            return {"shot": shot if filmed else None}
        return {}

    async def _end(self, args: dict) -> dict:
        log.info("the seat ended the call: %s", args.get("reason", ""))
        self._spawn(self._end_soon())
        return {}

    async def _end_soon(self) -> None:
        await asyncio.sleep(END_GRACE_SECONDS)
        await self._finish("ended")


def encode_jpeg(rgb: np.ndarray, quality: int = 92) -> bytes:
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise CommandError("internal_error", "JPEG encoding failed")
    return data.tobytes()
