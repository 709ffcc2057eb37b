"""The layering rules of STYLE.md that import-linter cannot see, enforced by reading syntax trees.

The import rules themselves are the import-linter contracts in pyproject.toml
(tests/test_import_contracts.py runs them). Two things are left to this module:

* server/domain does no I/O: no open(), no file reads through pathlib, no network, no database.
* importlib.import_module("...") and __import__("...") are invisible to import-linter, so every such
  call in an installed package names its module as a literal, and that module obeys the same
  contracts as a plain import statement would.
"""
from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLED = ("seat_app", "server", "kuaichu_protocol", "phone_sim", "kuaichu_artwork")  # import-linter's roots
QT_MODULES = ("PySide6", "qasync", "PyQt5", "PyQt6", "shiboken6")
IO_MODULES = ("requests", "httpx", "urllib", "socket", "sqlalchemy", "aiohttp", "websockets", "subprocess",
              "shutil", "psycopg", "redis", "smtplib", "http")
IO_CALLS = {"open"}
IO_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "open", "unlink", "mkdir", "iterdir", "glob"}
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


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


# --- dynamic imports -------------------------------------------------------------------------------

def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_dynamic_import(call: ast.Call) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id in {"__import__", "import_module"}
    return isinstance(func, ast.Attribute) and func.attr == "import_module"


def anchor(call: ast.Call, importer: str, is_package: bool) -> str:
    """The package a relative name is resolved against: a literal `package=`, else the importer's own."""
    given = call.args[1] if len(call.args) > 1 else next((k.value for k in call.keywords if k.arg == "package"), None)
    if isinstance(given, ast.Constant) and isinstance(given.value, str):
        return given.value
    return importer if is_package else importer.rpartition(".")[0]


def resolve(name: str, package: str) -> str:
    """`.x` / `..x` against `package`, as import_module(name, package) does."""
    if not name.startswith("."):
        return name
    level = len(name) - len(name.lstrip("."))
    parts = package.split(".")
    base = parts[:len(parts) - level + 1]
    return ".".join(base + ([name.lstrip(".")] if name.lstrip(".") else []))


def dynamic_imports(root: Path = ROOT) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(importer, imported, where) for each literal dynamic import, and each one that is not a literal."""
    literal, opaque = [], []
    for package in INSTALLED:
        for path in modules(package, root):
            importer = module_name(path, root)
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and is_dynamic_import(node)):
                    continue
                where = f"{path.relative_to(root)}:{node.lineno}"
                first = node.args[0] if node.args else None
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    package = anchor(node, importer, path.name == "__init__.py")
                    literal.append((importer, resolve(first.value, package), where))
                else:
                    opaque.append(f"{where} imports a module whose name is not a literal")
    return literal, opaque


def within(module: str, package: str) -> bool:
    if package.endswith(".**"):
        return module.startswith(package[:-2])
    return module == package or module.startswith(package + ".")


def forbidden_pairs(contracts: list[dict]) -> Iterator[tuple[str, list[str], list[str], list[str]]]:
    """(contract id, sources, forbidden, ignore_imports) for every contract, independence as both ways."""
    for contract in contracts:
        ignored = contract.get("ignore_imports", [])
        if contract["type"] == "forbidden":
            yield contract["id"], contract["source_modules"], contract["forbidden_modules"], ignored
        elif contract["type"] == "independence":
            for module in contract["modules"]:
                others = [m for m in contract["modules"] if m != module]
                yield contract["id"], [module], others, ignored


def broken_by_dynamic_imports(root: Path = ROOT, contracts: list[dict] = CONTRACTS) -> list[str]:
    literal, opaque = dynamic_imports(root)
    found = list(opaque)
    for importer, imported, where in literal:
        for contract, sources, forbidden, ignored in forbidden_pairs(contracts):
            if not any(within(importer, s) for s in sources) or not any(within(imported, f) for f in forbidden):
                continue
            rules = [rule.split(" -> ") for rule in ignored]
            if not any(within(importer, a) and within(imported, b) for a, b in rules):
                found.append(f"{where} imports {imported}, which breaks {contract}")
    return found


# --- the tests -------------------------------------------------------------------------------------

def test_server_domain_does_no_io():
    assert offending_imports("server/domain", IO_MODULES + QT_MODULES) == []
    assert io_calls("server/domain") == []


def test_dynamic_imports_obey_the_contracts():
    assert broken_by_dynamic_imports() == []


def test_the_rules_catch_a_violation(tmp_path):
    """The checks above would fail on a bad module, so they are not vacuous."""
    bad = tmp_path / "server" / "domain"
    bad.mkdir(parents=True)
    (bad / "bad.py").write_text("import sqlalchemy\nopen('x')\n")
    assert offending_imports("server/domain", IO_MODULES, tmp_path)
    assert io_calls("server/domain", tmp_path)


@pytest.mark.parametrize(("path", "source", "contract"), [
    ("seat_app/core/loader.py", "import importlib\nimportlib.import_module('PySide6.QtCore')\n", "seat-qt-free"),
    ("seat_app/services/loader.py", "from importlib import import_module\nimport_module('..ui.main_window', "
                                    "__package__)\n", "seat-qt-free"),
    ("server/domain/loader.py", "__import__('sqlalchemy')\n", "domain-pure"),
    ("server/domain/__init__.py", "import importlib\nimportlib.import_module('.adapters.orm', 'server')\n",
     "domain-pure"),
    ("seat_app/core/loader.py", "__import__('server.settings')\n", "seat-server-independent"),
    ("server/app.py", "__import__('tests.support.waiting')\n", "no-tests-in-production"),
    ("seat_app/ui/loader.py", "import importlib\nimportlib.import_module('phone_sim.scene')\n",
     "phone-sim-outside-production"),
    ("server/loader.py", "__import__('kuaichu_artwork.artwork')\n", "phone-sim-outside-production"),
    ("phone_sim/loader.py", "__import__('PySide6.QtGui')\n", "seat-qt-free"),
])
def test_a_dynamic_import_that_breaks_a_contract_is_caught(tmp_path, path, source, contract):
    target = tmp_path / path
    target.parent.mkdir(parents=True)
    target.write_text(source)
    found = broken_by_dynamic_imports(tmp_path)
    assert len(found) == 1 and found[0].endswith(f"breaks {contract}"), found


def test_a_dynamic_import_that_cannot_be_read_is_caught(tmp_path):
    target = tmp_path / "seat_app" / "core" / "loader.py"
    target.parent.mkdir(parents=True)
    target.write_text("import importlib\nNAME = 'PySide6'\nimportlib.import_module(NAME)\n")
    assert broken_by_dynamic_imports(tmp_path) == ["seat_app/core/loader.py:3 imports a module whose name is not "
                                                   "a literal"]


def test_an_ignored_import_stays_allowed_when_dynamic(tmp_path):
    """An import a contract's ignore_imports allows is allowed when dynamic too (no contract has one today)."""
    target = tmp_path / "seat_app" / "services" / "call" / "demo.py"
    target.parent.mkdir(parents=True)
    target.write_text("__import__('phone_sim.scene')\n")
    ignoring = [{**c, "ignore_imports": ["seat_app.services.call.demo -> phone_sim.**"]}
                if c["id"] == "phone-sim-outside-production" else c for c in CONTRACTS]
    assert broken_by_dynamic_imports(tmp_path, ignoring) == []
    assert broken_by_dynamic_imports(tmp_path) == [
        "seat_app/services/call/demo.py:1 imports phone_sim.scene, which breaks phone-sim-outside-production"]
