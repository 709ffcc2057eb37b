"""Answers and field updates given in quick succession: what the seat shows holds every one of them.

Each answer's reply carries the server's checklist as it was when that answer was stored.
If the seat sent the answers side by side, the reply to the first (computed before the
second arrived) could come back last and show the second question as unanswered again,
with 提交 greyed out until some later refresh. The fake server below answers the first
request slowly, so that order shows if the seat does not keep its requests in line.
"""
from __future__ import annotations

import asyncio
import threading
import time

from seat_app.core.case import Case
from seat_app.services.api_client import AsyncApi
from seat_app.services.case_session import CaseSession
from tests.seat_app.doubles import FakeApi, case_json

QUESTIONS = (("injuries", "none"), ("drink_drugs_flight", False), ("vehicles_movable", True))


class SlowFirst(FakeApi):
    """A fake server whose first call of the kind a test races is slow to reply; it counts calls at once."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.started = 0
        self.at_once = 0
        self.most_at_once = 0

    def _arrive(self) -> float:
        """Under ``lock``: counts this call in; returns how long it waits before replying."""
        self.started += 1
        self.at_once += 1
        self.most_at_once = max(self.most_at_once, self.at_once)
        return 0.3 if self.started == 1 else 0.0

    def _leave(self) -> None:
        with self.lock:
            self.at_once -= 1


class SlowFirstReply(SlowFirst):
    """A server that evaluates the rules from the stored answers, and is slow to send its first reply."""

    def set_answers(self, case_id: int, answers: dict) -> dict:
        with self.lock:
            delay = self._arrive()
            super().set_answers(case_id, answers)
            stored = dict(self.cases[case_id]["answers"])
        time.sleep(delay)
        self._leave()
        return {"rules": [{"key": key, "status": "met" if key in stored else "needs_answer"}
                          for key, _ in QUESTIONS]}


async def test_three_quick_answers_all_show_as_answered():
    api = SlowFirstReply()
    api.cases[1] = case_json(1, state="collecting", parties=2)
    session = CaseSession(AsyncApi(api), Case.from_json(api.cases[1]))

    await asyncio.gather(*(session.answer_question(key, value) for key, value in QUESTIONS))

    eligibility = {i.key: i.status.value for i in session.checklist().section("eligibility")}
    assert eligibility == {f"eligibility.{key}": "met" for key, _ in QUESTIONS}
    assert api.most_at_once == 1


class SlowFirstPartyReply(SlowFirst):
    """A server whose first reply to a party update comes back after the second one."""

    def update_party(self, case_id: int, party_id: int, fields: dict) -> dict:
        with self.lock:
            delay = self._arrive()
            reply = super().update_party(case_id, party_id, fields)
        time.sleep(delay)
        self._leave()
        return reply


async def test_two_quick_updates_of_one_party_both_stay_on_the_form():
    api = SlowFirstPartyReply()
    api.cases[1] = case_json(1, state="collecting", parties=2)
    session = CaseSession(AsyncApi(api), Case.from_json(api.cases[1]))

    await asyncio.gather(session.update_fields(11, {"driver_name": "王建国"}),
                         session.update_fields(11, {"plate": "川A5F7K2"}))

    assert session.case.party(11).value("driver_name") == "王建国"
    assert session.case.party(11).value("plate") == "川A5F7K2"


class SlowCaseRead(FakeApi):
    """A server that reads the case for a refresh at once and sends it slowly."""

    def get_case(self, case_id: int) -> dict:
        reply = super().get_case(case_id)
        time.sleep(0.3)
        return reply


async def test_a_refresh_read_before_an_update_does_not_undo_it():
    api = SlowCaseRead()
    api.cases[1] = case_json(1, state="collecting", parties=2)
    session = CaseSession(AsyncApi(api), Case.from_json(api.cases[1]))

    refresh = asyncio.ensure_future(session.refresh())  # the phone moved: the seat reads the case again
    await asyncio.sleep(0.05)
    await session.update_fields(11, {"plate": "川A5F7K2"})
    await refresh

    assert session.case.party(11).value("plate") == "川A5F7K2"


class SlowFirstCheck(SlowFirst):
    """A registry whose first check takes longer than the second; each result names the plate it checked."""

    def verify_party(self, case_id: int, party_id: int) -> dict:
        with self.lock:
            delay = self._arrive()
            plate = next(p for p in self.cases[case_id]["parties"] if p["id"] == party_id).get("plate")
        time.sleep(delay)
        reply = super().verify_party(case_id, party_id)
        self._leave()
        reply["verification"] = {**reply["verification"], "checked_plate": plate}
        return reply


async def test_a_plate_corrected_during_its_check_is_checked_again_and_that_result_stays():
    api = SlowFirstCheck()
    api.cases[1] = case_json(1, state="collecting", parties=2)
    api.cases[1]["parties"][0]["plate"] = "川A5F7K8"  # misread
    session = CaseSession(AsyncApi(api), Case.from_json(api.cases[1]))

    first = asyncio.ensure_future(session.verify(11))
    await asyncio.sleep(0.05)
    api.cases[1]["parties"][0]["plate"] = "川A5F7K2"  # the operator corrects it meanwhile
    await asyncio.gather(first, session.verify(11))

    assert api.most_at_once == 1
    assert session.case.party(11).verification["checked_plate"] == "川A5F7K2"
