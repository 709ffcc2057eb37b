"""The officer's whole flow in the real seat window against a real server: the demo-like case waiting,
taken, decided by typing, previewed, issued, and one SMS per party in the outbox with that party's link.

Set KUAICHU_SCREENSHOTS=docs/screenshots to also save the workspace after the preview.
"""
from __future__ import annotations

import io
import os
import re
from pathlib import Path

import av
import cv2
import numpy as np
import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from kuaichu_protocol.messages import CaseState
from seat_app.app import style_app
from seat_app.core.seat_settings import SeatSettings
from seat_app.ui.shell_controller import ShellController
from seat_app.ui.workspaces.catalogue import Workspaces
from sqlalchemy import select

from kuaichu_artwork.artwork import render_driving_licence, render_plate, render_scene
from server.adapters.orm import Case, Evidence, Party, SmsMessage
from server.services.cases import Actor
from tests.seat_app.doubles import FakeWiring
from tests.seat_app.officer.steps import choose, pick_by_typing
from tests.support.live_server import LiveServer, sqlite_settings

PASSWORD = "officer password 1"
SHOTS = os.environ.get("KUAICHU_SCREENSHOTS", "")
DRIVERS = (("王建国", "川A5F7K2", "13800138001"), ("李秀英", "川AD35812", "13800138002"))


@pytest.fixture
def live(tmp_path, sqlite_template):
    with LiveServer.start(sqlite_settings(tmp_path, sqlite_template)) as server:
        server.create_user("officer1", PASSWORD, "officer")
        server.create_user("admin", PASSWORD, "admin")
        server.create_user("officer2", PASSWORD, "officer")
        yield server


def awaiting_case(server: LiveServer) -> tuple[int, list[int]]:
    """A two-car case the operator submitted: named parties with phones, weather and notes."""
    case = server.ctx.cases.open_case("public", reporter_phone=DRIVERS[0][2])
    with server.ctx.session_factory.begin() as s:
        row = s.get(Case, case.id)
        row.parties.append(Party(position=2, kind="motor"))
        s.flush()
        for party in row.parties:
            name, plate, phone = DRIVERS[party.position - 1]
            party.driver_name, party.plate, party.phone = name, plate, phone
            party.vehicle_type, party.insurer = "小型轿车", "中国人保"
        row.state, row.district, row.weather = CaseState.AWAITING_LIABILITY.value, "成都市武侯区", "晴"
        row.operator_notes, row.latitude, row.longitude = "甲车在乙车后方直行时追尾乙车", 30.64, 104.05
        ids = [p.id for p in sorted(row.parties, key=lambda p: p.position)]
    add_pictures(server, case.id, ids[0])
    return case.id, ids


def add_pictures(server: LiveServer, case_id: int, party_id: int) -> None:
    """The scene and the first party's plate and licence, the plate with the box OCR drew around it."""
    scene = render_scene([("川A5F7K2", "blue"), ("川AD35812", "green")], seed=4)
    plate = render_plate("川A5F7K2")
    licence = render_driving_licence({"name": DRIVERS[0][0], "id_number": "510104198503127714",
                                      "licence_class": "C1"}, size=(1280, 720))
    box = {"box": [0, 0, plate.shape[1], plate.shape[0]], "text": "川A·5F7K2", "field": "plate", "valid": True,
           "confidence": 0.99}
    for picture, label, party, ocr in ((scene, "scene", None, None), (plate, "plate", party_id, [box]),
                                       (licence, "licence", party_id, None)):
        ok, jpeg = cv2.imencode(".jpg", picture)
        row = server.ctx.evidence.add(case_id, jpeg.tobytes(), "photo", Actor.system(), party_id=party, label=label)
        if ocr:
            with server.ctx.session_factory.begin() as s:
                s.get(Evidence, row.id).ocr = {"fields": {"plate": "川A·5F7K2"}, "items": ocr}
    server.ctx.evidence.add(case_id, call_recording(), "recording", Actor.system(), label="通话录像")


