"""The whole call, end to end: real headless Chromium as the phone, the seat's aiortc CallEngine as the seat.

Chromium's fake camera plays a generated plate scene (.y4m). The phone page joins
the queue, ticks safety steps and sends its location; the seat answers over REST,
relays signalling over its WebSocket, and checks the frames it decodes. Then the
seat drives the data channel (camera switch, full-resolution photo, instruction,
torch), the phone's peer connection is killed, and 继续处理 brings the same case
back to the same seat on a new peer connection.

Set KUAICHU_SCREENSHOTS=docs/screenshots to also save the phone screens.
"""
from __future__ import annotations

import asyncio
import hashlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from seat_app.core.phrases import shot_instruction
from seat_app.services.call.control import CommandError
from seat_app.services.call.engine import CallEngine
from server.adapters.orm import SmsMessage
from tests.support.live_server import LiveServer, sqlite_settings
from tests.support.plate_scene import looks_like_front_canvas, looks_like_scene, write_y4m
from tests.support.thin_seat import ThinSeat

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "seat password 1"
PHONE = "13987654321"
HERE = {"latitude": 30.6586, "longitude": 104.0647, "accuracy": 15}
SHOTS = os.environ.get("KUAICHU_SCREENSHOTS", "")


async def wait_until(condition: Callable[[], object], timeout: float, what: str) -> object:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        await asyncio.sleep(0.05)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def queued_with_phone(case_id: int) -> Callable[[dict], bool]:
    return lambda m: m["type"] == "queue_view" and any(
        i["case_id"] == case_id and i["phone_online"] for i in m["items"])


@pytest.fixture(scope="session")
def fake_camera(tmp_path_factory) -> Path:
    return write_y4m(tmp_path_factory.mktemp("camera") / "plate_scene.y4m")


@pytest.fixture
def server(tmp_path, sqlite_template):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with LiveServer.start(sqlite_settings(tmp_path, sqlite_template)) as live:
        yield live


@pytest.fixture
async def browser(fake_camera):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={fake_camera}",
            "--host-resolver-rules=MAP insecure.kuaichu.test 127.0.0.1",  # a plain-http origin that is not secure
        ])
        yield browser
        await browser.close()


async def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(Path(SHOTS) / f"phone-{name}.png"))


def party_link(server: LiveServer) -> str:
    with server.ctx.session_factory() as s:
        text = s.scalar(select(SmsMessage.text).where(SmsMessage.phone == PHONE).order_by(SmsMessage.id.desc()))
    return re.search(r"https?://\S+/p/[A-Za-z0-9_-]+", text).group(0)


async def test_video_call_from_chromium_to_the_seat_engine(server, browser):
    server.create_user("op1", PASSWORD, "operator")
    http = httpx.AsyncClient(base_url=server.url, timeout=10)
    login = await http.post("/api/auth/login", json={"username": "op1", "password": PASSWORD})
    op = {"Authorization": f"Bearer {login.json()['token']}"}
    created = await http.post("/api/cases", headers=op, json={"phone": PHONE})
    case_id = created.json()["case"]["id"]

    context = await browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                        permissions=["camera", "microphone", "geolocation"], geolocation=HERE,
                                        locale="zh-CN")
    page = await context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
    try:
        async with ThinSeat(server.ws_url, login.json()["token"]) as seat:
            await run_call(server, http, op, case_id, page, seat)
    except BaseException:
        print("\n--- phone console ---\n" + "\n".join(console[-60:]))
        raise
    finally:
        await context.close()
        await http.aclose()


