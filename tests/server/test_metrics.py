"""The dashboard's figures, exactly, over a seeded day with known timings, on SQLite and PostgreSQL.

The day is 2026-11-20 in Asia/Shanghai (UTC+8). Times below are local; each case lists its events in
seconds after it was reported. Expected values are worked out by hand from server/domain/metrics.py's
definitions (nearest-rank percentiles).
"""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from server.adapters.db import unit_of_work
from server.adapters.orm import User
from server.services import audit
from server.services.demo_history import LEAVE_SCENE_TEXT, Step, record_case

CST = timezone(timedelta(hours=8))
DAY = "2026-11-20"


def local(hhmm: str, day: int = 20) -> datetime:
    h, m = map(int, hhmm.split(":"))
    return datetime(2026, 11, day, h, m, tzinfo=CST)


@pytest.fixture
def day(app, make_user) -> dict[str, int]:
    return seed_day(app, make_user)


def seed_day(app, make_user) -> dict[str, int]:
    """The day described at the top, through the same writer as the demo history (on the audit chain)."""
    for name, role in (("op_a", "operator"), ("op_b", "operator"), ("off_o", "officer")):
        make_user(name, role)
    factory = app.state.ctx.session_factory
    with unit_of_work(factory) as s:
        ids = {u.username: u.id for u in s.query(User)}
    a, b, o = ids["op_a"], ids["op_b"], ids["off_o"]
    A, B, O = f"user:{a}", f"user:{b}", f"user:{o}"
    leave = {"text": LEAVE_SCENE_TEXT, "via": "data_channel"}
    frame = {"kind": "frame"}
    with unit_of_work(factory) as s:
        # c0 00:10, just after midnight: answered 50 s, submitted at 250 s, no evacuation instruction
        record_case(s, local("00:10"), [Step(50, "answer", A), Step(250, "submit", A)], seat_user_id=a)
        # c1 09:10: answer 30, evacuate 150, submit 200, determined 1000, a captured frame
        record_case(s, local("09:10"), [Step(30, "answer", A), Step(60, "evidence_added", A, frame),
                                        Step(150, "instruction", A, leave), Step(200, "submit", A),
                                        Step(1000, "determine", O)], seat_user_id=a, officer_user_id=o)
        # c2 09:40: answer 90, an unrelated instruction, escalated at 300
        record_case(s, local("09:40"), [Step(90, "answer", A), Step(120, "instruction", A, {"text": "请打开双闪"}),
                                        Step(300, "escalate", A, {"reason": "有人受伤"})],
                    seat_user_id=a, escalation_reason="有人受伤")
        # c3 10:05: answer 45, interrupted 100, rejoined 130, answered again 160, evacuate 260, submit 300,
        # sent back 400, submitted again 500, determined 900
        record_case(s, local("10:05"), [
            Step(45, "answer", B), Step(70, "evidence_added", B, frame), Step(100, "interrupt", "system"),
            Step(130, "rejoin", "party:1"), Step(160, "answer", B), Step(260, "instruction", B, leave),
            Step(300, "submit", B), Step(400, "send_back", O), Step(500, "submit", B), Step(900, "determine", O),
        ], seat_user_id=b, officer_user_id=o)
        # c4 10:20: the caller gave up after 70 s
        record_case(s, local("10:20"), [Step(70, "abandon", "system")])
        # c5 23:50: answer 20, submitted at 700 (past midnight), determined 2000, review requested and revised
        record_case(s, local("23:50"), [Step(20, "answer", B), Step(700, "submit", B), Step(2000, "determine", O),
                                        Step(3000, "request_review", "party:1"),
                                        Step(4000, "review", O, {"outcome": "revised"})],
                    seat_user_id=b, officer_user_id=o)
        # c6 23:58: answered 10 s in, still collecting (open at the end of the range)
        record_case(s, local("23:58"), [Step(10, "answer", B), Step(40, "start_collection", B)], seat_user_id=b)
        # c7 the next day, 00:30: outside the range
        record_case(s, local("00:30", day=21), [Step(15, "answer", A), Step(100, "submit", A)], seat_user_id=a)
    return {"a": a, "b": b, "o": o}


def get(client, auth_headers, **params):
    r = client.get("/api/metrics", params=params, headers=auth_headers("supervisor"))
    assert r.status_code == 200, r.text
    return r.json()


