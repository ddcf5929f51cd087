"""A listing answered from one view of the index: its events per segment, their number of
occurrences, facets, and any page of occurrences in date or relevance order.

Answers are small (a bitset per segment, a few per relevance level) and cached per view (so per
index generation) by what they depend on: the analysed words, the event criteria, the window
and the order.  A page is made when asked, from the rows of that page only.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import Iterator

from agenda.search.analysis import query_words
from agenda.search.catalog import Leaf
from agenda.search.documents import IN_PERSON, ONLINE, city_key
from agenda.search.matching import match_words, score_classes
from agenda.search.selection import (
    Criteria,
    Row,
    count_occurrences,
    event_bits,
    facet_counts,
    rows,
)
from agenda.search.view import View

_FLAGS = {"online": ONLINE, "in_person": IN_PERSON}


@dataclass(eq=False)
class Answer:
    total: int  # occurrences
    selected: list[tuple[Leaf, int]]  # the events listed, as a bitset per leaf
    levels: list[list[tuple[Leaf, int]]]  # the same, by relevance (one level in date order)
    window: tuple[int, int]
    communes: frozenset[str] = frozenset()  # the chosen ones, counted in the facets
    _facets: dict | None = field(default=None, repr=False)
    _made: list[Row] = field(default_factory=list, repr=False)  # the rows made so far
    _making: Iterator[Row] | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def rows(self) -> Iterator[Row]:
        return chain.from_iterable(rows(level, self.window) for level in self.levels)

    def page(self, offset: int, limit: int) -> list[tuple[str, int]]:
        """(event id, start) of the occurrences ``offset`` to ``offset + limit`` (the rows
        are made up to there once; the next pages go on from where it stopped)."""
        with self._lock:
            if self._making is None:
                self._making = self.rows()
            missing = offset + limit - len(self._made)
            if missing > 0:
                self._made.extend(islice(self._making, missing))
            return [(event_id, start) for start, event_id, _ in
                    self._made[offset:offset + limit]]

    def facets(self) -> dict[str, list[tuple[str, int]]]:
        if self._facets is None:
            self._facets = facet_counts(self.selected, self.window, self.communes)
        return self._facets

    @property
    def events(self) -> int:
        """How many distinct events the listed occurrences belong to."""
        return sum(bits.bit_count() for _, bits in self.selected)

    def event_ids(self, limit: int | None = None) -> list[str]:
        """Distinct events, by their first occurrence in the listing: the first ``limit`` of
        them (the rows are made in order and only until that many events are seen)."""
        seen: dict[str, None] = {}
        if limit is not None and limit <= 0:
            return []
        for _, event_id, _ in self.rows():
            if event_id not in seen:
                seen[event_id] = None
                if len(seen) == limit:
                    break
        return list(seen)

    @property
    def size(self) -> int:
        """Roughly the bytes it holds (for the cache's budget)."""
        return 200 + sum(bits.bit_length() // 8 + 50 for level in self.levels for _, bits in level)


def criteria(filters) -> Criteria:
    """The event filters of a :class:`~agenda.listing.filters.Filters`."""
    return Criteria(departments=frozenset(filters.departments),
                    communes=frozenset(filters.communes), themes=frozenset(filters.themes),
                    sources=frozenset(filters.sources), city=city_key(filters.city),
                    flag=_FLAGS.get(filters.mode or "", 0))


def answer(view: View, filters, window: tuple[datetime, datetime]) -> Answer:
    """Occurrences overlapping ``window`` that match ``filters``, by start (or by relevance
    when asked and there are words), with what facets need."""
    words = query_words(filters.q)
    order = "relevance" if words and filters.sort == "relevance" else "date"
    span = (int(window[0].timestamp()), int(window[1].timestamp()))
    key = (words, criteria(filters), span, order)
    found = view.answers.get(key)
    if found is None:
        found = _compute(view, words, key[1], span, order)
        view.answers.put(key, found, size=found.size)
    return found


def _compute(view: View, words, event_criteria: Criteria, span: tuple[int, int],
             order: str) -> Answer:
    leaves = view.leaves
    matched, scored = (match_words(leaves, words, view.terms) if words
                       else ([None] * len(leaves), []))
    selected = [(leaf, event_bits(leaf, event_criteria, span, bits))
                for leaf, bits in zip(leaves, matched)]
    total = sum(count_occurrences(leaf, bits, span) for leaf, bits in selected if bits)
    levels = _by_relevance(selected, scored) if order == "relevance" else [selected]
    return Answer(total, selected, levels, span, event_criteria.communes)


def _by_relevance(selected: list[tuple[Leaf, int]], scored) -> list[list[tuple[Leaf, int]]]:
    """The events split into levels of equal relevance, best first, across leaves."""
    by_score: dict[float, list[tuple[Leaf, int]]] = {}
    for index, (leaf, bits) in enumerate(selected):
        if bits:
            for score, members in score_classes(index, bits, scored):
                by_score.setdefault(score, []).append((leaf, members))
    return [by_score[score] for score in sorted(by_score, reverse=True)]
