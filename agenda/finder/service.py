"""The search across kinds, one per process and database: the directory index kept in step with
the database, and the answer to a query (counts, facets, a page of (kind, id)).

The index is rebuilt when the database's data version (``agenda.store.changes``) changed and
the actors or initiatives with it (or, every ``recheck_every`` seconds, when they changed
without it): so every machine sees what any of them wrote.  While one request rebuilds it, the
others keep answering from the previous one.

Order: with words, by relevance (kinds merged on the weight of the best field holding each
word, title 4 > themes 2 > place 1.5 > description 1; each kind kept in its own order); without,
the events by date, then the initiatives, then the actors, by name.
"""

from __future__ import annotations

import heapq
import threading
import time
import weakref
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from agenda.finder.events import EventCounts, event_counts, event_ids, event_tiers
from agenda.finder.index import Criteria, DirectoryIndex, Selection
from agenda.finder.query import KINDS, FinderQuery
from agenda.finder.rows import directory_records, fingerprint
from agenda.region import Region
from agenda.search.analysis import query_words
from agenda.store.changes import data_version

Hit = tuple[str, str]  # (kind, id)


@dataclass
class Found:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # "kind", "theme", "dept"
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> filters


@dataclass
class _Parts:
    """What one query selects, kind by kind."""

    words: tuple
    directory: DirectoryIndex
    selection: Selection
    bits: dict[str, int]  # "initiative", "actor" -> bitset
    events: EventCounts | None  # None: events left out


class Finder:
    def __init__(self, region: Region, *, recheck_every: float = 5.0):
        self.region = region
        self.recheck_every = recheck_every
        self._lock = threading.Lock()
        self._current: tuple | None = None  # (version, fingerprint, index, checked at)

    # --- the directory index -------------------------------------------------------------

    def directory(self, session: Session) -> DirectoryIndex:
        version = data_version(session)
        current = self._current
        if current is not None and current[0] == version \
                and time.monotonic() - current[3] < self.recheck_every:
            return current[2]
        if not self._lock.acquire(blocking=current is None):
            return current[2]  # another request is rebuilding it: the previous one answers
        try:
            current = self._current
            if current is not None and current[0] == version \
                    and time.monotonic() - current[3] < self.recheck_every:
                return current[2]
            mark = fingerprint(session)
            index = current[2] if current is not None and current[1] == mark else \
                DirectoryIndex(directory_records(session, self.region))
            self._current = (version, mark, index, time.monotonic())
            return index
        finally:
            self._lock.release()

    # --- answering -----------------------------------------------------------------------

    def find(self, session: Session, query: FinderQuery, *, window, search=None,
             offset: int = 0, limit: int = 20) -> Found:
        parts = self._parts(session, query, window, search)
        counts = {kind: self._count(parts, kind) for kind in KINDS}
        asked = list(query.asked_kinds)
        hits = list(islice(self._ordered(session, parts, query, asked, window, search,
                                         offset + limit), offset, offset + limit))
        return Found(total=sum(counts[kind] for kind in asked), hits=hits,
                     facets=self._facets(parts, counts, asked),
                     excluded={k: r for k in KINDS if (r := query.excluded_by(k))})

    def hits(self, session: Session, query: FinderQuery, *, window, search=None,
             limit: int) -> Iterator[Hit]:
        """Every hit, up to ``limit``, kind after kind (events, initiatives, actors), each in
        its page order: what an export writes."""
        parts = self._parts(session, query, window, search)
        sequences = [self._sequence(session, parts, query, kind, window, search, limit)
                     for kind in query.asked_kinds]
        return islice(chain.from_iterable(sequences), limit)

    def _parts(self, session, query: FinderQuery, window, search) -> _Parts:
        directory = self.directory(session)
        words = query_words(query.q)
        selection = directory.select(words, Criteria())
        bits = {kind: 0 if query.excluded_by(kind) else directory.of_kind(
                    directory.filtered(selection.bits, query.criteria(kind)), kind)
                for kind in ("initiative", "actor")}
        events = None if query.excluded_by("event") else event_counts(
            session, query.filters, window, search=search)
        return _Parts(words, directory, selection, bits, events)

    def _count(self, parts: _Parts, kind: str) -> int:
        if kind == "event":
            return parts.events.total if parts.events is not None else 0
        return parts.bits[kind].bit_count()

    def _facets(self, parts: _Parts, counts: dict, asked: list[str]) -> dict:
        themes: dict[str, int] = {}
        departments: dict[str, int] = {}
        for kind in asked:
            if kind == "event":
                found = parts.events or EventCounts()
                by_theme, by_dept = found.themes, found.departments
            else:
                by_theme = parts.directory.counts(parts.bits[kind], "theme")
                by_dept = parts.directory.counts(parts.bits[kind], "dept")
            for value, n in by_theme.items():
                themes[value] = themes.get(value, 0) + n
            for value, n in by_dept.items():
                departments[value] = departments.get(value, 0) + n
        return {"kind": counts, "theme": _most_first(themes), "dept": _most_first(departments)}

    def _sequence(self, session, parts: _Parts, query: FinderQuery, kind: str, window, search,
                  limit: int) -> Iterator[Hit]:
        if kind == "event":
            if parts.events is None or not parts.events.total:
                return iter(())
            return (("event", i) for i in event_ids(session, query.filters, window,
                                                    search=search, limit=limit))
        directory = parts.directory
        positions = directory.ordered(parts.bits[kind], parts.selection,
                                      relevance=bool(parts.words))
        return ((kind, directory.records[n].id) for n in positions)

    def _ordered(self, session, parts: _Parts, query: FinderQuery, asked: list[str], window,
                 search, wanted: int) -> Iterator[Hit]:
        """The first ``wanted`` hits in the page order."""
        if not parts.words or len(asked) == 1:
            return chain.from_iterable(
                self._sequence(session, parts, query, kind, window, search, wanted)
                for kind in asked)
        ranked = []
        for rank, kind in enumerate(asked):
            hits = list(islice(self._sequence(session, parts, query, kind, window, search,
                                              wanted), wanted))
            tiers = self._tiers(session, parts, kind, hits)
            ranked.append([(-tiers.get(record_id, 0.0), rank, n, (kind, record_id))
                           for n, (kind, record_id) in enumerate(hits)])
        return (hit for *_, hit in heapq.merge(*ranked))

    def _tiers(self, session, parts: _Parts, kind: str, hits: list[Hit]) -> dict[str, float]:
        if kind == "event":
            return event_tiers(session, [i for _, i in hits], parts.words, self.region)
        directory = parts.directory
        return {i: directory.tier_of(directory.position[(kind, i)], parts.selection)
                for _, i in hits}


def _most_first(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(((k, n) for k, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))


_finders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_finders_lock = threading.Lock()


def finder_for(factory: sessionmaker[Session], region: Region) -> Finder:
    """The finder of this database (its session factory), one per process."""
    with _finders_lock:
        finder = _finders.get(factory)
        if finder is None:
            finder = _finders[factory] = Finder(region)
        return finder
