"""The review (复核, issue 13) on SQLite and PostgreSQL: the deadline in working days, one review per
accident, withdrawal, the reviewer who may not be the issuer, 维持, and a case sent back whose new
document revokes the old one."""
from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
from PIL import Image
from sqlalchemy import func, select

from server.adapters.orm import AuditEvent, Case, Document, DocumentDelivery, Evidence, Invitation, ReviewRequest
from server.adapters.orm import SmsMessage
from server.services.errors import Conflict, Forbidden, Invalid
from server.services.invitations import token_hash
from tests.server.test_determination import awaiting_case, rear_end

TZ = ZoneInfo("Asia/Shanghai")
#: Thursday 12 February 2026: Friday the 13th counts, Saturday the 14th is a make-up working day (调休),
#: 15 to 23 February is 春节, so the third working day is Tuesday the 24th: the period ends 25 Feb 00:00.
DELIVERED = datetime(2026, 2, 12, 10, 0, tzinfo=TZ)
JUST_BEFORE = datetime(2026, 2, 24, 23, 59, tzinfo=TZ)
JUST_AFTER = datetime(2026, 2, 25, 0, 0, tzinfo=TZ)


def photo() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 90, 200)).save(buf, "JPEG")
    return buf.getvalue()


def pdf(pages: int = 2) -> bytes:
    doc = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(200, 300)
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    return buf.getvalue()


@pytest.fixture
def officer(auth_headers):
    return auth_headers("officer", "officer1")


@pytest.fixture
def reviewer(auth_headers):
    return auth_headers("officer", "officer2")


def issued(client, app, officer, delivered: datetime | None = DELIVERED) -> tuple[int, list[int], str]:
    """A determined case (officer1 issued its document), delivered to every party at ``delivered``."""
    case_id, ids = awaiting_case(app)
    assert client.post(f"/api/cases/{case_id}/take", headers=officer).status_code == 200
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=rear_end(ids))
    assert r.status_code == 201, r.text
    number = r.json()["document_number"]
    if delivered is not None:
        with app.state.ctx.session_factory.begin() as s:
            document = s.scalar(select(Document).where(Document.number == number))
            for party_id in ids:
                s.add(DocumentDelivery(document_id=document.id, party_id=party_id, delivered_at=delivered,
                                       via="opened"))
    return case_id, ids, number


def ask(app, case_id: int, party_id: int, now: datetime = JUST_BEFORE, files=None):
    return app.state.ctx.reviews.request(case_id, party_id, request="撤销原认定，重新认定责任",
                                         reasons="乙车突然变道，我方来不及避让", files=files or [],
                                         link="party-link-token", now=now)


def state_of(app, case_id: int) -> str:
    with app.state.ctx.session_factory() as s:
        return s.get(Case, case_id).state


def sms_to(app, case_id: int, phone: str) -> list[str]:
    with app.state.ctx.session_factory() as s:
        return [m.text for m in s.scalars(select(SmsMessage).where(SmsMessage.case_id == case_id,
                                                                    SmsMessage.phone == phone)
                                          .order_by(SmsMessage.id))]


def counts(app, case_id: int) -> dict[str, int]:
    with app.state.ctx.session_factory() as s:
        n = lambda model: s.scalar(select(func.count()).select_from(model).where(model.case_id == case_id))  # noqa: E731
        return {"reviews": n(ReviewRequest), "evidence": n(Evidence), "sms": n(SmsMessage), "audit": n(AuditEvent)}


def test_the_deadline_counts_the_holiday_and_the_make_up_saturday(client, app, officer):
    case_id, ids, _ = issued(client, app, officer)
    reviews = app.state.ctx.reviews
    before = reviews.state(case_id, ids[1], JUST_BEFORE)
    assert before.can_request and before.why_not == "" and before.request is None
    assert before.deadline.at == datetime(2026, 2, 25, 0, 0, tzinfo=TZ) and str(before.deadline.last_day) == "2026-02-24"
    after = reviews.state(case_id, ids[1], JUST_AFTER)
    assert not after.can_request and "2026年2月24日24时" in after.why_not and "人民调解委员会" in after.why_not
    written = counts(app, case_id)
    with pytest.raises(Conflict, match="届满"):
        ask(app, case_id, ids[1], now=JUST_AFTER, files=[("a.jpg", photo())])
    assert counts(app, case_id) == written and state_of(app, case_id) == "determined"
    # One minute earlier it is in time: the request, a photo re-encoded and a real PDF, one transaction.
    row = ask(app, case_id, ids[1], files=[("a.jpg", photo()), ("证明.pdf", pdf())])
    assert state_of(app, case_id) == "review_requested" and row.status == "pending"
    with app.state.ctx.session_factory() as s:
        files = [s.get(Evidence, i) for i in row.evidence]
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id))]
    assert [(f.kind, f.content_type, f.party_id) for f in files] == [
        ("review", "image/jpeg", ids[1]), ("review", "application/pdf", ids[1])]
    assert actions.count("evidence_added") >= 2 and "request_review" in actions
    received = sms_to(app, case_id, "13800138002")[-1]
    assert "已收到您" in received and "复核申请" in received and "/p/party-link-token" in received


