"""The officer's decision over HTTP, on SQLite and PostgreSQL: take, preview, issue, send back, verify.

Issuing is one transaction: the number is gapless per year even when an issue fails half-way,
nothing of a failed issue is left behind, and two requests racing for one case give one
document and one clear 409.
"""
from __future__ import annotations

import hashlib
import re
import threading

import pytest
from sqlalchemy import func, select

from kuaichu_protocol.messages import CaseState as S
from server.adapters.orm import AuditEvent, Case, Document, DocumentCounter, Evidence, Invitation, Party, SmsMessage
from server.services import determination as determination_module
from server.services.invitations import token_hash
from tests.server.conftest import PASSWORD
from tests.support.hub import seat_connect
from tests.support.ws_session import of_type, recv_until

REAR_END = "V001"  # 追尾, 《中华人民共和国道路交通安全法》第四十三条
PHONES = ("13800138001", "13800138002")


def awaiting_case(app, parties: int = 2) -> tuple[int, list[int]]:
    """A case waiting for the officer, with named parties and phones (as an operator would have left it)."""
    cases = app.state.ctx.cases
    case = cases.open_case("public", reporter_phone=PHONES[0])
    with app.state.ctx.session_factory.begin() as s:
        row = s.get(Case, case.id)
        for position in range(2, parties + 1):
            row.parties.append(Party(position=position, kind="motor"))
        s.flush()
        names = ("王建国", "李秀英", "刘洋")
        plates = ("川A5F7K2", "川AD35812", "川A3Q861")
        for p in row.parties:
            i = p.position - 1
            p.driver_name, p.plate, p.phone = names[i], plates[i], f"1380013800{i + 1}"
            p.vehicle_type, p.id_number, p.insurer = "小型轿车", "510104198503127714", "中国人保"
        row.state, row.district, row.weather = S.AWAITING_LIABILITY.value, "成都市武侯区", "晴"
        row.operator_notes, row.latitude, row.longitude = "甲车追尾乙车", 30.64, 104.05
        ids = [p.id for p in sorted(row.parties, key=lambda p: p.position)]
    return case.id, ids


def rear_end(ids: list[int], facts: str = "甲车追尾乙车。") -> dict:
    return {"facts": facts, "weather": "晴", "parties": [
        {"party_id": ids[0], "responsibility": "full", "violations": [REAR_END]},
        *({"party_id": i, "responsibility": "none", "violations": []} for i in ids[1:])]}


@pytest.fixture
def officer(client, auth_headers):
    return auth_headers("officer")


def taken(client, app, officer) -> tuple[int, list[int]]:
    case_id, ids = awaiting_case(app)
    r = client.post(f"/api/cases/{case_id}/take", headers=officer)
    assert r.status_code == 200, r.text
    return case_id, ids


def rows(app, case_id: int) -> dict[str, int]:
    with app.state.ctx.session_factory() as s:
        count = lambda model: s.scalar(select(func.count()).select_from(model).where(model.case_id == case_id))  # noqa: E731
        return {"documents": count(Document), "evidence": count(Evidence), "sms": count(SmsMessage),
                "invitations": count(Invitation), "audit": count(AuditEvent)}


def test_an_officer_issues_one_document_and_every_party_gets_its_own_link(client, app, officer):
    case_id, ids = taken(client, app, officer)
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=rear_end(ids))
    assert r.status_code == 201, r.text
    number, sha256 = r.json()["document_number"], r.json()["sha256"]
    assert re.fullmatch(r"KC\d{4}-000001", number)
    pdf = client.get(f"/api/documents/{number}.pdf", headers=officer)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == sha256 and pdf.content.startswith(b"%PDF")
    case = client.get(f"/api/cases/{case_id}", headers=officer).json()
    assert case["state"] == "determined" and case["accident_facts"] == "甲车追尾乙车。"
    first, second = case["parties"]
    assert (first["responsibility"], first["clause"]) == ("full", "《中华人民共和国道路交通安全法》第四十三条")
    assert "追尾" in first["violation"] and (second["responsibility"], second["violation"]) == ("none", "")
    with app.state.ctx.session_factory() as s:
        sms = list(s.scalars(select(SmsMessage).where(SmsMessage.case_id == case_id)))
        links = {i.party_id: i for i in s.scalars(select(Invitation).where(Invitation.case_id == case_id))}
        evidence = s.scalar(select(Evidence).where(Evidence.case_id == case_id, Evidence.kind == "document"))
        actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id))]
    assert sorted(m.phone for m in sms) == sorted(PHONES)
    for message in sms:  # each message carries that party's own link, and the document's number
        token = re.search(r"/p/([A-Za-z0-9_-]+)", message.text).group(1)
        party_id = next(pid for pid, link in links.items() if link.token_hash == token_hash(token))
        assert links[party_id].purpose == "progress" and links[party_id].phone == message.phone
        assert "责任认定书已出具" in message.text
    assert (evidence.sha256, evidence.content_type) == (sha256, "application/pdf")
    assert {"officer_took", "determine", "document_issued"} <= set(actions)


