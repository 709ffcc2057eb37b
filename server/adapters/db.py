"""Engine and session factory for SQLite and PostgreSQL.

SQLite gets WAL, a busy timeout, foreign keys and ``BEGIN IMMEDIATE`` so that two
writers queue instead of one failing half-way (the audit chain relies on it).
"""
from __future__ import annotations

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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20, pool_timeout=10,
                         connect_args={"connect_timeout": CONNECT_TIMEOUT_S})


def _sqlite_engine(url: str) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

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
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commits when the block ends cleanly, rolls back on any exception.

    Only the service layer opens units of work; repositories and handlers never commit.
    """
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
