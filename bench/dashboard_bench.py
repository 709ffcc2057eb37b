"""Dashboard bench: a large city's year (200,000 cases, about 3 million audit events), then the dashboard's
queries on SQLite and on PostgreSQL against the 300 ms target (issue 14).

    python bench/dashboard_bench.py                 # 200,000 cases on both databases
    python bench/dashboard_bench.py --cases 20000   # a quicker look
    python bench/dashboard_bench.py --no-postgres   # SQLite only

The data goes into scratch databases only: a temporary SQLite file and a PostgreSQL database
``kuaichu_bench`` (created and dropped here; the server at KUAICHU_BENCH_PG_URL, by default the test
server's 127.0.0.1:5432). Both are migrated with the real migrations, so the indexes are the server's.

The rows are bulk-inserted (executemany on SQLite, COPY on PostgreSQL) straight into ``cases`` and
``audit_events``, with DUMMY HASHES: going through ``audit.append`` would take hours, and the hash chain
plays no part in the queries. ``verify-audit`` would therefore fail on these scratch databases, which is why
they are scratch. Inserting needs no trigger bypass (the triggers refuse only UPDATE and DELETE).

Each case follows the shape of a real one (about 15 events: open, location, safety ticks, answer, camera,
collection, parties, three captured frames, registry checks, the leave-scene instruction, submit, SMS,
determine), with some abandoned, escalated, interrupted-and-resumed, sent back and reviewed.

The dashboard reads the rollup ``case_metrics`` (migration 0009); after loading, the bench fills it from the
raw audit rows with the same ``rebuild`` the migration runs, and times the raw read too (RAW rows).

Printed per database: load time, then each dashboard query's median of 5 runs (after one warm-up) and its
ratio to the 300 ms target: today by hour (the dashboard's opening view), yesterday by hour, the last 7 days
by day, by seat and by officer, the last 30 days by day, the whole year by day, and the "now" figures.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, text

from server.adapters.db import make_engine, make_session_factory
from server.adapters.schema import upgrade
from server.services.demo_history import LEAVE_SCENE_TEXT
from server.domain import metrics as m
from server.services.metrics import MetricsService, SeatPresence, case_facts
from server.services.metrics_rollup import rebuild

TARGET_MS = 300.0
ZONE = "Asia/Shanghai"
PG_ADMIN_URL = os.environ.get("KUAICHU_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PG_DB = "kuaichu_bench"
OPERATORS, OFFICERS = 40, 12
CASE_COLUMNS = ("id", "number", "state", "source", "reporter_phone", "priority", "queued_at", "last_seat_user_id",
                "seat_user_id", "officer_user_id", "district", "safety", "answers", "eligibility", "escalation_reason",
                "accident_facts", "weather", "operator_notes", "answered_at", "submitted_at", "determined_at",
                "created_at", "updated_at")
EVENT_COLUMNS = ("id", "case_id", "actor", "action", "from_state", "to_state", "detail", "created_at", "prev_hash",
                 "hash")
REASONS = ("有人受伤", "车辆无法移动", "一方驾驶人疑似饮酒", "当事人对事实有争议", "超出服务区域")


# --- the synthetic year -------------------------------------------------------------------------


def generate(cases: int, now: datetime, seed: int = 14) -> Iterator[tuple[tuple, list[tuple]]]:
    """(case row, its audit event rows) for ``cases`` cases spread over the 365 days before ``now``."""
    rng = random.Random(seed)
    start = now - timedelta(days=365)
    step = 365 * 86400 / cases
    event_id = 0
    for i in range(cases):
        case_id = i + 1
        reported = start + timedelta(seconds=i * step + rng.uniform(0, step))
        seat = 1 + rng.randrange(OPERATORS)
        officer = 1 + OPERATORS + rng.randrange(OFFICERS)
        events, state, reason = _story(rng, seat, officer)
        rows = []
        for after_s, action, actor, from_state, to_state, detail in events:
            event_id += 1
            rows.append((event_id, case_id, actor, action, from_state, to_state, detail,
                         reported + timedelta(seconds=after_s), f"{event_id - 1:064x}", f"{event_id:064x}"))
        at = {a: reported + timedelta(seconds=t) for t, a, *_ in reversed(events)}  # first time of each action
        decided = "determine" in at
        case = (case_id, f"KB{case_id:010d}", state, "public", "", 0, reported,
                seat if "answer" in at else None, seat if "answer" in at else None, officer if decided else None,
                "", "{}", "{}", "{}", reason, "", "", "", at.get("answer"), at.get("submit"), at.get("determine"),
                reported, reported + timedelta(seconds=events[-1][0]))
        yield case, rows


def _story(rng: random.Random, seat: int, officer: int) -> tuple[list[tuple], str, str]:
    op, off, party = f"user:{seat}", f"user:{officer}", "party:1"
    ev = [(0, "open", "system", "", "queued", '{"source":"public"}'),
          (3, "location", party, "", "", '{"lat":30.66,"lon":104.06,"accuracy_m":12}'),
          (8, "safety", party, "", "", '{"ticks":{"hazard_lights":true}}')]
    wait = max(5.0, min(400.0, rng.lognormvariate(3.5, 0.55)))
    if rng.random() < 0.05:
        return ev + [(wait + rng.uniform(20, 120), "abandon", "system", "queued", "abandoned", "{}")], "abandoned", ""
    t = wait
    ev += [(t, "answer", op, "queued", "in_call", "{}"), (t + 4, "phone_camera_switched", party, "", "", "{}"),
           (t + 20, "start_collection", op, "in_call", "collecting", "{}")]
    if rng.random() < 0.06:
        ev += [(t + 60, "interrupt", "system", "collecting", "interrupted", '{"reason":"phone_gone"}'),
               (t + 90, "rejoin", party, "interrupted", "queued", "{}"), (t + 100, "answer", op, "queued", "in_call", "{}")]
        t += 100
    for k in range(3):
        ev.append((t + 25 + 10 * k, "evidence_added", op, "", "", '{"kind":"frame","label":"scene"}'))
    ev += [(t + 60, "party_added", op, "", "", '{"kind":"motor"}'), (t + 70, "party_updated", op, "", "", "{}"),
           (t + 80, "party_verified", op, "", "", "{}"), (t + 90, "answers_set", op, "", "", "{}")]
    if rng.random() < 0.08:
        reason = rng.choice(REASONS)
        return ev + [(t + 150, "escalate", op, "collecting", "escalated", json.dumps({"reason": reason}))], \
            "escalated", reason
    t += max(40.0, rng.gauss(140, 40))
    ev += [(t, "instruction", op, "", "", json.dumps({"text": LEAVE_SCENE_TEXT, "via": "data_channel"},
                                                       ensure_ascii=False)),
           (t + 30, "submit", op, "collecting", "awaiting_liability", "{}")]
    t += 30
    if rng.random() < 0.05:
        ev += [(t + 400, "send_back", off, "awaiting_liability", "collecting", "{}"),
               (t + 600, "submit", op, "collecting", "awaiting_liability", "{}")]
        t += 600
    t += max(120.0, min(7200.0, rng.lognormvariate(6.6, 0.5)))
    ev += [(t, "determine", off, "awaiting_liability", "determined", "{}"),
           (t + 2, "sms_sent", "system", "", "", "{}")]
    state = "determined"
    if rng.random() < 0.04:
        ev += [(t + 7200, "request_review", party, "determined", "review_requested", "{}"),
               (t + 90000, "review", off, "review_requested", "reviewed", '{"outcome":"revised"}')]
        state = "reviewed"
    return ev, state, ""


def _users() -> list[tuple]:
    created = datetime(2025, 1, 1, tzinfo=timezone.utc)
    rows = [(i, f"op{i:03d}", f"坐席{i:03d}", "operator") for i in range(1, OPERATORS + 1)]
    rows += [(OPERATORS + i, f"off{i:03d}", f"民警{i:03d}", "officer") for i in range(1, OFFICERS + 1)]
    return [(uid, name, display, role, "x", True, "", created) for uid, name, display, role in rows]


# --- loading ------------------------------------------------------------------------------------


def load_sqlite(path: Path, cases: int, now: datetime) -> tuple[int, float]:
    upgrade(f"sqlite:///{path}")
    started = time.perf_counter()
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.executemany("INSERT INTO users (id, username, display_name, role, password_hash, active, badge_number,"
                    " created_at) VALUES (?,?,?,?,?,?,?,?)", [_sqlite_row(u) for u in _users()])
    case_sql = f"INSERT INTO cases ({','.join(CASE_COLUMNS)}) VALUES ({','.join('?' * len(CASE_COLUMNS))})"
    event_sql = f"INSERT INTO audit_events ({','.join(EVENT_COLUMNS)}) VALUES ({','.join('?' * len(EVENT_COLUMNS))})"
    events = 0
    for batch in _batches(generate(cases, now), 5000):
        con.executemany(case_sql, [_sqlite_row(c) for c, _ in batch])
        rows = [_sqlite_row(e) for _, evs in batch for e in evs]
        con.executemany(event_sql, rows)
        events += len(rows)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return events, time.perf_counter() - started


def _sqlite_row(row: tuple) -> tuple:
    # SQLAlchemy's SQLite DATETIME format, in UTC (what UTCDateTime stores)
    return tuple(v.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(v, datetime) else v
                 for v in row)


def load_postgres(url: str, cases: int, now: datetime) -> tuple[int, float]:
    upgrade(url)
    started = time.perf_counter()
    engine = create_engine(url)
    raw = engine.raw_connection()
    events = 0
    try:
        cur = raw.cursor()
        _copy(cur, "users", ("id", "username", "display_name", "role", "password_hash", "active", "badge_number",
                             "created_at"), _users())
        for batch in _batches(generate(cases, now), 20000):
            _copy(cur, "cases", CASE_COLUMNS, [c for c, _ in batch])
            rows = [e for _, evs in batch for e in evs]
            _copy(cur, "audit_events", EVENT_COLUMNS, rows)
            events += len(rows)
        raw.commit()
        cur.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()
        engine.dispose()
    return events, time.perf_counter() - started


def _copy(cur, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with cur.copy(f"COPY {table} ({','.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _batches(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- timing -------------------------------------------------------------------------------------


def fill_rollup(url: str) -> float:
    """The rollup from the raw audit read, as migration 0009 fills it for existing cases."""
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.begin() as c:
        rebuild(c)
    engine.dispose()
    return time.perf_counter() - started


def queries(service: MetricsService, factory) -> list[tuple[str, Callable[[], object]]]:
    today = service.today()
    day = timedelta(days=1)

    def report(first, last, group):
        return lambda: service.report(service.range(first.isoformat(), last.isoformat()), group)

    def raw(first, last, group):
        def run():
            rng = service.range(first.isoformat(), last.isoformat())
            with factory() as s:
                return m.report(case_facts(s, rng.start, rng.end, raw=True), rng, group, str)
        return run

    def facts(first, last, from_raw):
        def run():
            rng = service.range(first.isoformat(), last.isoformat())
            with factory() as s:
                return case_facts(s, rng.start, rng.end, raw=from_raw)
        return run

    presence = {uid: SeatPresence(datetime.now(timezone.utc)) for uid in range(1, 21)}
    return [
        ("today by hour (opening view)", report(today, today, "hour")),
        ("yesterday by hour", report(today - day, today - day, "hour")),
        ("last 7 days by day", report(today - 6 * day, today, "day")),
        ("last 7 days by seat", report(today - 6 * day, today, "seat")),
        ("last 7 days by officer", report(today - 6 * day, today, "officer")),
        ("last 30 days by day", report(today - 29 * day, today, "day")),
        ("whole year by day", report(today - 365 * day, today, "day")),
        ("now figures", lambda: service.now(presence)),
        ("last 7 days by day, again", report(today - 6 * day, today, "day")),
        ("  of which reading the rollup", facts(today - 6 * day, today, False)),
        ("  of which reading raw", facts(today - 6 * day, today, True)),
        ("RAW today by hour", raw(today, today, "hour")),
        ("RAW last 7 days by day", raw(today - 6 * day, today, "day")),
        ("RAW last 30 days by day", raw(today - 29 * day, today, "day")),
    ]


def time_queries(url: str) -> dict[str, tuple[float, int]]:
    engine = make_engine(url)
    factory = make_session_factory(engine)
    service = MetricsService(factory, ZONE)
    results = {}
    for name, run in queries(service, factory):
        run()
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            body = run()
            samples.append((time.perf_counter() - started) * 1000)
        cases = len(body) if isinstance(body, list) else body["total"]["cases"] if "total" in body \
            else body["calls_waiting"]
        results[name] = (statistics.median(samples), cases)
    engine.dispose()
    return results


def print_results(label: str, cases: int, events: int, load_s: float, rollup_s: float,
                  results: dict[str, tuple[float, int]]) -> None:
    print(f"\n{label}: {cases:,} cases, {events:,} audit events, loaded in {load_s:.0f} s,"
          f" rollup filled from them in {rollup_s:.1f} s")
    print("  (the dashboard reads the rollup; RAW rows read the audit events directly, for comparison)")
    for name, (ms, n) in results.items():
        verdict = "ok" if ms <= TARGET_MS else "OVER"
        print(f"  {name:32} {ms:8.1f} ms  x{ms / TARGET_MS:5.2f} of {TARGET_MS:.0f} ms  {verdict:4}  ({n:,} cases)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    now = datetime.now(timezone.utc)
    with tempfile.TemporaryDirectory(prefix="kuaichu-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        events, load_s = load_sqlite(path, args.cases, now)
        url = f"sqlite:///{path}"
        print_results("SQLite", args.cases, events, load_s, fill_rollup(url), time_queries(url))
        sys.stdout.flush()
    if args.no_postgres:
        return 0
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
    try:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
            c.execute(text(f'CREATE DATABASE "{PG_DB}"'))
        events, load_s = load_postgres(url, args.cases, now)
        print_results("PostgreSQL", args.cases, events, load_s, fill_rollup(url), time_queries(url))
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{PG_DB}" WITH (FORCE)'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
