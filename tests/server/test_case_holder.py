"""Only the case's holder writes to it: the same role, another holder, is refused on every case-scoped route.

The table below classifies every route that writes to one case (a ``{case_id}``, ``{evidence_id}``,
``{party_id}``, ``{invitation_id}`` or ``{review_id}`` in its path). A new such route fails
``test_every_case_scoped_write_is_classified`` until it is added here, with the request that its
holder would make, so the matrix test then proves that nobody else may make it.
"""
from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select, update

from kuaichu_protocol.messages import CaseState as S
from seat_app.services.call.recorder import SegmentRecorder
from server.adapters.orm import AuditEvent, Case, Dispatch, Evidence, Invitation, Party, SmsMessage, User
from server.services.audit import events_for_case
from server.services.cases import Actor
from server.services.errors import Conflict
from tests.server.test_route_access import ACCESS, ADMIN, OFFICER, OPERATOR, SUPERVISOR, app_routes
from tests.support.hub import seat_socket
from tests.support.media import feed
from tests.support.ws_session import of_type, recv_until

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CASE_SCOPED = re.compile(r"\{(case_id|evidence_id|party_id|invitation_id|review_id)\}")


@dataclass(frozen=True)
class Call:
    """How the holder makes this write, on a case in ``state``, and what the holder gets back."""

    json: dict | None = None
    upload: str = ""  # "frame" or "recording": a multipart upload
    state: str = "collecting"
    holder_status: int = 200
    officer: bool = False  # an officer's write: the case awaits liability and officer9 has taken it


HOLDER_WRITES: dict[tuple[str, str], Call] = {
    ("POST", "/api/cases/{case_id}/start-collection"): Call(state="in_call"),
    ("POST", "/api/cases/{case_id}/interrupt"): Call(),
    ("POST", "/api/cases/{case_id}/escalate"): Call(json={"reason": "有人受伤"}),
    # the checklist is not complete: the holder passes the holder check and meets the checklist's 409
    ("POST", "/api/cases/{case_id}/submit"): Call(holder_status=409),
    ("POST", "/api/cases/{case_id}/parties"): Call(json={"kind": "motor"}, holder_status=201),
    ("PATCH", "/api/cases/{case_id}/parties/{party_id}"): Call(json={"driver_name": "张三"}),
    ("POST", "/api/cases/{case_id}/parties/{party_id}/verify"): Call(),
    ("PUT", "/api/cases/{case_id}/answers"): Call(json={"injuries": "none"}),
    ("PATCH", "/api/cases/{case_id}"): Call(json={"weather": "雨", "notes": "甲车变道时与乙车剐蹭"}),
    ("POST", "/api/cases/{case_id}/invitations"): Call(json={"phone": "13900139001"}, holder_status=201),
    ("POST", "/api/cases/{case_id}/instructions"): Call(json={"text": "请开启危险报警闪光灯"}, holder_status=201),
    ("POST", "/api/cases/{case_id}/evidence"): Call(upload="frame", holder_status=201),
    ("POST", "/api/cases/{case_id}/recordings"): Call(upload="recording", holder_status=201),
    ("PUT", "/api/evidence/{evidence_id}/ocr"): Call(json={"plate": "川A12345"}),
    ("PATCH", "/api/evidence/{evidence_id}"): Call(json={"label": "scene", "party_id": None}),
    ("POST", "/api/invitations/{invitation_id}/revoke"): Call(),
    # the officer's writes (issue 12); {party_id} in a body is the scene's party
    ("POST", "/api/cases/{case_id}/send-back"): Call(json={"reason": "请补拍碰撞部位"}, officer=True),
    ("POST", "/api/cases/{case_id}/determination/preview"): Call(json={"facts": "x", "parties": [
        {"party_id": "{party_id}", "responsibility": "full", "violations": ["V001"]}]}, officer=True),
    ("POST", "/api/cases/{case_id}/determination"): Call(json={"facts": "x", "parties": [
        {"party_id": "{party_id}", "responsibility": "full", "violations": ["V001"]}]}, officer=True,
        holder_status=201),
}

#: Case-scoped writes that are not the holder's, each with why.
NOT_HOLDER_WRITES: dict[tuple[str, str], str] = {
    ("POST", "/api/cases/{case_id}/answer"): "the claim itself: any operator answers a queued case",
    ("POST", "/api/cases/{case_id}/takeover"): "a supervisor's explicit, audited change of holder",
    ("POST", "/api/cases/{case_id}/take"): "the officer's claim itself: a 409 naming the officer who has it",
    ("POST", "/api/reviews/{review_id}/decision"): "the reviewer is by rule not the case's holder but an officer "
                                                  "who did not issue the document; tests/server/test_reviews.py "
                                                  "refuses the issuer with 403 and changes nothing",
}


