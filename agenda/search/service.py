"""The search index behind one small interface: index, remove, search (with filters and facets).

Reading (the web processes): :meth:`SearchIndex.search` and :meth:`SearchIndex.event_ids`
never raise.  When the index cannot answer (missing, written by an older schema, damaged) they
return None, the caller answers from SQL, and the index is rebuilt: in the request when the
database is small, else in a background thread of this process.

Writing (the collection, the CLI): :meth:`index`, :meth:`remove`, :meth:`sync`,
:meth:`catch_up` and :meth:`rebuild`.  A write that fails marks the index dirty and raises; the
next :meth:`catch_up` (run by every collection, and by ``agenda reindex``) brings it back in line
with the database.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable

from sqlalchemy.orm import Session, sessionmaker

from agenda.db import transaction
from agenda.region import Region
from agenda.search.answers import Answer, answer
from agenda.search.folder import IndexBusy, IndexFolder, IndexUnavailable
from agenda.search.rows import indexed_events, published_count
from agenda.search.view import Views
from agenda.search.writer import TooManyChanges, WriteReport, build, sync, write

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hits:
    """One page of a listing: its occurrences as (event id, start in UTC seconds)."""

    total: int  # occurrences
    page: list[tuple[str, int]]
    facets: dict[str, list[tuple[str, int]]]  # occurrences by department and theme
    events: int = 0  # the distinct events of those occurrences


class SearchIndex:
    def __init__(self, root: Path, *, region: Region,
                 factory: sessionmaker[Session] | None = None, write_timeout: float = 10.0,
                 inline_rebuild_below: int = 5000, repair_every: float = 600.0):
        self.folder = IndexFolder(root)
        self.region = region
        self._factory = weakref.ref(factory) if factory is not None else None
        self.write_timeout = write_timeout
        self.inline_rebuild_below = inline_rebuild_below
        self.repair_every = repair_every
        self._views = Views(self.folder)
        self._repair_lock = threading.Lock()
        self._last_repair = float("-inf")
        self.repairing: threading.Thread | None = None

    @property
    def factory(self) -> sessionmaker[Session] | None:
        """The sessions a reader rebuilds an unusable index with (held weakly: the index
        does not keep an application's engine and its connections alive)."""
        return self._factory() if self._factory is not None else None

    @factory.setter
    def factory(self, factory: sessionmaker[Session] | None) -> None:
        self._factory = weakref.ref(factory) if factory is not None else None

    # --- reading -------------------------------------------------------------------------

    def search(self, filters, *, window: tuple[datetime, datetime], offset: int = 0,
               limit: int = 50, facets: bool = False, session: Session | None = None
               ) -> Hits | None:
        """A page of the occurrences matching ``filters`` in ``window``; None: ask SQL.
        (``session``, the caller's, is for the backends that read the database.)"""
        found = self._answer(filters, window)
        if found is None:
            return None
        try:
            page = found.page(offset, limit)
            return Hits(found.total, page, found.facets() if facets else {}, found.events)
        except Exception:  # the same care as in _answer
            log.exception("the search index failed to make a page")
            self._views.forget()
            return None

    def event_ids(self, filters, *, window: tuple[datetime, datetime],
                  limit: int | None = None, session: Session | None = None
                  ) -> list[str] | None:
        """The events with a matching occurrence in ``window``, by first such occurrence (the
        first ``limit`` of them); None: ask SQL."""
        found = self._answer(filters, window)
        try:
            return None if found is None else found.event_ids(limit)
        except Exception:
            log.exception("the search index failed to list events")
            self._views.forget()
            return None

    def event_counts(self, filters, *, window: tuple[datetime, datetime],
                     session: Session | None = None
                     ) -> tuple[int, dict[str, dict[str, int]]] | None:
        """Distinct events (not dates) matching ``filters`` in ``window``, and by department
        and theme (popcounts: for the search across kinds, ``agenda.finder``); None: ask SQL."""
        found = self._answer(filters, window)
        if found is None:
            return None
        counts: dict[str, dict[str, int]] = {"departments": {}, "themes": {}}
        for leaf, bits in found.selected:
            if not bits:
                continue
            for name, groups in (("departments", leaf.facts.departments),
                                 ("themes", leaf.facts.themes)):
                for value, members in groups.items():
                    if n := (bits & members).bit_count():
                        counts[name][value] = counts[name].get(value, 0) + n
        return found.events, counts

    def source_counts(self, session: Session | None = None) -> dict[int, int] | None:
        """Published events per source, from the index (popcounts: no table scan); None: ask
        SQL."""
        try:
            leaves = self._views.current().leaves
        except Exception:  # noqa: BLE001 (an unusable index: the caller asks SQL)
            return None
        counts: dict[int, int] = {}
        for leaf in leaves:
            for source_id, members in leaf.facts.sources.items():
                counts[source_id] = counts.get(source_id, 0) + (members & leaf.live).bit_count()
        return {source_id: n for source_id, n in counts.items() if n}

    def commune_codes(self, session: Session | None = None) -> list[str] | None:
        """INSEE codes of the communes of the indexed events, sorted (worked out once per
        index generation from the communes' bitsets: no table scan); None: ask SQL."""
        try:
            view = self._views.current()
        except Exception:  # noqa: BLE001 (an unusable index: the caller asks SQL)
            return None
        found = view.answers.get(("communes",))
        if found is None:
            found = sorted({code for leaf in view.leaves
                            for code, members in leaf.facts.communes.items()
                            if members & leaf.live})
            view.answers.put(("communes",), found, size=100 + 10 * len(found))
        return found

    def _answer(self, filters, window) -> Answer | None:
        """Ask the index; after a failure, once more with a fresh reader, then once after a
        repair; None when it still cannot answer."""
        repaired = False
        for attempt in range(3):
            try:
                return answer(self._views.current(), filters, window)
            except IndexUnavailable as error:
                log.info("search index unavailable (%s): answering from the database", error)
            except Exception:  # a damaged file, or a bug of ours: never an error page
                log.exception("the search index failed to answer")
                self._views.forget()
                if attempt == 0:
                    continue
            if repaired or not self._repair():
                return None
            repaired = True
        return None

    # --- writing -------------------------------------------------------------------------

    def index(self, session: Session, event_ids: Iterable[str]) -> WriteReport:
        """(Re)index these events as the database has them; removed or unknown ones leave."""
        wanted = set(event_ids)
        events = indexed_events(session, wanted)
        gone = wanted - {event.id for event in events}
        return self._write(lambda ix: write(ix, self.region, events, gone,
                                            timeout=self.write_timeout))

    def remove(self, event_ids: Iterable[str]) -> WriteReport:
        ids = list(event_ids)
        return self._write(lambda ix: write(ix, self.region, [], ids, timeout=self.write_timeout))

    def sync(self, session: Session, source_id: int | None = None) -> WriteReport:
        """Bring the documents (of one source) in line with the published events: what a
        collection does.  A missing index, or tens of thousands of changes, make it a rebuild;
        a whole sync clears the dirty flag."""
        if self.folder.live_name() is None:
            return self.rebuild(session)
        clear = self.folder.clear_dirty if source_id is None else (lambda: None)
        try:
            return self._write(lambda ix: sync(ix, session, self.region, source_id=source_id,
                                               timeout=self.write_timeout,
                                               before_reading=clear))
        except TooManyChanges:
            return self.rebuild(session)

    def catch_up(self, session: Session) -> WriteReport:
        """Rebuild a missing or unusable index, sync a dirty one; otherwise do nothing."""
        if self.folder.live_name() is not None and not self.folder.is_dirty():
            return WriteReport()
        try:
            return self.sync(session)
        except IndexBusy:
            raise
        except Exception as error:
            log.warning("search index catch-up failed (%r): rebuilding it", error)
            return self.rebuild(session)

    def rebuild(self, session: Session, *,
                progress: Callable[[int], None] = lambda done: None) -> WriteReport:
        """Write a new index of every published event beside the live one, then switch."""
        lock = self.folder.rebuild_lock()
        if not lock.acquire():
            raise IndexBusy("Another process is rebuilding the search index.")
        try:
            name, ix = self.folder.create()
            report = build(ix, session, self.region, progress=progress)
            self.folder.publish(name)
            try:  # what was committed while building
                report += sync(ix, session, self.region, timeout=self.write_timeout,
                               before_reading=self.folder.clear_dirty)
            except Exception as error:
                self.folder.mark_dirty(f"after a rebuild: {error!r}")
            log.info("search index rebuilt: %s documents in %.1f s", report.indexed,
                     report.seconds)
            return report
        finally:
            lock.release()

    def status(self) -> dict:
        """The live index's folder, generation and document count, and the dirty flag."""
        try:
            view = self._views.current()
        except Exception as error:  # noqa: BLE001 (a status never fails)
            return {"live": None, "error": str(error), "dirty": self.folder.is_dirty()}
        return {"live": view.token[0], "generation": view.token[1],
                "documents": view.documents, "segments": len(view.leaves),
                "dirty": self.folder.is_dirty()}

    def _write(self, operation: Callable) -> WriteReport:
        try:
            _, ix = self.folder.live()
            return operation(ix)
        except Exception as error:
            self.folder.mark_dirty(f"{type(error).__name__}: {error}")
            raise

    # --- repairing an unusable index from a reader ----------------------------------------

    def _repair(self) -> bool:
        """Rebuild an unusable index; True when done here and now (the caller asks again)."""
        with self._repair_lock:
            due = time.monotonic() - self._last_repair >= self.repair_every
            if self.factory is None or not due or self.is_repairing():
                return False
            self._last_repair = time.monotonic()
        factory = self.factory
        if factory is None:
            return False
        with transaction(factory) as session:
            published = published_count(session)
        if published < self.inline_rebuild_below:
            return self._rebuild_now(factory)
        self.repairing = threading.Thread(target=self._rebuild_in_background, args=(factory,),
                                          name="search-rebuild", daemon=True)
        self.repairing.start()
        return False

    def _rebuild_now(self, factory: sessionmaker[Session]) -> bool:
        try:
            with transaction(factory) as session:
                self.rebuild(session)
            self._views.forget()
            return True
        except Exception:
            log.exception("the search index could not be rebuilt")
            return False

    def _rebuild_in_background(self, factory: sessionmaker[Session]) -> None:
        self._rebuild_now(factory)

    def is_repairing(self) -> bool:
        """True while a background rebuild runs (the last one's thread is kept, finished or not,
        so that anyone may join it without racing its end)."""
        return self.repairing is not None and self.repairing.is_alive()
