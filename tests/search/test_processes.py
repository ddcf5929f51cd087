"""A reader in one process while a writer in another commits (as gunicorn beside the worker)."""

from __future__ import annotations

import multiprocessing
from datetime import datetime, timezone

import pytest

from agenda.db import make_engine, make_session_factory, transaction
from agenda.listing.filters import Filters
from agenda.region import cached_region
from agenda.search import SearchIndex
from agenda.settings import load_settings
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.search.conftest import PARIS, WINDOW, event

COMMITS = 12


@pytest.fixture
def search(whoosh):
    """Whoosh's own workings (PostgreSQL's search writes no index)."""
    return whoosh


def write_events(instance: str, database_url: str, started) -> None:
    """The worker: one new event per collection, each indexed at once (and merges on the way)."""
    settings = load_settings(env={}, instance_path=instance, database_url=database_url)
    engine = make_engine(settings)
    factory = make_session_factory(engine)
    search = SearchIndex(settings.instance_path / "search",
                         region=cached_region(settings.region_file))
    now = datetime(2026, 11, 21, tzinfo=timezone.utc)
    with transaction(factory) as session:
        source_id = add_source(session, name="W", url="http://127.0.0.1/w", now=now).id
    started.set()
    records = []
    for n in range(COMMITS):
        records.append(event(f"w{n}", f"Atelier vélo numéro {n}", 22 + n % 5))
        with transaction(factory) as session:
            upsert_events(session, source_id, list(records), now=now, tz=PARIS)
        with transaction(factory) as session:
            search.sync(session, source_id)
    engine.dispose()


def test_readers_follow_a_writer_in_another_process(settings, factory, search):
    with transaction(factory) as session:
        search.rebuild(session)  # an empty index, live
    context = multiprocessing.get_context("spawn")
    started = context.Event()
    writer = context.Process(target=write_events, args=(
        str(settings.instance_path), settings.database_url, started))
    writer.start()
    started.wait(30)
    seen = []
    while writer.is_alive() or not seen or seen[-1] < COMMITS:
        hits = search.search(Filters(q="velo"), window=WINDOW, limit=100)
        assert hits is not None  # never unusable while the other process writes
        assert hits.total == len(hits.page)
        seen.append(hits.total)
        if not writer.is_alive() and seen[-1] < COMMITS and len(seen) > 10_000:
            break
    writer.join(30)
    assert writer.exitcode == 0
    assert seen == sorted(seen) and seen[-1] == COMMITS
    assert search.status()["documents"] == COMMITS
