"""A source's priority changed: the merged events it takes part in take their values again from
the copies in the new order (the source with the highest priority gives its title, description
and place).  Flushes, never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from agenda.services.merging import refresh_clusters
from agenda.store.changes import bump_data_version
from agenda.store.source_clusters import merged_heads_of_source


def apply_priority(session: Session, source_id: int, *, now: datetime) -> set[str]:
    """Rewrite the merged values of the clusters that hold one of the source's events;
    returns the events to re-index after the commit."""
    touched = refresh_clusters(session, merged_heads_of_source(session, source_id), now=now)
    if touched:
        bump_data_version(session)
    return touched
