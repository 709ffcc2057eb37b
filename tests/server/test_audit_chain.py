"""The audit log on both databases: the trigger refuses edits, tampering is found and named, appends never fork."""
from __future__ import annotations

import re
import threading

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
