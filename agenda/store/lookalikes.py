"""The published events a proposal is compared with (see agenda.services.proposal_duplicates)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from agenda.models import Event, Occurrence
from agenda.store.conditions import listed

MOST = 500  # occurrences of one day looked at, at most (a region holds far fewer)


def events_starting_between(session: Session, begin: datetime, end: datetime, *,
                            besides: str | None = None) -> list[Row]:
    """The occurrences of published events starting in [begin, end), with what identifies
    them (event id, title, start, all-day, place), ``besides`` (an event id) left out."""
    query = (select(Occurrence.event_id, Event.title, Occurrence.start_at, Occurrence.all_day,
                    Event.location_name, Event.address, Event.city)
             .join(Event, Event.id == Occurrence.event_id)
             .where(Occurrence.start_at >= begin, Occurrence.start_at < end,
                    listed())
             .order_by(Occurrence.start_at, Occurrence.event_id).limit(MOST))
    if besides:
        query = query.where(Occurrence.event_id != besides)
    return list(session.execute(query))