async def run_call(server, http, op, case_id, page, seat) -> None:
    # --- the phone opens its SMS link, consents, passes the checks and joins the queue ---
    await page.goto(party_link(server) + "?test_front_camera=canvas")
    await page.locator("#consent").check()
    await page.get_by_role("button", name="同意，下一步").click()
    await page.get_by_role("button", name="开始检测").click()
    await page.locator("#screen-waiting.active").wait_for(timeout=15_000)
    await seat.wait_for(queued_with_phone(case_id), 10, "the queue showing the phone online")
    await page.locator("#queue-position", has_text="第 1 位").wait_for(timeout=10_000)
    await page.locator("label[data-tick=hazard_lights]").click()
    await page.locator("label[data-tick=triangle]").click()

    async def case_json() -> dict:
        return (await http.get(f"/api/cases/{case_id}", headers=op)).json()

    async def safety_and_location_arrived() -> bool:
        c = await case_json()
        return c["safety"].get("triangle") is True and c["location"] is not None

    end = time.monotonic() + 10
    while not await safety_and_location_arrived():
        assert time.monotonic() < end, f"safety ticks / location never reached the case: {await case_json()}"
        await asyncio.sleep(0.1)
    case = await case_json()
    assert case["safety"] == {"hazard_lights": True, "triangle": True, "off_carriageway": False}
    assert abs(case["location"]["lat"] - HERE["latitude"]) < 1e-6 and case["location"]["accuracy_m"] == 15
    await shot(page, "waiting")

    # --- the seat answers; the phone offers; frames of the plate scene arrive ---
    engine = seat.signalling.open(CallEngine(case_id))
    first_frames: list[float] = []
    engine.on("first_frame", lambda _f: first_frames.append(time.monotonic()))
    events: list[tuple[str, dict]] = []
    engine.on("phone_event", lambda name, data: events.append((name, data)))
    r = await http.post(f"/api/cases/{case_id}/answer", headers=op)
    assert r.status_code == 200, r.text
    seat_user_id = r.json()["case"]["seat_user_id"]
    await wait_until(lambda: first_frames, 20, "the first video frame at the seat")
    print(f"\noffer -> first frame at the seat: {first_frames[0] - seat.offer_at[case_id]:.3f} s")
    frame = await wait_until(lambda: _full_size(engine), 30, "a 1280x720 frame")
    print(f"first frame -> first 1280x720 frame: {time.monotonic() - first_frames[0]:.3f} s")
    ok, why = looks_like_scene(frame.to_rgb())
    assert ok, why
    sending = await page.evaluate("""async () => {
        const sender = window.kuaichu.call.videoTx.sender;
        const stats = await sender.getStats();
        let codec = "";
        stats.forEach((s) => { if (s.type === "codec" && s.mimeType.startsWith("video/")) codec = s.mimeType; });
        return { preference: sender.getParameters().degradationPreference, codec };
    }""")
    assert sending == {"preference": "maintain-resolution", "codec": "video/VP8"}
    # two-way audio: the phone's microphone reaches the seat, the seat's audio track reaches the page
    await wait_until(lambda: engine.stats().audio_frames > 10, 10, "audio from the phone at the seat")
    await page.wait_for_function(
        "(() => { const s = document.getElementById('remote-audio').srcObject;"
        " return !!s && s.getAudioTracks().some((t) => t.readyState === 'live'); })()", timeout=10_000)

    # --- data-channel commands from the seat ---
    await engine.command("show_instruction", {"text": "请在车后 50 米放置三角警告牌"}, timeout=10)
    await page.locator("#instruction", has_text="50 米").wait_for(timeout=5000)
    await shot(page, "call")
    # 下一张 names the shot too; the page shows the words to the driver (the simulated phone films the shot)
    next_shot = {"text": shot_instruction("plate", 2), "shot": "plate.2"}
    assert await engine.command("show_instruction", next_shot, timeout=10) == {}
    await page.locator("#instruction", has_text="乙方车辆的号牌").wait_for(timeout=5000)

    t_switch = time.monotonic()
    switched = await engine.command("switch_camera", {"facing": "user"}, timeout=15)
    assert switched["facing"] == "user" and (switched["width"], switched["height"]) == (1280, 720)
    await wait_until(lambda: _latest_is(engine, looks_like_front_canvas), 15, "frames from the front (canvas) camera")
    print(f"switch_camera -> front-camera frames at the seat: {time.monotonic() - t_switch:.3f} s")
    assert ("camera_switched", switched) in events
    back = await engine.command("switch_camera", {"facing": "environment"}, timeout=15)
    assert back["facing"] == "environment" and back["width"] >= 1280
    await wait_until(lambda: _latest_is(engine, lambda rgb: looks_like_scene(rgb)[0]), 15, "the back camera again")

    t_photo = time.monotonic()
    photo = await engine.command("take_photo", {}, timeout=20)
    print(f"take_photo -> stored and replied: {time.monotonic() - t_photo:.3f} s")
    assert (photo["width"], photo["height"]) == (1280, 720)  # the camera's full resolution
    content = await http.get(f"/api/evidence/{photo['evidence_id']}/content", headers=op)
    print(f"photo: {content.headers['content-type']}, {len(content.content)} bytes, {photo['width']}x{photo['height']}")
    assert hashlib.sha256(content.content).hexdigest() == photo["sha256"]
    await seat.wait_for(lambda m: m["type"] == "case_updated" and m.get("evidence_id") == photo["evidence_id"],
                        5, "case_updated photo_uploaded on the seat socket")
    await wait_until(lambda: ("photo_uploaded", photo) in events, 5, "the photo_uploaded event")

    with pytest.raises(CommandError) as torch:
        await engine.command("torch", {"on": True}, timeout=10)
    assert torch.value.code == "unsupported"  # fake cameras have no torch; the phone says so plainly

    # --- events the phone reports: network quality, and the page going to the background and back ---
    network = await wait_until(lambda: next((d for n, d in events if n == "network"), None), 10, "a network event")
    assert network["width"] >= 1280 and network["rtt_ms"] is not None
    await page.evaluate("""() => {
        Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
        document.dispatchEvent(new Event("visibilitychange"));
        Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
        document.dispatchEvent(new Event("visibilitychange"));
    }""")
    await wait_until(lambda: [n for n, _ in events][-2:] == ["page_hidden", "page_visible"], 5, "page_hidden/visible")
    await seat.wait_for(lambda m: m["type"] == "case_updated" and m["what"] == "page_hidden", 5, "page_hidden noted")

    # --- the phone's connection dies; 继续处理 brings the same case back to the same seat ---
    await page.evaluate("window.kuaichu.call.pc.close()")
    await page.locator("#screen-interrupted.active").wait_for(timeout=10_000)
    await shot(page, "interrupted")
    await page.get_by_role("button", name="继续处理").click()
    t_continue = time.monotonic()
    await seat.wait_for(lambda m: m["type"] == "phone_left" and m["case_id"] == case_id, 10, "phone_left")
    await seat.wait_for(lambda m: m["type"] == "phone_rejoined" and m["case_id"] == case_id, 10, "phone_rejoined")
    rejoined = await seat.wait_for(
        lambda m: m["type"] == "queue_view" and m["items"] and m["items"][0]["case_id"] == case_id
        and m["items"][0]["preferred_seat"], 10, "the rejoined case first in the queue, for this seat")
    assert rejoined["items"][0]["rejoining"] is True
    frames_before = engine.stats().frames
    r = await http.post(f"/api/cases/{case_id}/answer", headers=op)
    assert r.status_code == 200, r.text
    await wait_until(lambda: engine.stats().connections == 2 and engine.stats().frames > frames_before + 10,
                     20, "frames on the new peer connection")
    print(f"继续处理 -> frames on the new connection (incl. the seat answering again): "
          f"{time.monotonic() - t_continue:.3f} s")
    assert looks_like_scene(engine.latest_frame().to_rgb())[0]
    after = await case_json()
    assert after["id"] == case_id and after["state"] == "in_call"
    assert after["seat_user_id"] == seat_user_id
    assert after["safety"]["triangle"] is True  # nothing collected before the drop was lost
    await page.locator("#screen-call.active").wait_for(timeout=10_000)

    # --- the operator ends the call: the page says what to do next, and the case is not "interrupted" ---
    left_before = sum(m["type"] == "phone_left" for m in seat.messages)
    await seat.signalling.hangup(case_id, "completed")
    await page.locator("#screen-ended.active", has_text="撤离现场").wait_for(timeout=10_000)
    await page.wait_for_function("!window.kuaichu.socket.isOpen", timeout=10_000)
    assert (await case_json())["state"] == "in_call"
    assert sum(m["type"] == "phone_left" for m in seat.messages) == left_before


