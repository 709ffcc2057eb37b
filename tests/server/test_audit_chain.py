"""The audit log on both databases: the trigger refuses edits, tampering is found and named, appends never fork.

Tampering is done after the guard triggers are dropped, as someone with direct database access would:
events edited, deleted, reordered (ids or times swapped) and inserted (in the middle, before the first,
after the newest). What a hash chain cannot see by design, a rewrite that recomputes every hash after the
change and moves the head with it, is written in docs/security.md (the audit log)."""
from __future__ import annotations

import json
import re
import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DBAPIError

from server.adapters.db import make_engine, make_session_factory, unit_of_work
from server.adapters.orm import AuditEvent
from server.cli import main
from server.services import audit


def add_events(factory, n: int) -> None:
    for i in range(n):
        with unit_of_work(factory) as s:
            audit.append(s, actor="system", action="test", detail={"n": i, "text": "事故"})


@pytest.fixture
def factory(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def raw_sql(db_url: str, *statements: str) -> None:
    """Runs SQL outside the application's engine, as someone with direct database access would."""
    engine = create_engine(db_url)
    with engine.begin() as c:
        for statement in statements:
            c.execute(text(statement))
    engine.dispose()


def drop_append_only_triggers(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        raw_sql(db_url, "DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete")
    else:
        raw_sql(db_url, "DROP TRIGGER audit_events_append_only ON audit_events")


def verify_audit_cli(db_url, tmp_path, monkeypatch, capsys) -> tuple[int, str]:
    monkeypatch.setenv("KUAICHU_DATABASE_URL", db_url)
    monkeypatch.setenv("KUAICHU_DATA_DIR", str(tmp_path / "cli-data"))
    code = main(["verify-audit"])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET actor = 'user:999' WHERE id = 2",
                                       "DELETE FROM audit_events WHERE id = 2"])
def test_the_database_refuses_update_and_delete(db_url, factory, statement):
    add_events(factory, 3)
    with pytest.raises(DBAPIError, match="append-only"):
        raw_sql(db_url, statement)
    with factory() as s:
        assert audit.verify_chain(s).ok


@pytest.mark.parametrize("tamper,named", [
    ("UPDATE audit_events SET actor = 'user:999' WHERE id = 3", 3),
    ("UPDATE audit_events SET detail = '{\"n\": 99}' WHERE id = 4", 4),
    ("DELETE FROM audit_events WHERE id = 3", 3),
    ("DELETE FROM audit_events WHERE id = 5", 5),
])
def test_tampering_is_detected_and_the_first_broken_event_named(db_url, factory, tmp_path, monkeypatch, capsys,
                                                                tamper, named):
    add_events(factory, 5)
    assert verify_audit_cli(db_url, tmp_path, monkeypatch, capsys) == (0, "audit chain OK: 5 events verified\n")
    drop_append_only_triggers(db_url)
    raw_sql(db_url, tamper)
    code, out = verify_audit_cli(db_url, tmp_path, monkeypatch, capsys)
    assert code == 1
    assert "BROKEN" in out and re.search(rf"\bevent {named}\b", out), out


def test_rewriting_a_whole_tail_with_fresh_hashes_is_still_detected(db_url, factory):
    """Someone who deletes the newest events cannot hide it: the head row remembers the last hash."""
    add_events(factory, 4)
    drop_append_only_triggers(db_url)
    raw_sql(db_url, "DELETE FROM audit_events WHERE id >= 3")
    with factory() as s:
        report = audit.verify_chain(s)
    assert not report.ok and report.first_broken_id == 3


def test_concurrent_appends_from_threads_never_fork_the_chain(factory):
    threads_n, per_thread = 6, 8
    barrier, errors = threading.Barrier(threads_n), []

    def work():
        barrier.wait()
        try:
            add_events(factory, per_thread)
        except Exception as e:  # noqa: BLE001 - asserted below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with factory() as s:
        report = audit.verify_chain(s)
        count = s.scalar(select(func.count()).select_from(AuditEvent))
        prev_hashes = list(s.scalars(select(AuditEvent.prev_hash)))
    assert report.ok and report.checked == count == threads_n * per_thread
    assert len(set(prev_hashes)) == len(prev_hashes)  # no two events claim the same predecessor


def test_migration_0002_seeds_the_head_and_round_trips(db_url, factory):
    from server.adapters.orm import AuditHead
    from server.adapters.schema import downgrade, upgrade

    downgrade(db_url, "0001")
    with factory() as s:
        assert s.get(AuditHead, 1) is None
    upgrade(db_url)
    with factory() as s:
        head = s.get(AuditHead, 1)
        assert (head.last_event_id, head.last_hash) == (0, audit.GENESIS_HASH)
    add_events(factory, 2)
    downgrade(db_url, "0001")  # a head that records events stays with them
    upgrade(db_url)
    with factory() as s:
        assert s.get(AuditHead, 1).last_event_id == 2 and audit.verify_chain(s).ok


def read_row(db_url: str, event_id: int) -> dict:
    engine = create_engine(db_url)
    with engine.connect() as c:
        row = c.execute(text("SELECT * FROM audit_events WHERE id = :id"), {"id": event_id}).mappings().one()
    engine.dispose()
    return dict(row)


def write_sql(db_url: str, *statements: tuple[str, dict]) -> None:
    """``raw_sql`` with bound values (timestamps and JSON read back from the table, in its own format)."""
    engine = create_engine(db_url)
    with engine.begin() as c:
        for statement, values in statements:
            c.execute(text(statement), values)
    engine.dispose()


