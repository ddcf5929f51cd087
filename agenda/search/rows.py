"""The index's reads of the database: published events as the index needs them, and their stamps.

"Published" here is ``agenda.store.conditions.listed``: a copy merged into another event is no
document of the index (the listed event is), so a sync or ``index`` of its id removes it.

The only SQL of ``agenda.search`` (plain column reads, chunked by id, no ORM objects: 100,000
events come back in about a second).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence
from agenda.search.documents import IndexedEvent, stamp
from agenda.store.conditions import listed

CHUNK = 2000

_EVENT_COLUMNS = (Event.id, Event.source_id, Event.sequence, Event.title, Event.description_text,
                  Event.location_name, Event.city, Event.department, Event.commune_code,
                  Event.commune_name, Event.organizer,
                  Event.online_url, Event.categories, Event.themes)


def indexed_events(session: Session, event_ids: Iterable[str]) -> list[IndexedEvent]:
    """The published events among ``event_ids`` (removed, merged into another event and
    unknown ones are left out)."""
    found: list[IndexedEvent] = []
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        dates = _dates(session, Occurrence.event_id.in_(chunk))
        rows = session.execute(select(*_EVENT_COLUMNS).where(Event.id.in_(chunk),
                                                             listed()))
        found.extend(_indexed(row, dates.get(row.id, ())) for row in rows)
    return found


def published_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Event)
                          .where(listed())) or 0


def published_ids(session: Session, source_id: int | None = None) -> Iterator[list[str]]:
    """Every published event id (of one source), a chunk at a time, by id."""
    after = ""
    while True:
        query = select(Event.id).where(listed(), Event.id > after)
        if source_id is not None:
            query = query.where(Event.source_id == source_id)
        chunk = list(session.scalars(query.order_by(Event.id).limit(CHUNK * 5)))
        if not chunk:
            return
        yield chunk
        after = chunk[-1]


def published_stamps(session: Session,
                     source_id: int | None = None) -> Iterator[dict[str, str]]:
    """Event id -> stamp of every published event (of one source), ``CHUNK`` events at a time
    (a sync compares them as they come instead of holding every event's dates at once)."""
    for ids in published_ids(session, source_id):
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            dates = _dates(session, Occurrence.event_id.in_(chunk))
            rows = session.execute(select(Event.id, Event.sequence, Event.commune_code).where(
                Event.id.in_(chunk), listed()))
            yield {event_id: stamp(sequence, dates.get(event_id, ()), commune_code)
                   for event_id, sequence, commune_code in rows}


def _dates(session: Session, condition) -> dict[str, tuple[tuple[int, int], ...]]:
    grouped: dict[str, list[tuple[int, int]]] = defaultdict(list)
    rows = session.execute(select(Occurrence.event_id, Occurrence.start_at, Occurrence.end_at)
                           .where(condition))
    for event_id, start_at, end_at in rows:
        grouped[event_id].append((int(start_at.timestamp()), int(end_at.timestamp())))
    return {event_id: tuple(sorted(pairs)) for event_id, pairs in grouped.items()}


def _indexed(row, dates: tuple[tuple[int, int], ...]) -> IndexedEvent:
    return IndexedEvent(
        id=row.id, source_id=row.source_id, sequence=row.sequence, title=row.title,
        description=row.description_text or "", location_name=row.location_name,
        city=row.city, department=row.department, commune_code=row.commune_code,
        commune_name=row.commune_name, organizer=row.organizer,
        online=row.online_url is not None, categories=tuple(row.categories or ()),
        themes=tuple(row.themes or ()), dates=dates,
    )
