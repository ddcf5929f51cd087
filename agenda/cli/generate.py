"""``agenda generate N [--seed S]``: N realistic French ESS events, for demos and benchmarks.

They are stored through the normal store (``upsert_events``) under one source, "Événements
générés", which is disabled (never collected); running the command again replaces them (same
seed and day: same events).  Then they are indexed.
"""

from __future__ import annotations

import sys
import time

import click

from agenda.cli.runtime import Runtime, pass_runtime
from agenda.cli.sample_events import sample_records
from agenda.collectors.normalize import with_themes
from agenda.db import transaction
from agenda.models import Source
from agenda.region import cached_region
from agenda.search import open_search
from agenda.store.events import UpsertCounts, upsert_events
from agenda.store.sources import add_source, find_source_by_url

GENERATED_URL = "https://exemple.org/agenda-commun/evenements-generes.ics"
GENERATED_NAME = "Événements générés"


@click.command()
@click.argument("count", type=click.IntRange(1, 1_000_000))
@click.option("--seed", type=int, default=1, show_default=True,
              help="Same seed (and same day): same events.")
@pass_runtime
def generate(rt: Runtime, count: int, seed: int) -> None:
    """Store COUNT generated events across the region's departments, then index them."""
    began = time.perf_counter()
    _step(f"Generating {count} events...")
    records = generate_records(rt, count, seed)
    _step("Storing them...")
    source_id, counts = store_generated(rt, records)
    _step("Indexing...")
    report = _index(rt, source_id)
    click.echo(f"{count} generated events stored in source {source_id} ({counts.new} new, "
               f"{counts.updated} updated, {counts.removed} removed), {report} "
               f"in {time.perf_counter() - began:.1f} s.")


def generate_records(rt: Runtime, count: int, seed: int) -> list:
    tz = rt.settings.tz
    region = cached_region(rt.settings.region_file)
    today = rt.now().astimezone(tz).date()
    return [with_themes(record, region)
            for record in sample_records(count, seed=seed, today=today, tz=tz)]


def store_generated(rt: Runtime, records: list) -> tuple[int, UpsertCounts]:
    """Upsert ``records`` as the generated source's whole content (one transaction)."""
    now = rt.now()
    with transaction(rt.factory) as session:
        source = find_source_by_url(session, GENERATED_URL) or _new_source(session, now)
        counts = upsert_events(session, source.id, records, now=now, tz=rt.settings.tz)
        return source.id, counts


def _new_source(session, now) -> Source:
    source = add_source(session, name=GENERATED_NAME, url=GENERATED_URL, kind="ics", now=now)
    source.enabled = False  # nothing to fetch: the worker never collects it
    return source


def _index(rt: Runtime, source_id: int) -> str:
    search = open_search(rt.settings)
    try:
        with transaction(rt.factory) as session:
            report = search.catch_up(session) + search.sync(session, source_id)
    except Exception as error:  # the events are stored; `agenda reindex` can index them
        return f"not indexed ({error}; run `agenda reindex`)"
    return f"{report.indexed} indexed"


def _step(message: str) -> None:
    if sys.stderr.isatty():
        click.echo(message, err=True)
