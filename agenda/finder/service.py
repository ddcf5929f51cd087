"""The search across kinds, one per process and database: the directory index kept in step with
the database, and the answer to a query (counts, facets, a page of (kind, id)).

The index is rebuilt when the database's data version (``agenda.store.changes``) changed and
the actors or initiatives with it (or, every ``recheck_every`` seconds, when they changed
without it): so every machine sees what any of them wrote.  A small directory is rebuilt in
the request that notices the change; a large one (``inline_below`` records and more) in a
thread, the previous index answering meanwhile (a few seconds at 40,000 records).

Order: with words, by relevance (kinds merged on the weight of the best field holding each
word, title 4 > themes 2 > place 1.5 > description 1; each kind kept in its own order); without,
the events by date, then the initiatives, then the actors, by name.
"""

from __future__ import annotations

import heapq
import logging
import threading
import time
import weakref
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from agenda.db import transaction
from agenda.finder.events import EventCounts, event_counts, event_ids, event_tiers
from agenda.finder.index import Criteria, DirectoryIndex, Selection
from agenda.finder.query import KINDS, FinderQuery
from agenda.finder.rows import directory_records, fingerprint
from agenda.region import Region
from agenda.search.analysis import query_words
from agenda.store.changes import data_version

log = logging.getLogger(__name__)

Hit = tuple[str, str]  # (kind, id)


@dataclass
class Found:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # "kind", "theme", "dept"
    choices: dict[str, dict[str, int]] = field(default_factory=dict)  # "structure", "status"
    excluded: dict[str, tuple[str, ...]] = field(default_factory=dict)  # kind -> filters


@dataclass
class _Parts:
    """What one query selects, kind by kind."""

    words: tuple
    directory: DirectoryIndex
    selection: Selection
    bits: dict[str, int]  # "initiative", "actor" -> bitset
    events: EventCounts | None  # None: events left out


@dataclass(frozen=True)
class _Current:
    version: tuple
    mark: tuple  # the directory's fingerprint (``rows.fingerprint``)
    index: DirectoryIndex
    checked: float  # time.monotonic()


class Finder:
    def __init__(self, region: Region, *, factory: sessionmaker[Session] | None = None,
                 recheck_every: float = 5.0, inline_below: int = 5000):
        self.region = region
        self.recheck_every = recheck_every
        self.inline_below = inline_below
        self._factory = weakref.ref(factory) if factory is not None else None
        self._lock = threading.Lock()
        self._current: _Current | None = None
        self.building: threading.Thread | None = None

    # --- the directory index -------------------------------------------------------------

    def directory(self, session: Session) -> DirectoryIndex:
        """The index of the directory as the database has it now; while a large one is
        rebuilt (in a thread of its own), the previous one."""
        version = data_version(session)
        current = self._current
        if self._fresh(current, version):
            return current.index
        if not self._lock.acquire(blocking=current is None):
            return current.index  # another request is checking it
        try:
            current = self._current
            if self._fresh(current, version) or self.is_building():
                return current.index
            mark = fingerprint(session)
            if current is not None and current.mark == mark:
                self._current = _Current(version, mark, current.index, time.monotonic())
                return current.index
            factory = self._factory() if self._factory is not None else None
            if current is None or current.index.size < self.inline_below or factory is None:
                index = DirectoryIndex(directory_records(session, self.region))
                self._current = _Current(version, mark, index, time.monotonic())
                return index
            self.building = threading.Thread(target=self._build, args=(factory, version, mark),
                                             name="finder-rebuild", daemon=True)
            self.building.start()
            return current.index
        finally:
            self._lock.release()

    def is_building(self) -> bool:
        return self.building is not None and self.building.is_alive()

    def _fresh(self, current: _Current | None, version) -> bool:
        return (current is not None and current.version == version
                and time.monotonic() - current.checked < self.recheck_every)

    def _build(self, factory: sessionmaker[Session], version, mark) -> None:
        try:
            with transaction(factory) as session:
                index = DirectoryIndex(directory_records(session, self.region))
            self._current = _Current(version, mark, index, time.monotonic())
        except Exception:  # the previous index keeps answering; the next request tries again
            log.exception("the directory index could not be rebuilt")

    # --- answering -----------------------------------------------------------------------

    def find(self, session: Session, query: FinderQuery, *, window, search=None,
             offset: int = 0, limit: int = 20) -> Found:
        parts = self._parts(session, query, window, search)
        counts = {kind: self._count(parts, kind) for kind in KINDS}
        asked = list(query.asked_kinds)
        hits = list(islice(self._ordered(session, parts, query, asked, window, search,
                                         offset + limit), offset, offset + limit))
        return Found(total=sum(counts[kind] for kind in asked), hits=hits,
                     facets=self._facets(parts, counts, asked), choices=self._choices(parts),
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

    def _choices(self, parts: _Parts) -> dict[str, dict[str, int]]:
        """The results by an actor's kind of structure and by status (actors and initiatives
        listed: what choosing one would keep)."""
        both = parts.bits["initiative"] | parts.bits["actor"]
        return {"structure": parts.directory.counts(parts.bits["actor"], "structure"),
                "status": parts.directory.counts(both, "status")}

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
            finder = _finders[factory] = Finder(region, factory=factory)
        return finder