def _full_size(engine: CallEngine):
    frame = engine.latest_frame()
    return frame if frame is not None and frame.size == (1280, 720) else None


def _latest_is(engine: CallEngine, test: Callable) -> bool:
    frame = engine.latest_frame()
    return frame is not None and bool(test(frame.to_rgb()))


async def test_public_report_page_leads_to_the_call_page(server, browser):
    """The other way in: phone number, SMS code, consent, then the call page's checks (no second consent)."""
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = await context.new_page()
    try:
        await page.goto(server.url + "/")
        await page.locator("#phone").fill("1398765")
        await page.get_by_role("button", name="获取短信验证码").click()
        await page.locator("#phone-error", has_text="11 位手机号码").wait_for(timeout=5000)
        await page.locator("#phone").fill(PHONE)
        await shot(page, "report")
        await page.get_by_role("button", name="获取短信验证码").click()
        await page.locator("#screen-code.active").wait_for(timeout=5000)
        with server.ctx.session_factory() as s:
            text = s.scalar(select(SmsMessage.text).where(SmsMessage.phone == PHONE))
        code = re.search(r"验证码 (\d{6})", text).group(1)
        await page.locator("#code").fill(code)
        await page.get_by_role("button", name="开始视频处理").click()
        await page.locator("#code-error", has_text="同意录音录像").wait_for(timeout=5000)
        await page.locator("#consent").check()
        await page.get_by_role("button", name="开始视频处理").click()
        await page.locator("#screen-checks.active").wait_for(timeout=10_000)
        assert re.search(r"/p/[A-Za-z0-9_-]{32}$", page.url)
        number = await page.locator("#case-number").text_content()
        assert re.fullmatch(r"案件号 KC\d{8}-[0-9A-F]{6}", number)
    finally:
        await context.close()


