"""Where the server finds the files it ships with: rules, registry, web pages, migrations.

They are package data of ``server`` (pyproject.toml ``[tool.setuptools.package-data]``), so
a checkout, an editable install and a wheel install find them the same way, through
``importlib.resources``; nothing else in the server builds a path from ``__file__``
(tests/test_packaged_resources.py holds that).
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def package_dir(*parts: str) -> Path:
    """A directory or file inside the installed ``server`` package, e.g. ``package_dir("web")``.

    A wheel installs unzipped, so ``files()`` is a real directory; the path is handed to
    libraries (Alembic, Jinja2, pydantic settings) that want a ``Path``."""
    return Path(str(resources.files("server").joinpath(*parts)))


def resource(name: str) -> Path:
    """A file of server/resources: city_rules.toml, demo_city_rules.toml, service_area.geojson,
    demo_registry.json."""
    return package_dir("resources", name)


def font(name: str = "wqy-microhei.ttc") -> Path:
    """A font of server/resources/fonts. WenQuanYi Micro Hei has TrueType outlines, which
    reportlab embeds; Noto CJK (CFF outlines) is refused by reportlab's ``TTFont``."""
    return package_dir("resources", "fonts", name)
