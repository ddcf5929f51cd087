"""Database schema management with Alembic, driven from our settings (no alembic.ini)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_database(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; safe to run on every start."""
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def new_revision(engine: Engine, message: str) -> None:
    """Autogenerate a migration from the models (developers only)."""
    with engine.begin() as connection:
        command.revision(alembic_config(connection), message=message, autogenerate=True)