def call_recording(frames: int = 20, fps: int = 10) -> bytes:
    """Two seconds of VP8 in WebM, as the seat's recorder uploads a segment."""
    out = io.BytesIO()
    with av.open(out, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 320, 180, "yuv420p"
        for i in range(frames):
            picture = np.zeros((180, 320, 3), np.uint8)
            picture[:, : i * 16] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue()


def log_in(server: LiveServer, username: str) -> dict[str, str]:
    token = requests.post(f"{server.url}/api/auth/login", json={"username": username, "password": PASSWORD},
                          timeout=10).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def outbox(server: LiveServer, case_id: int) -> list[dict]:
    """The case's SMS as the admin sees them (GET /api/admin/sms)."""
    reply = requests.get(f"{server.url}/api/admin/sms", params={"case_id": case_id},
                         headers=log_in(server, "admin"), timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.json()["items"]


@pytest.fixture
def shell(qtbot, qloop, live):
    if SHOTS:
        style_app(QApplication.instance())  # the bundled font and the style sheet, as the app has them
    shell = ShellController(SeatSettings(server_url=live.url, username="officer1"),
                            workspaces=Workspaces(call_wiring=FakeWiring()), save_settings=False)
    qtbot.addWidget(shell.window)
    shell.start()
    shell.login_dialog.password.setText(PASSWORD)
    qtbot.mouseClick(shell.login_dialog.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(shell.window.isVisible, timeout=10000)
    yield shell
    if not shell.shut_down:
        shell.window.close()
    qtbot.waitUntil(lambda: shell.shut_down, timeout=10000)


@pytest.fixture
def waiting(live):
    """A case already waiting when the officer logs in (listed before ``shell``, so it is made first)."""
    return awaiting_case(live)


def test_an_officer_decides_a_case_in_the_seat_and_each_party_gets_an_sms(qtbot, live, waiting, shell):
    case_id, (first, second) = waiting
    officer = shell.workspace("liability")
    queue = officer.page.queue
    qtbot.waitUntil(lambda: [i.case_id for i in queue.items] == [case_id], timeout=10000)  # pushed on connect
    shell.window.resize(1600, 960)
    queue.table.selectRow(0)
    qtbot.mouseClick(queue.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: officer.case is not None and not officer.read_only, timeout=10000)
    page = officer.page
    assert set(page.party_widgets) == {first, second} and "王建国" in page.party_widgets[first].title()
    qtbot.waitUntil(lambda: page.gallery.count() == 3, timeout=10000)  # the pictures, fetched as the seat
    page.gallery.list.setCurrentRow(1)
    assert [b.item.text for b in page.overlay.view.boxes] == ["川A·5F7K2"]
    assert page.location.map.rings and page.location.map.point == (104.05, 30.64)  # on the service area
    actions = [page.audit.item(r, 2).text() for r in range(page.audit.rowCount())]
    assert actions[0] == "报警" and actions[-1] == "民警受理"  # the trail, up to this officer taking it
    rules = page.eligibility.topLevelItem(0)
    assert rules.childCount() > 1 and rules.child(0).text(0) == "当事方数量"  # as the server evaluates them
    player = page.recordings
    qtbot.waitUntil(lambda: player.segments.count() == 1, timeout=10000)
    player.segments.itemClicked.emit(player.segments.item(0))  # fetched into a file, played in the seat
    qtbot.waitUntil(lambda: player.scrub.maximum() > 1500, timeout=10000)  # 2 s, known from the file
    player.player.pause()
    player.scrub.sliderMoved.emit(1000)  # the officer drags the scrub bar
    qtbot.waitUntil(lambda: player.player.position() >= 900, timeout=10000)
    qtbot.waitUntil(lambda: queue.items and queue.items[0].officer_name != "", timeout=10000)  # now held

    choose(page, first, "full")
    choose(page, second, "none")
    picker = page.party_widgets[first].picker
    pick_by_typing(qtbot, page, first, "追尾", _code_for(officer, "追尾"))
    assert "（追尾）" in page.facts.toPlainText() and page.issue_button.isEnabled()
    assert not page.problems.text() and picker.chosen_codes()

    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.document.page_count() >= 1, timeout=20000)
    assert live_state(live, case_id) == CaseState.AWAITING_LIABILITY.value and outbox(live, case_id) == []
    if SHOTS:
        qtbot.wait(1500)  # QPdfView paints its pages in the background: a picture, not a result
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        shell.window.grab().save(str(Path(SHOTS) / "officer-workspace.png"))

    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(officer.dialog.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: officer.issued is not None, timeout=20000)
    number = officer.issued["document_number"]
    qtbot.waitUntil(lambda: number in page.document.caption.text(), timeout=20000)
    assert page.document.page_count() >= 1 and number in page.banner.text()
    assert live_state(live, case_id) == CaseState.DETERMINED.value

    messages = outbox(live, case_id)  # the admin's view hides the link tokens
    assert sorted(m["phone"] for m in messages) == sorted(d[2] for d in DRIVERS)
    links = stored_links(live, case_id)
    assert sorted(links) == sorted(d[2] for d in DRIVERS) and len(set(links.values())) == 2, \
        "each party's SMS carries its own link"
    qtbot.waitUntil(lambda: not queue.items, timeout=10000)  # decided: gone from every officer's queue


def test_a_case_another_officer_took_opens_read_only_naming_them(qtbot, live, shell):
    case_id, _ids = awaiting_case(live)
    taken = requests.post(f"{live.url}/api/cases/{case_id}/take", headers=log_in(live, "officer2"), timeout=10)
    assert taken.status_code == 200, taken.text
    officer = shell.workspace("liability")
    queue = officer.page.queue
    qtbot.waitUntil(lambda: [i.officer_name for i in queue.items] == ["officer2"], timeout=10000)
    assert queue.row_texts(0)[3] == "officer2"
    queue.openRequested.emit(case_id)
    qtbot.waitUntil(lambda: officer.case is not None, timeout=10000)
    page = officer.page
    assert officer.read_only and "案件已由 officer2 处理" in page.banner.text()
    assert not page.issue_button.isEnabled() and not page.send_back_button.isEnabled()


def _code_for(officer, typed: str) -> str:
    """The catalogue code the server offers first for ``typed`` (asked the way the picker asks)."""
    found = officer.client.search_violations(typed)
    assert found, f"the catalogue has nothing for {typed}"
    return found[0]["code"]


def stored_links(server: LiveServer, case_id: int) -> dict[int, str]:
    """phone -> the link in the SMS to that phone, read from the outbox rows themselves."""
    with server.ctx.session_factory() as s:
        rows = s.scalars(select(SmsMessage).where(SmsMessage.case_id == case_id)).all()
        link = re.compile(re.escape(server.url) + r"[A-Za-z0-9/_\-.~%?=&#]+")
        return {row.phone: link.search(row.text).group(0) for row in rows}


def live_state(server: LiveServer, case_id: int) -> str:
    with server.ctx.session_factory() as s:
        return s.get(Case, case_id).state


def test_sending_a_case_back_needs_a_reason_and_tells_every_party(qtbot, live, waiting, shell):
    case_id, _ids = waiting
    officer = shell.workspace("liability")
    queue = officer.page.queue
    qtbot.waitUntil(lambda: [i.case_id for i in queue.items] == [case_id], timeout=10000)
    queue.openRequested.emit(case_id)
    qtbot.waitUntil(lambda: officer.case is not None and not officer.read_only, timeout=10000)
    qtbot.mouseClick(officer.page.send_back_button, Qt.MouseButton.LeftButton)
    dialog = officer.dialog
    dialog.reason.setPlainText("请补拍乙车碰撞部位的近景")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: officer.case is None, timeout=10000)
    assert live_state(live, case_id) == CaseState.INTERRUPTED.value  # it waits for its parties again
    assert sorted(m["phone"] for m in outbox(live, case_id)) == sorted(d[2] for d in DRIVERS)
    qtbot.waitUntil(lambda: not queue.items, timeout=10000)  # no longer the officers' to decide