def stat(count, p50, p90, mean):
    return {"count": count, "p50": p50, "p90": p90, "mean": mean}


def rate(n, d):
    return {"numerator": n, "denominator": d, "rate": round(n / d, 4) if d else None}


EMPTY = stat(0, None, None, None)


def test_every_metric_of_the_day_exactly(client, auth_headers, day):
    total = get(client, auth_headers, **{"from": DAY, "to": DAY, "group": "day"})["total"]
    assert {k: total[k] for k in ("cases", "answered", "abandoned", "escalated", "submitted", "determined", "open")} \
        == {"cases": 7, "answered": 6, "abandoned": 1, "escalated": 1, "submitted": 4, "determined": 3, "open": 1}
    assert total["times"] == {
        "answer": stat(6, 30.0, 90.0, 40.83),  # 10 20 30 45 50 90
        "scene": stat(5, 210.0, 680.0, 285.0),  # 120 200 210 215 680
        "handling": stat(5, 210.0, 680.0, 303.0),  # 170 200 210 255 680
        "decision": stat(3, 800.0, 1300.0, 900.0),  # 600 800 1300 (from the first submit)
        "end_to_end": stat(3, 1000.0, 2000.0, 1300.0),  # 900 1000 2000
        "abandon_wait": stat(1, 70.0, 70.0, 70.0),
    }
    assert total["rates"] == {"abandon": rate(1, 7), "escalation": rate(1, 6), "send_back": rate(1, 4),
                              "review": rate(1, 3), "overturn": rate(1, 1), "video_success": rate(2, 6)}
    assert total["service_level"] == {"answered_within_60s": rate(5, 7), "done_within_5min": rate(4, 5)}
    assert total["interruptions"] == {"count": 1, "per_call": 0.1667, "interrupted_cases": 1, "resumed": rate(1, 1)}
    assert total["escalation_reasons"] == [{"reason": "有人受伤", "count": 1}]


def test_per_hour(client, auth_headers, day):
    body = get(client, auth_headers, **{"from": DAY, "group": "hour"})
    groups = {g["key"]: g for g in body["groups"]}
    assert [g["key"] for g in body["groups"]] == [f"{DAY}T{h:02d}" for h in range(24)]
    assert groups[f"{DAY}T09"]["label"] == "11-20 09:00"
    assert {k: g["cases"] for k, g in groups.items() if g["cases"]} == {
        f"{DAY}T00": 1, f"{DAY}T09": 2, f"{DAY}T10": 2, f"{DAY}T23": 2}
    assert groups[f"{DAY}T09"]["times"]["answer"] == stat(2, 30.0, 90.0, 60.0)
    assert groups[f"{DAY}T09"]["times"]["handling"] == stat(2, 170.0, 210.0, 190.0)
    assert groups[f"{DAY}T10"]["times"]["answer"] == stat(1, 45.0, 45.0, 45.0)
    assert groups[f"{DAY}T10"]["rates"]["abandon"] == rate(1, 2)
    assert groups[f"{DAY}T23"]["times"]["answer"] == stat(2, 10.0, 20.0, 15.0)
    assert groups[f"{DAY}T23"]["open"] == 1
    assert groups[f"{DAY}T12"]["times"]["answer"] == EMPTY


def test_per_seat(client, auth_headers, day):
    body = get(client, auth_headers, **{"from": DAY, "group": "seat"})
    assert [(g["key"], g["label"]) for g in body["groups"]] == [
        (str(day["a"]), "op_a"), (str(day["b"]), "op_b"), ("", "未接听")]
    a, b, nobody = body["groups"]
    assert a["times"]["answer"] == stat(3, 50.0, 90.0, 56.67)  # 30 50 90
    assert a["times"]["handling"] == stat(3, 200.0, 210.0, 193.33)  # 170 200 210
    assert b["times"]["answer"] == stat(3, 20.0, 45.0, 25.0)  # 10 20 45
    assert b["times"]["handling"] == stat(2, 255.0, 680.0, 467.5)
    assert b["interruptions"]["resumed"] == rate(1, 1)
    assert (nobody["cases"], nobody["abandoned"]) == (1, 1)


