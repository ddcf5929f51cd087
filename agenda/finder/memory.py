"""Actors and initiatives answered from the directory index in memory (the Whoosh set-up's
side of :mod:`agenda.finder.backends`), kept in step with the database.

The index is rebuilt when the database's data version (``agenda.store.changes``) changed and
the actors or initiatives with it (or, every ``recheck_every`` seconds, when they changed
without it): so every machine sees what any of them wrote.  A small directory is rebuilt in
the request that notices the change; a large one (``inline_below`` records and more) in a
thread, the previous index answering meanwhile (a few seconds at 40,000 records).
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy.orm import Session, sessionmaker

from agenda.db import transaction
from agenda.finder.index import Criteria, DirectoryIndex
from agenda.finder.rows import directory_records, fingerprint
from agenda.region import Region
from agenda.store.changes import data_version

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Current:
    version: tuple
    mark: tuple  # the directory's fingerprint (``rows.fingerprint``)
    index: DirectoryIndex
    checked: float  # time.monotonic()


class IndexAnswer:
    """What one query selects in the index: a bitset per kind."""

    def __init__(self, index: DirectoryIndex, words, criteria: dict[str, Criteria | None]):
        self.index = index
        self.selection = index.select(words, Criteria())
        self.relevance = bool(words)
        self.bits = {kind: 0 if found is None else index.of_kind(
            index.filtered(self.selection.bits, found), kind) for kind, found in criteria.items()}

    def count(self, kind: str) -> int:
        return self.bits.get(kind, 0).bit_count()

    def counts(self, kind: str, facet: str) -> dict[str, int]:
        return self.index.counts(self.bits.get(kind, 0), facet)

    def ordered(self, kind: str, wanted: int | None = None) -> Iterator[str]:
        positions = self.index.ordered(self.bits.get(kind, 0), self.selection,
                                       relevance=self.relevance)
        return (self.index.records[n].id for n in positions)

    def tiers(self, kind: str, ids: list[str]) -> dict[str, float]:
        index = self.index
        return {i: index.tier_of(index.position[(kind, i)], self.selection) for i in ids}


class MemoryDirectory:
    def __init__(self, region: Region, *, factory: sessionmaker[Session] | None = None,
                 recheck_every: float = 5.0, inline_below: int = 5000):
        self.region = region
        self.recheck_every = recheck_every
        self.inline_below = inline_below
        self._factory = weakref.ref(factory) if factory is not None else None
        self._lock = threading.Lock()
        self._current: _Current | None = None
        self.building: threading.Thread | None = None

    def answer(self, session: Session, words, criteria: dict[str, Criteria | None]
               ) -> IndexAnswer:
        return IndexAnswer(self.directory(session), words, criteria)

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
