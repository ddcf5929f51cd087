"""Events: upsert a source's records by (source, source UID), mark vanished ones removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence
from agenda.records import EventRecord, unique_records
from agenda.records.cleaning import clean_record
from agenda.records.fingerprint import record_hash
from agenda.records.placing import place_record
from agenda.search.pg.vectors import with_event_vectors
from agenda.store.changes import bump_data_version
from agenda.store.event_rows import event_values, new_event_id, occurrence_rows

CHUNK = 2000  # records compared and written at a time (their rows exist only meanwhile)


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    # The events written (new or changed) and the ones marked removed: what matching looks at
    changed_ids: list[str] = field(default_factory=list)
    removed_ids: list[str] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)  # (also in changed_ids)


@dataclass(frozen=True)
class _Known:
    id: str
    content_hash: str
    sequence: int
    removed: bool


def upsert_events(session: Session, source_id: int, records: list[EventRecord], *,
                  now: datetime, tz: ZoneInfo, remove_missing: bool = True,
                  removed_uids: Iterable[str] = ()) -> UpsertCounts:
    """Store the records of one source.  Keys must be unique (see ``unique_records``).

    Every text is cleaned first (``clean_record``: the one door of collected events) and
    the place gets its commune (``place_record``).  New
    events get a new id; changed ones keep theirs and their SEQUENCE grows; unchanged ones
    are not written (only ``last_seen_at``); events absent from the source are marked removed,
    unless ``remove_missing`` is False (a partial read: only the events it holds changed).
    The events of ``removed_uids`` (source UIDs, with their overrides) are marked removed
    either way, unless the records hold them again.
    The records are compared and written ``CHUNK`` at a time, each chunk let go once written:
    only one chunk's rows exist at once, and a caller that hands over its only list (as the
    collection does) holds no record beyond the ones still to write.
    """
    records, _ = unique_records([place_record(clean_record(record)) for record in records])
    counts, seen = UpsertCounts(), set()
    while records:
        chunk = records[:CHUNK]
        del records[:CHUNK]
        _upsert_chunk(session, source_id, chunk, counts, seen, now=now, tz=tz)
    gone = _unseen(session, source_id, seen) if remove_missing else []
    gone += _named(session, source_id, set(removed_uids), seen, skip={row.id for row in gone})
    counts.removed = _mark_removed(session, gone, now=now)
    counts.removed_ids = [row.id for row in gone]
    if counts.new or counts.updated or counts.removed:
        bump_data_version(session)
    return counts


def _upsert_chunk(session, source_id: int, records: list[EventRecord], counts: UpsertCounts,
                  seen: set[str], *, now: datetime, tz: ZoneInfo) -> None:
    """Write one chunk of records; the ids of their events go into ``seen``."""
    known = _known_events(session, source_id, [record.key for record in records])
    inserts, changes, unchanged = [], [], []
    for record in records:
        digest = record_hash(record)
        row = known.get(record.key)
        if row is None:
            inserts.append((new_event_id(), record, digest))
        elif row.content_hash != digest or row.removed:
            changes.append((row, record, digest))
        else:
            unchanged.append((row.id, record))
    seen.update(event_id for event_id, _, _ in inserts)
    seen.update(row.id for row in known.values())
    _insert_events(session, source_id, inserts, now=now, tz=tz)
    _update_events(session, changes, now=now, tz=tz)
    _touch_unchanged(session, unchanged, now=now, tz=tz)
    counts.new += len(inserts)
    counts.updated += len(changes)
    counts.new_ids += [event_id for event_id, _, _ in inserts]
    counts.changed_ids += [event_id for event_id, _, _ in inserts]
    counts.changed_ids += [row.id for row, _, _ in changes]
    counts.unchanged += len(unchanged)


def put_event(session: Session, source_id: int, record: EventRecord, *, now: datetime,
              tz: ZoneInfo, campaign_id: int | None = None) -> str:
    """Store the one event of ``record`` (a published proposal) without touching the source's
    other events; it keeps its id across versions and its SEQUENCE grows.  Returns its id."""
    record = place_record(clean_record(record))
    row = _known_events(session, source_id, [record.key]).get(record.key)
    digest = record_hash(record)
    if row is None:
        event_id = new_event_id()
        _insert_events(session, source_id, [(event_id, record, digest)], now=now, tz=tz)
    else:
        event_id = row.id
        if row.content_hash != digest or row.removed:
            _update_events(session, [(row, record, digest)], now=now, tz=tz)
    session.execute(update(Event).where(Event.id == event_id).values(campaign_id=campaign_id)
                    .execution_options(synchronize_session=False))
    bump_data_version(session)
    return event_id


def withdraw_event(session: Session, event_id: str, *, now: datetime) -> bool:
    """Mark one event removed (exports then carry it as CANCELLED for a while); True if it was
    published."""
    row = session.execute(select(Event.id, Event.sequence).where(
        Event.id == event_id, Event.removed_at.is_(None))).one_or_none()
    if row is None:
        return False
    _mark_removed(session, [_Known(row.id, "", row.sequence, False)], now=now)
    bump_data_version(session)
    return True


def _known_events(session: Session, source_id: int,
                  keys: list[tuple[str, str]]) -> dict[tuple[str, str], _Known]:
    """The stored events of these keys (published or removed), by key."""
    wanted, found = set(keys), {}
    for uids in _chunks(sorted({uid for uid, _ in wanted})):
        rows = session.execute(select(
            Event.source_uid, Event.recurrence_id, Event.id, Event.content_hash,
            Event.sequence, Event.removed_at,
        ).where(Event.source_id == source_id, Event.source_uid.in_(uids)))
        found.update(((uid, rid), _Known(eid, digest, seq, removed is not None))
                     for uid, rid, eid, digest, seq, removed in rows if (uid, rid) in wanted)
    return found


def _unseen(session: Session, source_id: int, seen: set[str]) -> list[_Known]:
    """The published events of the source whose id is not in ``seen``."""
    rows = session.execute(select(Event.id, Event.sequence).where(
        Event.source_id == source_id, Event.removed_at.is_(None)))
    return [_Known(event_id, "", sequence, False) for event_id, sequence in rows
            if event_id not in seen]


def _named(session: Session, source_id: int, uids: set[str], seen: set[str],
           skip: set[str]) -> list[_Known]:
    """The published events of the source with one of these source UIDs, not in ``seen``."""
    found = []
    for chunk in _chunks(sorted(uids)):
        rows = session.execute(select(Event.id, Event.sequence).where(
            Event.source_id == source_id, Event.source_uid.in_(chunk),
            Event.removed_at.is_(None)))
        found += [_Known(event_id, "", sequence, False) for event_id, sequence in rows
                  if event_id not in seen and event_id not in skip]
    return found


def _insert_events(session, source_id, inserts, *, now, tz) -> None:
    events, occurrences = [], []
    for event_id, record, digest in inserts:
        events.append({
            "id": event_id, "source_id": source_id, "source_uid": record.source_uid,
            "recurrence_id": record.recurrence_id, "content_hash": digest, "sequence": 0,
            "created_at": now, "updated_at": now, "last_seen_at": now, "removed_at": None,
            **event_values(record, tz=tz),
        })
        occurrences.extend(occurrence_rows(event_id, record.occurrences, tz=tz))
    _bulk_insert(session, Event, with_event_vectors(session, events))
    _bulk_insert(session, Occurrence, occurrences)


def _update_events(session, changes, *, now, tz) -> None:
    if not changes:
        return
    values = [{"id": row.id, "content_hash": digest, "sequence": row.sequence + 1,
               "updated_at": now, "last_seen_at": now, "removed_at": None,
               **event_values(record, tz=tz)} for row, record, digest in changes]
    session.execute(update(Event), with_event_vectors(session, values))
    ids = [row.id for row, _, _ in changes]
    for chunk in _chunks(ids):
        session.execute(delete(Occurrence).where(Occurrence.event_id.in_(chunk)))
    rows = [occ for row, record, _ in changes
            for occ in occurrence_rows(row.id, record.occurrences, tz=tz)]
    _bulk_insert(session, Occurrence, rows)


def _touch_unchanged(session, unchanged, *, now, tz) -> None:
    """Unchanged events: note that they were seen, and roll recurring occurrences forward."""
    for chunk in _chunks([event_id for event_id, _ in unchanged]):
        session.execute(update(Event).where(Event.id.in_(chunk)).values(last_seen_at=now)
                        .execution_options(synchronize_session=False))
    recurring = {eid: rec for eid, rec in unchanged if rec.rrule or rec.rdate}
    if recurring:
        _sync_occurrences(session, recurring, tz=tz)


def _sync_occurrences(session, records: dict[str, EventRecord], *, tz) -> None:
    wanted = {row["id"]: row for eid, rec in records.items()
              for row in occurrence_rows(eid, rec.occurrences, tz=tz)}
    have: set[str] = set()
    for chunk in _chunks(list(records)):
        have.update(session.scalars(select(Occurrence.id).where(Occurrence.event_id.in_(chunk))))
    for chunk in _chunks(sorted(have - wanted.keys())):
        session.execute(delete(Occurrence).where(Occurrence.id.in_(chunk)))
    _bulk_insert(session, Occurrence, [wanted[i] for i in wanted.keys() - have])


def _mark_removed(session, rows: list[_Known], *, now) -> int:
    for chunk in _chunks(rows):
        session.execute(update(Event), [
            {"id": r.id, "removed_at": now, "updated_at": now, "sequence": r.sequence + 1}
            for r in chunk
        ])
    return len(rows)


def _bulk_insert(session: Session, model, rows: list[dict]) -> None:
    """Core executemany (not ORM objects): 10,000 rows in a fraction of a second."""
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(model.__table__), rows[start:start + CHUNK])


def _chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]