@dataclass(frozen=True)
class Scene:
    case_id: int
    number: str
    party_id: int
    evidence_id: int
    invitation_id: int

    def path(self, template: str) -> str:
        return (template.replace("{case_id}", str(self.case_id)).replace("{party_id}", str(self.party_id))
                .replace("{evidence_id}", str(self.evidence_id)).replace("{invitation_id}", str(self.invitation_id)))


def image_bytes(colour=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buf, "JPEG")
    return buf.getvalue()


def recording_bytes(directory: Path) -> bytes:
    """A real segment from the seat's recorder."""
    recorder = SegmentRecorder(directory, uploader=None, segment_seconds=60, prefix="call")
    feed(recorder, [(160, 120)] * 12)
    asyncio.run(recorder.stop())
    return sorted(directory.glob("*.mp4"))[0].read_bytes()


@pytest.fixture
def people(auth_headers) -> dict[str, dict[str, str]]:
    """The holder (operator1) and, per role, a user of that role who does not hold the case."""
    return {"holder": auth_headers("operator", "operator1"), OPERATOR: auth_headers("operator", "operator2"),
            OFFICER: auth_headers("officer"), SUPERVISOR: auth_headers("supervisor"), ADMIN: auth_headers("admin")}


def held_case(client, app, holder: dict[str, str], state: str = "collecting") -> Scene:
    """A case operator1 answered, with a piece of evidence and a party link of its own."""
    case = app.state.ctx.cases.open_case("public", reporter_phone="13800138000")
    assert client.post(f"/api/cases/{case.id}/answer", headers=holder).status_code == 200
    if state == "collecting":
        assert client.post(f"/api/cases/{case.id}/start-collection", headers=holder).status_code == 200
    party_id = client.get(f"/api/cases/{case.id}", headers=holder).json()["parties"][0]["id"]
    r = client.post(f"/api/cases/{case.id}/evidence", headers=holder, data={"kind": "frame", "label": "impact"},
                    files={"file": ("f.jpg", image_bytes(), "image/jpeg")})
    assert r.status_code == 201, r.text
    invitation = client.post(f"/api/cases/{case.id}/invitations", headers=holder, json={"phone": "13900139000"})
    assert invitation.status_code == 201, invitation.text
    return Scene(case.id, case.number, party_id, r.json()["id"], invitation.json()["invitation_id"])


def make_call(client, method: str, path: str, call: Call, headers: dict[str, str], tmp_path: Path):
    if call.upload == "frame":
        return client.request(method, path, headers=headers, data={"kind": "frame", "label": "scene"},
                              files={"file": ("g.jpg", image_bytes((10, 200, 10)), "image/jpeg")})
    if call.upload == "recording":
        return client.request(method, path, headers=headers, data={"label": "segment-1"},
                              files={"file": ("call.mp4", recording_bytes(tmp_path), "video/mp4")})
    return client.request(method, path, headers=headers, json=call.json)


def snapshot(app, case_id: int) -> dict[str, list]:
    """Every row that belongs to the case: the case, its parties, evidence, links and audit events in full,
    and which SMS and dispatches were queued for it (their delivery goes on in the background)."""
    def full(model):
        return [getattr(model, c.key) for c in model.__mapper__.column_attrs]

    tables = ((Case, Case.id, full(Case)), (Party, Party.case_id, full(Party)),
              (Evidence, Evidence.case_id, full(Evidence)), (Invitation, Invitation.case_id, full(Invitation)),
              (AuditEvent, AuditEvent.case_id, full(AuditEvent)),
              (SmsMessage, SmsMessage.case_id, [SmsMessage.id, SmsMessage.phone, SmsMessage.text]),
              (Dispatch, Dispatch.case_id, [Dispatch.id]))
    with app.state.ctx.session_factory() as s:
        return {model.__tablename__: sorted(map(tuple, s.execute(select(*columns).where(key == case_id))), key=repr)
                for model, key, columns in tables}


def test_every_case_scoped_write_is_classified(app):
    scoped = {(m, p) for m, p in app_routes(app) if m in WRITES and CASE_SCOPED.search(p)}
    classified = HOLDER_WRITES.keys() | NOT_HOLDER_WRITES.keys()
    assert not HOLDER_WRITES.keys() & NOT_HOLDER_WRITES.keys()
    missing = sorted(scoped - classified)
    assert not missing, (
        "these routes write to one case but are not in HOLDER_WRITES or NOT_HOLDER_WRITES in "
        f"tests/server/test_case_holder.py; add each with the request its holder makes: {missing}")
    assert not sorted(classified - scoped), "the tables list routes the app no longer has"


