"""Read the events an export writes: whole series, plus those recently removed (SQL, no Flask).

Which events: those with an occurrence in the window that matches the filters (through the
listing's own ``find_event_ids``, so the search index answers the words), plus the events
removed from their source (or merged into another event) since ``cutoff`` that match them too
(their subscribers must hear they are cancelled).  Each is read with every member of its series.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import JSON, String, Text, and_, any_, bindparam, cast, or_, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids, occurrence_conditions
from agenda.models import Event
from agenda.search.analysis import text_matches
from agenda.store.conditions import listed

CHUNK = 5000


KEY_COLUMNS = (Event.id, Event.source_id, Event.source_uid, Event.recurrence_id, Event.sequence,
               Event.created_at, Event.updated_at, Event.removed_at, Event.status,
               Event.start_at, Event.all_day, Event.timezone, Event.duplicate_of, Event.merged_at)
"""Enough to group series, decide how each goes out and find its cached VEVENT text."""

_NOT_WRITTEN = ("source_id", "source_uid", "department", "content_hash", "last_seen_at",
                "description_html", "own_values", "search_vector", "ics_text", "ics_key")
TEXT_COLUMNS = tuple(
    cast(c, Text).label(c.name) if isinstance(c.type, JSON) else c
    for c in Event.__table__.c if c.name not in _NOT_WRITTEN)
"""What a VEVENT is written from (read only for the events whose text is not cached).  JSON
lists are read as text and decoded by ``ics_event.json_list`` only when not empty: decoding
40,000 mostly empty lists through the drivers' and SQLAlchemy's JSON loaders cost a third of a
cold export."""

ALL_COLUMNS = KEY_COLUMNS + tuple(c for c in TEXT_COLUMNS if c.name not in
                                  {k.name for k in KEY_COLUMNS})
"""Both at once (one event's calendar)."""

STORED_COLUMNS = (Event.ics_key, Event.ics_text)
"""The VEVENT text stored with the event and what it was written from (see stored_vevents)."""


def subscription_rows(session: Session, filters: Filters, *, window: tuple[datetime, datetime],
                      cutoff: datetime, search=None, columns=None,
                      limit: int | None = None) -> list:
    """Rows of the series a subscription to ``filters`` holds (KEY_COLUMNS by default): at
    most ``limit`` events, the published ones by first occurrence, then the removed ones (the
    overrides of their series come with them).  The rows of the events the search index
    answers are read once: to leave out those removed since it heard of them, and to write."""
    columns, read = columns or KEY_COLUMNS, {}

    def published(event_ids: list[str]) -> list[str]:
        unread = [i for i in event_ids if i not in read]
        read.update((row.id, row) for row in _by_ids(session, unread, columns))
        return [i for i in event_ids if i in read and read[i].removed_at is None
                and read[i].duplicate_of is None]

    ids = find_event_ids(session, filters, window=window, search=search, limit=limit,
                         published=published)
    if limit is None or len(ids) < limit:
        ids += removed_event_ids(session, filters, window=window, cutoff=cutoff)
    return series_rows(session, ids[:limit], columns, read=read)


def series_rows(session: Session, event_ids: list[str], columns=KEY_COLUMNS, *,
                read: dict | None = None) -> list:
    """Every member of the series of each of ``event_ids`` (each row once).

    The events themselves by id (those not ``read`` already), then the overrides of their
    series, then the masters of overrides picked alone: overrides are few, so this is much
    cheaper than a self-join."""
    read = read or {}
    rows = {i: read[i] for i in event_ids if i in read}
    rows.update((row.id, row) for row in _by_ids(session, [i for i in event_ids
                                                            if i not in rows], columns))
    series = {(row.source_id, row.source_uid) for row in rows.values()}
    masters_of = {(r.source_id, r.source_uid) for r in rows.values() if r.recurrence_id}
    masters_of -= {(r.source_id, r.source_uid) for r in rows.values() if not r.recurrence_id}
    for wanted, members in ((series, Event.recurrence_id != ""),
                            (masters_of, Event.recurrence_id == "")):
        rows.update((r.id, r) for r in _of_series(session, wanted, members, columns))
    return list(rows.values())


def _of_series(session: Session, series: set[tuple], condition, columns) -> list:
    """The rows of these (source, source UID) series meeting ``condition``: through the
    provenance index (source, UID, recurrence id), a source and a chunk of UIDs at a time
    (the overrides of a source of 100,000 events without scanning them)."""
    by_source: dict[int, list[str]] = {}
    for source_id, source_uid in series:
        by_source.setdefault(source_id, []).append(source_uid)
    found = []
    for source_id, uids in sorted(by_source.items()):
        for chunk in _chunks(sorted(uids)):
            found.extend(session.execute(select(*columns).where(
                Event.source_id == source_id, _among(session, Event.source_uid, chunk),
                condition)))
    return found


def _by_ids(session: Session, event_ids: list[str], columns) -> list:
    found = []
    for chunk in _chunks(list(dict.fromkeys(event_ids))):
        found.extend(session.execute(select(*columns).where(_among(session, Event.id, chunk))))
    return found


def _among(session: Session, column, values: list[str]):
    """``column IN values``; on PostgreSQL ``= ANY(array)``: one parameter instead of
    thousands (5,000 ids: about half the time, most of it spent binding them)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(String)))
    return column.in_(values)


def text_rows(session: Session, event_ids: list[str]) -> dict[str, object]:
    """The columns a VEVENT is written from, and its stored text, by event id."""
    return {row.id: row for row in _by_ids(session, event_ids, TEXT_COLUMNS + STORED_COLUMNS)}


def _chunks(items: list):
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def removed_event_ids(session: Session, filters: Filters, *, window: tuple[datetime, datetime],
                      cutoff: datetime) -> list[str]:
    """Events removed from their source, or merged into another event (copies), since
    ``cutoff`` with an occurrence matching ``filters`` in ``window`` (words matched here: the
    search index forgets them): their subscribers must hear they are cancelled."""
    published = listed()
    conditions = [c for c in occurrence_conditions(replace(filters, q=""), window)
                  if not c.compare(published)]
    gone = or_(Event.removed_at >= cutoff,
               and_(Event.duplicate_of.is_not(None), Event.merged_at >= cutoff))
    query = (select(Event.id, Event.title, Event.description_text).join(Event.occurrences)
             .where(gone, *conditions).distinct())
    return [event_id for event_id, title, text in session.execute(query)
            if text_matches(filters.q, f"{title} {text}")]
