"""The phone page in real Chromium, in a video call with the seat's CallEngine, while the server is
SIGKILLed mid-call and started again.

The video is peer to peer, so it must not need the server: frames keep arriving at the seat after the
kill and before the restart. The page keeps its call, tells the driver plainly that the server is away,
and reconnects its socket by itself, waiting longer after each refused attempt. Once it is back the page
joins again, which (the hub's rule: aiortc cannot restart ICE) interrupts the call and re-queues the case
for its seat; the seat's own socket has come back too, it answers again, and the page moves to a new peer
connection. The case, the photo taken before the kill and the audit chain are intact afterwards.

Set KUAICHU_SCREENSHOTS=dir to keep the three phone screens (in a call, server away, after).
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from seat_app.services.call.engine import CallEngine
from server.adapters.db import unit_of_work
from server.adapters.orm import AuditEvent, Case
from server.services import audit
from server.services.auth import create_user
from tests.e2e.test_phone_chromium import (  # noqa: F401 - browser and fake_camera are fixtures
    CHROMIUM, HERE, PASSWORD, browser, fake_camera, wait_until)
from tests.server.test_restart_liveness import START_TIMEOUT_S, served  # noqa: F401 - served is a fixture
from tests.support.plate_scene import looks_like_scene
from tests.support.thin_seat import ReconnectingSeat

pytestmark = [pytest.mark.fault, pytest.mark.browser, pytest.mark.slow]

PHONE = "13800138000"
FRAMES_WHILE_AWAY = 30  # about a second of the phone's video, decoded at the seat with no server running
REFUSED_WHILE_AWAY = 3  # the page's socket attempts refused before the restart: three gaps show the growth
SOCKET_RETRY_BASE_S = 1.0  # call.js: under a live call the n-th retry waits 2**n s (capped), at least half of it
TIMER_SLACK_S = 0.02
SHOTS = os.environ.get("KUAICHU_SCREENSHOTS", "")
# wait_for_function takes functions here: the page's CSP (no 'unsafe-eval') refuses polled expressions.

# Notes when the page opens a socket to /ws/phone/, by the page's own clock (seconds).
SOCKET_CLOCK = """(() => {
  const Native = window.WebSocket;
  window.__phoneSocketsAt = [];
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      if (String(url).includes("/ws/phone/")) window.__phoneSocketsAt.push(performance.now() / 1000);
    }
  };
})();"""

BACKOFF_SAMPLES = """async () => {
  const { backoffS, BACKOFF_CAP_S } = await import("/static/signal.js");
  const draw = (attempt) => Array.from({ length: 50 }, () => backoffS(attempt, 1));
  return { third: draw(3), late: draw(12), cap: BACKOFF_CAP_S };
}"""


def _audit(ctx) -> list[tuple]:
    with ctx.session_factory() as s:
        return [(e.id, e.hash, e.action, e.from_state, e.to_state, (e.detail or {}).get("reason"))
                for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _case(ctx, case_id: int) -> tuple[str, int | None, int | None]:
    with ctx.session_factory() as s:
        case = s.get(Case, case_id)
        return case.state, case.seat_user_id, case.last_seat_user_id


async def _shot(page, tmp_path: Path, name: str) -> None:
    await page.screenshot(path=str(tmp_path / f"phone-{name}.png"))
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"phone-{name}.png"))


@asynccontextmanager
async def _phone_page(browser, server) -> AsyncIterator:
    """A phone-sized page that notes when it opens a socket; on a failure, its console and the server log."""
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                        permissions=["camera", "microphone", "geolocation"], geolocation=HERE)
    await context.add_init_script(SOCKET_CLOCK)
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    try:
        yield page
    except BaseException:
        print("\n--- phone console ---\n" + "\n".join(console[-60:]))
        print("\n--- server log ---\n" + server.log.read_text(errors="replace")[-3000:])
        raise
    finally:
        await context.close()


async def _join_the_queue(page, server, token: str) -> None:
    await page.goto(f"{server.url}/p/{token}")
    await page.locator("#consent").check()
    await page.get_by_role("button", name="同意，下一步").click()
    await page.get_by_role("button", name="开始检测").click()
    await page.locator("#queue-position", has_text="第 1 位").wait_for(timeout=20_000)


async def test_the_call_goes_on_through_a_sigkill_and_the_page_comes_back_by_itself(served, browser, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    ctx, server = served
    with unit_of_work(ctx.session_factory) as s:
        create_user(s, "op", PASSWORD, "operator", "王坐席")
    case_id = ctx.cases.open_case("public").id
    token = ctx.invitations.create(case_id, PHONE, actor="system", send_sms=False).token
    await asyncio.to_thread(server.start)
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        login = (await http.post("/api/auth/login", json={"username": "op", "password": PASSWORD})).json()
    async with _phone_page(browser, server) as page, \
            ReconnectingSeat(server.url.replace("http://", "ws://"), login["token"]) as seat:
        await _call_through_the_kill(ctx, server, page, seat, case_id, token, login, tmp_path)


async def _call_through_the_kill(ctx, server, page, seat, case_id, token, login, tmp_path) -> None:
    op = {"Authorization": f"Bearer {login['token']}"}
    # --- the driver joins the queue; the seat answers; the plate scene arrives; a photo is taken ---
    await _join_the_queue(page, server, token)
    engine = seat.signalling.open(CallEngine(case_id))
    engine.expect_configuration()  # as the seat app does: the offer may come before the answer's reply
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        reply = await http.post(f"/api/cases/{case_id}/answer", headers=op)
    assert reply.status_code == 200, reply.text
    engine.configure(reply.json()["ice_servers"], reply.json()["ice_transport_policy"])
    seat_user_id = reply.json()["case"]["seat_user_id"]
    await wait_until(lambda: engine.stats().frames >= FRAMES_WHILE_AWAY, 30, "the phone's video at the seat")
    assert looks_like_scene(engine.latest_frame().to_rgb())[0]
    photo = await engine.command("take_photo", {}, timeout=20)  # evidence, uploaded by the page itself
    await _shot(page, tmp_path, "in-call")
    written = _audit(ctx)

    # --- SIGKILL: the call goes on without the server; the page says so and retries by itself ---
    sockets_before = await page.evaluate("window.__phoneSocketsAt.length")
    frames_at_kill = engine.stats().frames
    await asyncio.to_thread(server.kill)
    await page.wait_for_function("() => !window.kuaichu.socket.isOpen", timeout=10_000)
    away = page.locator("#call-toast.show", has_text="视频通话仍在继续")
    await away.wait_for(timeout=10_000)
    await wait_until(lambda: not seat.connected, 10, "the seat's socket noticing the kill")
    await wait_until(lambda: engine.stats().frames >= frames_at_kill + FRAMES_WHILE_AWAY, 20,
                     "frames at the seat while the server is down")
    await page.wait_for_function(f"() => window.__phoneSocketsAt.length >= {sockets_before + REFUSED_WHILE_AWAY}",
                                 timeout=20_000)  # refused attempts: about 0.5-1, 1-2, 2-4 s apart
    await _shot(page, tmp_path, "server-away")
    assert await page.locator("#screen-call.active").count() == 1
    assert server.proc.poll() is not None  # still dead: every frame counted so far came without a server
    frames_while_away = engine.stats().frames - frames_at_kill
    print(f"\nframes decoded at the seat while the server was down: {frames_while_away}")
    assert frames_while_away >= FRAMES_WHILE_AWAY
    assert engine.stats().connections == 1

    # --- restart: the page's socket and the seat's come back by themselves; the page rejoins ---
    t_restart = time.monotonic()
    await asyncio.to_thread(server.start)
    frames_at_restart = engine.stats().frames
    await page.wait_for_function("() => window.kuaichu.socket.isOpen", timeout=40_000)
    print(f"server up -> phone socket back: {time.monotonic() - t_restart:.1f} s (incl. start-up)")
    back = page.locator("#call-toast.show", has_text="坐席正在重新接通")
    await back.wait_for(timeout=10_000)
    rejoined = await seat.wait_for(
        lambda m: m["type"] == "queue_view" and m["items"] and m["items"][0]["case_id"] == case_id
        and m["items"][0]["preferred_seat"], START_TIMEOUT_S, "the rejoined case first in the seat's queue")
    assert rejoined["items"][0]["rejoining"] is True and seat.connections >= 2
    state, _, last_seat = _case(ctx, case_id)
    assert (state, last_seat) == ("queued", seat_user_id)
    after_kill = [e[3:] for e in _audit(ctx)[len(written):] if e[4]]  # (from, to, reason) of each transition
    assert after_kill == [("in_call", "interrupted", "phone_rejoined"), ("interrupted", "queued", "continue")]
    await wait_until(lambda: engine.stats().frames >= frames_at_restart + FRAMES_WHILE_AWAY, 20,
                     "the old call's frames until the seat answers again")
    await _shot(page, tmp_path, "server-back")
    assert await page.locator("#screen-call.active").count() == 1

    # --- the seat answers again: a new peer connection, the same case, seat, evidence and audit ---
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as http:
        again = await http.post(f"/api/cases/{case_id}/answer", headers=op)
        assert again.status_code == 200, again.text
        frames_at_answer = engine.stats().frames
        await wait_until(lambda: engine.stats().connections == 2 and engine.stats().frames > frames_at_answer + 10,
                         20, "frames on the new peer connection")
        assert looks_like_scene(engine.latest_frame().to_rgb())[0]
        await page.locator("#call-seat", has_text="王坐席").wait_for(timeout=10_000)
        await page.wait_for_function("() => !document.getElementById('call-toast').classList.contains('show')",
                                     timeout=10_000)
        await _shot(page, tmp_path, "after")
        assert _case(ctx, case_id) == ("in_call", seat_user_id, seat_user_id)
        content = await http.get(f"/api/evidence/{photo['evidence_id']}/content", headers=op)
    assert hashlib.sha256(content.content).hexdigest() == photo["sha256"]
    assert _audit(ctx)[:len(written)] == written
    with ctx.session_factory() as s:
        assert audit.verify_chain(s).ok

    # --- the page backed off: after the n-th refused attempt it waited at least half of 2**n s ---
    retries = (await page.evaluate("window.__phoneSocketsAt"))[sockets_before:]
    gaps = [b - a for a, b in zip(retries, retries[1:])]
    print("phone socket attempts after the kill, s apart: " + ", ".join(f"{g:.2f}" for g in gaps))
    floors = [min(30.0, SOCKET_RETRY_BASE_S * 2 ** n) / 2 - TIMER_SLACK_S for n in range(1, len(gaps) + 1)]
    assert len(gaps) >= REFUSED_WHILE_AWAY and all(g >= f for g, f in zip(gaps, floors)), (gaps, floors)
    samples = await page.evaluate(BACKOFF_SAMPLES)
    assert all(4 <= d <= 8 for d in samples["third"]) and len(set(samples["third"])) > 1  # jittered
    assert samples["cap"] == 30 and all(15 <= d <= 30 for d in samples["late"])  # capped


async def test_a_phone_waiting_in_the_queue_stays_on_it_through_a_sigkill(served, browser, tmp_path):
    """Waiting, the driver has nothing to lose: no 继续处理 screen, only a line saying the server is away,
    and the page joins again by itself once it is back. The case is still queued, never interrupted."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    ctx, server = served
    case_id = ctx.cases.open_case("public").id
    token = ctx.invitations.create(case_id, PHONE, actor="system", send_sms=False).token
    await asyncio.to_thread(server.start)
    async with _phone_page(browser, server) as page:
        await _join_the_queue(page, server, token)
        written = _audit(ctx)

        sockets_before = await page.evaluate("window.__phoneSocketsAt.length")
        await asyncio.to_thread(server.kill)
        away = page.locator("#waiting-away", has_text="您的排队位置会保留")
        await away.wait_for(timeout=10_000)
        await page.wait_for_function(f"() => window.__phoneSocketsAt.length >= {sockets_before + 2}",
                                     timeout=20_000)  # it is trying again by itself
        await _shot(page, tmp_path, "waiting-server-away")
        assert await page.locator("#screen-waiting.active").count() == 1

        await asyncio.to_thread(server.start)
        await page.wait_for_function("() => window.kuaichu.socket.isOpen", timeout=40_000)
        await away.wait_for(state="hidden", timeout=10_000)
        await page.locator("#queue-position", has_text="第 1 位").wait_for(timeout=10_000)
        await _shot(page, tmp_path, "waiting-server-back")
        assert await page.locator("#screen-waiting.active").count() == 1
        assert _case(ctx, case_id)[0] == "queued"
        after_kill = [e[3:] for e in _audit(ctx)[len(written):] if e[4]]
        assert after_kill == []  # no state change: it never left the queue
        assert _audit(ctx)[:len(written)] == written
