"""Which candidates of one local day are compared at all, so that work stays near linear (pure).

Within a day: the candidates of one commune together (and, across the communes of one
department, those with the same title and start); a candidate that knows only its department
with every candidate of that department; online candidates together; a candidate whose place is
unknown with the day's candidates that share one of its rarest title words.  With ``wanted``
(indexes of changed candidates), only pairs with a wanted side come out.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Callable, Iterator, Sequence

from agenda.matching.candidate import Candidate

RARE_WORDS = 2     # an unknown place is compared through its title's rarest words
BIG_BLOCK = 200    # a block this large compares only titles sharing one of their rarest words


def day_pairs(candidates: Sequence[Candidate], members: list[int],
              title_of: Callable[[int], str],
              wanted: frozenset[int] | None = None) -> Iterator[tuple[int, int]]:
    """Pairs of indexes (into ``candidates``) of one day's ``members`` worth scoring, each once."""
    communes, departments, department_only = defaultdict(list), defaultdict(list), defaultdict(list)
    online, unknown = [], []
    for index in members:
        candidate = candidates[index]
        if candidate.online:
            online.append(index)
        elif candidate.commune_code:
            communes[candidate.commune_code].append(index)
            departments[department_of(candidate)].append(index)
        elif candidate.department:
            department_only[candidate.department].append(index)
        else:
            unknown.append(index)
    for block in communes.values():
        yield from _within_block(block, title_of, wanted)
    yield from _across_communes(candidates, departments, title_of, wanted)
    yield from _within_block(online, title_of, wanted)
    for department, block in department_only.items():
        yield from _within_block(block, title_of, wanted)
        yield from _between(block, departments.get(department, ()), wanted)
    if unknown:
        yield from _shared_rare_word(unknown, members, title_of, wanted)


def department_of(candidate: Candidate) -> str | None:
    """The department given, or the one an INSEE commune code starts with."""
    if candidate.department:
        return candidate.department
    code = candidate.commune_code
    if not code:
        return None
    return code[:3] if code.startswith("97") else code[:2]


def _within_block(block: list[int], title_of, wanted) -> Iterator[tuple[int, int]]:
    """Every pair of a block; in a very large one (a day of a big town, a flood of webinars)
    the pairs sharing one of their rarest title words, so that work stays near linear."""
    if len(block) <= BIG_BLOCK:
        return _within(block, wanted)
    return _shared_rare_word(block, block, title_of, wanted, every=True)


def _within(block: list[int], wanted) -> Iterator[tuple[int, int]]:
    if wanted is None:
        return combinations(block, 2)
    if wanted.isdisjoint(block):
        return iter(())
    return ((i, j) for i, j in combinations(block, 2) if i in wanted or j in wanted)


def _between(block: list[int], others, wanted) -> Iterator[tuple[int, int]]:
    for i in block:
        if wanted is None or i in wanted:
            yield from ((i, j) for j in others)
        else:
            yield from ((i, j) for j in others if j in wanted)


def _across_communes(candidates, departments, title_of, wanted) -> Iterator[tuple[int, int]]:
    """Same title and start in two communes of one department: the venue on a border, or a
    source that gave the organiser's town (never merged by itself: the score caps it)."""
    for block in departments.values():
        if len(block) < 2 or (wanted is not None and wanted.isdisjoint(block)):
            continue
        at_once = defaultdict(list)
        for index in block:
            at_once[candidates[index].start].append(index)
        for group in at_once.values():
            if len(group) > 1:
                yield from ((i, j) for i, j in _within(group, wanted)
                            if candidates[i].commune_code != candidates[j].commune_code
                            and title_of(i) == title_of(j))


def _shared_rare_word(unknown: list[int], members: list[int], title_of, wanted,
                      every: bool = False) -> Iterator[tuple[int, int]]:
    """An unknown place against the day's candidates sharing one of its rarest title words; in
    an incremental run, an unchanged unknown place against the changed candidates sharing any
    word of it (so the whole day's titles are read only when an unknown place changed).
    ``every``: ``unknown`` is ``members`` (a large block), looked at whole."""
    if every and wanted is not None and wanted.isdisjoint(members):
        return
    if not every and wanted is not None and wanted.isdisjoint(unknown):
        for index in unknown:
            words = set(title_of(index).split())
            for other in wanted:
                if not words.isdisjoint(title_of(other).split()):
                    yield (index, other) if index < other else (other, index)
        return
    having = defaultdict(list)
    for index in members:
        for word in set(title_of(index).split()):
            having[word].append(index)
    seen = set()
    for index in unknown:
        words = sorted(set(title_of(index).split()), key=lambda w: (len(having[w]), w))
        for word in words[:RARE_WORDS]:
            for other in having[word]:
                pair = (index, other) if index < other else (other, index)
                if other == index or pair in seen:
                    continue
                if wanted is None or index in wanted or other in wanted:
                    seen.add(pair)
                    yield pair
