"""Search fixtures: an index in the test's instance folder, and events stored the normal way."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.listing.query import find_occurrences
from agenda.records import EventRecord, Location, Occurrence
from agenda.region import cached_region
from agenda.search import SearchIndex
from agenda.store.events import upsert_events
from agenda.store.sources import add_source

PARIS = ZoneInfo("Europe/Paris")
WINDOW = (datetime(2026, 11, 20, tzinfo=timezone.utc), datetime(2026, 12, 31, tzinfo=timezone.utc))


def event(uid: str, title: str, day: int = 24, *, weeks: int = 1, **fields) -> EventRecord:
    """An event of November 2026 (``weeks`` > 1: a weekly series)."""
    start = datetime(2026, 11, day, 18, 0, tzinfo=PARIS)
    occurrences = [Occurrence(start + timedelta(weeks=n), start + timedelta(weeks=n, hours=2))
                   for n in range(weeks)]
    return EventRecord(source_uid=uid, title=title, start=start, end=start + timedelta(hours=2),
                       occurrences=occurrences, **fields)


def place(city: str, department: str, name: str | None = None) -> Location:
    return Location(name=name, city=city, department=department)


@pytest.fixture
def search(settings, factory):
    return SearchIndex(settings.instance_path / "search", region=cached_region(settings.region_file),
                       factory=factory)


@pytest.fixture
def store(factory, now):
    """store(records, source="S") -> source id; replaces that source's events, like a collection."""
    sources: dict[str, int] = {}

    def store(records, source="S", when=now):
        with transaction(factory) as session:
            if source not in sources:
                sources[source] = add_source(session, name=source, url=f"http://127.0.0.1/{source}",
                                             now=when).id
            upsert_events(session, sources[source], records, now=when, tz=PARIS)
        return sources[source]
    return store


@pytest.fixture
def listing(factory, search):
    """listing(**filters) -> the Listing found through the index (window: late 2026)."""
    def listing(window=WINDOW, limit=50, offset=0, **filters):
        with transaction(factory) as session:
            return find_occurrences(session, Filters(**filters), window=window, offset=offset,
                                    limit=limit, with_facets=True, search=search)
    return listing


def titles(found) -> list[str]:
    return [occurrence.event.title for occurrence in found.occurrences]
