"""Reading the links between events, actors and initiatives (``agenda.models.links``).

An event merged into another (``Event.duplicate_of``) lends its links to the listed event: an
actor whose source announced a copy organises the listed event.  Only listed events
(``agenda.store.conditions.listed``), published initiatives and actors not removed or waiting
for moderation are returned.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from agenda.models import (
    Actor,
    ActorLink,
    Event,
    EventActor,
    EventInitiative,
    Initiative,
    InitiativeActor,
    Occurrence,
)
from agenda.store.conditions import listed

SHOWN_ACTOR_STATUSES = ("confirmed", "to_check")


@dataclass(frozen=True)
class DatedEvent:
    event: Event
    start_at: datetime  # its next occurrence (upcoming) or its last one (past), UTC
    end_at: datetime


def _listed_ids(linked_event_ids):
    """The listed events of a set of linked event ids (copies lead to their listed event)."""
    copy = aliased(Event)
    return select(func.coalesce(copy.duplicate_of, copy.id)).where(copy.id.in_(linked_event_ids))


def dated_events(session: Session, linked_event_ids, *, now: datetime, upcoming: bool,
                 limit: int = 20) -> list[DatedEvent]:
    """The listed events among (or merging) ``linked_event_ids`` (a select of event ids), with
    their next occurrence (``upcoming``: ending after ``now``, soonest first) or their last
    one (past: ended before ``now``, latest first)."""
    if upcoming:
        when = (select(Occurrence.event_id, func.min(Occurrence.start_at).label("start_at"),
                       func.min(Occurrence.end_at).label("end_at"))
                .where(Occurrence.end_at >= now))
    else:
        when = (select(Occurrence.event_id, func.max(Occurrence.start_at).label("start_at"),
                       func.max(Occurrence.end_at).label("end_at"))
                .where(Occurrence.end_at < now))
    when = (when.where(Occurrence.event_id.in_(_listed_ids(linked_event_ids)))
            .group_by(Occurrence.event_id).subquery())
    order = when.c.start_at.asc() if upcoming else when.c.start_at.desc()
    rows = session.execute(
        select(Event, when.c.start_at, when.c.end_at).join(when, when.c.event_id == Event.id)
        .where(listed()).order_by(order, Event.id).limit(limit)).all()
    return [DatedEvent(event, start, end) for event, start, end in rows]


def events_of_actor(session: Session, actor_id: int, *, now: datetime, upcoming: bool = True,
                    limit: int = 20) -> list[DatedEvent]:
    linked = select(EventActor.event_id).where(EventActor.actor_id == actor_id)
    return dated_events(session, linked, now=now, upcoming=upcoming, limit=limit)


def events_of_initiative(session: Session, initiative_id: str, *, now: datetime,
                         upcoming: bool = True, limit: int = 20) -> list[DatedEvent]:
    linked = select(EventInitiative.event_id).where(
        EventInitiative.initiative_id == initiative_id)
    return dated_events(session, linked, now=now, upcoming=upcoming, limit=limit)


def _copies_and_self(event_id: str):
    """The event and the copies merged into it."""
    return select(Event.id).where((Event.id == event_id) | (Event.duplicate_of == event_id))


def actors_of_event(session: Session, event_id: str) -> list[Actor]:
    """The actors organising a listed event (its copies' included), by name."""
    return list(session.scalars(
        select(Actor).where(Actor.id.in_(select(EventActor.actor_id).where(
            EventActor.event_id.in_(_copies_and_self(event_id)))),
            Actor.removed_at.is_(None), Actor.status.in_(SHOWN_ACTOR_STATUSES))
        .order_by(Actor.name)))


def initiatives_of_event(session: Session, event_id: str) -> list[Initiative]:
    return list(session.scalars(
        select(Initiative).where(Initiative.id.in_(select(EventInitiative.initiative_id).where(
            EventInitiative.event_id.in_(_copies_and_self(event_id)))),
            Initiative.removed_at.is_(None)).order_by(Initiative.title)))


def initiatives_of_actor(session: Session, actor_id: int) -> list[Initiative]:
    return list(session.scalars(
        select(Initiative).where(Initiative.id.in_(
            select(InitiativeActor.initiative_id).where(InitiativeActor.actor_id == actor_id)),
            Initiative.removed_at.is_(None)).order_by(Initiative.title)))


def actors_of_initiative(session: Session, initiative_id: str) -> list[Actor]:
    return list(session.scalars(
        select(Actor).where(Actor.id.in_(select(InitiativeActor.actor_id).where(
            InitiativeActor.initiative_id == initiative_id)),
            Actor.removed_at.is_(None), Actor.status.in_(SHOWN_ACTOR_STATUSES))
        .order_by(Actor.name)))


@dataclass(frozen=True)
class LinkedActor:
    actor: Actor
    relation: str  # "member" | "partner"
    direction: str  # "of": ``actor`` is the network the actor is a member of; "has": a member


def linked_actors(session: Session, actor_id: int) -> list[LinkedActor]:
    """The actor's networks, members and partners (both directions of ``ActorLink``)."""
    found: list[LinkedActor] = []
    rows = session.execute(select(ActorLink, Actor).join(Actor, Actor.id == ActorLink.other_id)
                           .where(ActorLink.actor_id == actor_id)).all()
    found += [LinkedActor(actor, link.relation, "of") for link, actor in rows]
    rows = session.execute(select(ActorLink, Actor).join(Actor, Actor.id == ActorLink.actor_id)
                           .where(ActorLink.other_id == actor_id)).all()
    found += [LinkedActor(actor, link.relation, "has") for link, actor in rows]
    return sorted((f for f in found if f.actor.removed_at is None
                   and f.actor.status in SHOWN_ACTOR_STATUSES),
                  key=lambda f: (f.relation, f.direction, f.actor.name))


def link_counts(session: Session, actor_ids: Iterable[int]) -> dict[int, int]:
    """How many events each actor is linked to (copies counted once with their event)."""
    ids = list(actor_ids)
    if not ids:
        return {}
    rows = session.execute(select(EventActor.actor_id, func.count()).where(
        EventActor.actor_id.in_(ids)).group_by(EventActor.actor_id)).all()
    return dict(rows)
