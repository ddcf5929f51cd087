"""The occurrences matching compares: those of the listed events on the days of the events a
collection just wrote (an incremental collection looks at its own days only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agenda.matching import Candidate
from agenda.models import Event, Occurrence
from agenda.store.conditions import listed

CHUNK = 500
_COLUMNS = (Occurrence.id, Occurrence.event_id, Occurrence.start_at, Occurrence.end_at,
            Occurrence.all_day, Event.source_id, Event.source_uid, Event.title,
            Event.commune_code, Event.department, Event.online_url, Event.location_name,
            Event.address, Event.city, Event.lat, Event.lon, Event.organizer, Event.url)


def candidates_around(session: Session, event_ids: list[str], *, tz: ZoneInfo) -> list[Candidate]:
    """Every occurrence of a listed event starting on a local day when one of ``event_ids``
    has an occurrence."""
    days = _days_of(session, event_ids, tz=tz)
    if not days:
        return []
    begin, end = _utc_midnight(min(days), tz), _utc_midnight(max(days) + timedelta(days=1), tz)
    query = (select(*_COLUMNS).join(Event, Event.id == Occurrence.event_id)
             .where(listed(), Occurrence.start_at >= begin, Occurrence.start_at < end))
    return [_candidate(row) for row in session.execute(query)
            if _local_day(row.start_at, tz) in days]


def _days_of(session: Session, event_ids: list[str], *, tz: ZoneInfo) -> set[date]:
    days: set[date] = set()
    for start in range(0, len(event_ids), CHUNK):
        chunk = event_ids[start:start + CHUNK]
        days.update(_local_day(at, tz) for at in session.scalars(
            select(Occurrence.start_at).where(Occurrence.event_id.in_(chunk))))
    return days


def _candidate(row) -> Candidate:
    online = bool(row.online_url) and not (row.location_name or row.address or row.city)
    return Candidate(
        key=row.id, event_id=row.event_id, source_id=row.source_id, source_uid=row.source_uid,
        title=row.title, start=_aware(row.start_at), end=_aware(row.end_at), all_day=row.all_day,
        commune_code=row.commune_code, department=row.department, online=online,
        place_name=row.location_name, address=row.address, city=row.city, lat=row.lat,
        lon=row.lon, organizer=row.organizer, url=row.url)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return _aware(at).astimezone(tz).date()


def _utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)
