"""Runs the Alembic migrations programmatically, so `kuaichu-server migrate` and tests share one path."""
from __future__ import annotations

from alembic import command
from alembic.config import Config

from server.resource_files import package_dir

MIGRATIONS_DIR = package_dir("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)
