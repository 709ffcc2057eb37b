"""The README documents every setting, and its table is the one the script generates."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `python scripts/settings_table.py --write` and commit README.md"


def readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def settings_table_script():
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "scripts" / "settings_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_names_every_setting():
    text = readme()
    missing = [f"KUAICHU_{name.upper()}" for name in Settings.model_fields if f"KUAICHU_{name.upper()}" not in text]
    assert not missing, f"README.md does not document {', '.join(missing)}: {FIX}"


def test_every_setting_has_a_description():
    bare = [name for name, field in Settings.model_fields.items() if not (field.description or "").strip()]
    assert not bare, f"settings without a description: {bare}"


def test_readme_table_matches_the_settings():
    script = settings_table_script()
    text = readme()
    start, end = text.index(script.START) + len(script.START), text.index(script.END)
    assert text[start:end].strip() == script.table(), f"the README settings table is out of date: {FIX}"
