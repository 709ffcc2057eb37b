"""A seat engine and the simulated phone in a real call over loopback UDP."""
from __future__ import annotations

import asyncio
import hashlib

import av
import cv2
import numpy as np
import pytest

from kuaichu_protocol.messages import PhoneEvent
from phone_sim import timecode
from kuaichu_artwork.front_art import FRONT_BACKGROUND
from seat_app.services.call.control import CommandError, CommandTimeout
from seat_app.services.call.engine import CallState
from seat_app.services.call.recorder import SegmentRecorder

from tests.support.waiting import wait_for

from .conftest import wait_for_event, wait_for_state

WALL_PATCH = (slice(180, 220), slice(16, 56))  # rows, cols of the front camera's plain wall at 640x480


def patch_colour(rgb: np.ndarray) -> np.ndarray:
    return rgb[WALL_PATCH].reshape(-1, 3).mean(axis=0)


async def test_frames_arrive_at_the_phone_camera_size(make_call, cameras_720p):
    call = make_call(cameras_720p)
    frame = await call.start()
    assert frame.size == (1280, 720)
    assert call.engine.state == CallState.CONNECTED
    assert call.engine.latest_frame().to_rgb().shape == (720, 1280, 3)
    assert timecode.read(frame.luma()) is not None


async def test_a_slow_consumer_is_handed_the_newest_frame_and_nothing_queues(call):
    """A stalled UI reads rarely: it must get the newest decoded frame, never one queued behind it, while the
    engine keeps draining the track. How fast that is (latency) is measured in bench/, not here."""
    await call.start()
    decoded: list = []
    call.engine.on("frame", decoded.append)
    for _ in range(3):
        start = len(decoded)
        await wait_for(lambda start=start: len(decoded) >= start + 10)  # ten frames arrive, nobody reads
        newest = call.engine.latest_frame()
        assert newest is decoded[-1]
        newest_stamp = timecode.read(newest.luma())
        stamps = [s for s in (timecode.read(f.luma()) for f in decoded[start:-1]) if s is not None]
        assert newest_stamp is not None and stamps
        assert all(0 < (newest_stamp - s) % timecode.WRAP < timecode.WRAP // 2 for s in stamps), \
            "the frame handed over was filmed before frames already decoded"
        assert call.engine.stats().backlog <= 2


async def test_commands_get_their_replies(call):
    await call.start()
    assert await call.engine.command("torch", {"on": True}) == {"on": True}
    assert call.phone.torch is True
    assert await call.engine.command("show_instruction", {"text": "请撤离到安全地带"}) == {}
    assert call.phone.instructions == ["请撤离到安全地带"]


async def test_refused_and_unknown_commands_raise_command_error(call):
    await call.start()
    with pytest.raises(CommandError) as unknown:
        await call.engine.command("launch_rocket")
    assert unknown.value.code == "unknown_command"
    with pytest.raises(CommandError) as bad:
        await call.engine.command("show_instruction", {"text": ""})
    assert bad.value.code == "bad_args"


async def test_a_command_without_reply_times_out_and_the_call_goes_on(call):
    await call.start()
    call.phone.control.handlers["stall"] = lambda args: asyncio.Event().wait()
    with pytest.raises(CommandTimeout):
        await call.engine.command("stall", timeout=0.3)
    assert await call.engine.command("torch", {"on": False}) == {"on": False}


async def test_switch_camera_changes_the_picture_and_starts_a_recording_segment(make_call, tmp_path):
    call = make_call(recorder=SegmentRecorder(tmp_path, keep_uploaded=True))
    before = await call.start()
    assert np.abs(patch_colour(cv2.resize(before.to_rgb(), (640, 480))) - FRONT_BACKGROUND).max() > 30
    switched = wait_for_event(call.engine, "phone_event", lambda name, data: name == PhoneEvent.CAMERA_SWITCHED)
    front_frame = call.next_frame(lambda f: f.size == (640, 480))
    assert await call.engine.command("switch_camera", {"facing": "user"}) == {
        "facing": "user", "width": 640, "height": 480}
    assert (await switched)[1]["facing"] == "user"
    frame = await front_frame
    assert np.abs(patch_colour(frame.to_rgb()) - FRONT_BACKGROUND).max() < 20

    await call.engine.close()
    segments = call.engine.recorder.finished
    assert [(s.width, s.height, s.reason) for s in segments] == [(640, 360, "size_change"), (640, 480, "stop")]
    for segment in segments:
        with av.open(str(segment.path)) as container:
            stream = container.streams.video[0]
            assert (stream.width, stream.height) == (segment.width, segment.height)


async def test_take_photo_uploads_a_full_resolution_still(call):
    await call.start()
    announced = wait_for_event(call.engine, "phone_event", lambda name, data: name == PhoneEvent.PHOTO_UPLOADED)
    result = await call.engine.command("take_photo")
    stored = call.photos.photos[result["evidence_id"]]
    assert result["sha256"] == hashlib.sha256(stored).hexdigest()
    image = cv2.imdecode(np.frombuffer(stored, np.uint8), cv2.IMREAD_COLOR)
    assert image.shape[:2] == (1080, 1920) == (result["height"], result["width"])
    assert (await announced)[1] == result


async def test_reconnect_uses_a_new_peer_connection_for_the_same_case(call):
    await call.start()
    interrupted = wait_for_state(call.engine, CallState.INTERRUPTED)
    await call.phone.drop_connection()
    await interrupted
    reconnected = call.next_frame(lambda f: call.engine.stats().connections == 2)
    await reconnected
    assert call.engine.state == CallState.CONNECTED
    assert call.phone.calls == 2
    assert len(call.peers) == 1
    assert await call.engine.command("torch", {"on": True}) == {"on": True}


async def test_junk_from_the_phone_gets_error_replies_and_the_engine_carries_on(call):
    await call.start()
    replies = []
    call.phone.control.channel.on("message", replies.append)
    errors = []
    four_errors = wait_for_event(call.engine, "control_error", lambda *a: errors.append(a[0]) or len(errors) == 4)
    call.phone.control.send_raw("this is not json")
    call.phone.control.send_raw('{"type": "event", "name": "battery", "data": "' + "x" * 20_000 + '"}')
    call.phone.control.send({"type": "cmd", "id": 9, "name": "format_disk", "args": {}})
    call.phone.control.send({"type": "event", "name": 42})
    await four_errors
    assert errors == ["bad_json", "too_large", "unknown_command", "bad_message"]
    assert call.engine.state == CallState.CONNECTED
    assert await call.engine.command("torch", {"on": True}) == {"on": True}
    assert any('"id": 9' in r and '"ok": false' in r for r in replies)


async def test_junk_from_the_seat_gets_error_replies_from_the_phone(call):
    await call.start()
    rejected = asyncio.get_running_loop().create_future()
    call.phone.control.on_error = lambda code, message: rejected.done() or rejected.set_result(code)
    call.engine.control.send_raw("{not json")
    assert await asyncio.wait_for(rejected, 10) == "bad_json"
    assert await call.engine.command("torch", {"on": True}) == {"on": True}


async def test_hangup_ends_the_call_on_both_sides(call):
    await call.start()
    ended = wait_for_state(call.engine, CallState.ENDED)
    await call.seat.hangup(call.engine.case_id, "finished")
    await ended
    assert await asyncio.wait_for(call.run_task, 10) == "ended"
    assert call.hub.phone_log[0] == {"type": "join", "consent": True}


async def test_audio_flows_both_ways(call):
    await call.start()
    heard = wait_for_event(call.engine, "frame", lambda f: call.audio.frames >= 10 and call.phone.audio_sink.frames >= 10)
    await heard
    assert np.abs(call.audio.samples()).max() > 1000  # the phone's tone, not silence


async def test_a_video_file_streams_as_the_back_camera(make_call, tmp_path):
    path = tmp_path / "dashcam.mp4"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=30)
        stream.width, stream.height, stream.pix_fmt = 480, 272, "yuv420p"
        for i in range(30):
            picture = np.full((272, 480, 3), (i * 8) % 255, np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")))
        container.mux(stream.encode(None))
    call = make_call()
    call.phone.video_file = str(path)
    frame = await call.start()
    assert frame.size == (480, 272)
    assert timecode.read(frame.luma()) is not None
    photo = await call.engine.command("take_photo")
    assert (photo["width"], photo["height"]) == (480, 272)