def officer_holds(client, app, scene: Scene, officer: dict[str, str]) -> dict[str, str]:
    """Moves the scene's case to awaiting_liability, taken by ``officer``; returns the officer's headers."""
    with app.state.ctx.session_factory.begin() as s:
        s.execute(update(Case).where(Case.id == scene.case_id).values(state="awaiting_liability"))
    assert client.post(f"/api/cases/{scene.case_id}/take", headers=officer).status_code == 200
    return officer


def _with_party(body, party_id: int):
    if isinstance(body, dict):
        return {k: _with_party(v, party_id) for k, v in body.items()}
    if isinstance(body, list):
        return [_with_party(v, party_id) for v in body]
    return party_id if body == "{party_id}" else body


@pytest.mark.parametrize("route", sorted(HOLDER_WRITES), ids=lambda r: f"{r[0]} {r[1]}")
def test_same_role_other_holder_is_refused_and_changes_nothing(route, client, app, people, auth_headers,
                                                               tmp_path):
    method, template = route
    call = HOLDER_WRITES[route]
    scene = held_case(client, app, people["holder"], call.state)
    holder = people["holder"]
    if call.officer:
        holder = officer_holds(client, app, scene, auth_headers("officer", "officer9"))
        call = replace(call, json=_with_party(call.json, scene.party_id))
    path = scene.path(template)
    before = snapshot(app, scene.case_id)
    roles = sorted(ACCESS[route])
    assert roles, f"{route} allows nobody"
    for role in roles:
        r = make_call(client, method, path, call, people[role], tmp_path)
        assert r.status_code == 403, f"{role} who does not hold the case: {method} {path} -> {r.status_code} {r.text}"
        body = r.json()
        assert body["error"] == "not_your_case" and scene.number in body["message"], body
        assert "其他坐席" in body["message"], body
        assert snapshot(app, scene.case_id) == before, f"{role}'s refused {method} {path} changed the case"
    # The control: the same request from the holder gets through the holder check.
    r = make_call(client, method, path, call, holder, tmp_path)
    assert r.status_code == call.holder_status, f"holder: {method} {path} -> {r.status_code} {r.text}"


def user_id(app, username: str) -> int:
    with app.state.ctx.session_factory() as s:
        return s.scalar(select(User.id).where(User.username == username))


def test_a_supervisor_hands_a_case_to_another_operator_and_both_seats_hear_of_it(client, app, people):
    scene = held_case(client, app, people["holder"])
    first, second = user_id(app, "operator1"), user_id(app, "operator2")
    party = f"/api/cases/{scene.case_id}/parties/{scene.party_id}"
    with seat_socket(client, people["holder"]) as seat1, seat_socket(client, people[OPERATOR]) as seat2:
        r = client.post(f"/api/cases/{scene.case_id}/takeover", headers=people[SUPERVISOR],
                        json={"reason": "坐席一交接班", "operator_user_id": second})
        assert r.status_code == 200, r.text
        assert (r.json()["state"], r.json()["seat_user_id"]) == ("collecting", second)
        assert r.json()["reporter_phone"] == "138****8000"  # the supervisor does not hold it: masked
        for seat in (seat1, seat2):
            told = recv_until(seat, of_type("case_taken_over"))
            assert (told["case_id"], told["number"], told["holder_user_id"]) == (scene.case_id, scene.number, second)
        # The previous holder is refused on REST and on the socket alike; the new one writes.
        r = client.patch(party, headers=people["holder"], json={"driver_name": "李四"})
        assert r.status_code == 403 and r.json()["error"] == "not_your_case"
        seat1.send_json({"type": "hangup", "case_id": scene.case_id, "reason": "operator"})
        assert recv_until(seat1, of_type("error"))["code"] == "not_your_case"
    assert client.patch(party, headers=people[OPERATOR], json={"driver_name": "李四"}).status_code == 200
    with app.state.ctx.session_factory() as s:
        [event] = [e for e in events_for_case(s, scene.case_id) if e.action == "takeover"]
        case = s.get(Case, scene.case_id)
    assert event.actor == f"user:{user_id(app, 'supervisor1')}"
    assert event.detail == {"from_user_id": first, "to_user_id": second, "reason": "坐席一交接班"}
    assert (case.seat_user_id, case.last_seat_user_id) == (second, second)  # a rejoin goes to the new holder


