"""Handlers reach the database only through the services of the app's container.

The import-linter contracts (pyproject.toml) keep the ORM, SQLAlchemy, unit_of_work and the audit
writer out of server/api; this catches what an import rule cannot see: a handler that takes the
container's session factory or engine and opens a session of its own.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from server.container import AppContext

API = Path(__file__).resolve().parents[2] / "server" / "api"
FOR_SERVICES_ONLY = {"session_factory", "engine"}


def reads_of(source: str, names: set[str]) -> list[int]:
    """Line numbers where an attribute in ``names`` is read, e.g. ``ctx.session_factory``."""
    return [node.lineno for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute) and node.attr in names]


def test_the_rule_sees_a_handler_opening_its_own_session():
    handler = "def healthz(request):\n    with context(request).session_factory() as s:\n        s.execute(q)\n"
    assert reads_of(handler, FOR_SERVICES_ONLY) == [2]


def test_the_names_checked_are_fields_of_the_container():
    assert FOR_SERVICES_ONLY <= set(AppContext.__dataclass_fields__)


@pytest.mark.parametrize("module", sorted(p.name for p in API.glob("*.py")))
def test_no_handler_opens_a_session(module):
    assert reads_of((API / module).read_text(encoding="utf-8"), FOR_SERVICES_ONLY) == []
