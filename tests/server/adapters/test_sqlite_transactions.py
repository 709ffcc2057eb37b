"""SQLite: units of work queue for the write lock (BEGIN IMMEDIATE); every other session reads without waiting."""
from __future__ import annotations

import threading

from sqlalchemy import text

from server.adapters.db import make_engine, make_session_factory, unit_of_work


def factory(tmp_path):
    f = make_session_factory(make_engine(f"sqlite:///{tmp_path / 'kuaichu.db'}"))
    with unit_of_work(f) as s:
        s.execute(text("CREATE TABLE t (x INTEGER)"))
        s.execute(text("INSERT INTO t VALUES (1)"))
    return f


def test_a_read_does_not_wait_for_a_writer_and_sees_only_what_was_committed(tmp_path):
    f = factory(tmp_path)
    holding, read_done, order = threading.Event(), threading.Event(), []

    def writer() -> None:
        with unit_of_work(f) as s:
            s.execute(text("INSERT INTO t VALUES (2)"))
            holding.set()
            read_done.wait(10)  # holds the write lock until the read is done (or gives up)
            order.append("writer committed")

    def reader() -> None:
        holding.wait(10)
        with f() as s:
            order.append(("read", s.execute(text("SELECT count(*) FROM t")).scalar()))
        read_done.set()

    threads = [threading.Thread(target=writer), threading.Thread(target=reader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(40)
    assert order == [("read", 1), "writer committed"]
    with f() as s:
        assert s.execute(text("SELECT count(*) FROM t")).scalar() == 2


def test_two_units_of_work_take_turns_and_neither_loses_its_write(tmp_path):
    f = factory(tmp_path)
    first_in, order = threading.Event(), []

    def first() -> None:
        with unit_of_work(f) as s:
            first_in.set()
            n = s.execute(text("SELECT max(x) FROM t")).scalar()
            order.append("first read")
            s.execute(text("INSERT INTO t VALUES (:x)"), {"x": n + 1})

    def second() -> None:
        first_in.wait(10)
        with unit_of_work(f) as s:  # BEGIN IMMEDIATE: waits here until the first commits
            order.append("second began")
            n = s.execute(text("SELECT max(x) FROM t")).scalar()
            s.execute(text("INSERT INTO t VALUES (:x)"), {"x": n + 1})

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(40)
    with f() as s:
        assert sorted(s.scalars(text("SELECT x FROM t"))) == [1, 2, 3]  # read-then-write never raced
    assert order[0] == "first read"
