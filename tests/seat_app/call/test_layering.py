"""The call engine, the phone simulator and its artwork stay free of Qt (STYLE.md: services never import PySide6)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("package", ["seat_app/services/call", "phone_sim", "kuaichu_artwork"])
def test_no_qt_imports(package):
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            assert not any(n.split(".")[0] in ("PySide6", "qasync") for n in names), f"{path} imports Qt"
