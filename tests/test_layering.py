"""The layering rules of STYLE.md, enforced by reading every module's syntax tree.

* seat_app/core, seat_app/services and seat_app/phone_sim never import PySide6 (or qasync, which loads Qt):
  Qt lives in seat_app/ui only, behind adapters.
* server/domain does no I/O: no open(), no file reads through pathlib, no network, no database.
* seat_app and server never import each other; kuaichu_protocol is the only shared code.
"""
from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QT_FREE = ("seat_app/core", "seat_app/services", "seat_app/phone_sim")
QT_MODULES = ("PySide6", "qasync", "PyQt5", "PyQt6", "shiboken6")
IO_MODULES = ("requests", "httpx", "urllib", "socket", "sqlalchemy", "aiohttp", "websockets", "subprocess",
              "shutil", "psycopg", "redis", "smtplib", "http")
IO_CALLS = {"open"}
IO_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink", "mkdir", "iterdir", "glob"}


def modules(folder: str, root: Path) -> Iterator[Path]:
    yield from sorted((root / folder).rglob("*.py"))


def imported_names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def offending_imports(folder: str, banned: tuple[str, ...], root: Path = ROOT) -> list[str]:
    found = []
    for path in modules(folder, root):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, name in imported_names(tree):
            if name.split(".")[0] in banned:
                found.append(f"{path.relative_to(root)}:{line} imports {name}")
    return found


def io_calls(folder: str, root: Path = ROOT) -> list[str]:
    found = []
    for path in modules(folder, root):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in IO_CALLS:
                found.append(f"{path.relative_to(root)}:{node.lineno} calls {func.id}()")
            elif isinstance(func, ast.Attribute) and func.attr in IO_METHODS:
                found.append(f"{path.relative_to(root)}:{node.lineno} calls .{func.attr}()")
    return found


@pytest.mark.parametrize("folder", QT_FREE)
def test_seat_core_services_and_phone_sim_never_import_qt(folder):
    assert offending_imports(folder, QT_MODULES) == []


def test_server_domain_does_no_io():
    assert offending_imports("server/domain", IO_MODULES + QT_MODULES) == []
    assert io_calls("server/domain") == []


def test_seat_app_and_server_never_import_each_other():
    assert offending_imports("seat_app", ("server",)) == []
    assert offending_imports("server", ("seat_app",)) == []
    assert offending_imports("kuaichu_protocol", ("server", "seat_app")) == []


def test_the_rules_catch_a_violation(tmp_path):
    """The checks above would fail on a bad module, so they are not vacuous."""
    bad = tmp_path / "seat_app" / "core"
    bad.mkdir(parents=True)
    (bad / "bad.py").write_text("from PySide6.QtCore import QObject\nimport server.app\nopen('x')\n")
    assert offending_imports("seat_app/core", QT_MODULES, tmp_path)
    assert offending_imports("seat_app", ("server",), tmp_path)
    assert io_calls("seat_app/core", tmp_path)