def test_a_preview_renders_the_real_pdf_and_writes_nothing(client, app, officer):
    case_id, ids = taken(client, app, officer)
    before = rows(app, case_id)
    r = client.post(f"/api/cases/{case_id}/determination/preview", headers=officer, json=rear_end(ids, facts=""))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert rows(app, case_id) == before
    assert client.get(f"/api/cases/{case_id}", headers=officer).json()["state"] == "awaiting_liability"


def test_an_incoherent_decision_is_a_422_naming_the_rule_and_the_parties(client, app, officer):
    case_id, ids = taken(client, app, officer)
    before = rows(app, case_id)
    both_full = {"facts": "x", "parties": [{"party_id": i, "responsibility": "full", "violations": [REAR_END]}
                                           for i in ids]}
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=both_full)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["rule"] == "combination" and body["parties"] == ["甲方", "乙方"] and "第六十条" in body["message"]
    no_violation = rear_end(ids)
    no_violation["parties"][0]["violations"] = []
    r = client.post(f"/api/cases/{case_id}/determination/preview", headers=officer, json=no_violation)
    assert r.status_code == 422 and r.json()["rule"] == "fault_needs_violation" and r.json()["parties"] == ["甲方"]
    unknown = rear_end(ids)
    unknown["parties"][0]["violations"] = ["V999"]
    assert client.post(f"/api/cases/{case_id}/determination", headers=officer,
                       json=unknown).json()["rule"] == "unknown_violation"
    one_party = {"facts": "x", "parties": rear_end(ids)["parties"][:1]}
    r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=one_party)
    assert r.status_code == 422 and r.json()["rule"] == "party_missing" and r.json()["parties"] == ["乙方"]
    assert rows(app, case_id) == before


def test_numbers_have_no_gap_after_a_failure_mid_issue_which_leaves_nothing_behind(client, app, officer,
                                                                                   monkeypatch):
    first, first_ids = taken(client, app, officer)
    second, second_ids = taken(client, app, officer)
    before = rows(app, first)
    real = determination_module.queue_sms
    calls = {"n": 0}

    def fail_on_the_second_party(session, phone, text, case_id=None, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("SMS outbox down")
        return real(session, phone, text, case_id, **kwargs)

    monkeypatch.setattr(determination_module, "queue_sms", fail_on_the_second_party)
    r = client.post(f"/api/cases/{first}/determination", headers=officer, json=rear_end(first_ids))
    assert r.status_code == 500 and calls["n"] == 2  # the first party's SMS was queued, then the second failed
    monkeypatch.setattr(determination_module, "queue_sms", real)
    assert rows(app, first) == before  # no document, evidence, SMS, link or audit event
    with app.state.ctx.session_factory() as s:
        assert s.get(Case, first).state == "awaiting_liability"
        assert s.scalar(select(func.coalesce(func.max(DocumentCounter.last_seq), 0))) == 0
    numbers = []
    for case_id, ids in ((second, second_ids), (first, first_ids)):
        r = client.post(f"/api/cases/{case_id}/determination", headers=officer, json=rear_end(ids))
        assert r.status_code == 201, r.text
        numbers.append(r.json()["document_number"])
    assert [n[-6:] for n in numbers] == ["000001", "000002"]


def test_two_requests_issuing_one_case_at_once_give_one_document_and_a_409(app, client, officer):
    case_id, ids = taken(client, app, officer)
    # a second session of the same officer (two seat windows): both pass the holder check
    second = client.post("/api/auth/login", json={"username": "officer1", "password": PASSWORD}).json()["token"]
    sessions = [officer, {"Authorization": f"Bearer {second}"}]
    barrier = threading.Barrier(2)
    results: list[tuple[int, dict]] = []

    def issue(headers):  # one app, one event loop: the test client's portal takes calls from any thread
        barrier.wait()
        r = client.post(f"/api/cases/{case_id}/determination", headers=headers, json=rear_end(ids))
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=issue, args=(h,)) for h in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(status for status, _ in results) == [201, 409], results
    conflict = next(body for status, body in results if status == 409)
    assert "认定书已出具" in conflict["message"]
    with app.state.ctx.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(Document).where(Document.case_id == case_id)) == 1
        assert s.scalar(select(func.count()).select_from(SmsMessage).where(SmsMessage.case_id == case_id)) == 2


