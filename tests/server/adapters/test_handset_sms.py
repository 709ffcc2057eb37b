"""The file SMS backend: the demo's stand-in handsets receive the texts a real phone would."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from server.adapters.sms import make_sms_gateway
from server.adapters.sms.base import SmsSendError
from server.adapters.sms.handset import HandsetFileSmsGateway, read_handset
from server.app import create_app
from server.settings import Settings
from tests.server.conftest import PASSWORD
from tests.support.waiting import wait_for_blocking

ROOT = Path(__file__).resolve().parents[3]


def test_each_message_is_one_line_in_its_recipients_file(tmp_path: Path):
    gateway = HandsetFileSmsGateway(tmp_path / "handsets")
    gateway.send("13800138000", "第一条 “引号” 和\n换行", 1)
    gateway.send("13800138000", "第二条", 2)
    gateway.send("13900139000", "别人的", 3)
    mine = read_handset(tmp_path / "handsets", "13800138000")
    assert [(m["id"], m["text"]) for m in mine] == [(1, "第一条 “引号” 和\n换行"), (2, "第二条")]
    assert read_handset(tmp_path / "handsets", "13700137000") == []


@pytest.mark.parametrize("phone", ["../../etc/passwd", "138 0013 8000", "１３８００１３８０００"])
def test_a_number_that_is_not_plain_digits_never_names_a_file(tmp_path: Path, phone: str):
    with pytest.raises(SmsSendError):
        HandsetFileSmsGateway(tmp_path / "handsets").send(phone, "x", 1)
    assert not (tmp_path / "handsets").exists() or list((tmp_path / "handsets").iterdir()) == []


def test_an_unwritable_directory_is_a_send_error_the_outbox_retries(tmp_path: Path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    with pytest.raises(SmsSendError, match="写入短信文件失败"):
        HandsetFileSmsGateway(blocker).send("13800138000", "x", 1)


def test_the_setting_picks_the_backend_and_its_directory(tmp_path: Path):
    default = make_sms_gateway(Settings(data_dir=tmp_path, sms_backend="file"))
    assert isinstance(default, HandsetFileSmsGateway)
    default.send("13800138000", "hi", 1)
    assert read_handset(tmp_path / "sms-handsets", "13800138000")[0]["text"] == "hi"
    chosen = make_sms_gateway(Settings(data_dir=tmp_path, sms_backend="file", sms_file_dir=tmp_path / "elsewhere"))
    chosen.send("13800138000", "hi", 2)
    assert read_handset(tmp_path / "elsewhere", "13800138000")[0]["id"] == 2


def test_the_party_link_reaches_the_handset_while_the_admin_page_redacts_it(db_url: str, tmp_path: Path, make_user_in):
    settings = Settings(data_dir=tmp_path / "data", database_url=db_url, sms_backend="file")
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            headers = make_user_in(app, client, "operator")
            admin = make_user_in(app, client, "admin")
            r = client.post("/api/cases", json={"phone": "13900001111"}, headers=headers)
            assert r.status_code == 201, r.text
            handsets = tmp_path / "data" / "sms-handsets"
            wait_for_blocking(lambda: read_handset(handsets, "13900001111"), timeout=15)
            texts = read_handset(handsets, "13900001111")
            link = re.search(r"/p/([A-Za-z0-9_-]+)", texts[0]["text"])
            assert link and client.get(f"/api/phone/{link.group(1)}").status_code == 200
            shown = client.get("/api/admin/sms", headers=admin).json()["items"][0]
            assert link.group(1) not in shown["text"]
            assert shown["status"] == "sent"
    finally:
        app.state.ctx.engine.dispose()


def test_the_demo_caller_reads_its_link_from_the_handset(tmp_path: Path):
    handsets = tmp_path / "handsets"
    HandsetFileSmsGateway(handsets).send("13900001111", "请打开 http://127.0.0.1:9/p/abcDEF123_- 处理", 1)
    code = ("import sys; sys.path.insert(0, 'scripts'); import demo_caller; "
            f"print(demo_caller.party_link('http://s', __import__('pathlib').Path({str(handsets)!r}), '13900001111', 5))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "http://s/p/abcDEF123_-", out.stderr


@pytest.fixture
def make_user_in():
    from server.adapters.db import unit_of_work
    from server.services.auth import create_user

    def _make(app, client, role: str) -> dict[str, str]:
        with unit_of_work(app.state.ctx.session_factory) as s:
            create_user(s, f"{role}1", PASSWORD, role)
        r = client.post("/api/auth/login", json={"username": f"{role}1", "password": PASSWORD})
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['token']}"}

    return _make
