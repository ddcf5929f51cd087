"""Links made and undone by hand: an event's organisers and initiatives (staff), an
initiative's actors (staff and publication).  Each returns whether something changed and bumps
the data version when it did; the caller commits.

A link is made on the listed event (a copy merged into another event leads to it), and undone
on the event and its copies alike, so that what the event page shows is what was asked.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agenda.models import Event, EventActor, EventInitiative, InitiativeActor
from agenda.store.changes import bump_data_version


def listed_event_id(session: Session, event_id: str) -> str | None:
    """The listed event of ``event_id`` (itself, or the event a copy is merged into)."""
    return session.scalar(select(func.coalesce(Event.duplicate_of, Event.id))
                          .where(Event.id == event_id))


def _event_and_copies(event_id: str):
    return select(Event.id).where((Event.id == event_id) | (Event.duplicate_of == event_id))


def link_event_actor(session: Session, event_id: str, actor_id: int) -> bool:
    """Staff link: kept whatever later collections say (an existing link becomes staff's)."""
    how = session.scalar(select(EventActor.how).where(EventActor.event_id == event_id,
                                                      EventActor.actor_id == actor_id))
    if how == "staff":
        return False
    session.execute(_insert(session, EventActor).values(
        event_id=event_id, actor_id=actor_id, how="staff").on_conflict_do_update(
        index_elements=["event_id", "actor_id"], set_={"how": "staff"}))
    return _changed(session)


def unlink_event_actor(session: Session, event_id: str, actor_id: int) -> bool:
    result = session.execute(delete(EventActor).where(
        EventActor.actor_id == actor_id, EventActor.event_id.in_(_event_and_copies(event_id)))
        .execution_options(synchronize_session=False))
    return bool(result.rowcount) and _changed(session)


def link_event_initiative(session: Session, event_id: str, initiative_id: str) -> bool:
    added = session.execute(_insert(session, EventInitiative).values(
        event_id=event_id, initiative_id=initiative_id).on_conflict_do_nothing()
        .returning(EventInitiative.event_id)).first()
    return added is not None and _changed(session)


def unlink_event_initiative(session: Session, event_id: str, initiative_id: str) -> bool:
    result = session.execute(delete(EventInitiative).where(
        EventInitiative.initiative_id == initiative_id,
        EventInitiative.event_id.in_(_event_and_copies(event_id)))
        .execution_options(synchronize_session=False))
    return bool(result.rowcount) and _changed(session)


def add_initiative_actor(session: Session, initiative_id: str, actor_id: int) -> bool:
    added = session.execute(_insert(session, InitiativeActor).values(
        initiative_id=initiative_id, actor_id=actor_id).on_conflict_do_nothing()
        .returning(InitiativeActor.actor_id)).first()
    return added is not None and _changed(session)


def remove_initiative_actor(session: Session, initiative_id: str, actor_id: int) -> bool:
    result = session.execute(delete(InitiativeActor).where(
        InitiativeActor.initiative_id == initiative_id, InitiativeActor.actor_id == actor_id)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount) and _changed(session)


def _insert(session: Session, model):
    """The dialect's ``insert`` (ON CONFLICT: a link made meanwhile by another transaction is
    not an error; RETURNING says whether a row was added, as PostgreSQL's driver gives no
    rowcount here)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model.__table__)


def _changed(session: Session) -> bool:
    session.flush()
    bump_data_version(session)
    return True
