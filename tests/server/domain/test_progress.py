"""The party's timeline (server/domain/progress.py): which steps, in what order, with what next sentence."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from server.domain.progress import CaseTimes, Event, local_text, remaining_text, timeline

TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
LABELS = {11: "甲方", 12: "乙方"}


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def keys(events, viewer=11, times=CaseTimes()):
    return [s.key for s in timeline(events, times, viewer=viewer, labels=LABELS, tz=TZ)]


FULL = [Event("open", at(0), "party:11"), Event("answer", at(1), "user:3"),
        Event("evidence_added", at(3), "user:3"), Event("evidence_added", at(5), "user:3"),
        Event("submit", at(9), "user:3"),
        Event("document_issued", at(30), "user:7", {"number": "KC2026-000001"}),
        Event("document_delivered", at(31), "party:12", {"party_id": 12, "via": "opened"}),
        Event("document_delivered", at(40), "party:11", {"party_id": 11, "via": "downloaded"}),
        Event("claim_reported", at(41), "party:12", {"claim_id": 1}),
        Event("request_review", at(50), "party:12"),
        Event("review", at(90), "user:8", {"outcome": "upheld"})]


@pytest.mark.parametrize("events, viewer, expected", [
    ([], 11, []),
    (FULL[:2], 11, ["reported", "answered"]),
    # evidence is one step, closed by the submission
    (FULL[:5], 11, ["reported", "answered", "evidence", "submitted"]),
    # another party's delivery and claim are not the viewer's to see
    (FULL, 11, ["reported", "answered", "evidence", "submitted", "document_issued", "delivered",
                "review_requested", "review_decided"]),
    (FULL, 12, ["reported", "answered", "evidence", "submitted", "document_issued", "delivered", "claim_reported",
                "review_requested", "review_decided"]),
    # sent back for more evidence, then submitted again
    ([Event("open", at(0)), Event("evidence_added", at(2)), Event("submit", at(3)),
      Event("send_back", at(10), "user:7", {"reason": "请补拍乙车车牌"}), Event("rejoin", at(20), "party:11"),
      Event("evidence_added", at(22)), Event("submit", at(25))], 11,
     ["reported", "evidence", "submitted", "sent_back", "evidence", "submitted"]),
    # a review request's files are not the call's evidence
    ([Event("document_issued", at(0)), Event("request_review", at(5), "party:11"),
      Event("evidence_added", at(5), "party:11", {"kind": "review"})], 11, ["document_issued", "review_requested"]),
    ([Event("open", at(0)), Event("answer", at(1)), Event("escalate", at(4), "user:3")], 11,
     ["reported", "answered", "escalated"]),
    # the reviews service's own names count too; a withdrawal ends the review
    ([Event("review_requested", at(1), "party:11"), Event("review_withdrawn", at(2), "party:11")], 11,
     ["review_requested", "review_withdrawn"]),
])
def test_steps(events, viewer, expected):
    assert keys(events, viewer) == expected


def test_steps_come_in_time_order_even_when_the_events_do_not():
    steps = timeline(list(reversed(FULL)), CaseTimes(), viewer=11, labels=LABELS, tz=TZ)
    assert [s.at for s in steps] == sorted(s.at for s in steps)


def test_local_times_and_plain_sentences():
    steps = timeline(FULL, CaseTimes(), viewer=11, labels=LABELS, tz=TZ)
    first = steps[0]
    assert first.at_text == "2026年12月1日 10:00"  # Shanghai, not UTC
    issued = next(s for s in steps if s.key == "document_issued")
    assert "KC2026-000001" in issued.title and "复核" in issued.next
    assert next(s for s in steps if s.key == "submitted").next.startswith("现在等民警")
    review = next(s for s in steps if s.key == "review_requested")
    assert review.title == "乙方申请了复核"  # another party: its label, never its name
    assert "人民调解委员会" in next(s for s in steps if s.key == "review_decided").next


def test_the_viewers_own_request_says_you_and_a_sent_back_review_says_so():
    steps = timeline([Event("request_review", at(1), "party:11"), Event("review", at(5), "user:8",
                                                                          {"outcome": "sent_back"})],
                     CaseTimes(), viewer=11, labels=LABELS, tz=TZ)
    assert steps[0].title == "您申请了复核"
    assert steps[1].title == "复核结论：重新调查、认定" and "撤销" in steps[1].next


def test_a_send_back_names_its_reason():
    steps = timeline([Event("send_back", at(1), "user:7", {"reason": "请补拍乙车车牌"})], CaseTimes(),
                     viewer=11, labels=LABELS, tz=TZ)
    assert steps[0].title == "民警要求补充证据：请补拍乙车车牌" and "新链接" in steps[0].next


def test_case_times_stand_in_for_missing_events():
    times = CaseTimes(reported_at=at(0), answered_at=at(2), submitted_at=at(9))
    assert keys([Event("submit", at(9))], times=times) == ["reported", "answered", "submitted"]


@pytest.mark.parametrize("seconds, text", [
    (-5, "已过期"), (0, "已过期"), (30, "不到1分钟"), (59 * 60, "59分钟"), (3600, "1小时"), (3 * 3600 + 20 * 60, "3小时20分钟"),
    (86400, "1天"), (2 * 86400 + 5 * 3600 + 59, "2天5小时"),
])
def test_remaining_text(seconds, text):
    assert remaining_text(seconds) == text


def test_local_text_pads_minutes():
    assert local_text(datetime(2026, 1, 5, 9, 5)) == "2026年1月5日 09:05"
