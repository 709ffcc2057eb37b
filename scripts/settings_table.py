"""Prints the README's settings table from server.settings.Settings, so the two never drift.

    python scripts/settings_table.py            # print the table
    python scripts/settings_table.py --write    # replace the table in README.md between its markers
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pydantic_core import PydanticUndefined  # noqa: E402

from server.settings import CONFIG_FILE_ENV, Settings  # noqa: E402

START, END = "<!-- settings-table:start -->", "<!-- settings-table:end -->"


def default_text(field: Any) -> str:
    value = field.default
    if value is PydanticUndefined and field.default_factory is not None:
        value = field.default_factory()
    if value is None:
        return "(none)"
    if isinstance(value, Path):
        try:
            value = value.relative_to(ROOT)
        except ValueError:
            pass
        return f"`{value.as_posix()}`"
    if isinstance(value, (list, dict)):
        return f"`{json.dumps(value)}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value == "":
        return '`""`'
    return f"`{value}`"


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    rows = ["| variable | default | description |", "|---|---|---|",
            f"| {CONFIG_FILE_ENV} | (none) | TOML file with any of the settings below (lower-case names); "
            "environment variables win over it. |"]
    for name, field in Settings.model_fields.items():
        rows.append(f"| KUAICHU_{name.upper()} | {cell(default_text(field))} | {cell(field.description or '')} |")
    return "\n".join(rows)


def write_readme(readme: Path) -> None:
    text = readme.read_text(encoding="utf-8")
    head, start, rest = text.partition(START)
    _, end, tail = rest.partition(END)
    if not start or not end:
        raise SystemExit(f"{readme} has no {START} ... {END} markers")
    readme.write_text(f"{head}{START}\n{table()}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="rewrite the table in README.md")
    args = parser.parse_args()
    if args.write:
        write_readme(ROOT / "README.md")
    else:
        print(table())


if __name__ == "__main__":
    main()
