"""The events' side of a search across kinds: asked of the events' own search (the index, else
SQL through ``agenda.listing.query``), counted in events (not dates) like actors and
initiatives."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, contains_eager

from agenda.listing.filters import Filters
from agenda.listing.query import find_event_ids, occurrence_conditions
from agenda.models import Event, Occurrence
from agenda.region import Region
from agenda.search.analysis import word_forms
from agenda.search.documents import FIELD_WEIGHTS
from agenda.store.conditions import listed

UPCOMING_DAYS = 3660  # "upcoming": from today's midnight, this many days ahead
FIRST_DAY = date(1970, 1, 1)  # "all": past events too
_WORD = re.compile(r"\w+")


@dataclass
class EventCounts:
    total: int = 0
    departments: dict[str, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)


def event_window(today: date, tz: ZoneInfo, when: str) -> tuple[datetime, datetime]:
    """Upcoming: from today's midnight (events of today included); all: past events too."""
    first = today if when == "upcoming" else FIRST_DAY
    last = today + timedelta(days=UPCOMING_DAYS)
    return (datetime.combine(first, time(), tz), datetime.combine(last, time(), tz))


def event_counts(session: Session, filters: Filters, window, *, search=None) -> EventCounts:
    found = (search.event_counts(filters, window=window, session=session)
             if _index_knows(search) else None)
    if found is not None:
        total, counts = found
        return EventCounts(total, counts["departments"], counts["themes"])
    return _sql_counts(session, filters, window)


def event_ids(session: Session, filters: Filters, window, *, search=None,
              limit: int | None = None) -> list[str]:
    """The events' ids, by relevance when there are words (by date when SQL answers), else by
    first date."""
    return find_event_ids(session, filters, window=window, search=search, limit=limit)


def _index_knows(search) -> bool:
    return search is not None and hasattr(search, "event_counts")


def _sql_counts(session: Session, filters: Filters, window) -> EventCounts:
    matching = (select(Occurrence.event_id).join(Event)
                .where(and_(*occurrence_conditions(filters, window))).distinct())
    rows = session.execute(select(Event.department, Event.themes)
                           .where(Event.id.in_(matching)))
    departments, themes, total = Counter(), Counter(), 0
    for department, event_themes in rows:
        total += 1
        if department:
            departments[department] += 1
        themes.update(set(event_themes or ()))
    return EventCounts(total, dict(departments), dict(themes))


def event_tiers(session: Session, ids: list[str], words, region: Region) -> dict[str, float]:
    """Each event's score without rarity (the weight of the best field holding each word),
    from its title, categories and themes, and place: where no field of these holds a word,
    the description does (every word matched), weight 1."""
    if not words or not ids:
        return {}
    rows = session.execute(select(
        Event.id, Event.title, Event.categories, Event.themes, Event.location_name, Event.city,
        Event.commune_name, Event.department, Event.organizer).where(Event.id.in_(ids)))
    tiers = {}
    for event_id, title, categories, themes, *place in rows:
        labels = [t.label_fr for slug in themes or () if (t := region.theme(slug))]
        department = region.department(place[3]) if place[3] else None
        place[3] = department.name if department else ""
        fields = ((FIELD_WEIGHTS["title"], _terms(title)),
                  (FIELD_WEIGHTS["tags"], _terms(" ".join([*(categories or ()), *labels]))),
                  (FIELD_WEIGHTS["place"], _terms(" ".join(p for p in place if p))))
        tiers[event_id] = sum(next((weight for weight, terms in fields
                                    if any(form in terms for form in forms)),
                                   FIELD_WEIGHTS["description"]) for forms in words)
    return tiers


def _terms(text: str | None) -> set[str]:
    return {form for word in _WORD.findall((text or "").casefold()) for form in word_forms(word)}


def first_dates(session: Session, ids: list[str], window) -> dict[str, Occurrence]:
    """Each event's first occurrence in ``window`` (its event loaded)."""
    if not ids:
        return {}
    start, end = window
    first = (select(Occurrence.event_id, func.min(Occurrence.start_at).label("start_at"))
             .where(Occurrence.event_id.in_(ids), Occurrence.start_at < end,
                    (Occurrence.end_at > start) | (Occurrence.start_at >= start))
             .group_by(Occurrence.event_id).subquery())
    rows = session.scalars(
        select(Occurrence).join(first, (first.c.event_id == Occurrence.event_id)
                                & (first.c.start_at == Occurrence.start_at))
        .join(Occurrence.event).options(contains_eager(Occurrence.event)).where(listed()))
    return {occurrence.event_id: occurrence for occurrence in rows.unique()}
