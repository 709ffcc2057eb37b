"""The progress page behind a party link (issue 13), on SQLite and PostgreSQL: which page a link opens,
delivery (送达) recorded once, the SMS gateway's delivery reports, the claim's one report, and the
security of the link: its own case and party only, dead links refused, the headers, the form checks."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from server.adapters.orm import AuditEvent, ClaimReport, Document, DocumentDelivery, Invitation, SmsMessage, utcnow
from server.services.invitations import token_hash
from tests.server.test_determination import awaiting_case, rear_end

pytestmark = pytest.mark.postgres


@pytest.fixture
def settings(db_url, tmp_path):
    from server.settings import Settings

    return Settings(data_dir=tmp_path / "data", database_url=db_url, sms_report_token="dlr-secret")


@pytest.fixture
def officer(auth_headers):
    return auth_headers("officer", "officer1")


def issued(client, app, officer) -> tuple[int, list[int], str, list[str]]:
    """A determined case; the number of its document and each party's fresh link token (from its SMS)."""
    case_id, ids = awaiting_case(app)
    assert client.post(f"/api/cases/{case_id}/take", headers=officer).status_code == 200
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=rear_end(ids))
    assert r.status_code == 201, r.text
    tokens = []
    with app.state.ctx.session_factory() as s:
        for i in range(len(ids)):
            text = s.scalar(select(SmsMessage.text).where(SmsMessage.case_id == case_id,
                                                          SmsMessage.phone == f"1380013800{i + 1}")
                            .order_by(SmsMessage.id.desc()))
            tokens.append(re.search(r"/p/([A-Za-z0-9_-]+)", text).group(1))
    return case_id, ids, r.json()["document_number"], tokens


def deliveries(app, case_id: int) -> tuple[list[tuple[int, str]], int]:
    with app.state.ctx.session_factory() as s:
        rows = [(d.party_id, d.via) for d in s.scalars(
            select(DocumentDelivery).join(Document, Document.id == DocumentDelivery.document_id)
            .where(Document.case_id == case_id).order_by(DocumentDelivery.id))]
        events = s.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.case_id == case_id, AuditEvent.action == "document_delivered"))
    return rows, events


def assert_party_headers(r, personal: bool = True) -> None:
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "'unsafe-inline'" not in csp
    assert r.headers["referrer-policy"] == "no-referrer" and r.headers["x-content-type-options"] == "nosniff"
    if personal:
        assert "no-store" in r.headers["cache-control"]


def test_the_link_opens_the_progress_page_after_the_call_and_the_call_page_before(client, app, officer):
    case_id, ids, number, tokens = issued(client, app, officer)
    page = client.get(f"/p/{tokens[0]}")
    assert page.status_code == 200 and "网办进度" in page.text and number in page.text
    assert_party_headers(page)
    assert "<script" not in page.text and "style=" not in page.text  # nothing inline for the CSP to refuse
    # its own details in full, the other party masked
    assert "王建国" in page.text and "510104198503127714" in page.text and "13800138001" in page.text
    assert "李秀英" not in page.text and "李*英" in page.text and "138****8002" in page.text
    # a case back in its call (sent back, interrupted) shows the call page, which has its script
    with app.state.ctx.session_factory.begin() as s:
        from server.adapters.orm import Case

        s.get(Case, case_id).state = "interrupted"
    call = client.get(f"/p/{tokens[0]}")
    assert call.status_code == 200 and "<script" in call.text and "网办进度" not in call.text


