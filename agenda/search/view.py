"""What one process reads the index through: a reader, the catalog of its segments, and caches,
all tied to one generation of the live index and replaced when another process commits.

Checking for a change costs a read of ``CURRENT`` and a listing of the index folder (tens of
microseconds).  On a change the new table of contents is read and only new segments are opened
and read into the catalog: a segment never changes, so its reader, its facts and its cached
term bitsets are kept, and its deletions are taken from the new table of contents.
(``Searcher.refresh()`` / ``index.reader(reuse=)`` are not used: in whoosh3 3.54.0 a reused
segment reader keeps its old deletions, and after an optimize the old segments come back beside
the merged one; reopening every segment instead costs 3 ms each.)  Old readers are not closed:
a thread still answering with them finishes, and they go with the last reference.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from whoosh.index import TOC
from whoosh.reading import SegmentReader

from agenda.search import bitsets
from agenda.search.catalog import Leaf, SegmentFacts, read_segment
from agenda.search.folder import IndexFolder, IndexUnavailable
from agenda.search.matching import TERM_BUDGET, SizedCache

ANSWER_BUDGET = 32_000_000  # bytes of bitsets held by the cache of listing -> answer


@dataclass(eq=False)
class View:
    token: tuple[str, int]
    leaves: list[Leaf]
    terms: SizedCache
    answers: SizedCache = field(default_factory=lambda: SizedCache(ANSWER_BUDGET))

    @property
    def documents(self) -> int:
        return sum(leaf.live.bit_count() for leaf in self.leaves)


class Views:
    """The current :class:`View` of an index folder (thread-safe)."""

    def __init__(self, folder: IndexFolder):
        self._folder = folder
        self._lock = threading.Lock()
        self._current: View | None = None
        self._segments: dict[tuple[str, str], tuple[SegmentFacts, object]] = {}
        self._terms = SizedCache(TERM_BUDGET)

    def current(self) -> View:
        """The view of the live index as it is now (raises IndexUnavailable)."""
        token = self._folder.token()
        view = self._current
        if view is not None and view.token == token:
            return view
        with self._lock:
            if self._current is None or self._current.token != token:
                self._current = self._open(token)
            return self._current

    def forget(self) -> None:
        """Drop everything read so far (after a read error: the next call reopens)."""
        with self._lock:
            self._current, self._segments = None, {}
            self._terms = SizedCache(TERM_BUDGET)
            self._folder.forget()

    def _open(self, token: tuple[str, int]) -> View:
        name = token[0]
        ix = self._folder.open(name)
        try:
            toc = TOC.read(ix.storage, ix.indexname, schema=self._folder.schema)
        except OSError as error:  # a writer cleaned up under us: the caller asks again
            raise IndexUnavailable(f"The search index {name} changed while opening.") from error
        segments, leaves, base = {}, [], 0
        for segment in toc.segments:
            key = (name, segment.segment_id())
            facts, reader = segments[key] = self._segments.get(key) or _read(ix, toc, segment, key)
            deleted = bitsets.from_positions(segment.deleted_docs(), facts.size)
            leaves.append(Leaf(facts, base, bitsets.full(facts.size) & ~deleted, reader))
            base += facts.size
        self._segments = segments
        return View((name, toc.generation), leaves, self._terms)


def _read(ix, toc, segment, key) -> tuple[SegmentFacts, SegmentReader]:
    reader = SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation)
    return read_segment(reader, key), reader
