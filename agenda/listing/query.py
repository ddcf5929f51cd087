"""Answer a listing: the published occurrences that match the filters, with facet counts.

With the search index (``search=``, an :class:`agenda.search.SearchIndex`) the index picks the
occurrences, counts them and their facets, and the database loads the page: only published
events come back, so a removed event is never shown even before the index hears of it.  Without
it (or while it is being rebuilt) the same answer comes from SQL alone, words matched with LIKE
(accents then matter).

Totals and facets count the same thing, dates (occurrences, what a listing shows): a weekly
workshop met four times in the window counts 4 in its department as in the total; ``events``
says how many distinct events those dates belong to.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager

from agenda.listing.filters import Filters
from agenda.models import Actor, Event, EventActor, Occurrence
from agenda.search.analysis import word_forms
from agenda.store.campaign_members import member_condition
from agenda.store.conditions import has_any_theme, listed
from agenda.store.links import SHOWN_ACTOR_STATUSES

ID_CHUNK = 1000
ROWS_PER_EVENT = 2  # occurrences read per event wanted by the soonest-first SQL answer
_WORD = re.compile(r"\w+")


@dataclass
class Listing:
    total: int  # dates (occurrences)
    occurrences: list[Occurrence]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # dates too
    events: int = 0  # the distinct events of those dates


def find_occurrences(session: Session, filters: Filters, *, window: tuple[datetime, datetime],
                     offset: int = 0, limit: int = 50, with_facets: bool = False,
                     search=None) -> Listing:
    """Occurrences overlapping ``window`` (UTC instants) that match ``filters``, by start (or
    by relevance, when ``filters.sort`` asks for it and the index answers)."""
    search = search if _index_knows(session, filters, search) else None
    hits = None if search is None else search.search(filters, window=window, offset=offset,
                                                     limit=limit, facets=with_facets,
                                                     session=session)
    if hits is None:
        return _sql_listing(session, filters, window, offset, limit, with_facets)
    occurrences = load_occurrences(session, hits.page)
    return Listing(hits.total - (len(hits.page) - len(occurrences)), occurrences, hits.facets,
                   hits.events)


def find_event_ids(session: Session, filters: Filters, *, window: tuple[datetime, datetime],
                   search=None, limit: int | None = None,
                   published: Callable[[list[str]], list[str]] | None = None) -> list[str]:
    """Ids of the published events with an occurrence in ``window`` matching ``filters``, by
    first occurrence (for exports, which write whole events with their recurrence rules): the
    first ``limit`` of them, the same as the whole list cut to ``limit``, without making it.

    ``published`` keeps the published among the index's answer, order kept (by default
    :func:`published_among`; an export passes one that reads the rows it needs anyway)."""
    search = search if _index_knows(session, filters, search) else None
    published = published or (lambda ids: published_among(session, ids))
    found = None if search is None else _indexed_event_ids(search, session, filters, window,
                                                            limit, published)
    if found is not None:
        return found
    where = and_(*occurrence_conditions(filters, window))
    if limit is not None and limit > 0 and filters.is_empty:
        found = _soonest_event_ids(session, where, limit)
        if found is not None:
            return found
    query = (select(Event.id).join(Event.occurrences).where(where).group_by(Event.id)
             .order_by(func.min(Occurrence.start_at), Event.id))
    return list(session.scalars(query if limit is None else query.limit(max(limit, 0))))


def _soonest_event_ids(session: Session, where, limit: int) -> list[str] | None:
    """The first ``limit`` events read off the first occurrences in (start, event id) order
    (the window's index, stopped early) instead of grouping all those of the window: the
    order in which events first appear there is by (first start, id).  None when those rows
    hold too few events (long series at the start): then the grouping query answers.  Only
    for unfiltered listings: with filters the scan could walk most of the window."""
    wanted = ROWS_PER_EVENT * limit
    ids = session.scalars(select(Occurrence.event_id).join(Occurrence.event).where(where)
                          .order_by(Occurrence.start_at, Occurrence.event_id)
                          .limit(wanted)).all()
    distinct = list(dict.fromkeys(ids))
    return distinct[:limit] if len(distinct) >= limit or len(ids) < wanted else None


def _indexed_event_ids(search, session: Session, filters: Filters, window, limit: int | None,
                       published: Callable[[list[str]], list[str]]) -> list[str] | None:
    """The index's answer without the events removed since it heard of them: asked for
    ``limit`` events, then (rarely: only when some of those were removed) for more, until
    ``limit`` published ones are found or the index has no more; None: ask SQL."""
    asked = limit
    while True:
        found = search.event_ids(filters, window=window, limit=asked, session=session)
        if found is None:
            return None
        kept = published(found)
        if limit is None or len(kept) >= limit or len(found) < asked:
            return kept[:limit]
        asked = 2 * asked + limit - len(kept)


def load_occurrences(session: Session, keys: list[tuple[str, int]]) -> list[Occurrence]:
    """The occurrences (event id, start in UTC seconds) of published events, in ``keys`` order,
    with their event loaded; the others (removed or merged into another event since the index
    saw them) are left out."""
    if not keys:
        return []
    starts = [start for _, start in keys]
    rows = session.scalars(
        select(Occurrence).join(Occurrence.event).options(contains_eager(Occurrence.event))
        .where(Occurrence.event_id.in_({event_id for event_id, _ in keys}),
               listed(),
               Occurrence.start_at >= _instant(min(starts)),
               Occurrence.start_at < _instant(max(starts) + 1))
    ).unique()
    found = {(o.event_id, int(o.start_at.timestamp())): o for o in rows}
    return [found[key] for key in keys if key in found]


def published_among(session: Session, event_ids: list[str]) -> list[str]:
    """``event_ids`` without the removed, merged (copies) or unknown ones, order kept."""
    published: set[str] = set()
    for start in range(0, len(event_ids), ID_CHUNK):
        chunk = event_ids[start:start + ID_CHUNK]
        published.update(session.scalars(select(Event.id).where(Event.id.in_(chunk),
                                                                 listed())))
    return [event_id for event_id in event_ids if event_id in published]


def occurrence_conditions(filters: Filters, window: tuple[datetime, datetime], *,
                          words: Callable[[str], list] | None = None,
                          city: Callable[[str], list] | None = None) -> list:
    """The filters as SQL conditions on occurrences joined to their events.

    ``words`` and ``city`` give the conditions of the words and of the city (a search
    backend's own: ``agenda.search.pg``); by default LIKE on the title and description, and
    the city compared without case."""
    start, end = window
    conditions = [
        listed(),
        Occurrence.start_at < end,
        or_(Occurrence.end_at > start, Occurrence.start_at >= start),
    ]
    conditions.extend((words or like_words)(filters.q))
    if filters.departments:
        conditions.append(Event.department.in_(filters.departments))
    if filters.city:
        conditions.extend((city or _same_city)(filters.city))
    if filters.communes:
        conditions.append(Event.commune_code.in_(filters.communes))
    if filters.sources:
        conditions.append(_from_sources(filters.sources))
    if filters.actors:
        conditions.append(_of_actors(filters.actors))
    if filters.campaign is not None:
        conditions.append(member_condition(filters.campaign))
    if filters.mode == "online":
        conditions.append(Event.online_url.is_not(None))
    elif filters.mode == "in_person":  # a city or a place's name, not empty (as the index)
        conditions.append(or_(Event.city != "", Event.location_name != ""))
    if filters.themes:
        conditions.append(has_any_theme(Event.themes, filters.themes))
    return conditions


def like_words(text: str) -> list:
    """Each word (stop words left out) in the title or the description, as typed."""
    conditions = []
    for word in _sql_words(text):
        pattern = "%" + word.replace("\\", "\\\\").replace("_", "\\_") + "%"
        conditions.append(or_(Event.title.ilike(pattern, escape="\\"),
                              Event.description_text.ilike(pattern, escape="\\")))
    return conditions


def _same_city(city: str) -> list:
    return [func.lower(Event.city) == city.lower()]


def _from_sources(sources) -> object:
    """An event announced by one of ``sources``: its own, or one of its live copies' (a
    source's subscribers keep the events merged into another source's listing)."""
    copy = aliased(Event)
    merged = select(copy.duplicate_of).where(copy.source_id.in_(sources),
                                             copy.duplicate_of.is_not(None),
                                             copy.removed_at.is_(None))
    return or_(Event.source_id.in_(sources), Event.id.in_(merged))


def _of_actors(actors) -> object:
    """An event organised by one of ``actors`` (shown ones): linked itself, or through one of
    its live copies (``agenda.store.links``)."""
    shown = select(Actor.id).where(Actor.id.in_(actors), Actor.removed_at.is_(None),
                                   Actor.status.in_(SHOWN_ACTOR_STATUSES))
    linked = select(EventActor.event_id).where(EventActor.actor_id.in_(shown))
    copy = aliased(Event)
    merged = select(copy.duplicate_of).where(copy.id.in_(linked), copy.duplicate_of.is_not(None),
                                             copy.removed_at.is_(None))
    return or_(Event.id.in_(linked), Event.id.in_(merged))


def _index_knows(session: Session, filters: Filters, search=None) -> bool:
    """Whether the index can answer: one that says it ``knows_every_filter`` (PostgreSQL's,
    which reads the tables themselves) always can; Whoosh's knows no campaign and no actor,
    and a document knows only its own source (not the sources of the copies merged into it)."""
    if getattr(search, "knows_every_filter", False):
        return True
    if filters.campaign is not None or filters.actors:
        return False
    if not filters.sources:
        return True
    copies = select(Event.id).where(Event.source_id.in_(filters.sources),
                                    Event.duplicate_of.is_not(None),
                                    Event.removed_at.is_(None)).limit(1)
    return session.scalar(copies) is None


def _sql_words(text: str) -> list[str]:
    """The words LIKE looks for: as typed, stop words left out (as the index does)."""
    return [word for word in _WORD.findall(text) if word_forms(word.lower())]


def _sql_listing(session: Session, filters: Filters, window, offset: int, limit: int,
                 with_facets: bool) -> Listing:
    where = and_(*occurrence_conditions(filters, window))
    total, events = session.execute(
        select(func.count(), func.count(func.distinct(Occurrence.event_id)))
        .select_from(Occurrence).join(Event).where(where)).one()
    rows = session.scalars(
        select(Occurrence).join(Occurrence.event).options(contains_eager(Occurrence.event))
        .where(where).order_by(Occurrence.start_at, Occurrence.id).offset(offset).limit(limit)
    ).unique()
    facets = _facets(session, where, filters.communes) if with_facets else {}
    return Listing(total or 0, list(rows), facets, events or 0)


def _facets(session: Session, where,
            communes: tuple[str, ...] = ()) -> dict[str, list[tuple[str, int]]]:
    """Dates (occurrences) by department and by theme, and by commune among the ``communes``
    chosen: one row per date."""
    rows = session.execute(select(Event.department, Event.themes, Event.commune_code)
                           .join(Event.occurrences).where(where))
    departments, themes, chosen = Counter(), Counter(), Counter()
    for department, event_themes, commune_code in rows:
        if department:
            departments[department] += 1
        themes.update(set(event_themes or []))
        if commune_code in communes:
            chosen[commune_code] += 1
    facets = {"departments": _most_first(departments), "themes": _most_first(themes)}
    return {**facets, "communes": _most_first(chosen)} if communes else facets


def _most_first(counts: Counter) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _instant(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)
