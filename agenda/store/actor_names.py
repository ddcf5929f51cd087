"""The names of shown actors by id (the actor filter named in listings, feeds and calendars)."""

from __future__ import annotations

from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.models import Actor
from agenda.store.links import SHOWN_ACTOR_STATUSES


def shown_actor_names(session: Session, actor_ids: Iterable[int]) -> dict[int, str]:
    """{id: name} of those actors that are shown (not removed, not waiting for moderation),
    by name; unknown or hidden ids are left out."""
    ids = {i for i in actor_ids if 0 < i < 2**31}
    if not ids:
        return {}
    rows = session.execute(select(Actor.id, Actor.name).where(
        Actor.id.in_(ids), Actor.removed_at.is_(None), Actor.status.in_(SHOWN_ACTOR_STATUSES))
        .order_by(Actor.name))
    return dict(rows.all())
