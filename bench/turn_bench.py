"""TURN bench: call set-up through a real coturn, with and without ICE trickle from the phone.

    python bench/turn_bench.py              # 5 calls per mode
    python bench/turn_bench.py --runs 3     # fewer (1-20)
    python bench/turn_bench.py --markdown   # a "### Call set-up through TURN" section for bench/reliability_bench.py

Everything is real and on loopback: coturn (Debian's turnserver, tests/support/coturn.py), the
server (uvicorn, SQLite), headless Chromium playing the phone page with a fake camera, and the
seat's aiortc CallEngine. The server hands coturn out as its only ICE server with
``ICE_TRANSPORT_POLICY=relay`` (``--policy all`` lets ICE pick host pairs instead), so the media
goes through coturn. Each call is a new case: the phone joins the queue, the seat answers over
REST, the call sets up, the seat hangs up.

Figures per mode (trickle: ``ICE_TRICKLE=true``, vanilla: ``false``), p50 and max over the runs:

* answered -> first frame: the seat's answer (REST) to the first decoded frame at the seat; this is
  what the operator waits for, and it includes the phone gathering candidates before a vanilla offer;
* offer -> first frame: the offer arriving at the seat to the first decoded frame;
* offer -> connected: the offer arriving at the seat to aiortc's peer connection ``connected``.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import re
import shutil
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

import httpx
from sqlalchemy import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from seat_app.services.call.engine import CallEngine  # noqa: E402
from server.adapters.orm import SmsMessage  # noqa: E402
from server.adapters.schema import upgrade  # noqa: E402
from tests.support.coturn import Coturn  # noqa: E402
from tests.support.live_server import LiveServer  # noqa: E402
from tests.support.plate_scene import write_y4m  # noqa: E402
from tests.support.thin_seat import ThinSeat  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "bench seat password"
STEP_TIMEOUT_S = 40.0  # one call's set-up; a run that takes longer is reported as failed
MODES = (("trickle", True), ("vanilla", False))


async def until(condition, timeout: float, what: str):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.01)
    raise TimeoutError(f"no {what} within {timeout} s")


async def one_call(server: LiveServer, http: httpx.AsyncClient, op: dict, seat: ThinSeat, browser,
                   phone: str) -> dict:
    case_id = (await http.post("/api/cases", headers=op, json={"phone": phone})).json()["case"]["id"]
    with server.ctx.session_factory() as s:
        text = s.scalar(select(SmsMessage.text).where(SmsMessage.phone == phone).order_by(SmsMessage.id.desc()))
    link = re.search(r"https?://\S+/p/[A-Za-z0-9_-]+", text).group(0)
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                        permissions=["camera", "microphone", "geolocation"],
                                        geolocation={"latitude": 30.6586, "longitude": 104.0647, "accuracy": 15})
    try:
        page = await context.new_page()
        await page.goto(link)
        await page.locator("#consent").check()
        await page.get_by_role("button", name="同意，下一步").click()
        await page.get_by_role("button", name="开始检测").click()
        await page.locator("#queue-position").filter(has_text="第").wait_for(timeout=STEP_TIMEOUT_S * 1000)

        engine = seat.signalling.open(CallEngine(case_id))
        engine.expect_configuration()  # as the seat app does: the offer may come before the answer's reply
        marks: dict[str, float] = {}
        engine.on("first_frame", lambda _f: marks.setdefault("frame", time.monotonic()))
        engine.on("connected", lambda: marks.setdefault("connected", time.monotonic()))
        answered_at = time.monotonic()
        reply = (await http.post(f"/api/cases/{case_id}/answer", headers=op)).json()
        engine.configure(reply["ice_servers"], reply["ice_transport_policy"])
        await until(lambda: "frame" in marks and "connected" in marks, STEP_TIMEOUT_S, "first frame")
        offer_at = seat.offer_at[case_id]
        figures = {"answer_to_frame": marks["frame"] - answered_at, "offer_to_frame": marks["frame"] - offer_at,
                   "offer_to_connected": marks["connected"] - offer_at}
        await seat.signalling.hangup(case_id, "completed")
        await page.locator("#screen-ended.active").wait_for(timeout=STEP_TIMEOUT_S * 1000)
        return figures
    finally:
        await context.close()


async def run_mode(work: Path, template: Path, turn: Coturn, browser, trickle: bool, policy: str,
                   runs: int) -> tuple[list[dict], int, int]:
    db = work / f"bench-{trickle}.db"
    shutil.copy(template, db)
    settings = {"data_dir": work / f"data-{trickle}", "database_url": f"sqlite:///{db}",
                "ice_servers": turn.ice_servers, "ice_transport_policy": policy, "ice_trickle": trickle}
    results, failed = [], 0
    allocations_before = turn.allocations()
    with LiveServer.start(settings) as server:
        server.create_user("bench_op", PASSWORD, "operator")
        async with httpx.AsyncClient(base_url=server.url, timeout=15) as http:
            token = (await http.post("/api/auth/login", json={"username": "bench_op", "password": PASSWORD})
                     ).json()["token"]
            op = {"Authorization": f"Bearer {token}"}
            async with ThinSeat(server.ws_url, token) as seat:
                for i in range(runs):
                    try:
                        results.append(await one_call(server, http, op, seat, browser, f"1390000{i:04d}"))
                    except (TimeoutError, AssertionError, KeyError) as exc:
                        failed += 1
                        print(f"  run {i + 1} failed: {exc!r}", file=sys.stderr)
    return results, failed, turn.allocations() - allocations_before


async def bench(runs: int, policy: str) -> dict:
    from playwright.async_api import async_playwright

    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    with TemporaryDirectory(prefix="turn-bench-") as tmp:
        work = Path(tmp)
        template = work / "template.db"
        upgrade(f"sqlite:///{template}")
        camera = write_y4m(work / "plate_scene.y4m")
        out = {}
        with Coturn.start(work / "turn") as turn:
            async with async_playwright() as p:
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--use-fake-ui-for-media-stream",
                    "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={camera}"])
                try:
                    for name, trickle in MODES:
                        results, failed, allocations = await run_mode(work, template, turn, browser, trickle,
                                                                       policy, runs)
                        out[name] = {"results": results, "failed": failed, "allocations": allocations}
                finally:
                    await browser.close()
        return out


def summary(values: list[float]) -> tuple[float, float]:
    return (statistics.median(values), max(values)) if values else (float("nan"), float("nan"))


KEYS = (("answer_to_frame", "answered → first frame"), ("offer_to_frame", "offer → first frame"),
        ("offer_to_connected", "offer → connected"))


def markdown(out: dict, runs: int, policy: str) -> str:
    lines = ["### Call set-up through TURN (coturn)", "",
             f"`python bench/turn_bench.py --markdown`: real Chromium (the phone page) → coturn on loopback → "
             f"the seat's aiortc, ICE transport policy `{policy}`, {runs} calls per mode, each a new case. "
             "Trickle: the phone offers at once and sends candidates as gathered; vanilla: the offer waits "
             "for gathering.", "",
             "| mode | calls ok | " + " | ".join(f"{label} p50 / max (ms)" for _, label in KEYS)
             + " | TURN allocations |",
             "|---|---|" + "---|" * len(KEYS) + "---|"]
    for name, _ in MODES:
        m = out[name]
        cells = []
        for key, _ in KEYS:
            p50, top = summary([r[key] for r in m["results"]])
            cells.append(f"{p50 * 1000:.0f} / {top * 1000:.0f}")
        lines.append(f"| {name} | {len(m['results'])}/{len(m['results']) + m['failed']} | "
                     + " | ".join(cells) + f" | {m['allocations']} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="calls per mode, 1-20 (default 5)")
    parser.add_argument("--policy", choices=("relay", "all"), default="relay",
                        help="ICE_TRANSPORT_POLICY the server hands out (default relay: all media through coturn)")
    parser.add_argument("--markdown", action="store_true", help="print a markdown section instead of plain figures")
    args = parser.parse_args()
    if not 1 <= args.runs <= 20:
        parser.error("--runs must be 1-20")
    logging.basicConfig(level=logging.WARNING)
    out = asyncio.run(bench(args.runs, args.policy))
    if args.markdown:
        print(markdown(out, args.runs, args.policy))
        return
    print(f"TURN bench: policy {args.policy}, {args.runs} calls per mode")
    for name, _ in MODES:
        m = out[name]
        print(f"{name}: {len(m['results'])} ok, {m['failed']} failed, {m['allocations']} TURN allocations")
        for key, label in KEYS:
            p50, top = summary([r[key] for r in m["results"]])
            print(f"  {label}: p50 {p50 * 1000:.0f} ms, max {top * 1000:.0f} ms")


if __name__ == "__main__":
    main()