def test_the_first_open_or_download_is_the_delivery_once(client, app, officer):
    case_id, ids, number, tokens = issued(client, app, officer)
    image = client.get(f"/p/{tokens[1]}/documents/{number}/1.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    assert "no-store" in image.headers["cache-control"]
    client.get(f"/p/{tokens[1]}/documents/{number}/1.png")
    pdf = client.get(f"/p/{tokens[1]}/documents/{number}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert deliveries(app, case_id) == ([(ids[1], "opened")], 1)
    client.get(f"/p/{tokens[0]}/documents/{number}.pdf")
    assert deliveries(app, case_id) == ([(ids[1], "opened"), (ids[0], "downloaded")], 2)
    with app.state.ctx.session_factory() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                   AuditEvent.action == "document_delivered")).first()
    assert event.detail["party_id"] == ids[1] and event.detail["via"] == "opened"
    # the page now says when it was delivered
    assert "送达" in client.get(f"/p/{tokens[1]}").text
    assert client.get(f"/p/{tokens[1]}/documents/{number}/9.png").status_code == 404  # no such page


def test_the_sms_delivery_report_delivers_the_document_once(client, app, officer):
    case_id, ids, number, tokens = issued(client, app, officer)
    with app.state.ctx.session_factory() as s:
        sms = s.scalars(select(SmsMessage).where(SmsMessage.case_id == case_id, SmsMessage.party_id == ids[1],
                                                 SmsMessage.purpose == "document_issued")).one()
        assert "认定书" in sms.text and sms.phone == "13800138002"
    auth = {"Authorization": "Bearer dlr-secret"}
    assert client.post("/api/sms/delivery-reports", json={"id": sms.id, "status": "delivered"}).status_code == 401
    assert client.post("/api/sms/delivery-reports", json={"id": sms.id, "status": "delivered"},
                       headers={"Authorization": "Bearer wrong"}).status_code == 401
    r = client.post("/api/sms/delivery-reports", json={"id": sms.id, "status": "delivered"}, headers=auth)
    assert r.status_code == 200 and r.json() == {"id": sms.id, "delivered": True, "document_delivered": True}
    client.post("/api/sms/delivery-reports", json={"id": sms.id, "status": "DELIVRD"}, headers=auth)
    client.get(f"/p/{tokens[1]}/documents/{number}/1.png")  # opening it later changes nothing
    assert deliveries(app, case_id) == ([(ids[1], "sms_report")], 1)
    with app.state.ctx.session_factory() as s:
        assert s.get(SmsMessage, sms.id).delivered_at is not None
    assert client.post("/api/sms/delivery-reports", json={"id": sms.id, "status": "lost?"},
                       headers=auth).status_code == 422
    assert client.post("/api/sms/delivery-reports", json={"id": 999999, "status": "delivered"},
                       headers=auth).status_code == 404


def test_the_delivery_report_endpoint_is_off_without_its_token(client, app, tmp_path, db_url):
    from fastapi.testclient import TestClient

    from server.app import create_app
    from server.settings import Settings

    off = create_app(Settings(data_dir=tmp_path / "off", database_url=db_url))
    try:
        with TestClient(off) as c:
            r = c.post("/api/sms/delivery-reports", json={"id": 1, "status": "delivered"},
                       headers={"Authorization": "Bearer "})
            assert r.status_code == 404
    finally:
        off.state.ctx.engine.dispose()


def test_a_failed_report_marks_nothing_delivered(client, app, officer):
    case_id, ids, number, tokens = issued(client, app, officer)
    with app.state.ctx.session_factory() as s:
        sms_id = s.scalar(select(SmsMessage.id).where(SmsMessage.case_id == case_id))
    r = client.post("/api/sms/delivery-reports", json={"id": sms_id, "status": "UNDELIV"},
                    headers={"Authorization": "Bearer dlr-secret"})
    assert r.status_code == 200 and r.json()["delivered"] is False
    with app.state.ctx.session_factory() as s:
        assert s.get(SmsMessage, sms_id).delivered_at is None
    assert deliveries(app, case_id) == ([], 0)


def form_token(page_text: str) -> str:
    return re.search(r'name="form_token" value="([0-9a-f]+)"', page_text).group(1)


