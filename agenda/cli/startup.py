"""What a command checks before it changes anything: settings that hold together, a database
that answers, a PostgreSQL that can run our word searches.  Each problem is one line on stderr
and an exit code, never a traceback."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import click
from sqlalchemy.exc import OperationalError

from agenda.cli.runtime import EXIT_FAILURES, Runtime, usage_error
from agenda.errors import ConfigError
from agenda.operations.probes import reason
from agenda.settings import Settings


def checked_settings(rt: Runtime) -> Settings:
    """The settings, or their refusal's sentence and exit 2."""
    try:
        return rt.settings
    except ConfigError as error:
        usage_error(error.message)
        raise  # usage_error leaves; this line is never reached


@contextmanager
def reachable_database(rt: Runtime) -> Iterator[None]:
    """A database that cannot be reached, or refuses what we ask, is one line and exit 1."""
    try:
        yield
    except OperationalError as error:
        shown = rt.engine.url.render_as_string(hide_password=True)
        click.echo(f"Error: the database {shown} failed: {reason(error)}", err=True)
        raise SystemExit(EXIT_FAILURES) from None


def check_text_search(rt: Runtime) -> None:
    """On PostgreSQL: the server can keep and match our text vectors (before the migrations,
    so that a server that cannot is told at ``agenda init``, not at the first search)."""
    if rt.engine.dialect.name != "postgresql":
        return
    from agenda.search.pg.rebuild import text_search_problem

    with rt.engine.connect() as connection:
        problem = text_search_problem(connection)
    if problem:
        click.echo(f"Error: {problem} Word searches need it: use PostgreSQL 12 or later "
                   "with its built-in text search.", err=True)
        raise SystemExit(EXIT_FAILURES)
