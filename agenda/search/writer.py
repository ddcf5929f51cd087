"""Writing the index: documents in and out, a sync against the database, a build from scratch.

Every write holds the index's Whoosh write lock (one writer at a time across processes; a
writer that cannot get it within ``timeout`` raises IndexBusy, and its caller marks the index
dirty).  A sync compares the stamps of the documents with those of the published events, so it
writes only what differs, and writes nothing (no new generation, every reader's caches stay
warm) when nothing does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy.orm import Session
from whoosh.index import LockError

from agenda.errors import AgendaError
from agenda.region import Region
from agenda.search.documents import IndexedEvent, document, unpack_facts
from agenda.search.folder import IndexBusy
from agenda.search.rows import indexed_events, published_ids, published_stamps

BUILD_BATCH = 25_000  # documents per segment during a build: ~250 MB at most, no spill to disk
WRITE_MB = 256


class TooManyChanges(AgendaError):
    """A sync would rewrite more documents than one commit holds well: rebuild instead."""

    code = "search.too_many_changes"


@dataclass
class WriteReport:
    indexed: int = 0
    removed: int = 0
    seconds: float = 0.0

    def __add__(self, other: WriteReport) -> WriteReport:
        return WriteReport(self.indexed + other.indexed, self.removed + other.removed,
                           self.seconds + other.seconds)


def open_writer(ix, timeout: float):
    try:
        return ix.writer(timeout=timeout, delay=0.05, limitmb=WRITE_MB)
    except LockError as error:
        raise IndexBusy("Another process is writing the search index.") from error


def write(ix, region: Region, events: Iterable[IndexedEvent], removed: Iterable[str], *,
          timeout: float) -> WriteReport:
    """Put ``events`` in the index (replacing their old documents) and take ``removed`` out."""
    began = time.perf_counter()
    writer = open_writer(ix, timeout)
    report = _apply(writer, region, list(events), set(removed))
    report.seconds = time.perf_counter() - began
    return report


def sync(ix, session: Session, region: Region, *, source_id: int | None = None,
         timeout: float, before_reading: Callable[[], None] = lambda: None,
         most: int = BUILD_BATCH) -> WriteReport:
    """Bring the documents (of one source) in line with the published events of the database.

    ``before_reading`` runs once the lock is held, before the database is read (a full sync
    clears the dirty flag there, so that a failure during the sync sets it again).  Raises
    TooManyChanges, writing nothing, when more than ``most`` documents would be rewritten.
    """
    began = time.perf_counter()
    writer = open_writer(ix, timeout)
    try:
        before_reading()
        indexed = index_stamps(ix.reader(), source_id)
        stale = _stale(session, indexed, source_id, most)
    except BaseException:
        writer.cancel()
        raise
    report = _apply(writer, region, indexed_events(session, stale), set(indexed))
    report.seconds = time.perf_counter() - began
    return report


def _stale(session: Session, indexed: dict[str, str], source_id: int | None,
           most: int) -> list[str]:
    """The published events (of one source) whose document is missing or out of date, read a
    chunk at a time.  Each published event's id leaves ``indexed``: what stays there are
    documents of events no longer published.  Raises TooManyChanges past ``most``."""
    stale: list[str] = []
    for wanted in published_stamps(session, source_id):
        stale.extend(event_id for event_id, mark in wanted.items()
                     if indexed.pop(event_id, None) != mark)
        if len(stale) > most:
            raise TooManyChanges(f"over {most} documents to rewrite: rebuilding is faster.")
    return stale


def _apply(writer, region: Region, events: list[IndexedEvent], removed: set[str]) -> WriteReport:
    if not events and not removed:
        writer.cancel()
        return WriteReport()
    try:
        for event_id in removed:
            writer.delete_by_term("id", event_id)
        for event in events:
            writer.update_document(**document(event, region))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    return WriteReport(indexed=len(events), removed=len(removed))


def index_stamps(reader, source_id: int | None = None) -> dict[str, str]:
    """Event id -> stamp of the documents in the index (of one source)."""
    if not reader.doc_count():
        return {}
    facts = reader.column_reader("facts", translate=False)
    if source_id is None:
        docs: Iterable[int] = reader.all_doc_ids()
    elif reader.doc_frequency("source", str(source_id)):
        docs = reader.postings("source", str(source_id)).all_ids()
    else:
        docs = ()
    unpacked = (unpack_facts(facts[doc]) for doc in docs)
    return {found.event_id: found.stamp for found in unpacked}


def build(ix, session: Session, region: Region, *,
          progress: Callable[[int], None] = lambda done: None) -> WriteReport:
    """Fill an empty index with every published event, ``BUILD_BATCH`` documents a segment."""
    began, done = time.perf_counter(), 0
    batch: list[IndexedEvent] = []
    for chunk in published_ids(session):
        batch.extend(indexed_events(session, chunk))
        if len(batch) >= BUILD_BATCH:
            done += _add_segment(ix, region, batch)
            batch = []
            progress(done)
    if batch:
        done += _add_segment(ix, region, batch)
        progress(done)
    return WriteReport(indexed=done, seconds=time.perf_counter() - began)


def _add_segment(ix, region: Region, events: list[IndexedEvent]) -> int:
    writer = open_writer(ix, timeout=0)
    try:
        for event in events:
            writer.add_document(**document(event, region))
        writer.commit(merge=False)
    except BaseException:
        writer.cancel()
        raise
    return len(events)
