"""Create or upgrade the schema with Alembic (idempotent)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from .db import ensure_sqlite_directory

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Run migrations up to `revision`. Synchronous: call it outside a running event loop."""
    ensure_sqlite_directory(database_url)
    command.upgrade(alembic_config(database_url), revision)


