"""Cases through HTTP: lifecycle, illegal moves, the answer race, party edits, bad input."""
import threading

from kuaichu_protocol.messages import CaseState as S


def test_operator_answers_and_collects(client, auth_headers, queued_case):
    op = auth_headers("operator")
    r = client.post(f"/api/cases/{queued_case}/answer", headers=op)
    assert r.status_code == 200, r.text
    assert r.json()["case"]["state"] == "in_call"
    assert "ice_servers" in r.json()
    r = client.post(f"/api/cases/{queued_case}/start-collection", headers=op)
    assert r.json()["state"] == "collecting"


def test_illegal_transition_is_409_and_changes_nothing(client, auth_headers, held_case, app):
    op = auth_headers("operator")
    r = client.post(f"/api/cases/{held_case}/submit", headers=op)  # in a call: collection has not started
    assert r.status_code == 409
    assert "视频通话中" in r.json()["message"]
    assert app.state.ctx.cases.get(held_case).state == S.IN_CALL
    with app.state.ctx.session_factory() as s:
        from server.services.audit import events_for_case
        assert [e.action for e in events_for_case(s, held_case)] == ["open", "answer"]


def test_wrong_role_is_403(client, auth_headers, queued_case):
    r = client.post(f"/api/cases/{queued_case}/answer", headers=auth_headers("officer"))
    assert r.status_code == 403


def test_unknown_case_is_404(client, auth_headers):
    r = client.post("/api/cases/999999/answer", headers=auth_headers("operator"))
    assert r.status_code == 404
    assert r.json()["message"]


def test_non_numeric_case_id_is_422(client, auth_headers):
    r = client.get("/api/cases/abc", headers=auth_headers("operator"))
    assert r.status_code == 422


def test_two_seats_racing_to_answer_get_exactly_one_winner(client, auth_headers, app):
    seats = [auth_headers("operator", f"seat{i}") for i in range(6)]
    for round_ in range(5):
        case_id = app.state.ctx.cases.open_case("public").id
        barrier = threading.Barrier(len(seats))
        codes: list[int] = []

        def answer(headers):
            barrier.wait()
            codes.append(client.post(f"/api/cases/{case_id}/answer", headers=headers).status_code)

        threads = [threading.Thread(target=answer, args=(h,)) for h in seats]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(codes) == [200] + [409] * (len(seats) - 1), (round_, codes)
        case = app.state.ctx.cases.get(case_id)
        with app.state.ctx.session_factory() as s:
            from server.services.audit import events_for_case
            answers = [e for e in events_for_case(s, case_id) if e.action == "answer"]
        assert len(answers) == 1 and answers[0].actor == f"user:{case.seat_user_id}"


def test_party_edit_stores_sql_looking_text_verbatim(client, auth_headers, queued_case, app):
    op = auth_headers("operator")
    client.post(f"/api/cases/{queued_case}/answer", headers=op)
    party_id = app.state.ctx.cases.get(queued_case).parties[0].id
    evil = "Robert'); DROP TABLE cases;--"
    r = client.patch(f"/api/cases/{queued_case}/parties/{party_id}", json={"owner": evil}, headers=op)
    assert r.status_code == 200, r.text
    assert app.state.ctx.cases.get(queued_case).parties[0].owner == evil


def test_party_edit_rejects_unknown_fields_and_wrong_types(client, auth_headers, queued_case, app):
    op = auth_headers("operator")
    party_id = app.state.ctx.cases.get(queued_case).parties[0].id
    url = f"/api/cases/{queued_case}/parties/{party_id}"
    assert client.patch(url, json={"state": "closed"}, headers=op).status_code == 422
    assert client.patch(url, json={"plate": 12345}, headers=op).status_code == 422
    assert client.patch(url, json={"vin": "X" * 40}, headers=op).status_code == 422
    r = client.patch(url, content=b"{not json", headers={**op, "content-type": "application/json"})
    assert r.status_code == 422 and "JSON" in r.json()["message"]


def test_at_most_three_vehicles_and_one_non_motor(client, auth_headers, held_case):
    op = auth_headers("operator")
    url = f"/api/cases/{held_case}/parties"
    assert client.post(url, json={"kind": "motor"}, headers=op).status_code == 201
    assert client.post(url, json={"kind": "motor"}, headers=op).status_code == 201
    assert client.post(url, json={"kind": "motor"}, headers=op).status_code == 409
    assert client.post(url, json={"kind": "non_motor"}, headers=op).status_code == 201
    assert client.post(url, json={"kind": "non_motor"}, headers=op).status_code == 409


def test_escalation_needs_a_reason(client, auth_headers, queued_case):
    op = auth_headers("operator")
    client.post(f"/api/cases/{queued_case}/answer", headers=op)
    client.post(f"/api/cases/{queued_case}/start-collection", headers=op)
    assert client.post(f"/api/cases/{queued_case}/escalate", json={"reason": "  "}, headers=op).status_code == 422
    r = client.post(f"/api/cases/{queued_case}/escalate", json={"reason": "有人受伤"}, headers=op)
    assert r.status_code == 200 and r.json()["state"] == "escalated"


def test_lists_mask_personal_data(client, auth_headers, held_case):
    items = client.get("/api/cases", headers=auth_headers("supervisor")).json()["items"]
    assert items[0]["reporter_phone"] == "138****8000"
    full = client.get(f"/api/cases/{held_case}", headers=auth_headers("operator")).json()
    assert full["reporter_phone"] == "13800138000"


def test_case_detail_is_full_only_for_its_holder_deciding_officers_and_admins(client, auth_headers, held_case, app):
    from sqlalchemy import update

    from server.adapters.orm import Case

    holder = auth_headers("operator")
    party_id = app.state.ctx.cases.get(held_case).parties[0].id
    r = client.patch(f"/api/cases/{held_case}/parties/{party_id}", headers=holder,
                     json={"driver_name": "张三丰", "id_number": "110101199003074514"})
    assert r.status_code == 200, r.text

    def personal(headers) -> tuple:
        r = client.get(f"/api/cases/{held_case}", headers=headers)
        assert r.status_code == 200, r.text
        body, party = r.json(), r.json()["parties"][0]
        return body["reporter_phone"], party["phone"], party["driver_name"], party["id_number"]

    full = ("13800138000", "13800138000", "张三丰", "110101199003074514")
    masked = ("138****8000", "138****8000", "张*丰", "1101**********4514")
    others = {"another operator": auth_headers("operator", "operator2"), "supervisor": auth_headers("supervisor"),
              "officer": auth_headers("officer")}
    assert personal(holder) == full
    assert personal(auth_headers("admin")) == full
    for who, headers in others.items():
        assert personal(headers) == masked, who
    # Submitted for the liability decision: now the officers decide it and read it in full.
    with app.state.ctx.session_factory.begin() as s:
        s.execute(update(Case).where(Case.id == held_case).values(state=S.AWAITING_LIABILITY.value))
    assert personal(others.pop("officer")) == full
    for who, headers in others.items():
        assert personal(headers) == masked, who