def test_only_officers_decide_and_only_the_officer_holding_the_case(client, app, officer, auth_headers):
    case_id, ids = awaiting_case(app)
    url = f"/api/cases/{case_id}"
    for role in ("operator", "supervisor", "admin"):
        for path in ("/determination", "/determination/preview", "/send-back", "/take"):
            body = {"reason": "x"} if path == "/send-back" else rear_end(ids)
            assert client.post(url + path, headers=auth_headers(role), json=body).status_code == 403, (role, path)
    r = client.post(url + "/determination", headers=officer, json=rear_end(ids))
    assert r.status_code == 403 and "请先接手" in r.json()["message"]  # nobody has taken it yet
    assert client.post(url + "/take", headers=officer).status_code == 200
    assert client.post(url + "/take", headers=officer).status_code == 200  # taking one's own case again is fine
    other = auth_headers("officer", "officer2")
    r = client.post(url + "/take", headers=other)
    assert r.status_code == 409 and r.json()["message"] == "案件已由 officer1 处理"
    assert client.get(url, headers=other).json()["officer_name"] == "officer1"
    r = client.post(url + "/determination", headers=other, json=rear_end(ids))
    assert r.status_code == 403 and r.json()["error"] == "not_your_case"
    assert client.post(url + "/determination", headers=officer, json=rear_end(ids)).status_code == 201
    r = client.post(url + "/determination", headers=other, json=rear_end(ids))
    assert r.status_code == 409 and "认定书已出具" in r.json()["message"]


def test_send_back_needs_a_reason_texts_every_party_and_the_case_rejoins_the_queue_first(client, app, officer):
    case_id, ids = taken(client, app, officer)
    earlier = app.state.ctx.cases.open_case("public", reporter_phone="13900139000")  # waiting longer
    url = f"/api/cases/{case_id}/send-back"
    r = client.post(url, headers=officer, json={"reason": "   "})
    assert r.status_code == 422
    r = client.post(url, headers=officer, json={"reason": "请补拍乙车碰撞部位"})
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["officer_user_id"], r.json()["priority"]) == ("interrupted", None, 1)
    with app.state.ctx.session_factory() as s:
        sms = list(s.scalars(select(SmsMessage).where(SmsMessage.case_id == case_id)))
        event = s.scalar(select(AuditEvent).where(AuditEvent.case_id == case_id, AuditEvent.action == "send_back"))
        assert s.get(Case, case_id).sent_back_at is not None
    assert sorted(m.phone for m in sms) == sorted(PHONES) and all("补充证据" in m.text for m in sms)
    assert event.detail == {"reason": "请补拍乙车碰撞部位"} and event.to_state == "interrupted"
    # A party opens its new link and rejoins: the case goes to the head of the operator queue.
    token = re.search(r"/p/([A-Za-z0-9_-]+)", sms[0].text).group(1)
    link = app.state.ctx.invitations.resolve(token)
    from server.services.cases import Actor

    app.state.ctx.cases.transition(case_id, S.QUEUED, Actor.party(case_id, link.party_id), changes={"priority": 1})
    assert [c.id for c in app.state.ctx.cases.queue()][:2] == [case_id, earlier.id]


def test_the_verification_page_checks_an_uploaded_pdf_byte_for_byte(client, app, officer):
    case_id, ids = taken(client, app, officer)
    number = client.post(f"/api/cases/{case_id}/determination", headers=officer,
                         json=rear_end(ids)).json()["document_number"]
    pdf = client.get(f"/api/documents/{number}.pdf", headers=officer).content
    page = client.get(f"/v/{number}")
    assert page.status_code == 200 and number in page.text and "<script" not in page.text
    digest = hashlib.sha256(pdf).hexdigest()
    assert "示范市公安局交通警察支队" in page.text and all(digest[i:i + 16] in page.text for i in range(0, 64, 16))
    assert "王*国" in page.text and "王建国" not in page.text and "全部责任" in page.text  # masked
    assert "script-src" not in page.headers["content-security-policy"]  # no script may run at all
    ok = client.post(f"/v/{number}", files={"file": ("doc.pdf", pdf, "application/pdf")})
    assert ok.status_code == 200 and "核验通过" in ok.text
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01
    bad = client.post(f"/v/{number}", files={"file": ("doc.pdf", bytes(altered), "application/pdf")})
    assert bad.status_code == 200 and "核验未通过" in bad.text and "核验通过：" not in bad.text
    assert client.get("/v/KC2026-999999").status_code == 404
    assert client.get("/v/not-a-number").status_code == 404
    assert client.get("/api/documents/KC2026-999999.pdf", headers=officer).status_code == 404