def forged_after(db_url: str, prev_id: int, new_id: int) -> tuple[str, dict]:
    """An INSERT of a plausible event ``new_id`` chained to event ``prev_id`` with a correctly computed hash."""
    prev = read_row(db_url, prev_id)
    forged = AuditEvent(id=new_id, case_id=None, actor="user:1", action="test", from_state="", to_state="",
                        detail={"n": 42, "text": "伪造"}, created_at=prev["created_at"] if not isinstance(
                            prev["created_at"], str) else datetime.fromisoformat(prev["created_at"]))
    forged.created_at = forged.created_at.replace(tzinfo=timezone.utc)
    forged.hash = audit.event_hash(prev["hash"], forged)
    return ("INSERT INTO audit_events (id, case_id, actor, action, from_state, to_state, detail, created_at, "
            "prev_hash, hash) VALUES (:id, NULL, :actor, :action, '', '', :detail, :at, :prev, :hash)",
            {"id": new_id, "actor": forged.actor, "action": forged.action,
             "detail": json.dumps(forged.detail, ensure_ascii=False), "at": prev["created_at"],
             "prev": prev["hash"], "hash": forged.hash})


def report_after(factory, db_url, tamper) -> audit.ChainReport:
    add_events(factory, 5)
    with factory() as s:
        assert audit.verify_chain(s).ok
    drop_append_only_triggers(db_url)
    tamper()
    with factory() as s:
        return audit.verify_chain(s)


def test_swapping_two_events_ids_is_detected_at_the_first_of_them(db_url, factory):
    """Reorder: events 2 and 3 swap places (the chain is ordered by id) -> BROKEN at event 2, its hash."""
    report = report_after(factory, db_url, lambda: raw_sql(
        db_url, "UPDATE audit_events SET id = 1000 WHERE id = 2", "UPDATE audit_events SET id = 2 WHERE id = 3",
        "UPDATE audit_events SET id = 3 WHERE id = 1000"))
    assert (report.first_broken_id, report.checked) == (2, 1)
    assert "event 2 does not follow event 1" in report.problem, report.problem


def test_swapping_two_events_times_is_detected_at_the_first_of_them(db_url, factory):
    """Reorder in time: events 3 and 4 swap their created_at -> BROKEN at event 3, its content changed."""
    def swap():
        three, four = read_row(db_url, 3), read_row(db_url, 4)
        assert three["created_at"] != four["created_at"]
        write_sql(db_url, ("UPDATE audit_events SET created_at = :at WHERE id = 3", {"at": four["created_at"]}),
                  ("UPDATE audit_events SET created_at = :at WHERE id = 4", {"at": three["created_at"]}))
    report = report_after(factory, db_url, swap)
    assert report.first_broken_id == 3 and "event 3 was changed after it was written" in report.problem


def test_a_forged_event_inserted_in_the_middle_is_detected_at_the_event_it_pushed_aside(db_url, factory):
    """Insert: events 3..5 renumbered 4..6, a forged event 3 with a correct hash after event 2 and the head moved
    to event 6 -> BROKEN at event 4, which does not follow the forged event 3."""
    def insert():
        raw_sql(db_url, "UPDATE audit_events SET id = id + 1000 WHERE id >= 3",  # two steps: ids stay unique
                "UPDATE audit_events SET id = id - 999 WHERE id >= 1000")
        write_sql(db_url, forged_after(db_url, 2, 3),
                  ("UPDATE audit_head SET last_event_id = 6, last_hash = :h WHERE id = 1",
                   {"h": read_row(db_url, 6)["hash"]}))
    report = report_after(factory, db_url, insert)
    assert (report.first_broken_id, report.checked) == (4, 3)
    assert "event 4 does not follow event 3" in report.problem and "inserted" in report.problem


def test_a_forged_event_appended_behind_the_heads_back_is_named(db_url, factory, tmp_path, monkeypatch, capsys):
    """Insert at the end: a forged event 6 with a correctly recomputed hash, the head left at 5 -> BROKEN at 6."""
    report = report_after(factory, db_url, lambda: write_sql(db_url, forged_after(db_url, 5, 6)))
    assert (report.first_broken_id, report.checked) == (6, 5)
    code, out = verify_audit_cli(db_url, tmp_path, monkeypatch, capsys)
    assert code == 1 and "BROKEN at event 6: event 6 was inserted after the newest event the head records" in out


def test_a_forged_event_before_the_first_is_walked_and_named(db_url, factory):
    """Insert before the start: a forged event 0 (the walk used to begin after id 0 and never saw it) -> BROKEN at 0."""
    def insert():
        write_sql(db_url, forged_after(db_url, 1, 0))
    report = report_after(factory, db_url, insert)
    assert (report.first_broken_id, report.checked) == (0, 0)
    assert "event 0 was inserted before the chain's start" in report.problem


def test_the_newest_event_replaced_with_a_fresh_hash_is_caught_by_the_head(db_url, factory):
    """Edit the newest event and recompute its hash (the head not moved) -> BROKEN at event 5, the head disagrees."""
    def replace():
        write_sql(db_url, ("DELETE FROM audit_events WHERE id = 5", {}), forged_after(db_url, 4, 5))
    report = report_after(factory, db_url, replace)
    assert report.first_broken_id == 5 and "event 5 was replaced" in report.problem


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # SQLite's walk holds the write lock: no race
def test_events_appended_while_the_walk_runs_are_not_taken_for_deleted_ones(db_url, factory):
    """An append landing between the walk's last batch and its read of the head is walked too: the chain is OK."""
    add_events(factory, 3)
    with factory() as s:
        real_execute = s.execute

        def execute_after_an_append(statement, *args, **kwargs):
            if "audit_head" in str(statement) and not getattr(s, "_appended", False):
                s._appended = True
                add_events(factory, 2)
            return real_execute(statement, *args, **kwargs)

        s.execute = execute_after_an_append
        report = audit.verify_chain(s, batch=2)
    assert report.ok and report.checked == 5
