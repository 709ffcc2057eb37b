"""Queue fan-out to seats: frames, bytes and delivery latency per seat while phones join.

    .venv/bin/python bench/queue_fanout_bench.py [--phones 200] [--seats 20] [--rate 10] [--src DIR]

One server process (uvicorn in a thread, SQLite), ``--seats`` operator seat sockets and ``--phones``
phone sockets joining at ``--rate`` per second, as issue 15's outside tester did. Each seat counts
the queue frames (``queue`` and ``queue_changes``) it receives and their bytes; the latency is from a
phone's ``join`` leaving to a seat's frame showing that case's phone online. ``--src`` runs another
checkout's server (e.g. ``git archive <commit> | tar -x -C DIR``) to compare before and after.
Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password-1"


def _load(src: Path):
    sys.path.insert(0, str(src))
    import httpx  # noqa: F401
    import websockets  # noqa: F401

    from server.adapters.schema import upgrade
    from tests.support.live_server import LiveServer
    return upgrade, LiveServer


async def _seat(url: str, token: str, stats: dict, joined_at: dict, seen: dict, ready: asyncio.Event,
                stop: asyncio.Event) -> None:
    import websockets
    async with websockets.connect(f"{url}/ws/seat", max_size=1 << 24) as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        first = True
        while not stop.is_set():
            try:
                raw = await asyncio.wait_for(ws.recv(), 0.5)
            except asyncio.TimeoutError:
                continue
            now = time.monotonic()
            m = json.loads(raw)
            if m["type"] not in ("queue", "queue_changes"):
                continue
            stats["frames"] += 1
            stats["bytes"] += len(raw.encode())
            stats[m["type"]] = stats.get(m["type"], 0) + 1
            if first:
                first = False
                ready.set()
            items = m.get("items", []) + m.get("added", []) + m.get("updated", [])
            for item in items:
                cid = item["case_id"]
                if item.get("phone_online") and cid in joined_at and cid not in seen:
                    seen[cid] = now - joined_at[cid]


async def _phone(url: str, token: str, case_id: int, joined_at: dict, hold: asyncio.Event) -> None:
    import websockets
    async with websockets.connect(f"{url}/ws/phone/{token}", max_size=1 << 24) as ws:
        joined_at[case_id] = time.monotonic()
        await ws.send(json.dumps({"type": "join", "consent": True}))
        while not hold.is_set():
            try:
                await asyncio.wait_for(ws.recv(), 0.5)
            except asyncio.TimeoutError:
                pass


async def _run(server, args) -> dict:
    import httpx
    tokens = []
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as http:
        for n in range(args.seats):
            server.create_user(f"op{n}", PASSWORD, "operator")
            r = await http.post("/api/auth/login", json={"username": f"op{n}", "password": PASSWORD})
            tokens.append(r.json()["token"])
    ctx = server.ctx
    phones = []
    for _ in range(args.phones):
        case = await asyncio.to_thread(ctx.cases.open_case, "public", "13800138000")
        link = await asyncio.to_thread(lambda: ctx.invitations.create(case.id, "13800138000", actor="system",
                                                                      send_sms=False))
        phones.append((case.id, link.token))
    stop, hold = asyncio.Event(), asyncio.Event()
    seat_stats = [{"frames": 0, "bytes": 0} for _ in tokens]
    seen = [{} for _ in tokens]
    joined_at: dict[int, float] = {}
    readies = [asyncio.Event() for _ in tokens]
    seats = [asyncio.create_task(_seat(server.ws_url, t, s, joined_at, v, r, stop))
             for t, s, v, r in zip(tokens, seat_stats, seen, readies)]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 30)
    for s in seat_stats:  # count from here: the first whole queue is the same before and after
        s.update(frames=0, bytes=0, queue=0, queue_changes=0)
    started = time.monotonic()
    tasks = []
    for case_id, token in phones:
        tasks.append(asyncio.create_task(_phone(server.ws_url, token, case_id, joined_at, hold)))
        await asyncio.sleep(1 / args.rate)
    end = time.monotonic() + 30
    while time.monotonic() < end and any(len(v) < len(phones) for v in seen):
        await asyncio.sleep(0.2)
    elapsed = time.monotonic() - started
    await asyncio.sleep(1.0)
    stop.set()
    hold.set()
    await asyncio.gather(*seats, *tasks, return_exceptions=True)
    latencies = sorted(x for v in seen for x in v.values())
    missing = sum(len(phones) - len(v) for v in seen)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else float("nan")

    return {
        "phones": args.phones, "seats": args.seats, "seconds": round(elapsed, 1),
        "frames_per_seat": statistics.mean(s["frames"] for s in seat_stats),
        "whole_queues_per_seat": statistics.mean(s.get("queue", 0) for s in seat_stats),
        "changes_per_seat": statistics.mean(s.get("queue_changes", 0) for s in seat_stats),
        "bytes_per_seat": statistics.mean(s["bytes"] for s in seat_stats),
        "p50_ms": round(pct(0.50), 1), "p90_ms": round(pct(0.90), 1), "p99_ms": round(pct(0.99), 1),
        "joins_never_seen": missing,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--rate", type=float, default=10.0, help="joins per second")
    parser.add_argument("--src", type=Path, default=ROOT, help="the checkout whose server runs")
    args = parser.parse_args()
    if args.phones < 1 or args.seats < 1 or args.rate <= 0:
        parser.error("--phones and --seats must be at least 1, --rate above 0")
    upgrade, LiveServer = _load(args.src.resolve())
    import logging
    logging.disable(logging.WARNING)
    with TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        upgrade(f"sqlite:///{db}")
        settings = {"data_dir": Path(tmp) / "data", "database_url": f"sqlite:///{db}"}
        with LiveServer.start(settings) as server:
            figures = asyncio.run(_run(server, args))
    figures["src"] = str(args.src)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
