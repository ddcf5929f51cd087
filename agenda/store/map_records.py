"""What the map and the widget read besides the listing's events: the shown actors and the
published initiatives that match a listing's filters, the first date of events in a window, the
shown actors' names.

Events are chosen by the listing's own query (``agenda.listing.query.find_event_ids``), so that
every filter behaves on the map as in the listing.  Actors and initiatives take the filters that
describe them:

    q                 words in the name (title), kind and description, matched with LIKE
    dept, commune     their department, their commune
    city              their commune's name (older links)
    theme             one of their themes
    actor             the actor itself; the initiatives it carries (main actor or listed)
    from, to          initiatives: those whose known dates meet the period (actors: none)
    source            initiatives collected by the source

A filter a kind cannot answer (an actor has no source, neither has a campaign's rules) is
answered by :func:`kinds_answering`: that kind is left out rather than shown unfiltered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from agenda.listing.filters import Filters
from agenda.models import Actor, Event, Initiative, InitiativeActor, Occurrence
from agenda.search.analysis import word_forms
from agenda.store.conditions import has_any_theme, listed

KINDS = ("event", "actor", "initiative")
SHOWN_ACTOR_STATUSES = ("confirmed", "to_check")
ID_CHUNK = 1000
_WORD = re.compile(r"\w+")


def kinds_answering(filters: Filters) -> tuple[str, ...]:
    """The kinds that can be narrowed by every filter given: a campaign or online events are
    events only; a source collects events and initiatives, not actors."""
    if filters.campaign is not None or filters.mode == "online":
        return ("event",)
    if filters.sources:
        return ("event", "initiative")
    return KINDS


def matching_actors(session: Session, filters: Filters, *, limit: int) -> list[Actor]:
    """Shown actors (confirmed or to check, not removed) matching ``filters``, by name."""
    conditions = [Actor.status.in_(SHOWN_ACTOR_STATUSES), Actor.removed_at.is_(None)]
    conditions += _words(filters.q, Actor.name, Actor.kind, Actor.description_text)
    conditions += _places(filters, Actor)
    if filters.themes:
        conditions.append(has_any_theme(Actor.themes, filters.themes))
    if filters.actors:
        conditions.append(Actor.id.in_(filters.actors))
    query = select(Actor).where(*conditions).order_by(Actor.name, Actor.id).limit(limit)
    return list(session.scalars(query))


def matching_initiatives(session: Session, filters: Filters, *, limit: int) -> list[Initiative]:
    """Published initiatives matching ``filters``, by title."""
    conditions = [Initiative.removed_at.is_(None)]
    conditions += _words(filters.q, Initiative.title, Initiative.territory,
                         Initiative.description_text)
    conditions += _places(filters, Initiative)
    if filters.themes:
        conditions.append(has_any_theme(Initiative.themes, filters.themes))
    if filters.actors:
        listed_with = select(InitiativeActor.initiative_id).where(
            InitiativeActor.actor_id.in_(filters.actors))
        conditions.append(or_(Initiative.actor_id.in_(filters.actors),
                              Initiative.id.in_(listed_with)))
    if filters.sources:
        conditions.append(Initiative.source_id.in_(filters.sources))
    if filters.end:
        conditions.append(or_(Initiative.starts_on.is_(None), Initiative.starts_on <= filters.end))
    if filters.start:
        conditions.append(or_(Initiative.ends_on.is_(None), Initiative.ends_on >= filters.start))
    query = (select(Initiative).where(*conditions).order_by(Initiative.title, Initiative.id)
             .limit(limit))
    return list(session.scalars(query))


@dataclass(frozen=True)
class EventPlace:
    """What the map and the widget show of an event (read as columns: 5,000 at once)."""
    id: str
    title: str
    status: str
    location_name: str | None
    city: str | None
    commune_code: str | None
    commune_name: str | None
    lat: float | None
    lon: float | None
    online_url: str | None


@dataclass(frozen=True)
class FirstDate:
    """An event's first occurrence in a window (the attributes of an Occurrence that
    ``agenda.web.shared.dates`` reads)."""
    event: EventPlace
    start_at: datetime
    end_at: datetime
    all_day: bool
    start_date: date | None
    end_date: date | None


_PLACE_COLUMNS = (Event.id, Event.title, Event.status, Event.location_name, Event.city,
                  Event.commune_code, Event.commune_name, Event.lat, Event.lon, Event.online_url)
_DATE_COLUMNS = (Occurrence.start_at, Occurrence.end_at, Occurrence.all_day,
                 Occurrence.start_date, Occurrence.end_date)


def first_occurrences(session: Session, event_ids: list[str],
                      window: tuple[datetime, datetime]) -> list[FirstDate]:
    """The first occurrence in ``window`` of each listed event of ``event_ids``, in the order
    of ``event_ids``; events without one are left out."""
    start, end = window
    found: dict[str, FirstDate] = {}
    for first in range(0, len(event_ids), ID_CHUNK):
        chunk = event_ids[first:first + ID_CHUNK]
        in_window = (Occurrence.event_id.in_(chunk), Occurrence.start_at < end,
                     or_(Occurrence.end_at > start, Occurrence.start_at >= start))
        firsts = (select(Occurrence.event_id, func.min(Occurrence.start_at).label("first"))
                  .where(*in_window).group_by(Occurrence.event_id).subquery())
        rows = session.execute(
            select(*_PLACE_COLUMNS, *_DATE_COLUMNS).select_from(Occurrence)
            .join(Event, Event.id == Occurrence.event_id)
            .join(firsts, (firsts.c.event_id == Occurrence.event_id)
                  & (firsts.c.first == Occurrence.start_at))
            .where(listed()).order_by(Occurrence.start_at, Occurrence.id))
        for row in rows:
            place = EventPlace(*row[:len(_PLACE_COLUMNS)])
            found.setdefault(place.id, FirstDate(place, *row[len(_PLACE_COLUMNS):]))
    return [found[event_id] for event_id in event_ids if event_id in found]


def _words(text: str, *columns) -> list:
    """Each word (stop words left out, as the index does) in one of ``columns``."""
    conditions = []
    for word in _WORD.findall(text or ""):
        if not word_forms(word.lower()):
            continue
        pattern = "%" + word.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%") + "%"
        conditions.append(or_(*(column.ilike(pattern, escape="\\") for column in columns)))
    return conditions


def _places(filters: Filters, model) -> list:
    conditions = []
    if filters.departments:
        conditions.append(model.department.in_(filters.departments))
    if filters.communes:
        conditions.append(model.commune_code.in_(filters.communes))
    if filters.city:
        conditions.append(func.lower(model.commune_name) == filters.city.lower())
    return conditions



def shown_actor_names(session: Session, *, limit: int) -> list[tuple[int, str]] | None:
    """(id, name) of the shown actors by name (the widget builder's choices); None when there
    are more than ``limit`` (the builder then asks for the number)."""
    rows = session.execute(
        select(Actor.id, Actor.name)
        .where(Actor.status.in_(SHOWN_ACTOR_STATUSES), Actor.removed_at.is_(None))
        .order_by(Actor.name, Actor.id).limit(limit + 1)).all()
    return None if len(rows) > limit else [(actor_id, name) for actor_id, name in rows]
