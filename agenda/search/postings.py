"""A word's posting list read straight into a bitset, a block at a time.

Whoosh's ``Matcher.all_ids()`` yields one document number per three Python method calls
(``is_active``, ``id``, ``next``): for a frequent word of a 100,000-event index that was most
of a first query's time (and of the first query after a collection asking a word not yet
read).  whoosh3's on-disk matcher (``W3LeafMatcher``, pinned: whoosh3 3.54.0) holds each
block's ids delta-encoded: those are read block by block here and decoded in C
(``itertools.accumulate``), not one ``delta_decode`` generator step per id.  Deleted documents are left in
(the segment reader's deletions are those of the day it was opened; every caller intersects
with the live documents of the current generation), so a term's bitset is a fact of the
segment alone.  Any other matcher is read through ``all_ids()``.
"""

from __future__ import annotations

from itertools import accumulate
from typing import Iterable, Iterator

from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

from agenda.search import bitsets


def term_bits(reader, field: str, form: str, size: int) -> int:
    """The documents of a segment holding ``form`` in ``field`` (0 when none)."""
    if not reader.doc_frequency(field, form):
        return 0
    mask, flags = bytearray((size + 7) >> 3), bitsets.BIT_FLAGS
    for block in _blocks(reader.postings(field, form)):
        for doc in block:
            mask[doc >> 3] |= flags[doc & 7]
    return int.from_bytes(mask, "little")


def _blocks(matcher) -> Iterator[Iterable[int]]:
    raw = matcher.child if isinstance(matcher, FilterMatcher) else matcher
    if type(raw) is not W3LeafMatcher or not hasattr(raw, "_read_ids"):
        yield list(matcher.all_ids())
        return
    while raw.is_active():
        if raw._byteids:  # term vectors: not ours, read as whoosh does
            raw._read_ids()
            yield raw._ids
        else:
            raw._read_data()  # the block's (delta-encoded ids, weights, values)
            yield accumulate(raw._data[0])
        raw._next_block()
