"""Actors: find or create by name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Actor


def get_or_create_actor(session: Session, name: str, *, kind: str | None = None,
                        website: str | None = None) -> Actor:
    name = " ".join(name.split())
    actor = session.scalar(select(Actor).where(Actor.name == name))
    if actor is None:
        actor = Actor(name=name, kind=kind, website=website)
        session.add(actor)
        session.flush()
    return actor
