"""The ``agenda`` command: everything the worker does can be run by hand.

Exit codes: 0 success, 1 some sources failed (the others were stored), 2 usage errors.
"""

from __future__ import annotations

import logging

import click

from agenda.cli.links import link_everything, links
from agenda.cli.places import place_everything, places
from agenda.cli.runtime import Runtime, pass_runtime
from agenda.migrate import upgrade_database


@click.group()
@click.option("-v", "--verbose", is_flag=True, help="Log what happens.")
def main(verbose: bool) -> None:
    """Agenda commun: the regional calendar of the social and solidarity economy."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.command()
@pass_runtime
def init(rt: Runtime) -> None:
    """Create or upgrade the database schema, then give what is stored its commune and its
    events their organisers (on PostgreSQL, first every row its search vector)."""
    from agenda.cli.search import fill_search_vectors
    from agenda.cli.startup import check_text_search, checked_settings, reachable_database

    checked_settings(rt)
    with reachable_database(rt):
        check_text_search(rt)
        upgrade_database(rt.engine)
        click.echo(f"Database ready: {rt.engine.url.render_as_string(hide_password=True)}")
        if filled := fill_search_vectors(rt):
            click.echo(filled)
    click.echo(place_everything(rt))
    click.echo(link_everything(rt))


def _register() -> None:
    from agenda.cli.collect import collect
    from agenda.cli.directory_import import import_directory_command
    from agenda.cli.doctor import doctor
    from agenda.cli.generate import generate
    from agenda.cli.imports import import_
    from agenda.cli.search import reindex
    from agenda.cli.serve import demo, serve, worker
    from agenda.cli.sources import source
    from agenda.cli.users import user

    for command in (source, collect, serve, worker, demo, reindex, generate, user, import_,
                    places, links, import_directory_command, doctor):
        main.add_command(command)


_register()
