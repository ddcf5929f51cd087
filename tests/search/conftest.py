"""Search fixtures: each search backend (a Whoosh index in the test's instance folder, and
PostgreSQL's), and events stored the normal way."""

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
from agenda.search.pg import backend
from agenda.search.pg.backend import PostgresSearch
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


@pytest.fixture(params=["whoosh", "postgresql"])
def search(request, db_backend, settings, factory):
    """Each search backend in turn: the Whoosh index (on both databases), and PostgreSQL's
    (on PostgreSQL).  Tests of Whoosh's own workings take ``whoosh`` instead."""
    if request.param == "whoosh":
        return request.getfixturevalue("whoosh")
    if db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setattr(backend.log, "exception", _failed)  # no quiet answer from SQL
    return PostgresSearch(region=cached_region(settings.region_file), factory=factory)


def _failed(message, *args, **kwargs):
    raise AssertionError(message % args)


@pytest.fixture
def whoosh(settings, factory):
    """The Whoosh index in the test's instance folder."""
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


def sync(factory, search, source_id=None):
    with transaction(factory) as session:
        return search.sync(session, source_id)


@pytest.fixture
def agenda(store, factory, search):
    """Four events of late November 2026 (a weekly one), in the search; the source's id."""
    source_id = store([
        event("a", "Soirée conviviale", 21, description_text="On y parlera de compostage.",
              location=place("Tours", "37"), themes=("culture",)),
        event("b", "Atelier compostage", 25, location=place("Orléans", "45"),
              themes=("reemploi",), categories=("Zéro déchet",)),
        event("c", "Repair café", 26, weeks=3, location=place("Blois", "41", "Ressourcerie"),
              themes=("reemploi",)),
        event("d", "Forum de l'ESS", 27, organizer="CRESS Centre-Val de Loire",
              online_url="https://visio.exemple.org/forum", themes=("mois-ess",)),
    ])
    sync(factory, search)
    return source_id
