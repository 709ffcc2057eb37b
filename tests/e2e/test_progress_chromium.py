"""The party's progress page (网办进度, issue 13) in real headless Chromium, JavaScript off, against a real
server: the timeline, the document as page images and its download (delivery recorded once), a review just
before and just after the deadline (the calendar's 春节 and its make-up Saturday, "now" frozen in the
services' clock), its withdrawal, and a claim tapped twice making one report at a local insurer webhook.

Screenshots: docs/screenshots/progress-*.png (KUAICHU_SCREENSHOTS=docs/screenshots to write them).
"""
from __future__ import annotations

import io
import json
import os
import re
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from server.adapters.orm import AuditEvent, ClaimReport, Document, DocumentDelivery, ReviewRequest, SmsMessage
from tests.server.test_determination import awaiting_case, rear_end
from tests.support.live_server import LiveServer, sqlite_settings
from tests.support.waiting import wait_for_blocking

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "officer password 1"
SHOTS = os.environ.get("KUAICHU_SCREENSHOTS", "")
TZ = ZoneInfo("Asia/Shanghai")
#: Delivered Thursday 12 Feb 2026; the 13th counts, Saturday the 14th is a make-up working day (调休), 15 to 23 Feb
#: is 春节: the third working day is Tuesday the 24th, so the period ends at 25 Feb 00:00.
DELIVERED = datetime(2026, 2, 12, 10, 0, tzinfo=TZ)
JUST_BEFORE = datetime(2026, 2, 24, 23, 59, tzinfo=TZ)
JUST_AFTER = datetime(2026, 2, 25, 0, 0, tzinfo=TZ)


class Insurer(BaseHTTPRequestHandler):
    """A local insurer webhook: records each post and answers with a claim reference."""

    posts: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        Insurer.posts.append({"key": self.headers.get("idempotency-key"), "body": json.loads(body)})
        reply = json.dumps({"reference": f"PICC-{len(Insurer.posts):04d}"}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def insurer():
    Insurer.posts = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Insurer)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/claims"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def server(tmp_path, sqlite_template, insurer):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with LiveServer.start({**sqlite_settings(tmp_path, sqlite_template), "insurer_webhooks": {"PICC": insurer}}) as s:
        s.create_user("officer1", PASSWORD, "officer")
        yield s


@pytest.fixture
async def browser():
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        yield browser
        await browser.close()


async def phone(browser):
    """A phone-sized page with JavaScript switched off: everything must work without it."""
    context = await browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                        java_script_enabled=False, device_scale_factor=1)
    return context, await context.new_page()


async def shot(page, name: str) -> None:
    """The whole page, in 128 colours (large flat areas and text: the README keeps each under 300 KB)."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        png = await page.screenshot(full_page=True, type="png")
        Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=128).save(
            Path(SHOTS) / f"progress-{name}.png", optimize=True)


def issued(server: LiveServer) -> tuple[int, list[int], str, list[str]]:
    """A determined case, issued over HTTP by officer1; each party's link from its SMS."""
    case_id, ids = awaiting_case(server.app)
    with httpx.Client(base_url=server.url) as http:
        token = http.post("/api/auth/login", json={"username": "officer1", "password": PASSWORD}).json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        assert http.post(f"/api/cases/{case_id}/take", headers=auth).status_code == 200
        r = http.post(f"/api/cases/{case_id}/determination", headers=auth, json=rear_end(ids))
        assert r.status_code == 201, r.text
    links = []
    with server.ctx.session_factory() as s:
        for i in range(len(ids)):
            text = s.scalar(select(SmsMessage.text).where(SmsMessage.case_id == case_id,
                                                          SmsMessage.phone == f"1380013800{i + 1}")
                            .order_by(SmsMessage.id.desc()))
            links.append(re.search(r"https?://\S+/p/[A-Za-z0-9_-]+", text).group(0))
    return case_id, ids, r.json()["document_number"], links


def delivered(server, case_id: int) -> tuple[list[tuple[int, str]], int]:
    with server.ctx.session_factory() as s:
        rows = [(d.party_id, d.via) for d in s.scalars(
            select(DocumentDelivery).join(Document, Document.id == DocumentDelivery.document_id)
            .where(Document.case_id == case_id).order_by(DocumentDelivery.id))]
        events = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == "document_delivered"))
    return rows, events


async def test_timeline_document_images_and_download_deliver_once(server, browser):
    case_id, ids, number, links = issued(server)
    context, page = await phone(browser)
    response = await page.goto(links[0])
    headers = response.headers
    assert response.status == 200 and "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer" and headers["x-content-type-options"] == "nosniff"
    assert "no-store" in headers["cache-control"]
    steps = page.locator("ol.timeline li")
    keys = [await steps.nth(i).get_attribute("data-key") for i in range(await steps.count())]
    assert keys[0] == "reported" and keys[-1] == "document_issued"
    assert "复核" in await page.locator("#next").text_content()  # what happens next, at the top
    issued_step = page.locator("li.step-document_issued")
    assert number in await issued_step.text_content() and "复核" in await issued_step.locator(".next").text_content()
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d", await issued_step.locator("time").text_content())
    # the page image arrived (it is the delivery): the server saw it, the browser drew it
    image = page.locator("#document .pages img").first
    await image.scroll_into_view_if_needed()
    wait_for_blocking(lambda: delivered(server, case_id)[1] == 1, timeout=15)
    box = await image.bounding_box()
    assert box["width"] > 300 and box["height"] > 400
    # own details in full, the other party masked
    parties = await page.locator("#parties").text_content()
    assert "王建国" in parties and "李*英" in parties and "李秀英" not in parties
    await page.reload()
    async with page.expect_download() as download_info:
        await page.locator("#download").click()
    download = await download_info.value
    data = Path(await download.path()).read_bytes()
    assert data.startswith(b"%PDF") and download.suggested_filename == f"{number}.pdf"
    assert delivered(server, case_id) == ([(ids[0], "opened")], 1)  # the first open only, once
    await shot(page, "document")
    await context.close()