def test_a_supervisor_who_takes_a_case_over_acts_on_it_and_nobody_else_of_that_role_does(client, app, people,
                                                                                         auth_headers):
    scene = held_case(client, app, people["holder"])
    url = f"/api/cases/{scene.case_id}"
    other_supervisor = auth_headers("supervisor", "supervisor2")
    assert client.post(url + "/takeover", headers=people[SUPERVISOR], json={"reason": "有人受伤"}).status_code == 200
    r = client.post(url + "/escalate", headers=other_supervisor, json={"reason": "有人受伤"})
    assert r.status_code == 403 and r.json()["error"] == "not_your_case"
    r = client.post(url + "/escalate", headers=people[SUPERVISOR], json={"reason": "有人受伤"})
    assert r.status_code == 200 and r.json()["state"] == "escalated"
    assert r.json()["reporter_phone"] == "13800138000"  # the supervisor holds it now


def test_a_takeover_needs_a_reason_an_active_operator_and_an_operator_phase(client, app, people):
    scene = held_case(client, app, people["holder"])
    url = f"/api/cases/{scene.case_id}/takeover"
    sup = people[SUPERVISOR]
    before = snapshot(app, scene.case_id)
    r = client.post(url, headers=sup, json={"reason": "  "})
    assert r.status_code == 422 and "原因" in r.json()["message"]
    r = client.post(url, headers=sup, json={"reason": "交接班", "operator_user_id": user_id(app, "officer1")})
    assert r.status_code == 404 and "坐席操作员" in r.json()["message"]
    r = client.post(url, headers=sup, json={"reason": "交接班", "operator_user_id": user_id(app, "operator1")})
    assert r.status_code == 409  # already its holder
    assert client.post(url, headers=people[OPERATOR], json={"reason": "我来"}).status_code == 403
    assert snapshot(app, scene.case_id) == before
    with app.state.ctx.session_factory.begin() as s:
        s.execute(update(Case).where(Case.id == scene.case_id).values(state="awaiting_liability"))
    r = client.post(url, headers=sup, json={"reason": "交接班"})
    assert r.status_code == 409 and "待责任认定" in r.json()["message"]


def test_a_seat_still_sends_the_recording_of_its_call_after_the_case_changed_hands(client, app, people,
                                                                                   auth_headers, tmp_path):
    """A seat that crashed mid-call uploads its segments at the next start, after another seat answered."""
    scene = held_case(client, app, people["holder"], state="in_call")
    assert client.post(f"/api/cases/{scene.case_id}/interrupt", headers=people["holder"]).status_code == 200
    app.state.ctx.cases.transition(scene.case_id, S.QUEUED, Actor.party(scene.case_id, None), changes={"priority": 1})
    assert client.post(f"/api/cases/{scene.case_id}/answer", headers=people[OPERATOR]).status_code == 200
    recording = Call(upload="recording")
    path = f"/api/cases/{scene.case_id}/recordings"
    r = make_call(client, "POST", path, recording, auth_headers("operator", "operator3"), tmp_path / "3")
    assert r.status_code == 403  # never answered it: no call of this case to send
    r = make_call(client, "POST", path, recording, people["holder"], tmp_path / "1")
    assert r.status_code == 201, r.text
    r = make_call(client, "POST", f"/api/cases/{scene.case_id}/evidence", Call(upload="frame"), people["holder"],
                  tmp_path)
    assert r.status_code == 403  # but new frames are the new holder's


def test_nobody_writes_to_a_case_nobody_has_answered(client, app, people):
    case = app.state.ctx.cases.open_case("public", reporter_phone="13800138000")
    party_id = case.parties[0].id
    r = client.patch(f"/api/cases/{case.id}/parties/{party_id}", headers=people["holder"], json={"plate": "川A12345"})
    assert r.status_code == 403 and "尚未接听" in r.json()["message"]
    assert client.post(f"/api/cases/{case.id}/answer", headers=people["holder"]).status_code == 200


def test_a_takeover_landing_between_the_holder_check_and_the_write_makes_the_write_lose(client, app, people,
                                                                                        db_url):
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite's BEGIN IMMEDIATE serializes writers: nothing lands between the check and the write")
    scene = held_case(client, app, people["holder"])
    cases = app.state.ctx.cases
    supervisor, operator = user_id(app, "supervisor1"), user_id(app, "operator1")

    def take_over_meanwhile(session, case) -> None:  # the guard runs after the holder check, before the write
        cases.take_over(scene.case_id, Actor("supervisor", f"user:{supervisor}", user_id=supervisor), None, "交接班")

    with pytest.raises(Conflict):
        cases.transition(scene.case_id, S.INTERRUPTED, Actor("operator", f"user:{operator}", user_id=operator),
                         guard=take_over_meanwhile)
    case = cases.get(scene.case_id)
    assert (case.state, case.seat_user_id) == ("collecting", supervisor)
