"""The search across kinds, one per process and database: the answer to a query (counts,
facets, a page of (kind, id)).

Actors and initiatives are answered by the directory search of the backend
(:mod:`agenda.finder.backends`: the index in memory with Whoosh, SQL with PostgreSQL); events
by the events' own search (:mod:`agenda.finder.events`).

Order: with words, by relevance (kinds merged on the weight of the best field holding each
word, title 4 > themes 2 > place 1.5 > description 1; each kind kept in its own order); without,
the events by date, then the initiatives, then the actors, by name.
"""

from __future__ import annotations

import heapq
import threading
import weakref
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from agenda.finder.backends import DIRECTORY_KINDS, DirectoryAnswer, directory_search
from agenda.finder.events import EventCounts, event_counts, event_ids, event_tiers
from agenda.finder.index import DirectoryIndex
from agenda.finder.query import KINDS, FinderQuery
from agenda.region import Region
from agenda.search.analysis import query_words

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
    directory: DirectoryAnswer
    events: EventCounts | None  # None: events left out


class Finder:
    def __init__(self, region: Region, *, factory: sessionmaker[Session] | None = None,
                 backend: str = "whoosh", **options):
        """``backend``: the search backend (``settings.search_backend``); ``options``: the
        in-memory index's (``recheck_every``, ``inline_below``)."""
        self.region = region
        self.backend = backend
        self.directory_search = directory_search(backend, region, factory=factory, **options)

    def directory(self, session: Session) -> DirectoryIndex:
        """The directory index in memory (the Whoosh set-up only)."""
        return self.directory_search.directory(session)

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
        words = query_words(query.q)
        criteria = {kind: None if query.excluded_by(kind) else query.criteria(kind)
                    for kind in DIRECTORY_KINDS}
        directory = self.directory_search.answer(session, words, criteria)
        events = None if query.excluded_by("event") else event_counts(
            session, query.filters, window, search=search)
        return _Parts(words, directory, events)

    def _count(self, parts: _Parts, kind: str) -> int:
        if kind == "event":
            return parts.events.total if parts.events is not None else 0
        return parts.directory.count(kind)

    def _facets(self, parts: _Parts, counts: dict, asked: list[str]) -> dict:
        themes: dict[str, int] = {}
        departments: dict[str, int] = {}
        for kind in asked:
            if kind == "event":
                found = parts.events or EventCounts()
                by_theme, by_dept = found.themes, found.departments
            else:
                by_theme = parts.directory.counts(kind, "theme")
                by_dept = parts.directory.counts(kind, "dept")
            for value, n in by_theme.items():
                themes[value] = themes.get(value, 0) + n
            for value, n in by_dept.items():
                departments[value] = departments.get(value, 0) + n
        return {"kind": counts, "theme": _most_first(themes), "dept": _most_first(departments)}

    def _choices(self, parts: _Parts) -> dict[str, dict[str, int]]:
        """The results by an actor's kind of structure and by status (actors and initiatives
        listed: what choosing one would keep)."""
        statuses: dict[str, int] = {}
        for kind in DIRECTORY_KINDS:
            for value, n in parts.directory.counts(kind, "status").items():
                statuses[value] = statuses.get(value, 0) + n
        return {"structure": parts.directory.counts("actor", "structure"), "status": statuses}

    def _sequence(self, session, parts: _Parts, query: FinderQuery, kind: str, window, search,
                  limit: int) -> Iterator[Hit]:
        if kind == "event":
            if parts.events is None or not parts.events.total:
                return iter(())
            return (("event", i) for i in event_ids(session, query.filters, window,
                                                    search=search, limit=limit))
        return ((kind, i) for i in parts.directory.ordered(kind, limit))

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
        return parts.directory.tiers(kind, [i for _, i in hits])


def _most_first(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(((k, n) for k, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))


_finders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_finders_lock = threading.Lock()


def finder_for(factory: sessionmaker[Session], region: Region, *,
               backend: str = "whoosh") -> Finder:
    """The finder of this database (its session factory) and backend, one per process."""
    with _finders_lock:
        finders = _finders.setdefault(factory, {})
        finder = finders.get(backend)
        if finder is None:
            finder = finders[backend] = Finder(region, factory=factory, backend=backend)
        return finder
