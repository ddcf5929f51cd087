"""The in-memory catalog against brute force: windows, counts and rows, on random windows."""

from __future__ import annotations

import random
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from agenda.cli.sample_events import sample_records
from agenda.collectors.normalize import to_utc
from agenda.search import bitsets
from agenda.search.catalog import Leaf, read_segment
from agenda.search.documents import IndexedEvent, pack_facts
from agenda.search.selection import count_occurrences, rows

PARIS = ZoneInfo("Europe/Paris")


class ColumnReader:
    """What read_segment needs of a Whoosh segment reader."""

    def __init__(self, values: list[bytes]):
        self.values = values

    def column_reader(self, name, translate=True):
        assert (name, translate) == ("facts", False)
        return iter(self.values)


def indexed(record, number: int) -> IndexedEvent:
    dates = tuple(sorted((int(to_utc(o.start, PARIS).timestamp()),
                          int(to_utc(o.end, PARIS).timestamp())) for o in record.occurrences))
    return IndexedEvent(id=f"{number:020x}"[::-1], source_id=1, sequence=0, title=record.title,
                        department=record.location.department, dates=dates)


@pytest.fixture(scope="module")
def events():
    records = sample_records(300, seed=3, today=date(2026, 11, 21), tz=PARIS)
    long = IndexedEvent(id="f" * 20, source_id=1, sequence=0, title="Exposition",
                        dates=((1_790_000_000, 1_800_000_000),))
    instant = IndexedEvent(id="e" * 20, source_id=1, sequence=0, title="Annonce",
                           dates=((1_795_000_000, 1_795_000_000),))
    return [indexed(r, n) for n, r in enumerate(records)] + [long, instant]


def overlapping(event: IndexedEvent, first: int, last: int) -> list[int]:
    return [start for start, end in event.dates
            if start < last and (end > first or start >= first)]


def test_windows_counts_and_rows_match_brute_force(events):
    facts = read_segment(ColumnReader([pack_facts(e) for e in events]))
    deleted = {5, 17, 250}
    live = bitsets.full(facts.size) & ~bitsets.from_positions(deleted, facts.size)
    leaf = Leaf(facts, 0, live)
    rng = random.Random(1)
    starts = [start for event in events for start, _ in event.dates]
    for _ in range(300):
        first = rng.choice(starts) + rng.choice((-7200, -1, 0, 1, 3600, rng.randrange(86400)))
        last = first + rng.choice((1, 3600, 86400 * rng.randrange(1, 400)))
        window = facts.window(first, last)
        expected = {doc: overlapping(e, first, last) for doc, e in enumerate(events)
                    if overlapping(e, first, last) and doc not in deleted}
        bits = window.events & live
        assert set(bitsets.positions(bits, facts.size)) == set(expected)
        assert count_occurrences(leaf, bits, (first, last)) == sum(map(len, expected.values()))
        listed = list(rows([(leaf, bits)], (first, last)))
        assert listed == sorted((start, events[doc].id, doc) for doc, found in expected.items()
                                for start in found)
