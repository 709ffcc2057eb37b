"""The reviewer's flow in the real seat window against a real server (复核, issue 13): a party's request with
a photo waiting, the document issued by another officer, 维持 from the seat with every party told by SMS; and
a case sent back, decided again in the 责任认定 tab, whose new document revokes the old (/v/old: 已撤销).

Set KUAICHU_SCREENSHOTS=docs/screenshots to also save the 复核 tab with the request open.
"""
from __future__ import annotations

from pathlib import Path

import cv2
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from kuaichu_artwork.artwork import render_scene
from kuaichu_protocol.messages import CaseState
from server.adapters.orm import Document, DocumentDelivery, utcnow
from tests.seat_app.officer.steps import choose, pick_by_typing
from tests.seat_app.officer.test_officer_live import (  # noqa: F401 - the fixtures
    SHOTS,
    _code_for,
    awaiting_case,
    live,
    live_state,
    log_in,
    outbox,
    shell,
)


def requested(live) -> tuple[int, list[int], str]:
    """officer2 issued the case's document, it reached 乙方, and 乙方 asked for a review with a photo."""
    case_id, ids = awaiting_case(live)
    officer2 = log_in(live, "officer2")
    assert requests.post(f"{live.url}/api/cases/{case_id}/take", headers=officer2, timeout=10).status_code == 200
    code = requests.get(f"{live.url}/api/violations", params={"q": "追尾"}, headers=officer2, timeout=10).json()[0]
    decision = {"facts": "甲车追尾乙车。", "weather": "晴", "parties": [
        {"party_id": ids[0], "responsibility": "full", "violations": [code["code"]]},
        {"party_id": ids[1], "responsibility": "none", "violations": []}]}
    r = requests.post(f"{live.url}/api/cases/{case_id}/determination", headers=officer2, json=decision, timeout=30)
    assert r.status_code == 201, r.text
    number = r.json()["document_number"]
    with live.ctx.session_factory.begin() as s:
        document = s.scalar(select(Document).where(Document.number == number))
        s.add(DocumentDelivery(document_id=document.id, party_id=ids[1], delivered_at=utcnow(), via="opened"))
    ok, photo = cv2.imencode(".jpg", render_scene([("川AD35812", "green")], seed=7))
    live.ctx.reviews.request(case_id, ids[1], request="撤销原认定，重新认定责任", reasons="甲车并未追尾，是乙车倒车",
                             files=[("倒车.jpg", photo.tobytes())], link="", now=utcnow())
    return case_id, ids, number


def open_request(qtbot, shell):
    officer = shell.workspace("liability")
    officer.page.parts.setCurrentIndex(1)
    page = officer.page.review
    qtbot.waitUntil(lambda: page.requests.count() == 1, timeout=10000)
    item = page.requests.item(0)
    qtbot.mouseClick(page.requests.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.requests.visualItemRect(item).center())
    qtbot.waitUntil(lambda: page.evidence.count() == 1 and page.document.document.pageCount() >= 1, timeout=20000)
    return officer, page


def test_an_officer_upholds_a_review_in_the_seat_and_every_party_is_told(qtbot, live, shell):
    case_id, _, number = requested(live)
    shell.window.resize(1600, 960)
    _, page = open_request(qtbot, shell)
    assert number in page.document.caption.text() and "王建国" in page.case_summary.text()
    assert "乙车倒车" in page.request_text.text()
    page.evidence.itemClicked.emit(page.evidence.item(0))
    assert not page.evidence_image.pixmap().isNull()  # the party's photo, as the server re-encoded it
    page.upheld.setChecked(True)
    page.outcome.setPlainText("事实清楚，证据确实充分，适用法律正确，责任划分公正，程序合法，维持原认定。")
    if SHOTS:
        qtbot.wait(1500)  # QPdfView paints its pages in the background: a picture, not a result
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shell.window.grab().save(str(Path(SHOTS) / "officer-review.png"))
    qtbot.mouseClick(page.decide_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: live_state(live, case_id) == CaseState.REVIEWED.value, timeout=10000)
    qtbot.waitUntil(lambda: page.requests.count() == 0, timeout=10000)
    told = [m for m in outbox(live, case_id) if "复核结论：" in m["text"]]
    assert sorted(m["phone"] for m in told) == ["13800138001", "13800138002"]
    assert all("复核结论：维持原认定" in m["text"] for m in told)


def test_sent_back_from_the_seat_the_case_is_decided_again_and_the_old_document_is_revoked(qtbot, live, shell):
    case_id, ids, old = requested(live)
    shell.window.resize(1600, 960)
    officer, page = open_request(qtbot, shell)
    page.sent_back.setChecked(True)
    page.reason.setCurrentIndex(page.reason.findData("facts_unclear"))
    page.outcome.setPlainText("乙车是否倒车未查清，责令重新调查、认定。")
    qtbot.mouseClick(page.decide_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: live_state(live, case_id) == CaseState.AWAITING_LIABILITY.value, timeout=10000)
    # The officers' queue gets it back, pushed: this officer decides it again.
    officer.page.parts.setCurrentIndex(0)
    queue = officer.page.queue
    qtbot.waitUntil(lambda: [i.case_id for i in queue.items] == [case_id], timeout=10000)
    queue.table.selectRow(0)
    qtbot.mouseClick(queue.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: officer.case is not None and not officer.read_only, timeout=10000)
    liability = officer.page
    choose(liability, ids[0], "none")
    choose(liability, ids[1], "full")
    pick_by_typing(qtbot, liability, ids[1], "倒车", _code_for(officer, "倒车"))
    liability.facts.setPlainText("乙车倒车时未确认安全，与甲车相撞。")
    qtbot.mouseClick(liability.issue_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(officer.dialog.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: officer.issued is not None, timeout=20000)
    new = officer.issued["document_number"]
    assert new != old and live_state(live, case_id) == CaseState.DETERMINED.value
    page_old = requests.get(f"{live.url}/v/{old}", timeout=10).text
    assert "已撤销" in page_old and new in page_old
    assert "已撤销" not in requests.get(f"{live.url}/v/{new}", timeout=10).text
