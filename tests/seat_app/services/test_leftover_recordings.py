"""Segments an earlier run left on disk reach their cases at the next start; nothing is lost on the way.

Real segments from the real recorder, a real server with its media probe, and a port nobody
listens on for the outage.
"""
from __future__ import annotations

import pytest

from seat_app.services import api_client as api
from seat_app.services import leftover_recordings
from seat_app.services.call.recorder import SegmentRecorder
from seat_app.services.seat import Seat
from tests.seat_app.services.conftest import PASSWORD
from tests.support.live_server import free_socket
from tests.support.media import feed
from tests.support.waiting import wait_for

pytestmark = pytest.mark.fault  # a seat that crashed mid-recording: its segments reach the server at the next start


def logged_in(live) -> api.AsyncApi:
    client = api.ApiClient(live.url, timeout=10)
    client.login("operator1", PASSWORD)
    return api.AsyncApi(client)


def answered_case(live, phone: str):
    """A case operator1 answered: a seat only ever records, and leaves behind, calls it answered."""
    case = live.ctx.cases.open_case("public", reporter_phone=phone)
    client = api.ApiClient(live.url, timeout=10)
    client.login("operator1", PASSWORD)
    client.answer(case.id)
    return case


async def left_behind(directory, case_id: int, segments: int = 2) -> list:
    """What a crash leaves: closed segments of a case that were never uploaded."""
    recorder = SegmentRecorder(directory / f"case-{case_id}", uploader=None, segment_seconds=0.4,
                               prefix=f"case-{case_id}")
    feed(recorder, [(320, 240)] * (10 * segments))
    await recorder.stop()
    return sorted((directory / f"case-{case_id}").glob("*.mp4"))


async def test_leftover_segments_are_uploaded_to_their_case_and_removed(live, tmp_path):
    case = answered_case(live, "13800138000")
    files = await left_behind(tmp_path, case.id)
    assert len(files) >= 2
    sizes = sorted(f.stat().st_size for f in files)

    result = await leftover_recordings.upload_leftovers(logged_in(live), tmp_path)

    assert [p.name for p in result.uploaded] == [f.name for f in files] and not result.rejected and not result.kept
    stored = [e for e in live.ctx.evidence.list(case.id) if e.kind == "recording"]
    assert sorted(e.size_bytes for e in stored) == sizes
    assert {e.label for e in stored} == {"segment-1", "segment-2", *{f"segment-{i}" for i in range(3, len(files) + 1)}}
    assert not (tmp_path / f"case-{case.id}").exists()  # the emptied folder is gone


async def test_a_segment_cut_short_by_the_crash_is_kept_aside_not_deleted(live, tmp_path):
    case = answered_case(live, "13800138001")
    files = await left_behind(tmp_path, case.id)
    broken = files[-1]
    broken.write_bytes(broken.read_bytes()[:200])  # the one being written when the app died

    result = await leftover_recordings.upload_leftovers(logged_in(live), tmp_path)

    assert [p.name for p in result.uploaded] == [f.name for f in files[:-1]]
    assert [p.name for p in result.rejected] == [f"case-{case.id}-{broken.name}"]
    assert (tmp_path / "rejected" / f"case-{case.id}-{broken.name}").stat().st_size == 200
    # Nothing is sent twice: a second start finds nothing left to send.
    assert not await leftover_recordings.upload_leftovers(logged_in(live), tmp_path)


async def test_an_unreachable_server_leaves_every_segment_for_the_next_start(live, tmp_path):
    case = answered_case(live, "13800138002")
    files = await left_behind(tmp_path, case.id)
    sock = free_socket()
    port = sock.getsockname()[1]
    sock.close()
    client = api.ApiClient(f"http://127.0.0.1:{port}", timeout=2)
    client.token = "whatever"

    result = await leftover_recordings.upload_leftovers(api.AsyncApi(client), tmp_path)

    assert result.kept == files and not result.uploaded and not result.rejected
    assert all(f.exists() for f in files)
    # The server is back: the next start sends them.
    again = await leftover_recordings.upload_leftovers(logged_in(live), tmp_path)
    assert len(again.uploaded) == len(files)


async def test_the_case_being_recorded_now_is_left_alone(live, tmp_path):
    case = answered_case(live, "13800138003")
    files = await left_behind(tmp_path, case.id)
    result = await leftover_recordings.upload_leftovers(logged_in(live), tmp_path, busy=frozenset({case.id}))
    assert not result and all(f.exists() for f in files)


async def test_folders_that_are_not_a_case_are_ignored(live, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "a.mp4").write_bytes(b"x")
    (tmp_path / "case-abc").mkdir()
    (tmp_path / "case-abc" / "b.mp4").write_bytes(b"x")
    assert leftover_recordings.pending(tmp_path) == []
    assert leftover_recordings.pending(tmp_path / "missing") == []


async def test_the_seat_sends_leftovers_when_it_starts_and_says_so(live, tmp_path):
    case = answered_case(live, "13800138004")
    files = await left_behind(tmp_path, case.id)
    client = api.ApiClient(live.url, timeout=10)
    client.login("operator1", PASSWORD)
    seat = Seat(client, recordings_dir=tmp_path)
    notices = []
    seat.events.on("notice", lambda kind, data: notices.append((kind, data)))
    seat.start()
    try:
        await wait_for(lambda: notices)
    finally:
        await seat.shutdown()
    assert notices == [("leftover_recordings", {"uploaded": len(files), "rejected": 0, "kept": 0})]
