"""Which merged events a source takes part in (its priority decides their values)."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from agenda.models import Event


def merged_heads_of_source(session: Session, source_id: int) -> set[str]:
    """The heads of the merged events that hold one of the source's events (as the head or
    as a copy)."""
    copy = aliased(Event)
    has_copies = select(copy.id).where(copy.duplicate_of == Event.id).exists()
    return set(session.scalars(select(func.coalesce(Event.duplicate_of, Event.id))
                               .where(Event.source_id == source_id,
                                      or_(Event.duplicate_of.is_not(None), has_copies))
                               .distinct()))
