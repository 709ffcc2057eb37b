"""Engine and session factory for SQLite and PostgreSQL.

SQLite gets WAL, a busy timeout, foreign keys and ``BEGIN IMMEDIATE`` for units of work, so that two
writers queue instead of one failing half-way (the audit chain relies on it). Every other session only
reads (only ``unit_of_work`` commits): it begins a plain deferred transaction, which in WAL mode reads one
consistent snapshot without waiting for the write lock. Under load (500 phones) the reads behind
``BEGIN IMMEDIATE`` (a case's state, a token, the queue) were a quarter of the server's time.

Writers in one process also take a Python lock before BEGIN IMMEDIATE (``WRITE_LOCK_WAIT_S``). SQLite's own
busy handler polls the lock with sleeps of up to 100 ms, so a writer behind another woke up to 100 ms late;
a waiter on the Python lock starts the moment the writer before it is done. Other processes (the CLI) still
queue through the busy timeout.
"""
from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

#: What the database going away looks like (refused or dropped connection, a pool with nobody to lend):
#: the app answers 503 with Retry-After; the transaction was rolled back, so nothing is half-written.
#: pool_pre_ping replaces dead pooled connections on the next checkout, so requests recover by themselves.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (sa_exc.OperationalError, sa_exc.InterfaceError,
                                                     sa_exc.TimeoutError)
#: Seconds a client is told to wait (Retry-After) when the database is unavailable.
RETRY_AFTER_S = 5
CONNECT_TIMEOUT_S = 5  # a database that accepts but does not answer must not hold a request for minutes
#: The execution option that ``unit_of_work`` sets on its connection: SQLite begins it with BEGIN IMMEDIATE.
WRITES = "kuaichu_writes"
#: SQLite connections are cheap, and readers no longer wait for the writer: enough for the request threads.
SQLITE_POOL_SIZE = 20
#: How long a unit of work waits for this process's other SQLite writers before the database counts as unavailable.
WRITE_LOCK_WAIT_S = 30.0
_WRITE_LOCKS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=10,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    pool = {"pool_size": SQLITE_POOL_SIZE, "max_overflow": 20} if path and path != ":memory:" else {}
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **pool)
    _WRITE_LOCKS[engine] = threading.RLock()  # re-entrant: a nested unit of work waits in SQLite, as before

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # let the "begin" hook below issue BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITES) else "BEGIN")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commits when the block ends cleanly, rolls back on any exception.

    Only the service layer opens units of work; repositories and handlers never commit.
    """
    with _writers_in_turn(factory):
        session = factory()
        try:
            session.connection(execution_options={WRITES: True})  # begins now: BEGIN IMMEDIATE on SQLite
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@contextmanager
def _writers_in_turn(factory: sessionmaker[Session]) -> Iterator[None]:
    """This process's SQLite writers one after the other (see the module's docstring); nothing elsewhere."""
    lock = _WRITE_LOCKS.get(factory.kw.get("bind"))
    if lock is None:
        yield
        return
    if not lock.acquire(timeout=WRITE_LOCK_WAIT_S):
        raise sa_exc.OperationalError("BEGIN IMMEDIATE", None,
                                      TimeoutError(f"another writer held the database for {WRITE_LOCK_WAIT_S:.0f} s"))
    try:
        yield
    finally:
        lock.release()
