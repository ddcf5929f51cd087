"""The search in PostgreSQL behind the interface of ``agenda.search.SearchIndex``.

The database is the index: every event's ``search_vector`` is written in the transaction that
writes the event (``agenda.search.pg.vectors``), so every process and machine sharing the
database finds what any of them committed, the moment it commits.  Reading runs SQL
(``agenda.search.pg.answers``) in the caller's session when given, else in one of its own;
writing only fills or refreshes vectors.

Readers never raise: on a failure they log it and return None, and the caller answers from
SQL alone (the failed statement is rolled back to a savepoint, so the caller's transaction
goes on).
"""

from __future__ import annotations

import logging
import time
import weakref
from contextlib import contextmanager
from datetime import datetime
from typing import Callable, Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agenda.listing.query import occurrence_conditions
from agenda.models import Event
from agenda.region import Region
from agenda.search.analysis import query_words
from agenda.search.pg import answers, relevance
from agenda.search.pg.facts import Facts, data_version, listed_count
from agenda.search.pg.vectors import fill_missing, refresh
from agenda.search.service import Hits
from agenda.search.writer import WriteReport
from agenda.store.changes import bump_data_version

log = logging.getLogger(__name__)

REBUILD_CHUNK = 2000
WALK_ROWS = 3000  # occurrences a page in date order may read walking the window (~25 ms)
# Compiling these short queries (JIT, above ``jit_above_cost``) took 70-80 ms of the 500 ms of a
# listing's facets at 300,000 events, and never paid back: off for the rest of the transaction.
NO_JIT = "SET LOCAL jit = off"
REMEMBERED_IDS = 10_000  # longer lists of event ids are not kept in memory


