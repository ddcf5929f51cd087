"""What every command needs: settings, engine, session factory (built lazily, once)."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import cached_property

import click

from agenda.db import make_engine, make_session_factory
from agenda.settings import Settings, load_settings

EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2


class Runtime:
    @cached_property
    def settings(self) -> Settings:
        return load_settings()

    @cached_property
    def engine(self):
        return make_engine(self.settings)

    @cached_property
    def factory(self):
        return make_session_factory(self.engine)

    @staticmethod
    def now() -> datetime:
        return datetime.now(timezone.utc)


pass_runtime = click.make_pass_decorator(Runtime, ensure=True)


def usage_error(message: str) -> None:
    """Print the message and leave with the usage exit code."""
    click.echo(f"Error: {message}", err=True)
    raise SystemExit(EXIT_USAGE)
