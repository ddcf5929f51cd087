"""Read side: occurrences in a window, with their event and source, for the API and pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from agenda.models import Event, Occurrence


@dataclass(frozen=True)
class OccurrenceQuery:
    start: datetime
    end: datetime
    source_id: int | None = None
    offset: int = 0
    limit: int = 50


def query_occurrences(session: Session, query: OccurrenceQuery) -> tuple[int, list[Occurrence]]:
    """Published occurrences overlapping [start, end), by start; cancelled ones included."""
    conditions = [
        Event.removed_at.is_(None),
        Occurrence.start_at < query.end,
        or_(Occurrence.end_at > query.start, Occurrence.start_at >= query.start),
    ]
    if query.source_id is not None:
        conditions.append(Event.source_id == query.source_id)
    where = and_(*conditions)
    total = session.scalar(select(func.count()).select_from(Occurrence).join(Event).where(where))
    rows = session.scalars(
        select(Occurrence).join(Occurrence.event).options(contains_eager(Occurrence.event))
        .where(where).order_by(Occurrence.start_at, Occurrence.id)
        .offset(query.offset).limit(query.limit)
    ).unique()
    return total or 0, list(rows)
