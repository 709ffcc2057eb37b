"""Party links and the public report: tokens stored as hashes, SMS in the same transaction, expiry,
revocation, rate limits, and the SMS-code entry."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from server.adapters.orm import Invitation, PhoneCode, SmsMessage, utcnow
from server.services.errors import NotFound, RateLimited, Unauthorized
from server.services.invitations import InvitationService, token_hash
from tests.support.hub import services


def _outbox(app, phone: str) -> list[str]:
    with app.state.ctx.session_factory() as s:
        return list(s.scalars(select(SmsMessage.text).where(SmsMessage.phone == phone).order_by(SmsMessage.id)))


def _code_from_sms(app, phone: str) -> str:
    return re.search(r"验证码 (\d{6})", _outbox(app, phone)[-1]).group(1)


def test_operator_opens_a_case_for_a_caller_and_the_link_goes_by_sms(client, app, auth_headers):
    r = client.post("/api/cases", headers=auth_headers("operator"), json={"phone": "13912345678"})
    assert r.status_code == 201, r.text
    case = r.json()["case"]
    assert case["source"] == "invitation" and case["state"] == "queued"
    [text] = _outbox(app, "13912345678")
    token = re.search(r"/p/([A-Za-z0-9_-]+)", text).group(1)
    assert len(token) >= 32  # 24 random bytes
    assert text.count(app.state.ctx.settings.public_base_url + "/p/") == 1
    with app.state.ctx.session_factory() as s:
        row = s.scalar(select(Invitation))
    assert row.token_hash == token_hash(token) and token not in row.token_hash
    link = services(app).invitations.resolve(token)
    assert (link.case_id, link.party_id) == (case["id"], case["parties"][0]["id"])
    page = client.get(f"/api/phone/{token}").json()
    assert page["case_number"] == case["number"] and page["state"] == "queued"
    assert page["queue"]["position"] == 1


def test_inviting_the_second_party_scopes_the_link_to_that_party(client, app, auth_headers, queued_case):
    op = auth_headers("operator")
    assert client.post(f"/api/cases/{queued_case}/answer", headers=op).status_code == 200  # only its holder invites
    party = client.post(f"/api/cases/{queued_case}/parties", headers=op, json={"kind": "motor"}).json()
    r = client.post(f"/api/cases/{queued_case}/invitations", headers=op,
                    json={"phone": "13700001111", "party_id": party["id"]})
    assert r.status_code == 201
    token = re.search(r"/p/([A-Za-z0-9_-]+)", _outbox(app, "13700001111")[-1]).group(1)
    assert services(app).invitations.resolve(token).party_id == party["id"]
    r = client.post(f"/api/cases/{queued_case}/invitations", headers=op, json={"phone": "13700001111", "party_id": 999})
    assert r.status_code == 404
    r = client.post(f"/api/cases/{queued_case}/invitations", headers=op, json={"phone": "12345"})
    assert r.status_code == 422 and "手机号码" in r.json()["message"]


def test_expired_revoked_and_unknown_tokens_fail_with_plain_messages(app, queued_case):
    links = services(app).invitations
    expired = links.create(queued_case, "13800138000", "system", send_sms=False)
    with app.state.ctx.session_factory.begin() as s:
        s.execute(update(Invitation).where(Invitation.id == expired.invitation_id)
                  .values(expires_at=utcnow() - timedelta(seconds=1)))
    with pytest.raises(Unauthorized, match="过期"):
        links.resolve(expired.token)
    revoked = links.create(queued_case, "13800138000", "system", send_sms=False)
    links.revoke(revoked.invitation_id, "user:1")
    with pytest.raises(Unauthorized, match="撤销"):
        links.resolve(revoked.token)
    with pytest.raises(NotFound, match="链接无效"):
        links.resolve("A" * 32)


def test_revoking_needs_an_operator_or_supervisor(client, app, auth_headers, queued_case):
    link = services(app).invitations.create(queued_case, "13800138000", "system", send_sms=False)
    assert client.post(f"/api/invitations/{link.invitation_id}/revoke", headers=auth_headers("officer")).status_code == 403
    assert client.post(f"/api/invitations/{link.invitation_id}/revoke", headers=auth_headers("operator")).status_code == 403
    assert client.post(f"/api/cases/{queued_case}/answer", headers=auth_headers("operator")).status_code == 200
    assert client.post(f"/api/invitations/{link.invitation_id}/revoke", headers=auth_headers("operator")).status_code == 200
    again = client.post(f"/api/invitations/{link.invitation_id}/revoke", headers=auth_headers("operator"))
    assert again.status_code == 409


def test_each_token_is_rate_limited(app, queued_case):
    links = InvitationService(app.state.ctx.session_factory, "http://x", 1, rate_limit_per_minute=3)
    token = links.create(queued_case, "13800138000", "system", send_sms=False).token
    other = links.create(queued_case, "13800138000", "system", send_sms=False).token
    for _ in range(3):
        links.resolve(token)
    with pytest.raises(RateLimited):
        links.resolve(token)
    links.resolve(other)  # the limit is per token


def test_public_report_with_an_sms_code(client, app):
    phone = "13612345678"
    r = client.post("/api/phone/codes", json={"phone": phone})
    assert r.status_code == 202 and r.json()["resend_after_s"] == 60
    code = _code_from_sms(app, phone)
    with app.state.ctx.session_factory() as s:
        assert code not in s.scalar(select(PhoneCode.code_hash))
    r = client.post("/api/phone/report", json={"phone": phone, "code": code, "consent": True})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["case_number"].startswith("KC")
    assert len(_outbox(app, phone)) == 1  # the link is not texted again: the page goes straight on
    page = client.get(f"/api/phone/{body['party_token']}").json()
    assert page["case_number"] == body["case_number"] and page["state"] == "queued"
    again = client.post("/api/phone/report", json={"phone": phone, "code": code, "consent": True})
    assert again.status_code == 401 and "重新获取" in again.json()["message"]


def test_report_refuses_bad_numbers_missing_consent_and_wrong_codes(client, app):
    assert client.post("/api/phone/codes", json={"phone": "10012345678"}).status_code == 422
    phone = "13512345678"
    client.post("/api/phone/codes", json={"phone": phone})
    code = _code_from_sms(app, phone)
    no_consent = client.post("/api/phone/report", json={"phone": phone, "code": code, "consent": False})
    assert no_consent.status_code == 422 and "录音录像" in no_consent.json()["message"]
    wrong = "000000" if code != "000000" else "111111"
    messages = [client.post("/api/phone/report", json={"phone": phone, "code": wrong, "consent": True}).json()["message"]
                for _ in range(5)]
    assert "还可以再试 4 次" in messages[0] and "重新获取" in messages[-1]
    locked = client.post("/api/phone/report", json={"phone": phone, "code": code, "consent": True})
    assert locked.status_code == 401  # five wrong tries burn the code, even for the right one


def test_codes_are_rate_limited_per_number(client):
    assert client.post("/api/phone/codes", json={"phone": "13412345678"}).status_code == 202
    r = client.post("/api/phone/codes", json={"phone": "13412345678"})
    assert r.status_code == 429 and "秒后" in r.json()["message"]
    assert client.post("/api/phone/codes", json={"phone": "13412345679"}).status_code == 202


def test_phone_pages_are_served_without_leaking_the_token(client):
    page = client.get("/p/some-token")
    assert page.status_code == 200 and "继续处理" in page.text
    assert page.headers["referrer-policy"] == "no-referrer" and page.headers["cache-control"] == "no-store"
    assert "视频快处" in client.get("/").text
    js = client.get("/static/call.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert client.get("/static/..%2Fserver%2Fsettings.py").status_code == 404
    assert client.get("/static/missing.js").status_code == 404
