"""The order of actors and initiatives answered by SQL, computed as the directory index computes
it (pure).

SQL says, for each record holding every word, which field holds each word best (0: title,
1: themes and kinds, 2: place, 3: description: ``FIELDS``); the score is the index's
(``agenda.search.matching.score_classes``): per word, the weight of that field times the word's
rarity, summed word after word and rounded alike, so that records the index puts in one class
tie here too.  Records of equal score come in name order (:func:`name_key`, then id), which SQL
cannot compute (Python's folding of accents and case): it is computed here, for the rows SQL
returned.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from functools import lru_cache
from itertools import groupby
from typing import Iterable

from agenda.finder.documents import FIELD_WEIGHTS, name_key

# The word fields, heaviest first: a tier is an index in this tuple.
FIELDS = tuple(name for name, _ in sorted(FIELD_WEIGHTS.items(), key=lambda item: -item[1]))
WEIGHTS = tuple(FIELD_WEIGHTS[name] for name in FIELDS)

Row = tuple  # (id as text, name, tier of word 1, tier of word 2, ...)

# Names seen lately and their order key (about 9 MB at 40,000 names; past that, recomputed).
cached_name_key = lru_cache(maxsize=50_000)(name_key)


def rarity(size: int, holding: int) -> float:
    """How rare a word is among ``size`` records, ``holding`` of which hold it."""
    return math.log1p(size / max(holding, 1))


def score(tiers: Iterable[int], rarities: list[float]) -> float:
    total = 0.0
    for tier, word_rarity in zip(tiers, rarities):
        total = round(total + WEIGHTS[tier] * word_rarity, 9)
    return total


def tier_weight(tiers: Iterable[int]) -> float:
    """The score without rarity: the weights of each word's best field, summed (what the search
    across kinds merges kinds on, ``DirectoryIndex.tier_of``)."""
    total = 0.0
    for tier in tiers:
        total += WEIGHTS[tier]
    return total


def ordered(rows: list[Row], rarities: list[float] | None, wanted: int | None) -> list[Row]:
    """The first ``wanted`` rows (all: None) by relevance when there are ``rarities``, else by
    name; ties by name, then id.  Rows are grouped by score first (a score per combination of
    best fields), so names are only compared within the groups a page reaches."""
    if not rarities:
        return by_name(rows, wanted)
    groups: dict[tuple, list[Row]] = defaultdict(list)
    for row in rows:
        groups[row[2:]].append(row)
    scored = sorted(((score(tiers, rarities), members) for tiers, members in groups.items()),
                    key=lambda item: -item[0])
    found: list[Row] = []
    for _, classes in groupby(scored, key=lambda item: item[0]):
        members = [row for _, rows_of_class in classes for row in rows_of_class]
        found += by_name(members, None if wanted is None else wanted - len(found))
        if wanted is not None and len(found) >= wanted:
            break
    return found


def by_name(rows: list[Row], wanted: int | None) -> list[Row]:
    def key(row):
        return (cached_name_key(row[1]), row[0])

    if wanted is None or wanted >= len(rows):
        return sorted(rows, key=key)
    return heapq.nsmallest(wanted, rows, key=key)
