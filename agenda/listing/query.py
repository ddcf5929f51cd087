"""Answer a listing: the published occurrences that match the filters, with facet counts.

The first implementation filters in SQL alone (words with a plain LIKE); the search index plugs
in behind the same function (``search=``) for French analysis and relevance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session, contains_eager

from agenda.listing.filters import Filters
from agenda.models import Event, Occurrence


@dataclass
class Listing:
    total: int
    occurrences: list[Occurrence]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


def find_occurrences(session: Session, filters: Filters, *, window: tuple[datetime, datetime],
                     offset: int = 0, limit: int = 50, with_facets: bool = False,
                     search=None) -> Listing:
    """Occurrences overlapping ``window`` (UTC instants) that match ``filters``, by start."""
    where = and_(*occurrence_conditions(filters, window))
    total = session.scalar(select(func.count()).select_from(Occurrence).join(Event).where(where))
    rows = session.scalars(
        select(Occurrence).join(Occurrence.event).options(contains_eager(Occurrence.event))
        .where(where).order_by(Occurrence.start_at, Occurrence.id).offset(offset).limit(limit)
    ).unique()
    facets = _facets(session, where) if with_facets else {}
    return Listing(total or 0, list(rows), facets)


def occurrence_conditions(filters: Filters, window: tuple[datetime, datetime]) -> list:
    start, end = window
    conditions = [
        Event.removed_at.is_(None),
        Occurrence.start_at < end,
        or_(Occurrence.end_at > start, Occurrence.start_at >= start),
    ]
    if filters.q:
        for word in filters.q.split():
            pattern = f"%{word}%"
            conditions.append(or_(Event.title.ilike(pattern), Event.description_text.ilike(pattern)))
    if filters.departments:
        conditions.append(Event.department.in_(filters.departments))
    if filters.city:
        conditions.append(func.lower(Event.city) == filters.city.lower())
    if filters.sources:
        conditions.append(Event.source_id.in_(filters.sources))
    if filters.mode == "online":
        conditions.append(Event.online_url.is_not(None))
    elif filters.mode == "in_person":
        conditions.append(or_(Event.city.is_not(None), Event.location_name.is_not(None)))
    if filters.themes:
        themes_text = cast(Event.themes, String)
        conditions.append(or_(*(themes_text.like(f'%"{t}"%') for t in filters.themes)))
    return conditions


def _facets(session: Session, where) -> dict[str, list[tuple[str, int]]]:
    rows = session.execute(select(Event.id, Event.department, Event.themes)
                           .join(Event.occurrences).where(where))
    events = {event_id: (department, themes) for event_id, department, themes in rows}
    departments, themes = Counter(), Counter()
    for department, event_themes in events.values():
        if department:
            departments[department] += 1
        themes.update(event_themes or [])
    return {"departments": departments.most_common(), "themes": themes.most_common()}


def find_event_ids(session: Session, filters: Filters, *, window: tuple[datetime, datetime],
                   search=None) -> list[str]:
    """Ids of the published events with an occurrence in ``window`` matching ``filters``
    (for exports, which write whole events with their recurrence rules)."""
    where = and_(*occurrence_conditions(filters, window))
    return list(session.scalars(select(Event.id).join(Event.occurrences).where(where)
                                .group_by(Event.id).order_by(func.min(Occurrence.start_at))))
