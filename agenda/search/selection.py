"""Listings answered from the in-memory catalog, without SQL and without a loop per event.

The events of a listing, per segment, are one AND of bitsets: live & in the window & passing
the filters & holding the words.  Their facet counts are popcounts; their number of occurrences
is a popcount plus the few events occurring more than once in the window; and only the rows of
the page asked for are made, lazily, in (start, event id) order.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Iterator

from agenda.search import bitsets
from agenda.search.catalog import Leaf
from agenda.search.documents import unpack_dates

Row = tuple[int, str, int]  # (start in UTC seconds, event id, global docnum)
FEW_EVENTS = 256


@dataclass(frozen=True)
class Criteria:
    """The filters a listing applies to events (dates and words aside)."""

    departments: frozenset[str] = frozenset()
    communes: frozenset[str] = frozenset()  # INSEE codes
    themes: frozenset[str] = frozenset()
    sources: frozenset[int] = frozenset()
    city: str = ""
    flag: int = 0  # ONLINE or IN_PERSON


def event_bits(leaf: Leaf, criteria: Criteria, window: tuple[int, int],
               words: int | None) -> int:
    """The leaf's live events in ``window`` passing ``criteria`` and holding ``words``."""
    facts = leaf.facts
    bits = leaf.live & facts.window(*window).events
    if words is not None:
        bits &= words
    if criteria.departments:
        bits &= _any(facts.departments, criteria.departments)
    if criteria.communes:
        bits &= _any(facts.communes, criteria.communes)
    if criteria.themes:
        bits &= _any(facts.themes, criteria.themes)
    if criteria.sources:
        bits &= _any(facts.sources, criteria.sources)
    if criteria.flag:
        bits &= facts.flags.get(criteria.flag, 0)
    if criteria.city:
        bits &= facts.city_bits(criteria.city)
    return bits


def _any(bits_by_key: dict, keys) -> int:
    union = 0
    for key in keys:
        union |= bits_by_key.get(key, 0)
    return union


def count_occurrences(leaf: Leaf, bits: int, window: tuple[int, int]) -> int:
    """How many occurrences the events ``bits`` have in ``window``."""
    extra = leaf.facts.window(*window).extra
    total = bits.bit_count()
    if extra and bits:
        mask = bitsets.as_mask(bits, leaf.facts.size)
        total += sum(n for doc, n in extra.items() if bitsets.contains(mask, doc))
    return total


def rows(parts: Iterable[tuple[Leaf, int]], window: tuple[int, int]) -> Iterator[Row]:
    """The occurrences in ``window`` of the events of every (leaf, bits), by start then id."""
    return heapq.merge(*(_leaf_rows(leaf, bits, window) for leaf, bits in parts if bits))


def _leaf_rows(leaf: Leaf, bits: int, window: tuple[int, int]) -> Iterator[Row]:
    """Through the events' own dates when they are few, else along the window's occurrences
    (lazily: a first page of a dense listing stops early)."""
    facts = leaf.facts
    if bits.bit_count() <= FEW_EVENTS:
        return iter(sorted(_rows_of_events(leaf, bits, window)))
    mask = bitsets.as_mask(bits, facts.size)
    return heapq.merge(_short_rows(leaf, mask, window), _long_rows(leaf, mask, window))


def _rows_of_events(leaf: Leaf, bits: int, window: tuple[int, int]) -> list[Row]:
    facts, base, (first, last) = leaf.facts, leaf.base, window
    found = []
    for doc in bitsets.positions(bits, facts.size):
        values = unpack_dates(facts.dates[doc])
        found.extend((start, facts.ids[doc], base + doc)
                     for start, end in zip(values[::2], values[1::2])
                     if start < last and (end > first or start >= first))
    return found


def _short_rows(leaf: Leaf, mask: bytes, window: tuple[int, int]) -> Iterator[Row]:
    facts, base, first = leaf.facts, leaf.base, window[0]
    starts, ends, docs, ids = facts.starts, facts.ends, facts.docs, facts.ids
    low, middle, high = facts.span(*window)
    for i in range(low, high):
        doc = docs[i]
        if mask[doc >> 3] >> (doc & 7) & 1 and (i >= middle or ends[i] > first):
            yield starts[i], ids[doc], base + doc


def _long_rows(leaf: Leaf, mask: bytes, window: tuple[int, int]) -> Iterator[Row]:
    facts, (first, last) = leaf.facts, window
    found = [(start, facts.ids[doc], leaf.base + doc) for start, end, doc in facts.long
             if start < last and (end > first or start >= first) and bitsets.contains(mask, doc)]
    return iter(sorted(found))


def facet_counts(parts: Iterable[tuple[Leaf, int]], window: tuple[int, int],
                 communes: frozenset[str] = frozenset()) -> dict[str, list[tuple[str, int]]]:
    """Occurrences in ``window`` (dates, as the listing's total) by department and by theme,
    and by commune among the ``communes`` chosen, most first: a popcount per value, plus the
    extra dates of the few events met more than once in the window."""
    departments: dict[str, int] = defaultdict(int)
    themes: dict[str, int] = defaultdict(int)
    chosen: dict[str, int] = defaultdict(int)
    for leaf, bits in parts:
        if bits:
            extra = _selected_extra(leaf, bits, window)
            for code, members in leaf.facts.departments.items():
                departments[code] += _dates_of(bits & members, extra, leaf.facts.size)
            for slug, members in leaf.facts.themes.items():
                themes[slug] += _dates_of(bits & members, extra, leaf.facts.size)
            for code in communes:
                chosen[code] += _dates_of(bits & leaf.facts.communes.get(code, 0), extra,
                                          leaf.facts.size)
    facets = {"departments": _most_first(departments), "themes": _most_first(themes)}
    return {**facets, "communes": _most_first(chosen)} if communes else facets


def _selected_extra(leaf: Leaf, bits: int, window: tuple[int, int]) -> list[tuple[int, int]]:
    """(document, extra dates) of the events of ``bits`` met more than once in ``window``."""
    extra = leaf.facts.window(*window).extra
    if not extra:
        return []
    mask = bitsets.as_mask(bits, leaf.facts.size)
    return [(doc, n) for doc, n in extra.items() if bitsets.contains(mask, doc)]


def _dates_of(bits: int, extra: list[tuple[int, int]], size: int) -> int:
    if not bits or not extra:
        return bits.bit_count()
    mask = bitsets.as_mask(bits, size)
    return bits.bit_count() + sum(n for doc, n in extra if bitsets.contains(mask, doc))


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(((key, n) for key, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0]))
