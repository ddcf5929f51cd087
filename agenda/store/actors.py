"""Actors: find or create by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.models import Actor
from agenda.text_clean import clean_line, clean_url


def get_or_create_actor(session: Session, name: str, *, kind: str | None = None,
                        website: str | None = None) -> Actor:
    """The actor of this name, created if new; name and website cleaned (``agenda.text_clean``)
    as every text that comes from a source or a form."""
    name, website = clean_line(name), clean_url(website) or None
    actor = session.scalar(select(Actor).where(Actor.name == name))
    if actor is None:
        actor = Actor(name=name, kind=kind, website=website)
        session.add(actor)
        session.flush()
    return actor


def list_actors(session: Session) -> list[Actor]:
    """Every actor, by name (the organiser choices of the form)."""
    return list(session.scalars(select(Actor).order_by(Actor.name, Actor.id)))


def get_actor(session: Session, actor_id: int) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise NotFound(f"There is no actor {actor_id}.", actor_id=actor_id)
    return actor


def find_actor(session: Session, *, siren: str | None = None, rna: str | None = None,
               origin_key: str | None = None, name: str | None = None) -> Actor | None:
    """The actor these identify, strongest first: the SIREN, the RNA number, the origin's key,
    then the exact name (after cleaning).  Numbers must already be checked
    (``agenda.records.identifiers``).  Removed actors are found too (a re-import may bring
    one back): callers decide."""
    for column, value in ((Actor.siren, siren), (Actor.rna, rna),
                          (Actor.origin_key, origin_key)):
        if value:
            actor = session.scalar(select(Actor).where(column == value))
            if actor is not None:
                return actor
    if name and (cleaned := clean_line(name)):
        return session.scalar(select(Actor).where(Actor.name == cleaned))
    return None