def claims_of(app, case_id: int) -> list[int]:
    with app.state.ctx.session_factory() as s:
        return [c.party_id for c in s.scalars(select(ClaimReport).where(ClaimReport.case_id == case_id))]


def test_a_claim_posted_twice_is_one_report_and_forms_check_their_token_and_origin(client, app, officer):
    case_id, ids, number, tokens = issued(client, app, officer)
    page = client.get(f"/p/{tokens[0]}").text
    assert "一键报案" in page
    ft = form_token(page)
    bad = client.post(f"/p/{tokens[0]}/claim", data={"form_token": "0" * 64}, follow_redirects=False)
    assert bad.status_code == 422 and "刷新" in bad.text and claims_of(app, case_id) == []
    other = client.post(f"/p/{tokens[0]}/claim", data={"form_token": ft}, follow_redirects=False,
                        headers={"Origin": "https://evil.example"})
    assert other.status_code == 422 and claims_of(app, case_id) == []
    # a form token of another link is no good either
    other_ft = form_token(client.get(f"/p/{tokens[1]}").text)
    assert client.post(f"/p/{tokens[0]}/claim", data={"form_token": other_ft},
                       follow_redirects=False).status_code == 422
    for _ in range(2):
        r = client.post(f"/p/{tokens[0]}/claim", data={"form_token": ft}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == f"/p/{tokens[0]}?done=claim"
    assert claims_of(app, case_id) == [ids[0]]
    after = client.get(f"/p/{tokens[0]}?done=claim").text
    assert "已向保险公司报案" in after and 'id="claim-button"' not in after


def test_a_link_reaches_only_its_own_case_and_party(client, app, officer):
    case_a, ids_a, number_a, tokens_a = issued(client, app, officer)
    case_b, ids_b, number_b, tokens_b = issued(client, app, officer)
    # another case's document through this case's link: not found, and no delivery recorded
    assert client.get(f"/p/{tokens_b[0]}/documents/{number_a}/1.png").status_code == 404
    assert client.get(f"/p/{tokens_b[0]}/documents/{number_a}.pdf").status_code == 404
    assert deliveries(app, case_a) == ([], 0)
    # party 乙's link claims for 乙 only, never for 甲
    ft = form_token(client.get(f"/p/{tokens_a[1]}").text)
    client.post(f"/p/{tokens_a[1]}/claim", data={"form_token": ft}, follow_redirects=False)
    assert claims_of(app, case_a) == [ids_a[1]] and claims_of(app, case_b) == []
    page_b = client.get(f"/p/{tokens_b[0]}").text
    assert number_a not in page_b


@pytest.mark.parametrize("how, words, status", [("expired", "已过期", 401), ("revoked", "已失效", 401)])
def test_dead_links_get_the_plain_message(client, app, officer, how, words, status):
    case_id, ids, number, tokens = issued(client, app, officer)
    ft = form_token(client.get(f"/p/{tokens[0]}").text)
    values = {"expires_at": utcnow() - timedelta(minutes=1)} if how == "expired" else {"revoked_at": utcnow()}
    with app.state.ctx.session_factory.begin() as s:
        s.execute(update(Invitation).where(Invitation.token_hash == token_hash(tokens[0])).values(**values))
    page = client.get(f"/p/{tokens[0]}")
    assert page.status_code == status and words in page.text and "<script" not in page.text
    assert_party_headers(page)
    assert client.get(f"/p/{tokens[0]}/documents/{number}/1.png").status_code == status
    assert client.get(f"/p/{tokens[0]}/claim-pack.zip").status_code == status
    r = client.post(f"/p/{tokens[0]}/claim", data={"form_token": ft}, follow_redirects=False)
    assert r.status_code == status and claims_of(app, case_id) == []
    assert deliveries(app, case_id) == ([], 0)


def test_the_claim_pack_is_for_the_link_holder(client, app, officer):
    case_id, ids, number, tokens = issued(client, app, officer)
    r = client.get(f"/p/{tokens[1]}/claim-pack.zip")
    assert r.status_code == 200 and r.content.startswith(b"PK") and "no-store" in r.headers["cache-control"]


def test_a_review_sent_back_shows_the_old_document_revoked_and_its_successor(client, app, officer, auth_headers):
    case_id, ids, old, tokens = issued(client, app, officer)
    client.get(f"/p/{tokens[1]}/documents/{old}/1.png")  # delivered to 乙, who asks for the review
    page = client.get(f"/p/{tokens[1]}").text
    r = client.post(f"/p/{tokens[1]}/review", files={"form_token": (None, form_token(page)),
                                                     "request": (None, "撤销原认定，重新认定责任"),
                                                     "reasons": (None, "甲车并非追尾，是乙车倒车")},
                    follow_redirects=False)
    assert r.status_code == 303, r.text
    with app.state.ctx.session_factory() as s:
        from server.adapters.orm import ReviewRequest

        rid = s.scalar(select(ReviewRequest.id).where(ReviewRequest.case_id == case_id))
    reviewer = auth_headers("officer", "officer2")
    r = client.post(f"/api/reviews/{rid}/decision", headers=reviewer,
                    json={"decision": "sent_back", "reason": "responsibility_unfair", "outcome": "责任划分需重新认定"})
    assert r.status_code == 200, r.text
    waiting = client.get(f"/p/{tokens[0]}").text  # awaiting the new decision: still the progress page
    assert "复核结论：重新调查、认定" in waiting and old in waiting
    assert client.post(f"/api/cases/{case_id}/take", headers=officer).status_code == 200
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json={
        "facts": "乙车倒车与甲车相撞。", "weather": "晴", "parties": [
            {"party_id": ids[0], "responsibility": "none", "violations": []},
            {"party_id": ids[1], "responsibility": "full", "violations": ["V001"]}]})
    assert r.status_code == 201, r.text
    new = r.json()["document_number"]
    page = client.get(f"/p/{tokens[0]}").text
    assert f"认定书 {old} 已撤销" in page and f"以新出具的认定书 {new} 为准" in page
    assert f"/documents/{new}/1.png" in page and f"/documents/{old}/1.png" not in page
    # the revoked one is no longer delivered to anyone who opens it now
    client.get(f"/p/{tokens[0]}/documents/{old}.pdf")
    assert (ids[0], "downloaded") not in deliveries(app, case_id)[0]