DENY_CAMERA = """
navigator.mediaDevices.getUserMedia = () =>
  Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
"""
WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN")


async def test_every_blocking_problem_gets_a_plain_fix(server, browser):
    server.create_user("op2", PASSWORD, "operator")
    http = httpx.AsyncClient(base_url=server.url, timeout=10)
    login = await http.post("/api/auth/login", json={"username": "op2", "password": PASSWORD})
    await http.post("/api/cases", headers={"Authorization": f"Bearer {login.json()['token']}"}, json={"phone": PHONE})
    await http.aclose()
    link = party_link(server)

    async def open_page(url: str, **context_args):
        context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", **context_args)
        page = await context.new_page()
        await page.goto(url)
        return context, page

    context, page = await open_page(link, user_agent=WECHAT_UA)  # WeChat's in-app browser
    await page.locator("#problem-title", has_text="Safari").wait_for(timeout=5000)
    assert "右上角" in await page.locator("#problem-steps").text_content()
    await context.close()

    insecure = link.replace("127.0.0.1", "insecure.kuaichu.test")
    context, page = await open_page(insecure)
    await page.locator("#problem-title", has_text="请使用 https 链接打开").wait_for(timeout=5000)
    await context.close()

    context, page = await open_page(server.url + "/p/" + "x" * 32)  # a mistyped link
    await page.locator("#problem-text", has_text="链接无效").wait_for(timeout=5000)
    await context.close()

    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                        permissions=["geolocation"], geolocation=HERE)
    await context.add_init_script(DENY_CAMERA)
    page = await context.new_page()
    await page.goto(link)
    await page.locator("#consent").check()
    await page.get_by_role("button", name="同意，下一步").click()
    await page.get_by_role("button", name="开始检测").click()
    camera = page.locator("#check-camera.bad")
    await camera.wait_for(timeout=10_000)
    fix = await camera.text_content()
    assert "没有允许使用摄像头" in fix and "权限" in fix
    await page.get_by_role("button", name="重新检测").wait_for(timeout=5000)
    assert not await page.get_by_role("button", name="进入排队").is_visible()  # no queue without a camera
    assert await page.locator("#screen-waiting.active").count() == 0
    await shot(page, "camera-denied")
    await context.close()
