"""Words -> the events holding them all, and a relevance score (no query parser at all).

A word matches an event when one of its forms is in one of the word fields.  Its posting lists
are read straight from each segment into bitsets, kept in a cache that outlives index
generations (segments never change), so after a collection only the new small segment is read.
Relevance: each word scores the weight of the best field holding it (title 4, tags 2, place 1.5,
description 1) times its rarity, ``log(1 + events / events with the word)``; an event's score is
the sum over its words.  Scores are computed for groups of events, not one by one.  (Whoosh's own scored search took 0.2-1 s for frequent words at
100,000 events.)
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

from agenda.search.catalog import Leaf
from agenda.search.documents import FIELD_WEIGHTS
from agenda.search.postings import term_bits

_HEAVIEST_FIRST = sorted(FIELD_WEIGHTS.items(), key=lambda item: -item[1])
TERM_BUDGET = 48_000_000  # bytes of term bitsets kept per process


class SizedCache:
    """A least-recently-used cache bounded by the total size its values are given (thread-safe:
    a threaded server shares it between requests)."""

    def __init__(self, budget: int):
        self.budget = budget
        self._items: OrderedDict = OrderedDict()
        self._used = 0
        self._lock = threading.Lock()

    def get(self, key):
        """The cached value, or None."""
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key, value, size: int) -> None:
        with self._lock:
            if size > self.budget or key in self._items:
                return
            self._items[key] = (value, size)
            self._used += size
            while self._used > self.budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self._used -= dropped


@dataclass(frozen=True)
class Word:
    """One word of a query in one leaf: its events per field, heaviest field first."""

    fields: tuple[tuple[float, int], ...]

    @property
    def bits(self) -> int:
        union = 0
        for _, bits in self.fields:
            union |= bits
        return union


def word_in_leaf(leaf: Leaf, forms: tuple[str, ...], cache: SizedCache) -> Word:
    return Word(tuple((weight, _field_bits(leaf, name, forms, cache))
                      for name, weight in _HEAVIEST_FIRST))


def _field_bits(leaf: Leaf, name: str, forms: tuple[str, ...], cache: SizedCache) -> int:
    union = 0
    for form in forms:
        key = (leaf.facts.key, name, form)
        bits = cache.get(key)
        if bits is None:
            bits = _read_term(leaf, name, form)
            cache.put(key, bits, size=bits.bit_length() // 8 + 64)
        union |= bits
    return union


def _read_term(leaf: Leaf, name: str, form: str) -> int:
    return term_bits(leaf.reader, name, form, leaf.facts.size)


def match_words(leaves: list[Leaf], words: tuple[tuple[str, ...], ...],
                cache: SizedCache) -> tuple[list[int], list[tuple[float, list[Word]]]]:
    """Per leaf, the events holding every word; and per word its rarity and per-leaf fields."""
    per_word = [[word_in_leaf(leaf, forms, cache) for leaf in leaves] for forms in words]
    live = sum(leaf.live.bit_count() for leaf in leaves) or 1
    scored = []
    matched = [leaf.live for leaf in leaves]
    for in_leaves in per_word:
        unions = [word.bits for word in in_leaves]
        count = sum((bits & leaf.live).bit_count() for bits, leaf in zip(unions, leaves))
        scored.append((math.log1p(live / max(count, 1)), in_leaves))
        matched = [bits & union for bits, union in zip(matched, unions)]
    return matched, scored


def score_classes(leaf_index: int, bits: int, scored) -> list[tuple[float, int]]:
    """The events ``bits`` of one leaf grouped by relevance: (score, bitset), best first.

    Each word splits every group by the best field holding it, so the work is a few bitset
    ANDs per word, whatever the number of events."""
    classes = {0.0: bits}
    for rarity, in_leaves in scored:
        tiers = _tiers(in_leaves[leaf_index])
        split: dict[float, int] = {}
        for score, members in classes.items():
            for weight, tier in tiers:
                if part := members & tier:
                    key = round(score + weight * rarity, 9)
                    split[key] = split.get(key, 0) | part
        classes = split
    return sorted(classes.items(), reverse=True)


def _tiers(word: Word) -> list[tuple[float, int]]:
    """The word's events by the weight of the best field holding it (disjoint sets)."""
    tiers, seen = [], 0
    for weight, bits in word.fields:
        if fresh := bits & ~seen:
            tiers.append((weight, fresh))
            seen |= bits
    return tiers
