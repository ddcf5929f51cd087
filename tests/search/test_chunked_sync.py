"""A sync reads the published events' stamps a chunk at a time and stops early when a rebuild
is due."""

from __future__ import annotations

import pytest

from agenda.db import transaction
from agenda.search import rows, writer
from agenda.search.writer import TooManyChanges
from tests.search.conftest import event, titles


@pytest.fixture
def search(whoosh):
    """Whoosh's own workings (PostgreSQL's search writes no index)."""
    return whoosh


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(rows, "CHUNK", 2)


def test_changes_spread_over_chunks_are_all_synced(store, factory, search, listing):
    source = store([event(f"e{n}", f"Atelier {n}", 21 + n % 5) for n in range(9)])
    with transaction(factory) as session:
        assert search.sync(session).indexed == 9
    store([*(event(f"e{n}", f"Atelier {n}", 21 + n % 5) for n in (0, 1, 3, 5, 6)),
           event("e4", "Atelier quatre", 25), event("e9", "Atelier 9", 22)])
    with transaction(factory) as session:
        report = search.sync(session, source)
    assert (report.indexed, report.removed) == (2, 3)  # e4 and e9; e2, e7 and e8 left
    assert sorted(titles(listing(q="atelier"))) == sorted(
        ["Atelier 0", "Atelier 1", "Atelier 3", "Atelier 5", "Atelier 6", "Atelier quatre",
         "Atelier 9"])


def test_a_sync_past_its_most_stops_reading_and_writes_nothing(store, factory, search,
                                                               monkeypatch):
    store([event("first", "Premier")])
    with transaction(factory) as session:
        search.sync(session)
    source = store([event(f"e{n}", f"Atelier {n}") for n in range(12)], source="Gros")
    chunks_read = []
    real = writer.published_stamps

    def counted(*args, **kwargs):
        for chunk in real(*args, **kwargs):
            chunks_read.append(len(chunk))
            yield chunk

    monkeypatch.setattr(writer, "published_stamps", counted)
    generation = search.status()["generation"]
    _, ix = search.folder.live()
    with transaction(factory) as session, pytest.raises(TooManyChanges):
        writer.sync(ix, session, search.region, source_id=source, timeout=5, most=3)
    assert chunks_read == [2, 2]  # 4 > 3 stale documents: the other 4 chunks are never read
    assert search.status()["generation"] == generation
