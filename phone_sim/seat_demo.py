"""Complete a call from the command line, without the Qt app: the seat's call engine against this simulator.

    python -m phone_sim.seat_demo --pair               # seat + simulated phone in this process
    python -m phone_sim.seat_demo --listen 8765        # seat waits; in another terminal:
    kuaichu-phone-sim --invite http://127.0.0.1:8765/p/demo --once

A LoopbackHub stands in for the server's signalling. Once a second it prints
what the seat receives (frames, fps, size, latency from the phone's drawn
timestamp); ``--commands`` also exercises every data-channel command, and
``--record DIR`` writes the recording segments there. With ``--listen`` the
phone's photo upload fails (there is no HTTP server here); against the real
server it goes to POST /api/phone/{token}/photos.

It lives with the simulator, not in seat_app, because it is a demo and test tool that needs the
simulated phone and the LoopbackHub; the seat's production code never imports phone_sim.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from seat_app.services.call.control import CommandError
from seat_app.services.call.engine import CallEngine
from seat_app.services.call.recorder import SegmentRecorder
from seat_app.services.call.signalling import SeatSignalling

from . import scene
from .cli import parse_size
from .client import PhoneSim
from .demo_data import load_scenario
from .loopback import LoopbackHub, serve_websocket
from .probe import CallProbe

log = logging.getLogger("kuaichu.call_cli")

PARTY_TOKEN = "demo"
CASE_ID = "case-demo"
DEMO_COMMANDS = [
    ("torch", {"on": True}),
    ("show_instruction", {"text": "请打开双闪，在车后方放置三角警示牌"}),
    ("take_photo", {}),
    ("switch_camera", {"facing": "user"}),
    ("switch_camera", {"facing": "environment"}),
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m phone_sim.seat_demo", description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--pair", action="store_true", help="run a simulated phone in this process")
    mode.add_argument("--listen", type=int, metavar="PORT", help="accept kuaichu-phone-sim on this port")
    parser.add_argument("--seconds", type=float, default=5.0, help="call length after the first frame")
    parser.add_argument("--size", default="1280x720", help="--pair: the phone's back camera size")
    parser.add_argument("--commands", action="store_true", help="send every data-channel command during the call")
    parser.add_argument("--record", type=Path, metavar="DIR", help="record the call into DIR")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser


def make_engine(args: argparse.Namespace, case_id: str) -> CallEngine:
    recorder = None
    if args.record:
        recorder = SegmentRecorder(args.record, uploader=None, segment_seconds=60, prefix=str(case_id))
    return CallEngine(case_id, recorder=recorder)


async def start_phone(args: argparse.Namespace, hub: LoopbackHub):
    """--pair: the simulated phone, as a task; --listen: a WebSocket for one in another process."""
    if args.listen is not None:
        server = await serve_websocket(hub, "127.0.0.1", args.listen)
        print(f"waiting for a phone: kuaichu-phone-sim --invite http://127.0.0.1:{args.listen}/p/{PARTY_TOKEN} --once",
              flush=True)
        return server, None
    parties = load_scenario()
    phone = PhoneSim(hub.connector(PARTY_TOKEN), parties=parties,
                     back=scene.back_camera(parties, frame_size=parse_size(args.size)))
    return phone, asyncio.ensure_future(phone.run())


def report_line(engine: CallEngine, probe: CallProbe, elapsed: float) -> str:
    stats = engine.stats()
    latency = probe.latencies_ms[-1] if probe.latencies_ms else float("nan")
    return (f"t={elapsed:4.1f}s state={stats.state} frames={stats.frames} fps={stats.fps:4.1f} "
            f"size={stats.width}x{stats.height} latency={latency:.0f}ms audio_frames={stats.audio_frames}")


async def run_commands(engine: CallEngine) -> None:
    for name, command_args in DEMO_COMMANDS:
        try:
            print(f"command {name} -> {await engine.command(name, command_args)}", flush=True)
        except CommandError as exc:
            print(f"command {name} failed: {exc}", flush=True)
        await asyncio.sleep(1.0)


async def observe(engine: CallEngine, probe: CallProbe, seconds: float, commands: bool) -> None:
    await probe.first_frame.wait()
    print(f"first frame after {probe.first_frame_at - engine.offer_received_at:.3f} s from the offer", flush=True)
    command_task = asyncio.ensure_future(run_commands(engine)) if commands else None
    loop = asyncio.get_running_loop()
    start = loop.time()
    while (elapsed := loop.time() - start) < seconds:
        await asyncio.sleep(1.0)
        print(report_line(engine, probe, elapsed + 1.0), flush=True)
    if command_task is not None:
        command_task.cancel()
        await asyncio.gather(command_task, return_exceptions=True)


async def run(args: argparse.Namespace) -> int:
    hub = LoopbackHub()
    made: asyncio.Future[tuple[CallEngine, CallProbe]] = asyncio.get_running_loop().create_future()

    def engine_factory(case_id: str) -> CallEngine:
        engine = make_engine(args, case_id)
        if not made.done():
            made.set_result((engine, CallProbe(engine)))  # subscribed before any frame can arrive
        return engine

    seat = SeatSignalling(hub.from_seat, engine_factory)
    hub.attach_seat(seat.handle)
    hub.add_party(PARTY_TOKEN, CASE_ID)
    phone, phone_task = await start_phone(args, hub)
    try:
        engine, probe = await made
        await observe(engine, probe, args.seconds, args.commands)
        await seat.hangup(CASE_ID, "demo finished")
        print_summary(engine, probe)
    finally:
        await seat.close_all()
        await _stop_phone(phone, phone_task)
    return 0


async def _stop_phone(phone, phone_task) -> None:
    if phone_task is None:  # --listen: the WebSocket server
        phone.close()
        await phone.wait_closed()
        return
    await asyncio.wait({phone_task}, timeout=3)
    await phone.close()
    await asyncio.gather(phone_task, return_exceptions=True)


def print_summary(engine: CallEngine, probe: CallProbe) -> None:
    summary = probe.summary()
    print(f"summary: {summary['frames']} frames, {summary['fps']} fps, {summary['size']}, "
          f"latency p50 {summary['latency_p50_ms']} ms p95 {summary['latency_p95_ms']} ms, "
          f"connections {engine.stats().connections}", flush=True)
    if engine.recorder is not None:
        for segment in engine.recorder.finished:
            print(f"recorded {segment.path} {segment.width}x{segment.height} {segment.duration:.1f} s", flush=True)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        return asyncio.run(run(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
