"""A source's records are compared and written a chunk at a time, and let go once written."""

from __future__ import annotations

import weakref
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from agenda.db import transaction
from agenda.models import Event
from agenda.records.placing import place_record
from agenda.store import events as store
from agenda.store.events import upsert_events
from agenda.store.sources import add_source
from tests.store.test_events import PARIS, record


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(store, "CHUNK", 3)


@pytest.fixture
def source_id(factory, now):
    with transaction(factory) as session:
        return add_source(session, name="Gros", url="http://127.0.0.1/gros.ics", now=now).id


def upsert(factory, source_id, records, now):
    with transaction(factory) as session:
        return upsert_events(session, source_id, records, now=now, tz=PARIS)


def stored(factory, source_id) -> dict[str, tuple[str, int, bool]]:
    """source UID -> (id, SEQUENCE, removed)"""
    with transaction(factory) as session:
        rows = session.execute(select(Event.source_uid, Event.id, Event.sequence,
                                      Event.removed_at).where(Event.source_id == source_id))
        return {uid: (eid, seq, removed is not None) for uid, eid, seq, removed in rows}


def test_changes_spread_over_chunks_keep_ids_and_mark_only_the_vanished(factory, source_id,
                                                                        now):
    first = [record(f"e{n}", title=f"Atelier {n}") for n in range(10)]
    assert upsert(factory, source_id, first, now).new == 10
    upsert(factory, source_id, first[:9], now + timedelta(hours=1))  # e9 removed
    before = stored(factory, source_id)
    second = [*first[:2], replace(first[4], title="Atelier 4, salle B"), *first[5:8],
              first[9], record("e10")]  # e2, e3, e8 vanish; e9 comes back; e10 is new
    counts = upsert(factory, source_id, second, now + timedelta(hours=2))
    assert (counts.new, counts.updated, counts.unchanged, counts.removed) == (1, 2, 5, 3)
    after = stored(factory, source_id)
    assert {uid for uid, (_, _, removed) in after.items() if removed} == {"e2", "e3", "e8"}
    assert all(after[uid][0] == before[uid][0] for uid in before)  # ids kept
    sequences = {uid: after[uid][1] - before[uid][1] for uid in before}
    assert sequences == {"e0": 0, "e1": 0, "e2": 1, "e3": 1, "e4": 1, "e5": 0, "e6": 0,
                         "e7": 0, "e8": 1, "e9": 1}
    assert after["e10"][1:] == (0, False)


def test_records_handed_over_are_let_go_chunk_by_chunk(factory, source_id, now, monkeypatch):
    # records already clean and placed: the store's door hands them on as they are
    handed = [[place_record(record(f"e{n}")) for n in range(10)]]
    refs = [weakref.ref(item) for item in handed[0]]
    alive_at_each_chunk = []
    real_insert = store._insert_events

    def counting_insert(*args, **kwargs):
        alive_at_each_chunk.append(sum(ref() is not None for ref in refs))
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(store, "_insert_events", counting_insert)
    with transaction(factory) as session:
        counts = upsert_events(session, source_id, handed.pop(), now=now, tz=PARIS)
    assert counts.new == 10
    assert alive_at_each_chunk == [10, 7, 4, 1]
    assert all(ref() is None for ref in refs)
