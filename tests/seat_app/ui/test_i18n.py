"""An English build is possible: every Chinese UI string has a finished English translation that loads."""
from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from seat_app import paths
from seat_app.ui.dialogs.login_dialog import LoginDialog
from seat_app.ui.widgets.video_widget import VideoWidget
from seat_app.ui.workspaces.officer.officer_workspace import OfficerWorkspace
from seat_app.ui.workspaces.supervisor.dashboard_page import DashboardPage

TS = paths.i18n_dir() / "seat_en.ts"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")


def sources(ts: Path) -> dict[tuple[str, str], str]:
    """(source, disambiguation) -> translation, for every live entry."""
    return {(m.findtext("source"), m.findtext("comment") or ""): m.findtext("translation") or ""
            for m in ET.parse(ts).iter("message") if (m.find("translation").get("type") or "") != "obsolete"}


def test_every_ui_string_in_the_code_is_translated(tmp_path):
    if not LUPDATE.exists():
        pytest.skip("pyside6-lupdate not installed")
    fresh = tmp_path / "fresh.ts"
    code = sorted(str(p) for p in (paths.package_dir() / "ui").rglob("*.py"))
    subprocess.run([str(LUPDATE), *code, str(paths.package_dir() / "app.py"), "-ts", str(fresh),
                    "-source-language", "zh_CN", "-target-language", "en"], check=True, capture_output=True)
    committed = sources(TS)
    missing = sorted(set(sources(fresh)) - set(committed))
    assert missing == [], "run scripts/seat_i18n.sh and translate these"
    assert [s for s, t in committed.items() if not t] == []


def test_the_english_build_shows_english(qtbot):
    translator = QTranslator()
    assert translator.load(str(paths.i18n_dir() / "seat_en.qm"))
    app = QCoreApplication.instance()
    app.installTranslator(translator)
    try:
        dialog = LoginDialog("http://127.0.0.1:8000", "operator1")
        video = VideoWidget()
        qtbot.addWidget(dialog)
        qtbot.addWidget(video)
        assert dialog.windowTitle() == "Kuaichu seat - Log in"
        assert video.capture_button.text() == "Capture"
        liability, dashboard = OfficerWorkspace(), DashboardPage(date(2026, 12, 2))
        qtbot.addWidget(liability)
        qtbot.addWidget(dashboard)
        assert (liability.issue_button.text(), dashboard.heading.text()) == ("Issue document", "Dashboard")
        assert dashboard.range_picker.buttons["last_7_days"].text() == "Last 7 days"
        assert liability.queue.title.text() == "Awaiting liability (0)"
    finally:
        app.removeTranslator(translator)
    chinese = LoginDialog()
    qtbot.addWidget(chinese)
    assert chinese.windowTitle() == "快处坐席 - 登录"
