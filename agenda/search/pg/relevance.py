"""A listing by relevance in one statement: the matching occurrences are found once
(materialised), then grouped for the totals and facets and scored for the page.

Scoring needs every matching occurrence (the best may be the last by date), as the totals do:
two statements found them twice, and the planner, left to itself, scored every event holding
the words, in the window or not ('atelier' at 300,000 events: 37,500 events scored for the
5,900 listed; 570 ms -> 240 ms for the page alone).
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    DateTime,
    String,
    Text,
    cast,
    distinct,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence
from agenda.search.pg.answers import Plan, chosen_commune, fold_groups, joined, seconds


def ranked(session: Session, plan: Plan, *, facets: bool, communes: tuple[str, ...],
           offset: int, limit: int) -> tuple[int, int, dict, list[tuple[str, int]]]:
    """(occurrences, distinct events, facets, page) of a listing by relevance, or in date
    order when the plan has no score (a listing with words: the matching occurrences are read
    once for the totals and the page, instead of a second statement walking the window)."""
    matched = (joined(Occurrence.event_id.label("event_id"),
                      Occurrence.start_at.label("start_at"),
                      Event.department.label("department"),
                      cast(Event.themes, Text).label("themes"),
                      chosen_commune(communes).label("commune"),
                      *([Event.search_vector.label("vector")] if plan.score is not None else []))
               .where(plan.where).cte("matched").prefix_with("MATERIALIZED"))
    m = matched.c
    groups = (select(literal("g").label("kind"), m.department, m.themes, m.commune,
                     func.count().label("dates"), func.count(distinct(m.event_id)).label("events"),
                     cast(null(), String).label("event_id"),
                     cast(null(), DateTime(timezone=True)).label("start_at"))
              .group_by(m.department, m.themes, m.commune))
    best = [plan.score(m.vector).desc()] if plan.score is not None else []
    page = (select(m.event_id, m.start_at)
            .order_by(*best, m.start_at, m.event_id.collate("C"))
            .offset(max(offset, 0)).limit(max(limit, 0)).subquery("page"))
    rows = (select(literal("p"), cast(null(), String), cast(null(), Text), cast(null(), String),
                   cast(null(), BigInteger), cast(null(), BigInteger),
                   page.c.event_id, page.c.start_at))
    found = session.execute(union_all(groups, rows)).all()
    total, events, counted = fold_groups([row[1:6] for row in found if row[0] == "g"], communes)
    ranked_rows = [(row[6], seconds(row[7])) for row in found if row[0] == "p"]
    return total, events, counted if facets else {}, ranked_rows
