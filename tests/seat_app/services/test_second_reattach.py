"""A second 重新接入 for a case the seat already took back does not close it.

When the party rejoins, the seat answers the case again, from ``phone_rejoined`` or from a
queue frame showing the case back and held for it. A queue frame the server sent before that
answer can arrive after it and show the case as rejoining once more; answering again then
conflicts (the case is in a call already). The seat asks the server who holds the case: if it
is this seat, nothing is lost; if another seat took it over, the session ends as ``lost``.
"""
from __future__ import annotations

from seat_app.core.case import Case
from seat_app.services.api_client import AsyncApi
from seat_app.services.case_session import CaseSession
from tests.seat_app.doubles import FakeApi, case_json

ME, SOMEONE_ELSE = 7, 8


def held_case(holder: int) -> tuple[CaseSession, FakeApi]:
    api = FakeApi()
    api.cases[1] = case_json(1, state="collecting", parties=2) | {"seat_user_id": ME}
    session = CaseSession(AsyncApi(api), Case.from_json(api.cases[1]))
    api.cases[1]["seat_user_id"] = holder
    return session, api


async def test_a_stale_second_answer_keeps_the_case_when_this_seat_holds_it():
    session, api = held_case(holder=ME)
    ended: list[str] = []
    session.events.on("closed", lambda **kw: ended.append(kw))

    assert await session.reattach() is False
    assert not session.closed and not ended
    assert session.case.state == "collecting" and session.case.seat_user_id == ME
    assert [c[0] for c in api.calls][-2:] == ["answer", "get_case"]


async def test_a_refused_answer_for_a_case_another_seat_took_over_ends_the_session():
    session, api = held_case(holder=SOMEONE_ELSE)
    errors: list[dict] = []
    session.events.on("error", lambda **kw: errors.append(kw))

    assert await session.reattach() is False
    assert session.closed
    assert errors and errors[0]["action"] == "reattach"