def test_a_party_link_reads_only_its_own_cases_document(client, app, officer):
    first, first_ids = taken(client, app, officer)
    second, second_ids = taken(client, app, officer)
    numbers = [client.post(f"/api/cases/{c}/determination", headers=officer, json=rear_end(i)).json()
               ["document_number"] for c, i in ((first, first_ids), (second, second_ids))]
    documents = app.state.ctx.documents
    assert documents.pdf(numbers[0], case_id=first).startswith(b"%PDF")
    from server.services.errors import NotFound

    with pytest.raises(NotFound):
        documents.pdf(numbers[1], case_id=first)


def test_the_officer_queue_is_pushed_to_officer_seats_and_follows_takes_and_decisions(client, app, officer):
    case_id, ids = awaiting_case(app)
    with seat_connect(client, officer) as seat:
        frame = recv_until(seat, of_type("officer_queue"))
        [item] = [i for i in frame["items"] if i["case_id"] == case_id]
        assert (item["parties"], item["officer_user_id"], item["sent_back"]) == (2, None, False)
        assert item["district"] == "成都市武侯区" and item["waiting_s"] >= 0
        assert client.post(f"/api/cases/{case_id}/take", headers=officer).status_code == 200
        frame = recv_until(seat, lambda f: f.get("type") == "officer_queue"
                           and any(i["officer_name"] == "officer1" for i in f["items"]))
        assert client.post(f"/api/cases/{case_id}/determination", headers=officer, json=rear_end(ids)).status_code == 201
        recv_until(seat, lambda f: f.get("type") == "officer_queue" and not f["items"])


def test_an_operator_seat_gets_no_officer_queue(client, app, auth_headers):
    awaiting_case(app)
    with seat_connect(client, auth_headers("operator")) as seat:
        recv_until(seat, of_type("queue"))
        seat.send_json({"type": "nonsense"})  # the reply proves the socket is served; no officer_queue came first
        frame = recv_until(seat, lambda f: f.get("type") in ("error", "officer_queue"))
        assert frame["type"] == "error"


def test_violation_search_over_http(client, auth_headers):
    r = client.get("/api/violations", params={"q": "追尾"}, headers=auth_headers("officer"))
    assert r.status_code == 200 and r.json() == [{"code": "V001", "behaviour": r.json()[0]["behaviour"],
                                                  "article": "《中华人民共和国道路交通安全法》第四十三条"}]
    assert len(client.get("/api/violations", headers=auth_headers("operator")).json()) >= 31


def test_the_send_back_edge_is_the_officers_alone():
    from server.domain import case_states as cs

    assert cs.check(S.AWAITING_LIABILITY, S.INTERRUPTED, "officer").action == "send_back"
    for actor in ("operator", "party", "system", "supervisor"):
        with pytest.raises(cs.ForbiddenTransition):
            cs.check(S.AWAITING_LIABILITY, S.INTERRUPTED, actor)



def test_two_officers_taking_one_case_at_once_get_one_holder_and_a_409_naming_them(app, client, auth_headers):
    case_id, _ = awaiting_case(app)
    sessions = {"officer1": auth_headers("officer"), "officer2": auth_headers("officer", "officer2")}
    barrier = threading.Barrier(2)
    results: dict[str, tuple[int, dict]] = {}

    def take(name):  # one app, one event loop: the test client's portal takes calls from any thread
        barrier.wait()
        r = client.post(f"/api/cases/{case_id}/take", headers=sessions[name])
        results[name] = (r.status_code, r.json())

    threads = [threading.Thread(target=take, args=(name,)) for name in sessions]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(status for status, _ in results.values()) == [200, 409], results
    winner = next(name for name, (status, _) in results.items() if status == 200)
    loser = next(body for status, body in results.values() if status == 409)
    assert loser["message"] == f"案件已由 {winner} 处理" and loser["officer_name"] == winner
    with app.state.ctx.session_factory() as s:
        taken_events = s.scalars(select(AuditEvent).where(AuditEvent.case_id == case_id,
                                                          AuditEvent.action == "officer_took")).all()
    assert len(taken_events) == 1
