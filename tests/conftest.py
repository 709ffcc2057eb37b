"""Shared fixtures: a fresh, migrated database per test on SQLite and on the real PostgreSQL.

Tests that take ``db_url`` (directly or through ``settings``/``client``) run twice:
``[sqlite]`` and ``[postgres]``. When PostgreSQL cannot be reached the postgres
half is skipped with a loud warning, and under ``CI=true`` it fails instead.
"""
from __future__ import annotations

import gc
import itertools
import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from server.adapters.schema import upgrade

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

_GC_THRESHOLD = gc.get_threshold()


def pytest_configure(config) -> None:  # noqa: ANN001
    # Cyclic GC only on the main thread, between tests: garbage holding a QObject must never be
    # freed by an aiortc or executor thread (see seat_app/ui/main_thread_gc.py; it crashed CI once).
    gc.disable()


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    yield
    from seat_app.ui.main_thread_gc import collect_if_due

    collect_if_due(_GC_THRESHOLD)


PG_ADMIN_URL = os.environ.get("KUAICHU_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_counter = itertools.count()
_pg_status: dict[str, str] = {}


def _pg_reachable() -> str:
    """Empty string when PostgreSQL answers, else why not."""
    if "status" not in _pg_status:
        try:
            engine = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
            with engine.connect() as c:
                c.execute(text("SELECT 1"))
            engine.dispose()
            _pg_status["status"] = ""
        except Exception as e:  # noqa: BLE001 - any failure means "not reachable"
            _pg_status["status"] = f"{type(e).__name__}: {e}".splitlines()[0]
    return _pg_status["status"]


def _pg_admin():
    return create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")


def _pg_url(dbname: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + dbname


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    problem = _pg_reachable()
    if problem:
        yield ""
        return
    name = f"kuaichu_tpl_{os.getpid()}"
    admin = _pg_admin()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    upgrade(_pg_url(name))
    yield name
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    if request.param == "sqlite":
        path = tmp_path / "kuaichu.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
        return
    yield from _fresh_pg_database(request)


def _fresh_pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    problem = _pg_reachable()
    if problem:
        message = f"PostgreSQL NOT REACHABLE at {PG_ADMIN_URL}: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI=true: the postgres half of the suite must run)")
        warnings.warn(message)
        pytest.skip(message)
    template = request.getfixturevalue("pg_template")
    name = f"kuaichu_t_{os.getpid()}_{next(_counter)}"
    admin = _pg_admin()
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield _pg_url(name)
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001
    problem = _pg_status.get("status")
    if problem:
        terminalreporter.section("PostgreSQL", sep="!", red=True, bold=True)
        terminalreporter.write_line(f"PostgreSQL tests did NOT run: {problem}", red=True, bold=True)
