"""Fill in the commune of stored events, initiatives and actors that lack it (the backfill).

Chunked and idempotent: a chunk reads rows without a commune after a given id and writes the
ones the gazetteer can place; nothing else changes.  A department is set or corrected only
when the commune (or a postcode of one department) tells it; none is ever cleared here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agenda.models import Actor, Event, Initiative
from agenda.records.placing import place_values, territory_commune
from agenda.store.changes import bump_data_version

CHUNK = 2000


@dataclass
class Chunk:
    last_id: str | None  # where the next chunk starts; None: no row was left
    seen: int = 0
    placed: int = 0  # rows that got a commune


def place_events(session: Session, *, after: str = "", limit: int = CHUNK) -> Chunk:
    """Place the next ``limit`` events without a commune, by id after ``after``."""
    rows = session.execute(
        select(Event.id, Event.postcode, Event.city, Event.lat, Event.lon, Event.department)
        .where(Event.commune_code.is_(None), Event.id > after)
        .order_by(Event.id).limit(limit)).all()
    changes = []
    for row in rows:
        values = place_values(postcode=row.postcode, city=row.city, lat=row.lat, lon=row.lon,
                              department=row.department)
        department = values["department"] or row.department
        if values["commune_code"] or department != row.department:
            changes.append({"id": row.id, "commune_code": values["commune_code"],
                            "commune_name": values["commune_name"], "department": department})
    if changes:
        session.execute(update(Event), changes)
        bump_data_version(session)
    return Chunk(rows[-1].id if rows else None, len(rows),
                 sum(1 for change in changes if change["commune_code"]))


def place_initiatives(session: Session) -> int:
    """Give the initiatives without a commune the one their territory names; how many."""
    placed = 0
    for initiative in session.scalars(select(Initiative).where(
            Initiative.commune_code.is_(None), Initiative.territory.is_not(None))):
        code, name = territory_commune(initiative.territory, initiative.department)
        if code is not None:
            initiative.commune_code, initiative.commune_name = code, name
            placed += 1
    session.flush()
    return placed


def place_actors(session: Session) -> int:
    """Give the actors without a commune the one their postcode names; how many."""
    placed = 0
    for actor in session.scalars(select(Actor).where(
            Actor.commune_code.is_(None), Actor.postcode.is_not(None))):
        values = place_values(postcode=actor.postcode, department=actor.department)
        if values["commune_code"] is not None:
            actor.commune_code, actor.commune_name = values["commune_code"], values["commune_name"]
            placed += 1
        actor.department = values["department"] or actor.department
    session.flush()
    return placed
