"""``agenda links``: link every stored event to its organisers (``agenda.services.event_actors``)."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from agenda.cli.runtime import Runtime, pass_runtime
from agenda.db import transaction
from agenda.models import Event
from agenda.services.event_actors import MAX_NEW_ACTORS, LinkCounts, link_event_actors

CHUNK = 5000


@click.command()
@click.option("--max-new", type=click.IntRange(0, 10_000), default=MAX_NEW_ACTORS,
              show_default=True, help="At most this many actors « to check » made from "
              "organiser names over the whole run.")
@pass_runtime
def links(rt: Runtime, max_new: int) -> None:
    """Link the stored events to their source's owner, the actor their organiser names and the
    actor of the proposal they come from. Links made by staff are kept. Safe to run again."""
    click.echo(link_everything(rt, max_new=max_new))


def link_everything(rt: Runtime, *, max_new: int = MAX_NEW_ACTORS) -> str:
    """One transaction per chunk of events; the one-line summary."""
    total, after = LinkCounts(), ""
    while True:
        with transaction(rt.factory) as session:
            ids = list(session.scalars(select(Event.id).where(Event.id > after)
                                       .order_by(Event.id).limit(CHUNK)))
            if not ids:
                break
            counts = link_event_actors(session, ids, max_new=max_new - total.new_actors)
        after = ids[-1]
        for name in ("events", "added", "removed", "changed", "new_actors"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
        if sys.stderr.isatty():
            click.echo(f"\rLinking events: {total.events}", err=True, nl=False)
    if sys.stderr.isatty() and total.events:
        click.echo("", err=True)
    return f"Links: {total}."