def test_per_officer(client, auth_headers, day):
    body = get(client, auth_headers, **{"from": DAY, "group": "officer"})
    assert [(g["key"], g["label"]) for g in body["groups"]] == [(str(day["o"]), "off_o"), ("", "未认定")]
    officer, undecided = body["groups"]
    assert officer["times"]["decision"] == stat(3, 800.0, 1300.0, 900.0)
    assert officer["rates"]["send_back"] == rate(1, 3)
    assert officer["rates"]["overturn"] == rate(1, 1)
    assert undecided["cases"] == 4


def test_a_range_across_midnight_counts_each_case_on_its_local_day(client, auth_headers, day):
    body = get(client, auth_headers, **{"from": DAY, "to": "2026-11-21", "group": "day"})
    assert [(g["key"], g["cases"]) for g in body["groups"]] == [(DAY, 7), ("2026-11-21", 1)]
    # c5 was submitted after midnight and still counts, with its full handling time, on the 20th
    assert body["groups"][0]["times"]["handling"]["p90"] == 680.0
    # c0 (00:10 local) is still the 19th in UTC, yet not in the 19th's local range
    assert get(client, auth_headers, **{"from": "2026-11-19"})["total"]["cases"] == 0


def test_an_empty_range(client, auth_headers, day):
    body = get(client, auth_headers, **{"from": "2026-10-01", "to": "2026-10-03", "group": "day"})
    assert body["total"]["cases"] == 0
    assert body["total"]["times"]["answer"] == EMPTY
    assert body["total"]["rates"]["abandon"] == rate(0, 0)
    assert body["total"]["interruptions"]["per_call"] is None
    assert [g["cases"] for g in body["groups"]] == [0, 0, 0]


def test_csv_equals_json(client, auth_headers, day):
    for group in ("hour", "seat"):
        params = {"from": DAY, "group": group}
        body = get(client, auth_headers, **params)
        r = client.get("/api/metrics.csv", params=params, headers=auth_headers("supervisor"))
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
        assert [row["key"] for row in rows] == ["total"] + [g["key"] for g in body["groups"]]
        for row, bucket in zip(rows, [body["total"], *body["groups"]]):
            assert int(row["cases"]) == bucket["cases"]
            for name, s in bucket["times"].items():
                assert (row[f"{name}_count"], row[f"{name}_p50"], row[f"{name}_p90"]) == (
                    str(s["count"]), _cell(s["p50"]), _cell(s["p90"]))
            for name, r8 in {**bucket["rates"], **bucket["service_level"]}.items():
                assert (row[f"{name}_num"], row[f"{name}_den"], row[name]) == (
                    str(r8["numerator"]), str(r8["denominator"]), _cell(r8["rate"]))


def _cell(value) -> str:
    return "" if value is None else str(value)


@pytest.mark.parametrize("params, fragment", [
    ({"from": "2026-11-20", "to": "2026-11-19"}, "结束日期"), ({"from": "2025-01-01", "to": "2026-01-02"}, "366"),
    ({"from": "9999-12-31"}, "日期须在"),
])
def test_dates_that_make_no_range_are_refused_in_chinese(client, auth_headers, params, fragment):
    for path in ("/api/metrics", "/api/metrics.csv"):
        r = client.get(path, params=params, headers=auth_headers("supervisor"))
        assert r.status_code == 400 and r.json()["error"] == "bad_range" and fragment in r.json()["message"], r.text


@pytest.mark.parametrize("params", [{"from": "2026-13-01"}, {"to": "20261120"}, {"group": "week"}])
def test_malformed_dates_and_unknown_groups_are_invalid(client, auth_headers, params):
    r = client.get("/api/metrics", params=params, headers=auth_headers("admin"))
    assert r.status_code == 422 and r.json()["error"] == "invalid", r.text


@pytest.mark.parametrize("role, status", [("operator", 403), ("officer", 403), ("supervisor", 200), ("admin", 200)])
def test_only_supervisors_and_admins_read_metrics(client, auth_headers, role, status):
    for path in ("/api/metrics", "/api/metrics.csv", "/api/metrics/now"):
        assert client.get(path, headers=auth_headers(role)).status_code == status, path


def test_the_seeded_history_keeps_the_audit_chain_whole(app, day):
    with app.state.ctx.session_factory() as s:
        assert audit.verify_chain(s).ok
