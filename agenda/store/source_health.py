"""Sources in trouble, for the staff: in error or broken, and since when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from agenda.models import CollectionRun, Source

TROUBLED = ("broken", "error")


@dataclass(frozen=True)
class SourceTrouble:
    source: Source
    since: datetime | None  # the first failed collection after the last good one


def sources_in_trouble(session: Session) -> list[SourceTrouble]:
    """Enabled sources in error or broken, the broken ones first, then by name.

    ``since`` is the start of the first failed run after the last success (or ever, for a
    source never collected); the last attempt when no run is left to say."""
    rows = session.execute(
        select(Source, _first_failure()).where(Source.status.in_(TROUBLED),
                                               Source.enabled.is_(True))
        .order_by(Source.status, Source.name, Source.id))
    return [SourceTrouble(source, first or source.last_attempt_at) for source, first in rows]


def failing_since(session: Session, source: Source) -> datetime | None:
    """When ``source`` started failing (None when it is not failing)."""
    if source.status not in TROUBLED:
        return None
    first = session.scalar(select(_first_failure()).where(Source.id == source.id))
    return first or source.last_attempt_at


def _first_failure():
    return (select(func.min(CollectionRun.started_at))
            .where(CollectionRun.source_id == Source.id, CollectionRun.outcome == "error",
                   or_(Source.last_success_at.is_(None),
                       CollectionRun.started_at > Source.last_success_at))
            .correlate(Source).scalar_subquery())
