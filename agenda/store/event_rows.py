"""Turn normalised records into the column values of events and occurrences (pure)."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from agenda.collectors.normalize import to_utc
from agenda.records import EventRecord, Occurrence


def new_event_id() -> str:
    """Our public, stable, unguessable event id."""
    return secrets.token_hex(10)


def event_values(record: EventRecord, *, tz: ZoneInfo) -> dict:
    """Columns of ``events`` that come from the source (identity and bookkeeping excluded)."""
    loc = record.location
    start_at = to_utc(record.start, tz)
    end = record.end if record.end is not None else _default_end(record.start)
    return {
        "title": record.title[:500],
        "description_html": record.description_html,
        "description_text": record.description_text,
        "start_at": start_at,
        "end_at": max(to_utc(end, tz), start_at),
        "all_day": record.all_day,
        "timezone": record.timezone,
        "rrule": record.rrule,
        "rdate": list(record.rdate),
        "exdate": list(record.exdate),
        "location_name": _cut(loc.name, 300),
        "address": _cut(loc.address, 500),
        "postcode": _cut(loc.postcode, 10),
        "city": _cut(loc.city, 200),
        "department": _cut(loc.department, 3),
        "commune_code": _cut(loc.commune_code, 5),
        "commune_name": _cut(loc.commune_name, 200),
        "lat": loc.lat,
        "lon": loc.lon,
        "online_url": _cut(record.online_url, 2000),
        "organizer": _cut(record.organizer, 300),
        "url": _cut(record.url, 2000),
        "image_url": _cut(record.image_url, 2000),
        "categories": list(record.categories),
        "themes": list(record.themes),
        "status": record.status,
    }


def occurrence_rows(event_id: str, occurrences: list[Occurrence], *, tz: ZoneInfo) -> list[dict]:
    """Rows of ``occurrences`` with ids stable across collections (event id + start)."""
    rows: dict[str, dict] = {}
    for occ in occurrences:
        start_at = to_utc(occ.start, tz)
        end_at = max(to_utc(occ.end, tz), start_at)
        if occ.all_day:
            occ_id = f"{event_id}-{_as_date(occ.start):%Y%m%d}"
            dates = {"start_date": _as_date(occ.start), "end_date": _as_date(occ.end)}
        else:
            occ_id = f"{event_id}-{start_at:%Y%m%dT%H%M%SZ}"
            dates = {"start_date": None, "end_date": None}
        rows[occ_id] = {"id": occ_id, "event_id": event_id, "start_at": start_at,
                        "end_at": end_at, "all_day": occ.all_day, **dates}
    return list(rows.values())


def _default_end(start: datetime | date) -> datetime | date:
    return start if isinstance(start, datetime) else start + timedelta(days=1)


def _as_date(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _cut(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None
