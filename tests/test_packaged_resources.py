"""The installed packages find their files as package data, so a wheel install and a frozen seat work.

Three rules: no installed module (production, simulator or artwork) builds a path from
``__file__`` (server/resource_files.py and seat_app/paths.py ask importlib.resources instead);
every file under server/resources and seat_app/resources is named by pyproject.toml's
package-data, so the wheel carries it; and the seat's lookups still land in PyInstaller's
unpack directory when frozen, where the spec puts them.
The install itself is tested in tests/test_wheel_install.py.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from seat_app import paths
from server import resource_files
from server.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
# Every package the wheel installs: the simulator and the artwork are installed for the demo too.
INSTALLED = ("server", "seat_app", "kuaichu_protocol", "phone_sim", "kuaichu_artwork")
PACKAGE_DATA = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-data"]


def file_references(source: str) -> list[int]:
    """Line numbers where the code reads ``__file__``, bare or as an attribute of a module."""
    tree = ast.parse(source)
    return sorted(node.lineno for node in ast.walk(tree)
                  if (isinstance(node, ast.Name) and node.id == "__file__")
                  or (isinstance(node, ast.Attribute) and node.attr == "__file__"))


def test_the_scan_sees_both_kinds_of_reference():
    assert file_references("from pathlib import Path\nROOT = Path(__file__).parent\n") == [2]
    assert file_references("import fastapi_offline\nX = fastapi_offline.__file__\n") == [2]
    assert file_references("NAME = '__file__'  # a string is not a reference\n") == []


def test_no_installed_module_builds_a_path_from_dunder_file():
    found = [f"{path.relative_to(ROOT)}:{line}"
             for package in INSTALLED for path in sorted((ROOT / package).rglob("*.py"))
             for line in file_references(path.read_text(encoding="utf-8"))]
    assert found == [], "find files with server/resource_files.py or seat_app/paths.py (importlib.resources)"


def packaged(package: str) -> set[Path]:
    """The files setuptools puts in the wheel for ``package``: its package-data globs, as it expands them."""
    return {p for pattern in PACKAGE_DATA.get(package, []) for p in (ROOT / package).glob(pattern) if p.is_file()}


@pytest.mark.parametrize("package", ["server", "seat_app"])
def test_every_resource_file_is_package_data(package):
    directory = ROOT / package / "resources"
    files = {p for p in directory.rglob("*") if p.is_file()}
    assert files, f"{directory} is empty"
    assert sorted(files - packaged(package)) == [], "add them to [tool.setuptools.package-data]"


def test_the_server_defaults_are_its_packaged_files():
    defaults = [Settings.model_fields[name].default for name in ("city_rules_file", "service_area_file", "registry_demo_file")]
    for path in defaults:
        assert path.parent == ROOT / "server" / "resources" and path.is_file(), path
    assert resource_files.resource("demo_city_rules.toml").is_file()
    assert (resource_files.package_dir("web") / "templates").is_dir()
    assert (resource_files.package_dir("migrations") / "versions").is_dir()


def test_the_seat_finds_its_font_translation_and_sample():
    for path in (paths.font_file(), paths.i18n_dir() / "seat_en.qm", paths.sample_plate()):
        assert path.is_relative_to(ROOT / "seat_app" / "resources") and path.is_file(), path


def test_a_frozen_seat_looks_where_the_installer_spec_bundles(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert paths.font_file() == tmp_path / "seat_app" / "resources" / "fonts" / "wqy-microhei.ttc"
    assert paths.sample_plate() == tmp_path / "seat_app" / "resources" / "samples" / "plate.png"
    spec = (ROOT / "build_installer.spec").read_text(encoding="utf-8")
    assert '("seat_app/resources", "seat_app/resources")' in spec


def test_the_sample_plate_reads_as_its_fictional_plate():
    result = subprocess.run([sys.executable, "-m", "seat_app.ocr_cli", "--json", str(paths.sample_plate())],
                            capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    plates = json.loads(result.stdout)["plates"]
    assert [(p["text"], p["colour"], p["valid"]) for p in plates] == [("川A5F7K2", "blue", True)]


def test_the_simulator_plays_the_parties_of_the_servers_packaged_registry():
    from phone_sim import demo_data

    assert demo_data.registry_path() == resource_files.resource("demo_registry.json")
    registry = json.loads(resource_files.resource("demo_registry.json").read_text(encoding="utf-8"))
    expected = [entry["plate"] for entry in registry["scenarios"]["standard"]]
    assert [party.plate for party in demo_data.load_scenario("standard")] == expected
