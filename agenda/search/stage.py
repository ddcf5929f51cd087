"""The index stage of a collection, and the one index a process opens per instance folder."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Iterable

from sqlalchemy.orm import Session, sessionmaker

from agenda.db import transaction
from agenda.region import cached_region
from agenda.search.service import SearchIndex
from agenda.search.writer import WriteReport
from agenda.settings import Settings

log = logging.getLogger(__name__)

OPEN_AT_MOST = 4  # instance folders a process keeps open (one in production; tests make many)
_opened: OrderedDict[Path, SearchIndex] = OrderedDict()
_opened_pg: OrderedDict[tuple, object] = OrderedDict()  # (database URL, region) -> search
_opening = threading.Lock()


def index_path(settings: Settings) -> Path:
    return settings.instance_path / "search"


def open_search(settings: Settings, factory: sessionmaker[Session] | None = None):
    """The search of this instance, one object per process (its caches are shared): the Whoosh
    index of its instance folder, or PostgreSQL's (``search_backend = "postgresql"``: one per
    database).

    ``factory`` lets a reader rebuild an unusable index, or PostgreSQL's read when the caller
    gives no session (the web app passes its own)."""
    region = cached_region(settings.region_file)
    if settings.search_backend == "postgresql":
        from agenda.search.pg.backend import PostgresSearch

        return _opened_once(_opened_pg, (settings.sqlalchemy_url, settings.region_file),
                            lambda: PostgresSearch(region=region), factory)
    path = index_path(settings)
    return _opened_once(_opened, path, lambda: SearchIndex(path, region=region), factory)


def _opened_once(opened: OrderedDict, key, make, factory):
    """The object of ``key`` in ``opened`` (made once; the least recently used dropped beyond
    ``OPEN_AT_MOST``), given ``factory`` when one is passed."""
    with _opening:
        search = opened.get(key)
        if search is None:
            search = opened[key] = make()
            while len(opened) > OPEN_AT_MOST:
                opened.popitem(last=False)
        opened.move_to_end(key)
        if factory is not None:
            search.factory = factory
    return search


def index_source(factory: sessionmaker[Session], settings: Settings, source_id: int, *,
                 parsed: bool, also: Iterable[str] = ()) -> WriteReport | None:
    """After a source's transaction committed: catch the index up if it needs it, then bring
    the source's documents in line with its events, and (re)index the events of ``also``
    (other sources' events its collection merged with).  Never raises: a failure is logged,
    the index is marked dirty, and the next collection (or ``agenda reindex``) repairs it."""
    also = list(also)
    try:
        search = open_search(settings)
        with transaction(factory) as session:
            report = search.catch_up(session)
            if parsed:
                report += search.sync(session, source_id)
            if also:
                report += search.index(session, also)
    except Exception as error:
        log.warning("search index not updated after collecting source %s (%r); it will catch "
                    "up at the next collection", source_id, error)
        return None
    if report.indexed or report.removed:
        log.info("search index: source %s, %s indexed, %s removed in %.2f s", source_id,
                 report.indexed, report.removed, report.seconds)
    return report
