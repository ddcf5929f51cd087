"""Actors and initiatives in memory: words, filters and facets as bitsets (pure).

Records are numbered in name order (case and accents aside), so that "by name" is the order of
the numbers.  Each kind, theme, department, commune, structure and status is a Python int with
bit n set for record n (``agenda.search.bitsets``), and so is each term of each word field once
a query asked for it (held as sorted record numbers until then: 4 bytes a record, where a rare
word's bitset would weigh the whole set): a query is a few ANDs, a facet count a popcount.  Relevance is the events' own
(``agenda.search.matching``): each word scores the weight of the best field holding it times its
rarity; records of equal score keep name order.

An initiative without a department is one of the whole region: a department's filter keeps it,
and a commune's filter keeps the initiatives of the commune's department (or of the region)
that name no commune, as the initiatives' own listing does.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from typing import Iterator, NamedTuple

from agenda.finder.documents import FIELD_WEIGHTS, Record, name_key
from agenda.search import bitsets
from agenda.search.analysis import word_forms
from agenda.search.matching import SizedCache, Word, score_classes

DIRECTORY_KINDS = ("initiative", "actor")
FACETS = ("kind", "theme", "dept", "commune", "structure", "status")
TERM_BUDGET = 16_000_000  # bytes of term bitsets kept per index
_WORD = re.compile(r"\w+")
_HEAVIEST_FIRST = sorted(FIELD_WEIGHTS.items(), key=lambda item: -item[1])


@dataclass(frozen=True)
class Criteria:
    """The filters of a search, for actors and initiatives."""

    themes: frozenset[str] = frozenset()
    departments: frozenset[str] = frozenset()
    communes: frozenset[tuple[str, str]] = frozenset()  # (INSEE code, its department)
    structures: frozenset[str] = frozenset()
    statuses: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Selection:
    bits: int  # the records selected
    scored: list  # per word: (rarity, [Word]) for relevance (empty without words)


class Entry(NamedTuple):
    """What the index keeps of a record once built (its texts are in its terms)."""

    kind: str
    id: str
    title: str


class DirectoryIndex:
    def __init__(self, records: list[Record]):
        ordered = sorted(records, key=lambda r: (name_key(r.title), r.kind, r.id))
        self.size = len(ordered)
        self.terms = _terms(ordered)
        self._bits = SizedCache(TERM_BUDGET)  # the bitsets of the terms queries asked for
        self.facets = _facets(ordered)
        self.records = [Entry(r.kind, r.id, r.title) for r in ordered]
        self.position = {(r.kind, r.id): n for n, r in enumerate(self.records)}
        self.live = bitsets.full(self.size)
        self.region_wide = self.facets["kind"].get("initiative", 0) & ~_union(
            self.facets["dept"].values())
        self.no_commune = self.live & ~_union(self.facets["commune"].values())

    # --- selecting -----------------------------------------------------------------------

    def select(self, words: tuple[tuple[str, ...], ...], criteria: Criteria) -> Selection:
        """The records holding every word (each by one of its forms) and passing
        ``criteria`` (every kind: the caller narrows by kind)."""
        bits, scored = self.live, []
        for forms in words:
            word = Word(tuple((weight, self._term_bits(name, forms))
                              for name, weight in _HEAVIEST_FIRST))
            found = word.bits
            scored.append((math.log1p(self.size / max(found.bit_count(), 1)), [word]))
            bits &= found
        return Selection(self.filtered(bits, criteria), scored)

    def filtered(self, bits: int, criteria: Criteria, *, without: str = "") -> int:
        """``bits`` passing ``criteria`` (but the facet ``without``, to count its values)."""
        if criteria.themes and without != "theme":
            bits &= self._any("theme", criteria.themes)
        if criteria.departments and without != "dept":
            bits &= self.in_departments(criteria.departments)
        if criteria.communes:
            bits &= self.in_communes(criteria.communes)
        if criteria.structures:
            bits &= self._any("structure", criteria.structures)
        if criteria.statuses:
            bits &= self._any("status", criteria.statuses)
        return bits

    def in_departments(self, codes) -> int:
        return self._any("dept", codes) | self.region_wide

    def in_communes(self, communes) -> int:
        found = self._any("commune", [code for code, _ in communes])
        wider = self._any("dept", [department for _, department in communes]) | self.region_wide
        initiatives = self.facets["kind"].get("initiative", 0)
        return found | (initiatives & self.no_commune & wider)

    def of_kind(self, bits: int, kind: str) -> int:
        return bits & self.facets["kind"].get(kind, 0)

    # --- counting and ordering -----------------------------------------------------------

    def counts(self, bits: int, facet: str) -> dict[str, int]:
        """How many of ``bits`` have each value of ``facet`` (departments: with the initiatives
        of the whole region, as choosing one would list them)."""
        found = {}
        for value, members in self.facets[facet].items():
            if facet == "dept":
                members |= self.region_wide
            if n := (bits & members).bit_count():
                found[value] = n
        return found

    def ordered(self, bits: int, selection: Selection, *, relevance: bool) -> Iterator[int]:
        """The positions of ``bits``, lazily: by relevance (best first, then by name) or by
        name (a first page reads only the start of the set)."""
        if not relevance or not selection.scored:
            return _positions(bits, self.size)
        classes = score_classes(0, bits, selection.scored)
        return chain.from_iterable(_positions(members, self.size) for _, members in classes)

    def tier_of(self, position: int, selection: Selection) -> float:
        """The record's score without rarity: the sum, over the words, of the weight of the
        best field holding each (what a search across kinds merges events on)."""
        total = 0.0
        for _, (word,) in selection.scored:
            total += next((weight for weight, bits in word.fields if bits >> position & 1), 0)
        return total

    def _term_bits(self, name: str, forms: tuple[str, ...]) -> int:
        union = 0
        for form in forms:
            key = (name, form)
            bits = self._bits.get(key)
            if bits is None:
                members = self.terms[name].get(form)
                bits = bitsets.from_positions(members, self.size) if members else 0
                self._bits.put(key, bits, size=bits.bit_length() // 8 + 64)
            union |= bits
        return union

    def _any(self, facet: str, values) -> int:
        members = self.facets[facet]
        return _union(members.get(value, 0) for value in values)


def _terms(records: list[Record]) -> dict[str, dict[str, array]]:
    """Per field, each form -> the sorted numbers of the records holding it (4 bytes each:
    rare words cost little; bitsets are made when a query asks, see ``_term_bits``).  The
    records of each distinct word first (one append per record and word), then its forms."""
    found: dict[str, dict[str, array]] = {}
    for name in FIELD_WEIGHTS:
        by_word: dict[str, list[int]] = defaultdict(list)
        for n, record in enumerate(records):
            text = getattr(record, name)
            if text:
                for word in set(_WORD.findall(text.lower())):
                    by_word[word].append(n)
        terms: dict[str, list[int]] = {}
        for word, members in by_word.items():
            for form in word_forms(word):
                known = terms.get(form)
                terms[form] = members if known is None else sorted({*known, *members})
        found[name] = {form: array("I", members) for form, members in terms.items()}
    return found


def _positions(bits: int, size: int) -> Iterator[int]:
    """The members of ``bits`` in increasing order, lazily."""
    for index, byte in enumerate(bitsets.as_mask(bits, size)):
        if byte:
            base = index << 3
            for n in range(8):
                if byte >> n & 1:
                    yield base + n


def _facets(records: list[Record]) -> dict[str, dict[str, int]]:
    size = len(records)
    lists: dict[str, dict[str, list[int]]] = {facet: defaultdict(list) for facet in FACETS}
    for n, record in enumerate(records):
        lists["kind"][record.kind].append(n)
        for slug in dict.fromkeys(record.themes):
            lists["theme"][slug].append(n)
        for facet, value in (("dept", record.department), ("commune", record.commune),
                             ("structure", record.structure), ("status", record.status)):
            if value:
                lists[facet][value].append(n)
    return {facet: {value: bitsets.from_positions(members, size)
                    for value, members in values.items()} for facet, values in lists.items()}


def _union(values) -> int:
    union = 0
    for bits in values:
        union |= bits
    return union
