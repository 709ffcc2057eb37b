"""Call bench: N calls between the seat engine (this process) and kuaichu-phone-sim (a subprocess).

    python bench/call_bench.py            # 10 calls of 5 s
    python bench/call_bench.py --quick    # 3 calls of 3 s

The phone runs in its own process so that this process's CPU time is the
seat's alone: receiving, decrypting, decoding and keeping the latest frame
(plus reading the timestamp, a fraction of a millisecond a frame). Signalling
goes through the in-memory hub behind a real WebSocket; media over loopback UDP.

Figures, each against its target (issue #3, on loopback):

* set-up: the phone's offer arriving at the seat -> first decoded frame (p95 <= 1 s);
  also "answered" sent -> first frame, which adds the phone making its offer;
* frame rate and size received, after a 1 s ramp-up (720p30);
* seat CPU while receiving 720p30, in cores (<= 0.5);
* glass-to-glass latency from the timestamp drawn into each frame (p95 <= 150 ms).
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory

from phone_sim.loopback import LoopbackHub, serve_websocket
from phone_sim.probe import CallProbe, percentile
from seat_app.services.call.engine import CallEngine
from seat_app.services.call.peers import PeerRegistry
from seat_app.services.call.recorder import SegmentRecorder
from seat_app.services.call.signalling import SeatSignalling

RAMP_UP_S = 1.0
STARTUP_TIMEOUT_S = 60.0
TARGETS = {"setup_p95_s": 1.0, "latency_p95_ms": 150.0, "cpu_cores": 0.5}


@dataclass
class CallResult:
    offer_to_frame_s: float
    answer_to_frame_s: float
    fps: float
    size: str
    cpu_cores: float
    latencies_ms: list[int]
    unreadable: int


def phone_command(port: int, token: str, size: str) -> list[str]:
    base = [sys.executable, "-m", "phone_sim.cli"]  # what kuaichu-phone-sim runs, from this interpreter's path
    return [*base, "--invite", f"http://127.0.0.1:{port}/p/{token}", "--once", "--size", size]


def cpu_seconds() -> float:
    """User + system time of this process, all threads (aiortc decodes on its own thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class SeatSide:
    """The hub, its WebSocket, and a seat that answers one phone at a time."""

    def __init__(self, record_dir: Path | None) -> None:
        self.hub = LoopbackHub(auto_answer=False)
        self.peers = PeerRegistry()
        self.record_dir = record_dir
        self.seat = SeatSignalling(self.hub.from_seat)
        self.hub.attach_seat(self.seat.handle)
        self.joined: asyncio.Queue[str] = asyncio.Queue()
        self.hub.on_join = self.joined.put_nowait
        self.server = None

    async def start(self) -> int:
        self.server = await serve_websocket(self.hub)
        return self.server.sockets[0].getsockname()[1]

    def open_call(self, case_id: str) -> tuple[CallEngine, CallProbe]:
        recorder = SegmentRecorder(self.record_dir, prefix=case_id) if self.record_dir else None
        engine = self.seat.open(CallEngine(case_id, peers=self.peers, recorder=recorder))
        return engine, CallProbe(engine)

    async def close(self) -> None:
        await self.seat.close_all()
        await self.peers.close_all()
        self.server.close()
        await self.server.wait_closed()


async def one_call(side: SeatSide, port: int, index: int, seconds: float, size: str) -> CallResult:
    token, case_id = f"bench-{index}", f"case-{index}"
    side.hub.add_party(token, case_id)
    engine, probe = side.open_call(case_id)
    phone = await asyncio.create_subprocess_exec(*phone_command(port, token, size),
                                                 stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    try:
        await asyncio.wait_for(side.joined.get(), STARTUP_TIMEOUT_S)
        await side.hub.answer(token)
        await asyncio.wait_for(probe.first_frame.wait(), STARTUP_TIMEOUT_S)
        return await measure(side, engine, probe, seconds)
    finally:
        await side.seat.hangup(case_id, "bench")
        await finish_phone(phone)


async def measure(side: SeatSide, engine: CallEngine, probe: CallProbe, seconds: float) -> CallResult:
    offer_to_frame = probe.first_frame_at - engine.offer_received_at
    answer_to_frame = probe.first_frame_at - side.hub.answered_at[engine.case_id]
    await asyncio.sleep(RAMP_UP_S)  # the sender's bitrate ramps up over the first second
    probe.reset_window()
    cpu0, wall0 = cpu_seconds(), time.time()
    await asyncio.sleep(seconds)  # the measuring window itself
    cores = (cpu_seconds() - cpu0) / (time.time() - wall0)
    summary = probe.summary()
    return CallResult(offer_to_frame, answer_to_frame, probe.fps(), summary["size"], cores,
                      list(probe.latencies_ms), probe.unreadable)


async def finish_phone(phone: asyncio.subprocess.Process) -> None:
    try:
        await asyncio.wait_for(phone.wait(), 15)
    except TimeoutError:
        phone.kill()
        await phone.wait()
    if phone.returncode != 0:
        error = (await phone.stderr.read()).decode(errors="replace")[-2000:]
        print(f"  phone exited with {phone.returncode}:\n{error}", file=sys.stderr)


def verdict(ok: bool) -> str:
    return "OK  " if ok else "MISS"


def report(results: list[CallResult], recording: bool) -> bool:
    setup = [r.offer_to_frame_s for r in results]
    answered = [r.answer_to_frame_s for r in results]
    latencies = [ms for r in results for ms in r.latencies_ms]
    cores = [r.cpu_cores for r in results]
    fps = [r.fps for r in results]
    sizes = sorted({r.size for r in results})
    checks = {
        "setup": percentile(setup, 95) <= TARGETS["setup_p95_s"],
        "latency": percentile(latencies, 95) <= TARGETS["latency_p95_ms"],
        "cpu": percentile(cores, 50) <= TARGETS["cpu_cores"],
        "fps": min(fps) >= 27 and sizes == ["1280x720"],
    }
    print(f"\ncalls: {len(results)}   machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}"
          f"{'   (recording on)' if recording else ''}")
    print(f"{verdict(checks['setup'])} set-up, offer at seat -> first frame   p50 {percentile(setup, 50):.3f} s"
          f"  p95 {percentile(setup, 95):.3f} s   target p95 <= {TARGETS['setup_p95_s']:.1f} s")
    print(f"     set-up, answered -> first frame        p50 {percentile(answered, 50):.3f} s"
          f"  p95 {percentile(answered, 95):.3f} s   (adds the phone making its offer)")
    print(f"{verdict(checks['fps'])} received                               {min(fps):.1f}-{max(fps):.1f} fps"
          f"  at {', '.join(sizes)}   target 720p30")
    print(f"{verdict(checks['cpu'])} seat CPU receiving                     median {percentile(cores, 50):.2f}"
          f"  max {max(cores):.2f} cores   target <= {TARGETS['cpu_cores']:.1f}")
    print(f"{verdict(checks['latency'])} glass-to-glass latency                 p50 {percentile(latencies, 50):.0f} ms"
          f"  p95 {percentile(latencies, 95):.0f} ms   target p95 <= {TARGETS['latency_p95_ms']:.0f} ms"
          f"   ({len(latencies)} frames, {sum(r.unreadable for r in results)} unreadable)")
    return all(checks.values())


async def run(args: argparse.Namespace) -> bool:
    with TemporaryDirectory() as tmp:
        side = SeatSide(Path(tmp) if args.record else None)
        port = await side.start()
        results = []
        try:
            for index in range(args.calls):
                result = await one_call(side, port, index, args.seconds, args.size)
                results.append(result)
                print(f"call {index + 1}/{args.calls}: set-up {result.offer_to_frame_s:.3f} s, "
                      f"{result.fps:.1f} fps {result.size}, {result.cpu_cores:.2f} cores, "
                      f"latency p95 {percentile(result.latencies_ms, 95):.0f} ms", flush=True)
        finally:
            await side.close()
    return report(results, args.record)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="seat call engine bench (issue #3 targets)")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0, help="measuring window per call")
    parser.add_argument("--quick", action="store_true", help="3 calls of 3 s")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--record", action="store_true", help="also record each call (x264 on the seat)")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.seconds = 3, 3.0
    logging.basicConfig(level=logging.WARNING)
    return 0 if asyncio.run(run(args)) else 1


if __name__ == "__main__":
    sys.exit(main())