class PostgresSearch:
    """One per process and database (``agenda.search.stage.open_search``)."""

    knows_every_filter = True  # campaigns, actors, merged copies' sources: SQL knows them all

    def __init__(self, *, region: Region, factory: sessionmaker[Session] | None = None):
        self.region = region
        self._factory = weakref.ref(factory) if factory is not None else None
        self.facts = Facts()

    @property
    def factory(self) -> sessionmaker[Session] | None:
        return self._factory() if self._factory is not None else None

    @factory.setter
    def factory(self, factory: sessionmaker[Session] | None) -> None:
        self._factory = weakref.ref(factory) if factory is not None else None

    # --- reading -------------------------------------------------------------------------

    def search(self, filters, *, window: tuple[datetime, datetime], offset: int = 0,
               limit: int = 50, facets: bool = False, session: Session | None = None
               ) -> Hits | None:
        """A page of the occurrences matching ``filters`` in ``window``; None: ask SQL."""
        def answer(reading: Session, version: tuple) -> Hits:
            plan = self._plan(reading, version, filters, window)
            if plan.score is not None or query_words(filters.q):  # words: one statement
                return Hits(*_ordered(relevance.ranked(
                    reading, plan, facets=facets, communes=tuple(filters.communes),
                    offset=offset, limit=limit)))
            total, events, found = answers.totals(reading, plan, facets=facets,
                                                  communes=tuple(filters.communes))
            walk = self._walks(reading, version, window, total, offset + limit)
            rows = answers.page(reading, plan, offset, limit, walk=walk) if total > offset else []
            return Hits(total, rows, found, events)
        found = self._read(session, answer, ("hits", filters, window, offset, limit, facets))
        return None if found is None else Hits(  # copies: the cached one stays as it is
            found.total, list(found.page), {name: list(values) for name, values in
                                            found.facets.items()}, found.events)

    def event_ids(self, filters, *, window: tuple[datetime, datetime],
                  limit: int | None = None, session: Session | None = None
                  ) -> list[str] | None:
        """The events with a matching occurrence in ``window``, by first such occurrence (by
        relevance first when asked): the first ``limit`` of them; None: ask SQL."""
        found = self._read(session, lambda reading, version: answers.event_ids(
            reading, self._plan(reading, version, filters, window), limit),
            ("event ids", filters, window, limit) if limit is not None and limit <= REMEMBERED_IDS
            else None)
        return None if found is None else list(found)

    def event_counts(self, filters, *, window: tuple[datetime, datetime],
                     session: Session | None = None
                     ) -> tuple[int, dict[str, dict[str, int]]] | None:
        """Distinct events matching ``filters`` in ``window``, and by department and theme."""
        return self._read(session, lambda reading, version: answers.event_totals(
            reading, self._plan(reading, version, filters, window, ordered=False)),
            ("event counts", filters, window))

    def source_counts(self, session: Session | None = None) -> dict[int, int] | None:
        """Listed events per source (its own events: not its copies merged into another)."""
        return self._read(session, lambda reading, version: self.facts.source_counts(
            reading, version))

    def commune_codes(self, session: Session | None = None) -> list[str] | None:
        """INSEE codes of the communes of the listed events, sorted."""
        return self._read(session, lambda reading, version: self.facts.commune_codes(
            reading, version))

    def status(self, session: Session | None = None) -> dict:
        """The listed events, and the events without a vector yet (``dirty`` when any)."""
        try:
            with self._session(session) as reading:
                documents = listed_count(reading)
                missing = reading.scalar(select(func.count()).select_from(Event)
                                         .where(Event.search_vector.is_(None))) or 0
        except Exception as error:  # noqa: BLE001 (a status never fails)
            return {"backend": "postgresql", "live": None, "error": str(error), "dirty": True}
        return {"backend": "postgresql", "live": "postgresql", "documents": documents,
                "missing": missing, "segments": 0, "dirty": bool(missing)}

    def _plan(self, session: Session, version: tuple, filters, window, *,
              ordered: bool = True) -> answers.Plan:
        words = query_words(filters.q)
        conditions = tuple(occurrence_conditions(
            filters, window, words=lambda _text: answers.matches(words),
            city=lambda city: [Event.city.in_(self.facts.city_spellings(session, version,
                                                                         city))]))
        where = answers.combined(list(conditions))
        if not (ordered and words and filters.sort == "relevance"):
            return answers.Plan(where, window, conditions=conditions)
        rarities = self.facts.rarities(session, version, words)
        return answers.Plan(where, window,
                            lambda vector: answers.score(words, rarities, vector))

    def _walks(self, session: Session, version: tuple, window, total: int, wanted: int) -> bool:
        """Whether a page in date order is best read by walking the window's occurrences:
        when the matching ones are dense enough there that at most ``WALK_ROWS`` are read.
        (Only without words: the planner knows how many events hold a word, not a theme.)"""
        if total >= WALK_ROWS * wanted:  # surely dense enough (an unfiltered listing, say)
            return True
        return wanted * self.facts.window_count(session, version, window) <= WALK_ROWS * total

    def _read(self, session: Session | None, answer: Callable[[Session, tuple], object],
              key: tuple | None = None):
        """``answer(session, data version)`` in the caller's session or one of ours, inside a
        savepoint, remembered under ``key`` for this data version; None (logged) when it
        fails: the caller then asks SQL, its transaction intact."""
        try:
            with self._session(session) as reading:
                with reading.begin_nested():
                    reading.connection().exec_driver_sql(NO_JIT)  # not an ORM write
                    version = data_version(reading)
                    if key is None or not _hashable(key):
                        return answer(reading, version)
                    return self.facts.cache.get(version, key,
                                                lambda: answer(reading, version))
        except Exception:  # a bug of ours or a lost database: never an error page
            log.exception("the PostgreSQL search failed to answer")
            return None

    @contextmanager
    def _session(self, session: Session | None) -> Iterator[Session]:
        if session is not None:
            yield session
            return
        factory = self.factory
        if factory is None:
            raise RuntimeError("PostgresSearch needs a session or a session factory")
        with factory() as own:
            yield own

    # --- writing: only vectors ------------------------------------------------------------

    def index(self, session: Session, event_ids: Iterable[str]) -> WriteReport:
        """Rewrite these events' vectors as the database has them (removed ones need
        nothing: the listing leaves them out)."""
        began = time.perf_counter()
        done = refresh(session, Event, list(event_ids), self.region)
        _changed(session, done)
        return WriteReport(indexed=done, seconds=time.perf_counter() - began)

    def remove(self, event_ids: Iterable[str]) -> WriteReport:
        """Nothing to do: a removed event is no longer listed, in the same transaction."""
        return WriteReport()

    def sync(self, session: Session, source_id: int | None = None) -> WriteReport:
        """Give the rows without a vector (written outside a session, or by an older version)
        their vector; every vector written by a session of ours is already in step."""
        began = time.perf_counter()
        done = fill_missing(session, self.region)
        _changed(session, done)
        return WriteReport(indexed=done, seconds=time.perf_counter() - began)

    def catch_up(self, session: Session) -> WriteReport:
        return self.sync(session)

    def rebuild(self, session: Session, *,
                progress: Callable[[int], None] = lambda done: None) -> WriteReport:
        """Recompute every event's vector (after a change of the analysis or of the region's
        labels), a chunk at a time, then fill whatever else misses one."""
        began, done, after = time.perf_counter(), 0, ""
        while True:
            ids = list(session.scalars(select(Event.id).where(Event.id > after)
                                       .order_by(Event.id).limit(REBUILD_CHUNK)))
            if not ids:
                break
            done += refresh(session, Event, ids, self.region)
            after = ids[-1]
            progress(done)
        _changed(session, done + fill_missing(session, self.region))
        log.info("search vectors rebuilt: %s events in %.1f s", done, time.perf_counter() - began)
        return WriteReport(indexed=done, seconds=time.perf_counter() - began)


def _ordered(found: tuple) -> tuple:
    """(total, events, facets, page) as Hits takes them: (total, page, facets, events)."""
    total, events, facets, page = found
    return total, page, facets, events


def _changed(session: Session, written: int) -> None:
    """Vectors written outside the writers' own transactions change what searches find: a
    new data version, so that no process answers from what it remembered."""
    if written:
        bump_data_version(session)


def _hashable(key: tuple) -> bool:
    try:
        hash(key)
    except TypeError:  # a filter holding a list (a campaign's scope): not remembered
        return False
    return True
