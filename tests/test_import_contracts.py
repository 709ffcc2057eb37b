"""The import-linter contracts in pyproject.toml hold, and each one would catch a broken import.

`lint-imports` builds the import graph of the installed packages (seat_app, server, kuaichu_protocol,
and the simulator's phone_sim and kuaichu_artwork) with grimp, which
reads every import statement: absolute, relative, and those inside functions. Each contract is run on
the real tree, then on a copy of the tree with one forbidden import added, where it must fail and name
the module that was broken.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ("seat_app", "server", "kuaichu_protocol")
SIMULATOR = ("phone_sim", "kuaichu_artwork")
PACKAGES = PRODUCTION + SIMULATOR
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
CONFIG = PYPROJECT["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}

# contract id -> (file to break, the line added, the module lint-imports must then name)
BROKEN = [
    ("seat-qt-free", "seat_app/core/__init__.py", "from ..ui import main_window", "seat_app.core"),
    ("seat-qt-free", "seat_app/services/__init__.py", "import PySide6.QtCore", "seat_app.services"),
    ("seat-qt-free", "phone_sim/__init__.py", "import qasync", "phone_sim"),
    ("seat-qt-free", "kuaichu_artwork/front_art.py", "from PySide6 import QtGui", "kuaichu_artwork.front_art"),
    ("domain-pure", "server/domain/__init__.py", "from ..adapters import orm", "server.domain"),
    ("domain-pure", "server/domain/__init__.py", "from sqlalchemy import select", "server.domain"),
    ("domain-pure", "server/domain/__init__.py", "import fastapi", "server.domain"),
    ("domain-pure", "server/domain/__init__.py", "from ..services import audit", "server.domain"),
    ("domain-pure", "server/domain/__init__.py", "from server.api import deps", "server.domain"),
    ("api-no-orm", "server/api/health.py", "from ..adapters.orm import Case", "server.api.health"),
    ("api-thin", "server/api/health.py", "from sqlalchemy import text", "server.api.health"),
    ("api-thin", "server/api/dispatches.py", "from ..adapters.db import unit_of_work", "server.api.dispatches"),
    ("api-thin", "server/api/admin.py", "from server.services import audit", "server.api.admin"),
    ("seat-server-independent", "seat_app/core/__init__.py", "import server.settings", "seat_app.core"),
    ("seat-server-independent", "server/domain/__init__.py", "from seat_app.core import case", "server.domain"),
    ("protocol-standalone", "kuaichu_protocol/messages.py", "from seat_app import paths", "kuaichu_protocol.messages"),
    ("no-tests-in-production", "server/app.py", "from tests.support import waiting", "server.app"),
    ("no-tests-in-production", "seat_app/core/__init__.py", "import bench.ocr_bench", "seat_app.core"),
    ("no-tests-in-production", "phone_sim/cli.py", "from tests.synthetic import samples", "phone_sim.cli"),
    ("phone-sim-outside-production", "seat_app/ui/__init__.py", "from phone_sim import scene", "seat_app.ui"),
    ("phone-sim-outside-production", "seat_app/services/call/__init__.py", "from phone_sim.loopback import LoopbackHub",
     "seat_app.services.call"),
    ("phone-sim-outside-production", "server/app.py", "import phone_sim.probe", "server.app"),
    ("phone-sim-outside-production", "seat_app/services/ocr/__init__.py", "from kuaichu_artwork import artwork",
     "seat_app.services.ocr"),
]


def lint_imports(root: Path, contract: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy, not the editable install, is graphed
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo", "--contract", contract],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("contract", list(CONTRACTS))
def test_the_contract_holds(contract):
    result = lint_imports(ROOT, contract)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_contract_is_shown_broken():
    assert {contract for contract, *_ in BROKEN} == set(CONTRACTS)


def installed_packages() -> set[str]:
    """The top-level packages `pip install .` ships: those the packages.find patterns match."""
    patterns = PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()
            and any(fnmatch(p.name, pattern) for pattern in patterns)}


def test_the_contracts_graph_every_installed_package():
    """A new installed package is not left out of the graph, nor of the no-tests rule, by being missing."""
    assert set(CONFIG["root_packages"]) == installed_packages() == set(PACKAGES)
    assert set(CONTRACTS["no-tests-in-production"]["source_modules"]) == installed_packages()


def test_the_simulator_contract_covers_every_production_package():
    """Every installed package but the simulator's own two may not import them, with no exception."""
    contract = CONTRACTS["phone-sim-outside-production"]
    assert set(contract["source_modules"]) == installed_packages() - set(SIMULATOR)
    assert set(contract["forbidden_modules"]) == set(SIMULATOR)
    assert "ignore_imports" not in contract


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    """The Python files of the production packages and the contracts, away from the working tree."""
    root = tmp_path_factory.mktemp("tree")
    keep_python = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, root / package, ignore=keep_python)
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize(("contract", "path", "line", "module"), BROKEN,
                         ids=[f"{c}:{line}" for c, _, line, _ in BROKEN])
def test_a_forbidden_import_breaks_the_contract(tree_copy, contract, path, line, module):
    target = tree_copy / path
    original = target.read_text(encoding="utf-8")
    target.write_text(f"{original}\n{line}  # deliberately broken\n", encoding="utf-8")
    try:
        result = lint_imports(tree_copy, contract)
    finally:
        target.write_text(original, encoding="utf-8")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert f"{module} ->" in result.stdout, result.stdout
