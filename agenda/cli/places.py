"""``agenda places``: give the stored events, initiatives and actors their commune."""

from __future__ import annotations

import sys

import click

from agenda.cli.runtime import Runtime, pass_runtime
from agenda.db import transaction
from agenda.store.places import place_actors, place_events, place_initiatives


@click.command()
@pass_runtime
def places(rt: Runtime) -> None:
    """Fill in the commune (and its department) of what is stored without one, from its
    postcode, city or coordinates, offline. Safe to run again: it only adds what it can tell."""
    click.echo(place_everything(rt))


def place_everything(rt: Runtime) -> str:
    """Run the backfill, one transaction per chunk of events; the one-line summary."""
    after, seen, placed = "", 0, 0
    while after is not None:
        with transaction(rt.factory) as session:
            chunk = place_events(session, after=after)
        after, seen, placed = chunk.last_id, seen + chunk.seen, placed + chunk.placed
        if sys.stderr.isatty() and chunk.seen:
            click.echo(f"\rPlacing events: {seen}", err=True, nl=False)
    if sys.stderr.isatty() and seen:
        click.echo("", err=True)
    with transaction(rt.factory) as session:
        initiatives = place_initiatives(session)
        actors = place_actors(session)
    return (f"Places: {placed} of {seen} events without a commune placed; "
            f"{initiatives} initiatives, {actors} actors.")
