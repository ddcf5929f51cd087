"""A listing answered by PostgreSQL: the occurrences of the listed events holding the words (their
``search_vector``) and passing the filters, counted, faceted and paged in SQL.

The same answers as the Whoosh index (``agenda.search.answers``) on the same data:

- the filters are the SQL listing's own (``agenda.listing.query.occurrence_conditions``), the
  words replaced by ``search_vector @@ tsquery`` (our lexemes: ``agenda.search.pg.lexemes``) and
  the city compared as the index does (``city_key``: the spellings are resolved beforehand);
- totals and facets count dates (occurrences), ``events`` the distinct events;
- date order is (start, event id) in code-point order (``COLLATE "C"``, as Python compares);
- relevance is the sum over the words of rarity × the weight of the best field holding the word
  (A 4, B 2, C 1.5, D 1), rounded to 9 decimals as ``agenda.search.matching`` does, best first,
  then by date.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Callable

from sqlalchemy import (
    BigInteger,
    Numeric,
    Text,
    and_,
    case,
    cast,
    distinct,
    false,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import TSQUERY
from sqlalchemy.orm import Session
from sqlalchemy.sql.util import find_tables

from agenda.models import Event, Occurrence
from agenda.search.pg.lexemes import LETTER_WEIGHTS, MAX_LEXEME, word_query, words_query

Words = tuple[tuple[str, ...], ...]
ROWS_PER_EVENT = 2  # occurrences read per event wanted, in date order, before grouping


@dataclass(frozen=True)
class Plan:
    """What the SQL of one listing is made of."""

    where: object  # the conditions on occurrences joined to their events
    window: tuple[datetime, datetime]
    score: Callable | None = None  # vector column -> the event's relevance (None: by date)
    conditions: tuple = ()  # ``where`` as a list (to tell the occurrences' own conditions)


def matches(words: Words) -> list:
    """The condition that every word is in the event's vector (none without words).  A form
    longer than any lexeme (``MAX_LEXEME``) is in no vector: a word of such forms only
    matches nothing (PostgreSQL would refuse it)."""
    if not words:
        return []
    kept = searchable(words)
    if not all(kept):
        return [false()]
    return [Event.search_vector.op("@@")(cast(literal(words_query(kept)), TSQUERY))]


def searchable(words: Words) -> Words:
    return tuple(tuple(form for form in forms if len(form) <= MAX_LEXEME) for forms in words)


def score(words: Words, rarities: list[float], vector=Event.search_vector):
    """An event's relevance (its ``vector``): per word its rarity × the weight of the best
    field holding it.

    The products are worked out in Python (float, as Whoosh) and summed as exact decimals
    rounded to 9 places, so that equal sums are equal ties, as ``round(score, 9)`` makes
    them in ``agenda.search.matching``."""
    total = None
    for forms, rarity in zip(searchable(words), rarities):
        tiers = [(_in_field(vector, forms, letter), _decimal(weight * rarity))
                 for letter, weight in sorted(LETTER_WEIGHTS.items(), key=lambda kv: -kv[1])]
        *heavier, (_, lightest) = tiers
        term = case(*heavier, else_=lightest)
        total = term if total is None else total + term
    return func.round(total, 9)


def _in_field(vector, forms: tuple[str, ...], letter: str):
    return vector.op("@@")(cast(literal(word_query(forms, letter)), TSQUERY))


def _decimal(value: float):
    return literal(Decimal(repr(value)), Numeric)


def joined(*columns):
    return select(*columns).select_from(Occurrence).join(Event, Event.id == Occurrence.event_id)


def totals(session: Session, plan: Plan, *, facets: bool,
           communes: tuple[str, ...] = ()) -> tuple[int, int, dict]:
    """(occurrences, distinct events, facets: occurrences by department, theme and chosen
    commune, most first).  One grouped query: an event belongs to one group, so the distinct
    events of the groups add up."""
    if not facets:
        total, events = session.execute(
            joined(func.count(), func.count(distinct(Occurrence.event_id)))
            .where(plan.where)).one()
        return total or 0, events or 0, {}
    chosen = chosen_commune(communes)
    groups = (_per_event_groups(plan, chosen) if _split(plan) is not None else
              joined(Event.department, cast(Event.themes, Text), chosen, func.count(),
                     func.count(distinct(Occurrence.event_id)))
              .where(plan.where).group_by(Event.department, cast(Event.themes, Text), chosen))
    total, events, found = fold_groups(session.execute(groups), communes)
    return total, events, found


def _split(plan: Plan) -> tuple[list, list] | None:
    """(conditions on the occurrences alone, the others), None when one condition reads both
    tables (a campaign's dates) or the plan has no list of conditions."""
    on_occurrences, others = [], []
    for condition in plan.conditions:
        tables = find_tables(condition, check_columns=True)
        reads_occurrences = Occurrence.__table__ in tables
        if reads_occurrences and Event.__table__ in tables:
            return None
        (on_occurrences if reads_occurrences else others).append(condition)
    return (on_occurrences, others) if on_occurrences else None


def _per_event_groups(plan: Plan, chosen):
    """The facets' groups from the window's occurrences counted per event first, then joined
    to the events' facts (``ix_events_listed_facts``, index only): one row per event instead
    of one per date (home page at 100,000 events: 155 -> 78 ms, no parallel workers)."""
    on_occurrences, others = _split(plan)
    per_event = (select(Occurrence.event_id.label("event_id"), func.count().label("dates"))
                 .where(*on_occurrences).group_by(Occurrence.event_id).subquery("per_event"))
    return (select(Event.department, cast(Event.themes, Text), chosen,
                   cast(func.sum(per_event.c.dates), BigInteger), func.count())
            .select_from(per_event).join(Event, Event.id == per_event.c.event_id)
            .where(*others).group_by(Event.department, cast(Event.themes, Text), chosen))


def chosen_commune(communes: tuple[str, ...]):
    """The event's commune when it is one of those chosen (counted in the facets), else NULL."""
    return (case((Event.commune_code.in_(communes), Event.commune_code)) if communes
            else literal(None, Text))


def fold_groups(rows, communes: tuple[str, ...]) -> tuple[int, int, dict]:
    """(department, themes text, chosen commune, dates, distinct events) groups -> (dates,
    events, facets)."""
    departments, themes, by_commune = Counter(), Counter(), Counter()
    total = events = 0
    for department, themes_text, commune, dates, distinct_events in rows:
        total += dates
        events += distinct_events
        if department:
            departments[department] += dates
        for slug in _slugs(themes_text):
            themes[slug] += dates
        if commune:
            by_commune[commune] += dates
    found = {"departments": most_first(departments), "themes": most_first(themes)}
    if communes:
        found["communes"] = most_first(by_commune)
    return total, events, found


def event_totals(session: Session, plan: Plan) -> tuple[int, dict[str, dict[str, int]]]:
    """Distinct events, and by department and theme (``SearchIndex.event_counts``)."""
    if _split(plan) is not None:
        groups = _per_event_groups(plan, literal(None, Text))
    else:
        groups = (joined(Event.department, cast(Event.themes, Text), literal(None, Text),
                         func.count(), func.count(distinct(Occurrence.event_id)))
                  .where(plan.where).group_by(Event.department, cast(Event.themes, Text)))
    departments, themes, total = Counter(), Counter(), 0
    for department, themes_text, _commune, _dates, events in session.execute(groups):
        total += events
        if department:
            departments[department] += events
        for slug in _slugs(themes_text):
            themes[slug] += events
    return total, {"departments": dict(departments), "themes": dict(themes)}


def page(session: Session, plan: Plan, offset: int, limit: int, *,
         walk: bool = False) -> list[tuple[str, int]]:
    """(event id, start in UTC seconds) of the occurrences ``offset`` to ``offset + limit``.

    In date order (by relevance: ``agenda.search.pg.relevance``).  ``walk``: read the
    window's occurrences in date order and test each one's event, stopping at the page,
    whatever the planner estimates: for filters it cannot estimate that hold many events (a
    theme is a LIKE on a JSON text: it expected 12 events of 300,000 and read all 65,000
    holding the theme first, 380 ms; walking took 2 ms)."""
    if limit <= 0:
        return []
    order = [Occurrence.start_at, Occurrence.event_id.collate("C")]
    if walk:
        passes = (select(literal(True)).select_from(Event)
                  .where(Event.id == Occurrence.event_id, plan.where)
                  .correlate(Occurrence).scalar_subquery())  # a subplan: never a join
        query = (select(Occurrence.event_id, Occurrence.start_at)
                 .where(*window_conditions(plan.window), passes.is_(True)))
    else:
        query = joined(Occurrence.event_id, Occurrence.start_at).where(plan.where)
    query = query.order_by(*order).offset(max(offset, 0)).limit(limit)
    return [(event_id, seconds(start)) for event_id, start in session.execute(query)]


def window_conditions(window: tuple[datetime, datetime]) -> list:
    """The occurrences overlapping ``window`` (as ``occurrence_conditions`` has them)."""
    start, end = window
    return [Occurrence.start_at < end, or_(Occurrence.end_at > start,
                                           Occurrence.start_at >= start)]


def window_count(session: Session, window: tuple[datetime, datetime]) -> int:
    """Every occurrence overlapping ``window`` (listed or not: what a walk reads)."""
    return session.scalar(select(func.count()).select_from(Occurrence)
                          .where(*window_conditions(window))) or 0


def event_ids(session: Session, plan: Plan, limit: int | None) -> list[str]:
    """Distinct events in the listing's order (by their first occurrence there)."""
    if limit is not None and limit <= 0:
        return []
    if limit is not None and plan.score is None:
        found = _soonest_event_ids(session, plan, limit)
        if found is not None:
            return found
    first = func.min(Occurrence.start_at)
    order = [first, Occurrence.event_id.collate("C")]
    query = (joined(Occurrence.event_id).where(plan.where).group_by(Occurrence.event_id)
             .order_by(*([plan.score(Event.search_vector).desc()] if plan.score is not None
                         else []), *order))
    if plan.score is not None:  # the event's own columns: grouped by its primary key
        query = query.group_by(Event.id)
    return list(session.scalars(query if limit is None else query.limit(limit)))


def _soonest_event_ids(session: Session, plan: Plan, limit: int) -> list[str] | None:
    """In date order, the first ``limit`` events read off the first occurrences in (start,
    event id) order, stopped early, instead of grouping every occurrence of the window (the
    order in which events first appear there is their order); None when those rows hold too
    few events (long series first): then the grouping query answers."""
    wanted = ROWS_PER_EVENT * limit
    ids = session.scalars(joined(Occurrence.event_id).where(plan.where)
                          .order_by(Occurrence.start_at, Occurrence.event_id.collate("C"))
                          .limit(wanted)).all()
    distinct_ids = list(dict.fromkeys(ids))
    return (distinct_ids[:limit] if len(distinct_ids) >= limit or len(ids) < wanted
            else None)


def _slugs(themes_text: str | None) -> set[str]:
    try:
        values = json.loads(themes_text) if themes_text else []
    except ValueError:
        return set()
    return {value for value in values if isinstance(value, str) and value} if isinstance(
        values, list) else set()


def most_first(counts: Counter) -> list[tuple[str, int]]:
    return sorted(((key, n) for key, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0]))


def seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def combined(conditions: list):
    return and_(*conditions)
