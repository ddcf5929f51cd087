"""A copy merged into another event leaves the index: a sync (a collection's, or the catch-up
of a dirty index) and ``index`` of its id both remove it, and until then the listing never
shows it; a split brings it back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids
from agenda.models import Event
from tests.search.conftest import WINDOW, event, place, titles
from tests.store.merged import NOW, merge_into, split


def ids(session) -> dict[str, str]:
    return dict(session.execute(select(Event.source_uid, Event.id)).all())


@pytest.fixture
def merged(store, factory, search):
    """The forum from the organiser (listed) and from the CRESS (merged into it)."""
    store([event("forum", "Forum de l'ESS", 24, location=place("Orléans", "45")),
           event("atelier", "Atelier compostage", 25, location=place("Orléans", "45"))])
    cress = store([event("cress-forum", "Forum ESS", 24, location=place("Orléans", "45"))],
                  source="CRESS")
    with transaction(factory) as session:
        search.sync(session)
        found = ids(session)
    assert search.search(Filters(q="forum"), window=WINDOW).total == 2
    merge_into(factory, found["cress-forum"], found["forum"])
    return {"found": found, "cress": cress}


def test_the_listing_leaves_a_copy_out_before_the_index_hears_of_it(merged, listing, factory,
                                                                    search):
    found = listing(q="forum")
    assert titles(found) == ["Forum de l'ESS"] and found.total == 1
    with transaction(factory) as session:
        assert find_event_ids(session, Filters(q="forum"), window=WINDOW,
                              search=search) == [merged["found"]["forum"]]


@pytest.mark.parametrize("how", ["sync", "sync_source", "catch_up", "index"])
def test_the_index_forgets_a_merged_copy(merged, factory, search, how):
    copy = merged["found"]["cress-forum"]
    with transaction(factory) as session:
        if how == "sync":
            search.sync(session)
        elif how == "sync_source":
            search.sync(session, merged["cress"])
        elif how == "catch_up":
            if hasattr(search, "folder"):  # Whoosh's: a dirty index catches up
                search.folder.mark_dirty("a merge")
            search.catch_up(session)
        else:
            search.index(session, [copy, merged["found"]["forum"]])
    answer = search.search(Filters(q="forum"), window=WINDOW)
    assert answer.total == 1
    assert search.event_ids(Filters(), window=WINDOW, limit=None).count(copy) == 0
    assert search.source_counts().get(merged["cress"], 0) == 0


def test_a_split_copy_is_indexed_again(merged, factory, search):
    with transaction(factory) as session:
        search.sync(session)
    split(factory, merged["found"]["cress-forum"], now=NOW)
    with transaction(factory) as session:
        search.sync(session)
    assert search.search(Filters(q="forum"), window=WINDOW).total == 2
