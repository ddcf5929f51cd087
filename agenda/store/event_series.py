"""What an event page reads besides the event: the other members of its series, and the
proposal it was published from (its public contact, its organiser)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from agenda.models import Event, Submission


def series_members(session: Session, event: Event) -> list[Event]:
    """The live events of ``event``'s series (same source and source UID: the master and its
    overrides), ``event`` included, with their occurrences."""
    if not (event.rrule or event.rdate or event.recurrence_id):
        return [event]
    members = session.scalars(
        select(Event).where(Event.source_id == event.source_id,
                            Event.source_uid == event.source_uid, Event.removed_at.is_(None))
        .options(selectinload(Event.occurrences)))
    found = {member.id: member for member in members}
    found[event.id] = event
    return sorted(found.values(), key=lambda member: (member.recurrence_id, member.id))


def proposal_of(session: Session, event_id: str) -> Submission | None:
    """The proposal an event was published from (None for a collected event): its approved
    version (``published_data``) holds the public contact, its actor the organiser."""
    return session.scalar(select(Submission).where(Submission.event_id == event_id)
                          .order_by(Submission.id.desc()).limit(1))