def test_before_delivery_the_form_is_open_and_the_deadline_not_yet_running(client, app, officer):
    case_id, ids, _ = issued(client, app, officer, delivered=None)
    state = app.state.ctx.reviews.state(case_id, ids[0], datetime(2027, 1, 1, tzinfo=TZ))
    assert state.can_request and state.deadline is None and state.delivered_at is None


def test_files_are_checked_like_evidence_and_a_refusal_writes_nothing(client, app, officer):
    case_id, ids, _ = issued(client, app, officer)
    written = counts(app, case_id)
    with pytest.raises(Invalid, match="不是完整的 PDF"):
        ask(app, case_id, ids[0], files=[("假.pdf", b"%PDF-1.7 not really a pdf")])
    with pytest.raises(Invalid, match="最多 50 页"):
        ask(app, case_id, ids[0], files=[("长.pdf", pdf(51))])
    with pytest.raises(Invalid, match="照片或 PDF"):
        ask(app, case_id, ids[0], files=[("x.txt", b"hello, not an image")])
    with pytest.raises(Invalid, match="最多上传 5 个"):
        ask(app, case_id, ids[0], files=[(f"{i}.jpg", photo()) for i in range(6)])
    with pytest.raises(Invalid, match="复核理由"):
        app.state.ctx.reviews.request(case_id, ids[0], request="重新认定", reasons="  ", files=[], link="t",
                                      now=JUST_BEFORE)
    assert counts(app, case_id) == written and state_of(app, case_id) == "determined"


def test_one_review_per_accident_and_only_the_applicant_withdraws_it(client, app, officer):
    case_id, ids, _ = issued(client, app, officer)
    reviews = app.state.ctx.reviews
    ask(app, case_id, ids[0])
    other = reviews.state(case_id, ids[1], JUST_BEFORE)
    assert not other.can_request and not other.can_withdraw and "其他当事人已于" in other.why_not
    with pytest.raises(Conflict, match="以一次为限"):
        ask(app, case_id, ids[1])
    with pytest.raises(Forbidden, match="只有提出复核申请的当事人"):
        reviews.withdraw(case_id, ids[1], link="t", now=JUST_BEFORE)
    with app.state.ctx.session_factory() as s:
        determined_at = s.get(Case, case_id).determined_at
    assert reviews.state(case_id, ids[0], JUST_BEFORE).can_withdraw
    reviews.withdraw(case_id, ids[0], link="t", now=JUST_BEFORE)
    assert state_of(app, case_id) == "determined"
    mine = reviews.state(case_id, ids[0], JUST_BEFORE)
    assert mine.request.status == "withdrawn" and not mine.can_withdraw and not mine.can_request
    with app.state.ctx.session_factory() as s:
        assert s.get(Case, case_id).determined_at == determined_at  # the document's time, not the withdrawal's
        assert "withdraw_review" in [e.action for e in s.scalars(select(AuditEvent).where(
            AuditEvent.case_id == case_id))]
    with pytest.raises(Conflict, match="以一次为限"):  # a withdrawn review was the accident's one
        ask(app, case_id, ids[0])
    with pytest.raises(Conflict, match="没有待处理"):
        reviews.withdraw(case_id, ids[0], link="t", now=JUST_BEFORE)


def review_id(app, case_id: int) -> int:
    with app.state.ctx.session_factory() as s:
        return s.scalar(select(ReviewRequest.id).where(ReviewRequest.case_id == case_id))


def test_the_issuing_officer_may_not_review_their_own_case(client, app, officer):
    case_id, ids, number = issued(client, app, officer)
    ask(app, case_id, ids[0])
    written = counts(app, case_id)
    r = client.post(f"/api/reviews/{review_id(app, case_id)}/decision", headers=officer,
                    json={"decision": "upheld", "outcome": "事实清楚，维持原认定"})
    assert r.status_code == 403 and r.json()["error"] == "reviewer_is_issuer" and number in r.json()["message"]
    assert counts(app, case_id) == written and state_of(app, case_id) == "review_requested"


def outcome_links(app, case_id: int) -> dict[str, str]:
    """Each phone's last SMS, checked to carry a progress link made for that phone's party."""
    with app.state.ctx.session_factory() as s:
        links = list(s.scalars(select(Invitation).where(Invitation.case_id == case_id)))
    texts = {}
    for phone in ("13800138001", "13800138002"):
        text = sms_to(app, case_id, phone)[-1]
        token = re.search(r"/p/([A-Za-z0-9_-]+)", text).group(1)
        link = next(i for i in links if i.token_hash == token_hash(token))
        assert link.phone == phone and link.purpose == "progress"
        texts[phone] = text
    return texts


