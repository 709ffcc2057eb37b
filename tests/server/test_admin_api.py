"""Admin endpoints: the SMS outbox (masked for supervisors), seat users, and the audit check."""
from __future__ import annotations

from server.adapters.db import unit_of_work
from server.services.sms import queue_sms
from tests.server.conftest import PASSWORD

LINK_TOKEN = "Zk3xQ9vLr2Tb8WmN4pYc"


def queue(app, phone: str, text: str, case_id=None) -> int:
    with unit_of_work(app.state.ctx.session_factory) as s:
        return queue_sms(s, phone, text, case_id=case_id).id


def test_sms_list_never_shows_link_tokens_or_codes_and_masks_phones_for_supervisors(client, auth_headers, app,
                                                                                    queued_case):
    text = f"【视频快处】请打开 https://kc.example/p/{LINK_TOKEN} 继续处理，验证码 482913"
    queue(app, "13912345678", text, case_id=queued_case)
    queue(app, "13700000000", "另一条")
    link = app.state.ctx.invitations.create(queued_case, "13600001111", actor="system")
    number = app.state.ctx.cases.get(queued_case).number
    admin = client.get("/api/admin/sms", headers=auth_headers("admin")).json()["items"]
    assert {m["phone"] for m in admin} == {"13912345678", "13700000000", "13600001111"}
    supervisor = client.get(f"/api/admin/sms?case_id={queued_case}", headers=auth_headers("supervisor")).json()
    assert {m["phone"] for m in supervisor["items"]} == {"139****5678", "136****1111"}
    for items in (admin, supervisor["items"]):
        texts = [m["text"] for m in items]
        assert not [t for t in texts if LINK_TOKEN in t or "482913" in t or link.token in t], texts
        assert f"【视频快处】请打开 https://kc.example/p/**** 继续处理，验证码 ****" in texts
        assert any(number in t and "/p/****" in t for t in texts), texts  # the case number stays readable


def test_sms_list_filters_by_status(client, auth_headers, app):
    queue(app, "13912345678", "一条")
    app.state.ctx.sms.deliver_due()  # the outbox backend: pending -> stored (the background job may beat us)
    admin = auth_headers("admin")
    assert len(client.get("/api/admin/sms?status=stored", headers=admin).json()["items"]) == 1
    assert client.get("/api/admin/sms?status=pending", headers=admin).json()["items"] == []
    assert client.get("/api/admin/sms?status=bogus", headers=admin).status_code == 422


def test_admin_creates_a_user_who_can_log_in(client, auth_headers):
    body = {"username": "op7", "password": "long enough", "role": "operator", "display_name": "坐席 七"}
    r = client.post("/api/admin/users", json=body, headers=auth_headers("admin"))
    assert r.status_code == 201, r.text
    assert r.json()["role"] == "operator" and r.json()["active"] is True
    login = client.post("/api/auth/login", json={"username": "op7", "password": "long enough"})
    assert login.status_code == 200
    names = [u["username"] for u in client.get("/api/admin/users", headers=auth_headers("admin")).json()["items"]]
    assert "op7" in names


def test_user_creation_refuses_short_passwords_duplicates_and_bad_names(client, auth_headers):
    admin = auth_headers("admin")
    r = client.post("/api/admin/users", json={"username": "op8", "password": "short", "role": "operator"},
                    headers=admin)
    assert r.status_code == 422 and "至少 8" in r.json()["message"]
    r = client.post("/api/admin/users", json={"username": "admin1", "password": "long enough", "role": "officer"},
                    headers=admin)
    assert r.status_code == 409
    r = client.post("/api/admin/users", json={"username": "a b'; --", "password": "long enough",
                                              "role": "officer"}, headers=admin)
    assert r.status_code == 422
    r = client.post("/api/admin/users", json={"username": "op9", "password": "long enough", "role": "root"},
                    headers=admin)
    assert r.status_code == 422


def test_deactivated_user_is_logged_out_and_cannot_log_in(client, auth_headers, app):
    op = auth_headers("operator")
    user_id = client.get("/api/auth/me", headers=op).json()["user_id"]
    r = client.post(f"/api/admin/users/{user_id}/deactivate", headers=auth_headers("admin"))
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/api/auth/me", headers=op).status_code == 401
    assert client.post("/api/auth/login", json={"username": "operator1", "password": PASSWORD}).status_code == 401


def test_admin_cannot_deactivate_themselves_or_a_missing_user(client, auth_headers):
    admin = auth_headers("admin")
    me = client.get("/api/auth/me", headers=admin).json()["user_id"]
    assert client.post(f"/api/admin/users/{me}/deactivate", headers=admin).status_code == 409
    assert client.post("/api/admin/users/999999/deactivate", headers=admin).status_code == 404


def test_audit_verify_reports_an_intact_chain(client, auth_headers, queued_case):
    r = client.get("/api/admin/audit/verify", headers=auth_headers("admin"))
    assert r.status_code == 200
    assert r.json()["ok"] is True and r.json()["checked"] >= 3 and r.json()["first_broken_id"] is None
