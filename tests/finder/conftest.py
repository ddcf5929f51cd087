"""The search across kinds on each backend: the directory index in memory (Whoosh set-up) on
every database, and PostgreSQL's text vectors where the database is PostgreSQL."""

from __future__ import annotations

import pytest

from agenda.finder import Finder, Found, parse_query
from agenda.finder.events import event_window
from agenda.region import cached_region
from tests.web.pages import NOW


@pytest.fixture(params=["whoosh", "postgresql"])
def backend(request, db_backend):
    if request.param == "postgresql" and db_backend != "postgresql":
        pytest.skip("PostgreSQL's search needs a PostgreSQL database")
    return request.param


@pytest.fixture
def finder(settings, factory, backend) -> Finder:
    return Finder(cached_region(settings.region_file), factory=factory, backend=backend)


def find(finder: Finder, factory, settings, *, offset: int = 0, limit: int = 100,
         **args) -> Found:
    """A search as /search makes it (no events' index: the events from SQL)."""
    query = parse_query(args, region=finder.region)
    window = event_window(NOW.date(), settings.tz, query.when)
    with factory() as session:
        return finder.find(session, query, window=window, offset=offset, limit=limit)


def every_hit(finder: Finder, factory, settings, limit: int = 10_000, **args) -> list:
    """Every hit as an export lists them."""
    query = parse_query(args, region=finder.region)
    window = event_window(NOW.date(), settings.tz, query.when)
    with factory() as session:
        return list(finder.hits(session, query, window=window, limit=limit))
