"""The two command lines: ``kuaichu-phone-sim`` against a seat, and the seat demo's ``--pair`` mode.

Both run as ``python -m``, the code the ``kuaichu-phone-sim`` entry point calls
(tests/test_install.py checks that every entry point resolves), so a venv whose
scripts predate a move still runs this tree's simulator.
"""
from __future__ import annotations

import asyncio
import os
import sys

from phone_sim.loopback import LoopbackHub, serve_websocket
from seat_app.services.call.engine import CallEngine
from seat_app.services.call.peers import PeerRegistry
from seat_app.services.call.signalling import SeatSignalling

from tests.seat_app.call.conftest import wait_for_event

STARTUP_TIMEOUT = 60  # a fresh interpreter imports aiortc, av and OpenCV on a busy machine


def phone_sim_command() -> list[str]:
    return [sys.executable, "-m", "phone_sim.cli"]


async def test_phone_sim_process_completes_a_call_over_the_phone_websocket():
    hub, peers = LoopbackHub(), PeerRegistry()
    engine = CallEngine("case-cli", peers=peers)
    seat = SeatSignalling(hub.from_seat)
    seat.open(engine)
    hub.attach_seat(seat.handle)
    hub.add_party("tok-cli", "case-cli")
    server = await serve_websocket(hub)
    port = server.sockets[0].getsockname()[1]
    first = wait_for_event(engine, "first_frame", timeout=STARTUP_TIMEOUT)
    process = await asyncio.create_subprocess_exec(
        *phone_sim_command(), "--invite", f"http://127.0.0.1:{port}/p/tok-cli", "--once", "--size", "640x360",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        assert (await first).size == (640, 360)
        assert await engine.command("torch", {"on": True}) == {"on": True}
        await seat.hangup("case-cli", "done")
        assert await asyncio.wait_for(process.wait(), STARTUP_TIMEOUT) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await seat.close_all()
        server.close()
        await server.wait_closed()
        await peers.close_all()


async def test_seat_cli_pair_mode_completes_a_call():
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "phone_sim.seat_demo", "--pair", "--seconds", "1", "--size", "640x360",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    output, _ = await asyncio.wait_for(process.communicate(), STARTUP_TIMEOUT)
    text = output.decode()
    assert process.returncode == 0, text
    assert "first frame after" in text and "summary:" in text and "640x360" in text
