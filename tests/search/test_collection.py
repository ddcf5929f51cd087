"""Every collection updates the index in the same job; an index failure never fails it."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from agenda.collectors.refresh import refresh_source
from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.region import cached_region
from agenda.search import SearchIndex, open_search
from agenda.search.service import SearchIndex as Service
from agenda.store.sources import add_source
from tests.search.conftest import WINDOW
from tests.test_refresh import calendar


@pytest.fixture
def feed(httpserver, factory, settings, now):
    """feed(body) serves ``body`` and collects it; returns the outcome."""
    with transaction(factory) as session:
        source_id = add_source(session, name="Cress", url=httpserver.url_for("/agenda.ics"),
                               now=now).id
    clock = iter(range(0, 10_000, 61))

    def feed(body: str):
        httpserver.clear()
        httpserver.expect_request("/agenda.ics").respond_with_data(body,
                                                                   content_type="text/calendar")
        when = now + timedelta(minutes=next(clock))
        return refresh_source(factory, source_id, now=when, settings=settings)
    return feed


@pytest.fixture
def web(settings):
    """The index as a web process sees it: another object on the same folder."""
    return SearchIndex(settings.instance_path / "search", region=cached_region(settings.region_file))


def found(web, words: str) -> int:
    return web.search(Filters(q=words), window=WINDOW).total


def test_a_collection_indexes_new_changed_and_removed_events(feed, web):
    assert feed(calendar()).new == 2
    assert (found(web, "forum regional"), found(web, "repair cafe"), found(web, "orleans")) == (
        1, 1, 1)
    assert feed(calendar(title="Rencontre des coopératives")).updated == 1
    assert (found(web, "forum"), found(web, "cooperative")) == (0, 1)
    head, forum, repair = calendar().split("BEGIN:VEVENT")
    assert feed(head + "BEGIN:VEVENT" + repair).removed == 1
    assert (found(web, "cooperative"), found(web, "repair")) == (0, 1)


def test_an_index_failure_never_fails_the_collection_and_heals_later(feed, web, settings,
                                                                       monkeypatch):
    def broken(self, session, source_id=None):
        self.folder.mark_dirty("disk full")
        raise OSError(28, "No space left on device")

    feed(calendar())  # the index exists
    monkeypatch.setattr(Service, "sync", broken)
    outcome = feed(calendar(title="Rencontre des coopératives"))
    assert (outcome.outcome, outcome.updated) == ("ok", 1)  # stored all the same
    assert found(web, "cooperative") == 0 and open_search(settings).folder.is_dirty()
    monkeypatch.undo()
    assert feed(calendar(title="Rencontre des coopératives")).outcome == "unchanged"
    assert found(web, "cooperative") == 1  # the unchanged collection caught the index up
    assert not open_search(settings).folder.is_dirty()


def test_a_deleted_index_is_rebuilt_by_the_next_collection(feed, web, settings):
    feed(calendar())
    shutil.rmtree(settings.instance_path / "search")
    assert feed(calendar()).outcome == "unchanged"
    assert found(web, "repair") == 1
