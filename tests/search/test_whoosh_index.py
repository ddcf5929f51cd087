"""The Whoosh index's own workings: readers of other processes, rebuilds and repairs, a busy
index, segments (PostgreSQL's search has none of these: the database is its index)."""

from __future__ import annotations

import shutil

import pytest

from agenda.db import transaction
from agenda.listing import query
from agenda.listing.filters import Filters
from agenda.region import cached_region
from agenda.search import IndexBusy, SearchIndex
from tests.search.conftest import WINDOW, event, sync, titles


@pytest.fixture
def search(whoosh):
    return whoosh


def test_a_reader_opened_before_a_change_sees_it(agenda, store, factory, search, settings):
    """Regression: whoosh3's reader(reuse=...) kept deleted documents; we reopen instead."""
    other_process = SearchIndex(search.folder.root, region=cached_region(settings.region_file))
    assert other_process.search(Filters(q="repair"), window=WINDOW).total == 3
    store([event("a", "Soirée conviviale", 21)])
    sync(factory, search)
    assert other_process.search(Filters(q="repair"), window=WINDOW).total == 0
    assert other_process.search(Filters(), window=WINDOW).total == 1


def test_reindex_rebuilds_a_new_index_from_the_database(agenda, factory, search):
    before = search.status()
    with transaction(factory) as session:
        report = search.rebuild(session)
    after = search.status()
    assert report.indexed == 4 and after["documents"] == 4
    assert after["live"] != before["live"]
    assert not (search.folder.root / before["live"]).exists()


@pytest.mark.parametrize("damage", ["missing folder", "garbage files", "no CURRENT",
                                    "old schema"])
def test_a_damaged_or_missing_index_is_rebuilt_transparently(agenda, listing, search, damage,
                                                             monkeypatch):
    expected, damaged = titles(listing(q="repair")), search.status()["live"]
    monkeypatch.setattr(query, "_sql_listing", None)  # the rebuilt index answers, not SQL
    damage_index(search.folder.root, damage)
    search._views.forget()  # as a fresh process would
    assert titles(listing(q="repair")) == expected == ["Repair café"] * 3
    assert search.status()["documents"] == 4 and search.status()["live"] != damaged


def damage_index(root, damage: str) -> None:
    live = root / (root / "CURRENT").read_text().strip()
    if damage == "missing folder":
        shutil.rmtree(root)
    elif damage == "garbage files":
        for path in live.iterdir():
            if path.is_file() and not path.name.endswith("LOCK"):
                path.write_bytes(b"\x80garbage" * 10)
    elif damage == "no CURRENT":
        (root / "CURRENT").unlink()
    else:
        (root / "CURRENT").write_text("v0-20200101T000000-abcdef\n")


def test_a_big_database_is_answered_from_sql_while_a_thread_rebuilds(agenda, listing, search):
    expected = titles(listing(q="compostage", departments=("45",)))
    search.inline_rebuild_below = 0
    shutil.rmtree(search.folder.root)
    assert titles(listing(q="compostage", departments=("45",))) == expected  # from SQL
    # the rebuild's thread is kept after it ends: joining it never races its end (it used to
    # be cleared to None by the thread itself, so a fast rebuild left nothing to join)
    search.repairing.join(timeout=30)
    assert not search.is_repairing()
    assert search.status()["documents"] == 4


def test_a_busy_index_is_marked_dirty_and_caught_up_later(agenda, store, factory, search):
    _, ix = search.folder.live()
    holder = ix.writer()  # another process writing
    search.write_timeout = 0.1
    store([event("e", "Fête de l'énergie citoyenne", 28)], source="T")
    with pytest.raises(IndexBusy):
        sync(factory, search)
    assert search.folder.is_dirty()
    holder.cancel()
    with transaction(factory) as session:
        report = search.catch_up(session)
    assert report.indexed == 1 and not search.folder.is_dirty()
    assert search.search(Filters(q="energie"), window=WINDOW).total == 1


def test_syncing_an_unchanged_source_writes_nothing(agenda, factory, search):
    generation = search.status()["generation"]
    assert sync(factory, search, agenda).indexed == 0
    assert search.status()["generation"] == generation


def test_the_answer_is_the_same_after_the_segments_merge(agenda, store, factory, search,
                                                         listing):
    for n in range(3):  # small segments, then one merged
        store([event(f"x{n}", f"Atelier numéro {n}", 22)], source=f"X{n}")
        sync(factory, search)
    before = (titles(listing(q="atelier")), listing().facets)
    _, ix = search.folder.live()
    ix.optimize()
    assert search.status()["segments"] == 1
    assert (titles(listing(q="atelier")), listing().facets) == before
