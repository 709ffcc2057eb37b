"""Run by test_qt_exit.py in a fresh interpreter: a short aiortc call under qasync with PySide6.

PySide6 6.12.0 aborts at interpreter exit (exit code 134) after aiortc received
media under a qasync loop (PITFALLS.md); this script exits 0 on a good version.
This is the only place in the call code that imports PySide6.
"""
from __future__ import annotations

import asyncio
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from phone_sim import scene  # noqa: E402
from phone_sim.client import PhoneSim  # noqa: E402
from phone_sim.demo_data import load_scenario  # noqa: E402
from phone_sim.loopback import LoopbackHub  # noqa: E402
from seat_app.services.call.engine import CallEngine  # noqa: E402
from seat_app.services.call.signalling import SeatSignalling  # noqa: E402


async def call_until_frames(count: int) -> int:
    hub = LoopbackHub()
    engine = CallEngine("qt")
    seat = SeatSignalling(hub.from_seat)
    seat.open(engine)
    hub.attach_seat(seat.handle)
    hub.add_party("qt", "qt")
    enough = asyncio.Event()
    engine.on("frame", lambda f: f.index + 1 >= count and enough.set())
    parties = load_scenario()
    phone = PhoneSim(hub.connector("qt"), parties=parties, back=scene.back_camera(parties, (640, 360)))
    run = asyncio.ensure_future(phone.run())
    await asyncio.wait_for(enough.wait(), 30)
    engine.latest_frame().to_rgb()
    await seat.hangup("qt")
    await asyncio.wait_for(run, 10)
    await phone.close()
    return engine.stats().frames


if __name__ == "__main__":
    app = QApplication(sys.argv)
    app.setQuitOnLastWindowClosed(False)
    frames = qasync.run(call_until_frames(15))
    print(f"received {frames} frames under qasync")