def test_a_reviewer_upholds_and_every_party_is_told_with_its_own_link(client, app, officer, reviewer):
    case_id, ids, number = issued(client, app, officer)
    ask(app, case_id, ids[1], files=[("a.jpg", photo())])
    listed = client.get("/api/reviews?status=pending", headers=reviewer).json()
    assert [(i["case_id"], i["document_number"], i["party_label"]) for i in listed["items"]] == [
        (case_id, number, "乙方")]
    assert [x["code"] for x in listed["reasons"]][0] == "facts_unclear"
    rid = listed["items"][0]["id"]
    detail = client.get(f"/api/reviews/{rid}", headers=reviewer).json()
    assert detail["case"]["number"] and detail["reason"].startswith("乙车") and len(detail["evidence"]) == 1
    r = client.post(f"/api/reviews/{rid}/decision", headers=reviewer,
                    json={"decision": "upheld", "outcome": "事实清楚，证据确实充分，维持原认定"})
    assert r.status_code == 200, r.text
    assert r.json()["review"]["status"] == "upheld" and state_of(app, case_id) == "reviewed"
    assert all("复核结论：维持原认定" in t for t in outcome_links(app, case_id).values())
    again = client.post(f"/api/reviews/{rid}/decision", headers=reviewer,
                        json={"decision": "sent_back", "reason": "facts_unclear", "outcome": "x"})
    assert again.status_code == 409
    assert client.get("/api/reviews?status=pending", headers=reviewer).json()["items"] == []


def test_sent_back_the_case_returns_to_the_officers_and_the_new_document_revokes_the_old(client, app, officer,
                                                                                        reviewer):
    case_id, ids, old = issued(client, app, officer)
    ask(app, case_id, ids[1])
    rid = review_id(app, case_id)
    no_reason = client.post(f"/api/reviews/{rid}/decision", headers=reviewer,
                            json={"decision": "sent_back", "outcome": "责任划分需重新认定"})
    assert no_reason.status_code == 422 and "第七十六条" in no_reason.json()["message"]
    r = client.post(f"/api/reviews/{rid}/decision", headers=reviewer,
                    json={"decision": "sent_back", "reason": "responsibility_unfair", "outcome": "责任划分需重新认定"})
    assert r.status_code == 200, r.text
    case = client.get(f"/api/cases/{case_id}", headers=officer).json()
    assert (case["state"], case["officer_user_id"]) == ("awaiting_liability", None)
    assert all("重新调查、认定（责任划分不公正）" in t for t in outcome_links(app, case_id).values())
    assert client.get(f"/v/{old}").text.count("已撤销") == 0  # in force until the new one is issued
    # Back in the officer queue: an officer takes it again and issues the new decision.
    assert client.post(f"/api/cases/{case_id}/take", headers=officer).status_code == 200
    equal = {"facts": "甲车追尾乙车，乙车违法变道。", "weather": "晴", "parties": [
        {"party_id": ids[0], "responsibility": "equal", "violations": ["V001"]},
        {"party_id": ids[1], "responsibility": "equal", "violations": ["V016"]}]}
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=equal)
    assert r.status_code == 201, r.text
    new = r.json()["document_number"]
    with app.state.ctx.session_factory() as s:
        first = s.scalar(select(Document).where(Document.number == old))
        second = s.scalar(select(Document).where(Document.number == new))
        assert first.revoked_at is not None and first.superseded_by_id == second.id and second.revoked_at is None
    page = client.get(f"/v/{old}").text
    assert "已撤销" in page and new in page
    assert "已撤销" not in client.get(f"/v/{new}").text
    assert state_of(app, case_id) == "determined"
    # The accident had its review: the form stays closed under the new document.
    assert not app.state.ctx.reviews.state(case_id, ids[0], JUST_BEFORE).can_request


def test_two_parties_asking_at_once_make_one_review_and_one_clear_refusal(client, app, officer):
    import threading

    case_id, ids, _ = issued(client, app, officer)
    barrier, outcomes = threading.Barrier(2), {}

    def request(party_id: int) -> None:
        barrier.wait()
        try:
            outcomes[party_id] = ask(app, case_id, party_id).id
        except Conflict as e:
            outcomes[party_id] = e.message

    threads = [threading.Thread(target=request, args=(p,)) for p in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    won = [v for v in outcomes.values() if isinstance(v, int)]
    refused = [v for v in outcomes.values() if isinstance(v, str)]
    assert len(won) == 1 and len(refused) == 1 and "以一次为限" in refused[0], outcomes
    assert counts(app, case_id)["reviews"] == 1 and state_of(app, case_id) == "review_requested"
