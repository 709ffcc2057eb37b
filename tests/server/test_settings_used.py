"""Every documented server setting is read by some server code: a setting nothing reads is a defect.

A setting counts as read when code outside server/settings.py reads it from a settings object
(`settings.<name>`, `s.<name>`, `self._settings.<name>`, `getattr(settings, "<name>")`), or reads a
property of Settings that uses it (`resolved_database_url` reads `database_url`).
"""
from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_PY = ROOT / "server" / "settings.py"


def is_settings_object(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else ""
    return name == "s" or name.endswith("settings")


def names_read(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_settings_object(node.value):
            yield node.attr
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and is_settings_object(node.args[0])
              and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
            yield node.args[1].value


def fields_behind_properties(settings_source: str) -> dict[str, set[str]]:
    """Property name -> the `self.<field>` names it reads, for the Settings class."""
    cls = next(n for n in ast.parse(settings_source).body if isinstance(n, ast.ClassDef) and n.name == "Settings")
    return {fn.name: {a.attr for a in ast.walk(fn) if isinstance(a, ast.Attribute)
                      and isinstance(a.value, ast.Name) and a.value.id == "self"}
            for fn in cls.body if isinstance(fn, ast.FunctionDef)}


def unread_settings(fields: Iterable[str], code: Iterable[str], settings_source: str) -> list[str]:
    read = {name for source in code for name in names_read(ast.parse(source))}
    for prop, uses in fields_behind_properties(settings_source).items():
        if prop in read:
            read |= uses
    return sorted(set(fields) - read)


def server_code() -> Iterator[str]:
    for path in sorted((ROOT / "server").rglob("*.py")):
        if path != SETTINGS_PY:
            yield path.read_text(encoding="utf-8")


def test_every_setting_is_read_by_some_code():
    unread = unread_settings(Settings.model_fields, server_code(), SETTINGS_PY.read_text(encoding="utf-8"))
    assert unread == [], f"settings nothing reads (use them, or remove them and their README row): {unread}"


def test_an_unread_setting_is_reported():
    settings_source = SETTINGS_PY.read_text(encoding="utf-8")
    code = ["def serve(settings):\n    return settings.host, getattr(settings, 'port')\n",
            "def db(s):\n    return s.resolved_database_url\n",
            "def other(config):\n    return config.log_level, log_level\n"]
    unread = unread_settings(["host", "port", "database_url", "log_level", "timezone"], code, settings_source)
    assert unread == ["log_level", "timezone"]