def test_before_the_document_the_page_shows_the_wait_and_no_forms(client, app):
    case_id, ids = awaiting_case(app)
    link = app.state.ctx.invitations.create(case_id, "13800138002", "system", party_id=ids[1], send_sms=False)
    page = client.get(f"/p/{link.token}")
    assert page.status_code == 200 and "待责任认定" in page.text and "您报了案" in page.text
    for absent in ('id="document"', 'id="review"', 'id="claim"', "form_token"):
        assert absent not in page.text
    assert "李秀英" in page.text and "王*国" in page.text


def test_too_many_opens_get_the_plain_message_with_retry_after(tmp_path, db_url):
    from fastapi.testclient import TestClient

    from server.app import create_app
    from server.settings import Settings

    limited = create_app(Settings(data_dir=tmp_path / "limited", database_url=db_url, party_rate_limit_per_minute=2))
    try:
        with TestClient(limited) as c:
            case_id, ids = awaiting_case(limited)
            link = limited.state.ctx.invitations.create(case_id, "13800138001", "system", party_id=ids[0],
                                                        send_sms=False)
            assert [c.get(f"/p/{link.token}").status_code for _ in range(2)] == [200, 200]
            third = c.get(f"/p/{link.token}")
            assert third.status_code == 429 and "稍等" in third.text and int(third.headers["retry-after"]) >= 1
            assert "no-store" in third.headers["cache-control"]
    finally:
        limited.state.ctx.engine.dispose()