async def test_review_just_before_the_deadline_then_withdrawn(server, browser, tmp_path):
    case_id, ids, number, links = issued(server)
    progress = server.ctx.progress
    progress.clock = lambda: DELIVERED
    context, page = await phone(browser)
    await page.goto(links[1])
    await page.locator("#document .pages img").first.scroll_into_view_if_needed()
    wait_for_blocking(lambda: delivered(server, case_id)[0] == [(ids[1], "opened")], timeout=15)
    progress.clock = lambda: JUST_BEFORE
    await page.reload()
    deadline = await page.locator("#deadline").text_content()
    assert "2026年2月24日（星期二）24时" in deadline and "1分钟" in deadline
    assert await page.locator("li.step-delivered").count() == 1
    photo = tmp_path / "现场.jpg"
    Image.new("RGB", (640, 480), (40, 90, 160)).save(photo, "JPEG")
    await page.fill("#review-request", "撤销原认定，重新认定责任")
    await page.fill("#review-reasons", "甲车突然变道，我方来不及避让，行车记录仪可证明。")
    await page.set_input_files("#review-files", [str(photo)])
    await shot(page, "review-form")
    await page.locator("#review-submit").click()
    await page.wait_for_url(re.compile(r"\?done=review$"))
    assert "复核申请已提交" in await page.locator("#notice").text_content()
    assert await page.locator("#review-pending").count() == 1 and await page.locator("#review-form").count() == 0
    assert "您申请了复核" in await page.locator("ol.timeline").text_content()
    await shot(page, "review-pending")
    with server.ctx.session_factory() as s:
        row = s.scalar(select(ReviewRequest).where(ReviewRequest.case_id == case_id))
        assert row.party_id == ids[1] and row.status == "pending" and len(row.evidence) == 1
    # the other party: the form is closed for everyone once any party asked
    other_context, other = await phone(browser)
    await other.goto(links[0])
    assert await other.locator("#review-form").count() == 0 and await other.locator("#withdraw").count() == 0
    assert "乙方申请了复核" in await other.locator("ol.timeline").text_content()
    await other_context.close()
    await page.locator("#withdraw").click()
    await page.wait_for_url(re.compile(r"\?done=withdrawn$"))
    assert "已撤回" in await page.locator("#notice").text_content()
    assert await page.locator("#review-withdrawn").count() == 1 and await page.locator("#review-form").count() == 0
    with server.ctx.session_factory() as s:
        assert s.scalar(select(ReviewRequest.status).where(ReviewRequest.case_id == case_id)) == "withdrawn"
    await context.close()


async def test_after_the_deadline_the_page_says_what_remains(server, browser):
    case_id, ids, number, links = issued(server)
    progress = server.ctx.progress
    progress.clock = lambda: DELIVERED
    context, page = await phone(browser)
    await page.goto(links[1])
    await page.locator("#document .pages img").first.scroll_into_view_if_needed()
    wait_for_blocking(lambda: delivered(server, case_id)[1] == 1, timeout=15)
    progress.clock = lambda: JUST_AFTER
    await page.reload()
    assert "复核期限已过" in await page.locator("#deadline-passed").text_content()
    remains = await page.locator("#after-deadline").text_content()
    assert "人民调解委员会" in remains and "民事诉讼" in remains
    assert await page.locator("#review-form").count() == 0
    await shot(page, "deadline-passed")
    await context.close()


async def test_a_claim_tapped_twice_makes_one_report(server, browser):
    case_id, ids, number, links = issued(server)
    context, first = await phone(browser)
    second = await context.new_page()  # the same page open twice (a reload, a double tap): two posts
    await first.goto(links[0])
    await second.goto(links[0])
    assert await first.locator("#claim-button").text_content() == "一键报案"
    await first.locator("#claim-button").click()
    await first.wait_for_url(re.compile(r"\?done=claim$"))
    await second.locator("#claim-button").click()
    await second.wait_for_url(re.compile(r"\?done=claim$"))
    wait_for_blocking(lambda: len(Insurer.posts) >= 1, timeout=20)
    with server.ctx.session_factory() as s:
        wait_for_blocking(lambda: server.ctx.claims.options(case_id, ids[0]).status == "sent", timeout=20)
        assert s.scalar(select(func.count()).select_from(ClaimReport).where(ClaimReport.case_id == case_id)) == 1
    await first.reload()
    status = await first.locator("#claim-status").text_content()
    assert "保险公司已收到" in status and "PICC-0001" in status
    assert await first.locator("#claim-button").count() == 0
    assert "您已向保险公司报案" in await first.locator("ol.timeline").text_content()
    assert len(Insurer.posts) == 1 and Insurer.posts[0]["body"]["document_number"] == number
    await shot(first, "claim")
    await context.close()
