"""The occurrences matching compares: those of the listed events on the days of the events a
collection just wrote (an incremental collection looks at its own days only)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select, text
from sqlalchemy.orm import Session

from agenda.matching import Candidate
from agenda.models import Event, Occurrence
from agenda.store.conditions import listed

CHUNK = 500
MANY = 5000  # changed events beyond which every listed occurrence is read at once
_COLUMNS = (Occurrence.id, Occurrence.event_id, Occurrence.start_at, Occurrence.end_at,
            Occurrence.all_day, Event.source_id, Event.source_uid, Event.title,
            Event.commune_code, Event.department, Event.online_url, Event.location_name,
            Event.address, Event.city, Event.lat, Event.lon, Event.organizer, Event.url)


def candidates_around(session: Session, event_ids: list[str], *, tz: ZoneInfo) -> list[Candidate]:
    """Every occurrence of a listed event starting on a local day when one of ``event_ids``
    has an occurrence.  Many changed events (a fresh collection) are looked up among the
    rows read anyway, not asked for again."""
    many = len(event_ids) > MANY
    if many:
        _refresh_statistics(session)
    days = None if many else _days_of(session, event_ids, tz=tz)
    if days is not None and not days:
        return []
    query = select(*_COLUMNS).join(Event, Event.id == Occurrence.event_id).where(listed())
    if days is not None:
        query = query.where(or_(*(and_(Occurrence.start_at >= _utc_midnight(first, tz),
                                       Occurrence.start_at < _utc_midnight(last, tz))
                                  for first, last in _spans(days))))
    rows = [(row, _local_day(row.start_at, tz)) for row in session.connection().execute(query)]
    if days is None:
        wanted = set(event_ids)
        days = {day for row, day in rows if row.event_id in wanted}
    return [_candidate(row) for row, day in rows if day in days]


def _refresh_statistics(session: Session) -> None:
    """PostgreSQL plans from its statistics, which know nothing yet of the thousands of events
    this transaction just wrote (a fresh collection): without them it joins the occurrences to
    the events one by one (minutes at 100,000 events instead of a second).  ANALYZE inside the
    transaction counts its own rows."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE events, occurrences"))


def _spans(days: set[date], most: int = 50) -> list[tuple[date, date]]:
    """The days as runs of consecutive days [first, last + 1), at most ``most`` of them (the
    closest runs joined): one index range each."""
    spans: list[list[date]] = []
    for day in sorted(days):
        if spans and day == spans[-1][1]:
            spans[-1][1] = day + timedelta(days=1)
        else:
            spans.append([day, day + timedelta(days=1)])
    while len(spans) > most:
        gaps = [spans[i + 1][0] - spans[i][1] for i in range(len(spans) - 1)]
        i = gaps.index(min(gaps))
        spans[i:i + 2] = [[spans[i][0], spans[i + 1][1]]]
    return [(first, last) for first, last in spans]


def _days_of(session: Session, event_ids: list[str], *, tz: ZoneInfo) -> set[date]:
    days: set[date] = set()
    for start in range(0, len(event_ids), CHUNK):
        chunk = event_ids[start:start + CHUNK]
        days.update(_local_day(at, tz) for at in session.scalars(
            select(Occurrence.start_at).where(Occurrence.event_id.in_(chunk))))
    return days


def _candidate(row) -> Candidate:
    (key, event_id, start, end, all_day, source_id, source_uid, title, commune, department,
     online_url, place, address, city, lat, lon, organizer, url) = row
    return Candidate(key, event_id, source_id, source_uid, title, _aware(start), _aware(end),
                     all_day, commune, department,
                     bool(online_url) and not (place or address or city), place, address, city,
                     lat, lon, organizer, url)


def _aware(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _local_day(at: datetime, tz: ZoneInfo) -> date:
    return _aware(at).astimezone(tz).date()


def _utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(timezone.utc)


def candidates_of(session: Session, event_ids: list[str]) -> dict[str, list[Candidate]]:
    """Every occurrence of these events (listed or merged copies), by event id."""
    found: dict[str, list[Candidate]] = {}
    for start in range(0, len(event_ids), CHUNK):
        query = (select(*_COLUMNS).join(Event, Event.id == Occurrence.event_id)
                 .where(Occurrence.event_id.in_(event_ids[start:start + CHUNK])))
        for row in session.connection().execute(query):
            found.setdefault(row.event_id, []).append(_candidate(row))
    return found
