"""Plain-dict views of our objects, shared by the JSON API and the CLI (no Flask)."""

from __future__ import annotations

from datetime import datetime
from typing import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agenda.models import Event, Occurrence, Source


def display_zone(event: Event, default: ZoneInfo) -> ZoneInfo:
    """The event's own zone when it is a known one, else the region's."""
    if event.timezone:
        try:
            return ZoneInfo(event.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default


def occurrence_dict(occurrence: Occurrence, *, default_tz: ZoneInfo,
                    links: dict[str, str] | None = None, also: Iterable = ()) -> dict:
    """One occurrence as the API gives it; ``links`` (page_url, ics_url) are added as is;
    ``also`` (``agenda.store.event_copies.CopyView``): the other sources that announce it."""
    event = occurrence.event
    zone = display_zone(event, default_tz)
    if occurrence.all_day:
        start, end = occurrence.start_date.isoformat(), occurrence.end_date.isoformat()
    else:
        start = occurrence.start_at.astimezone(zone).isoformat()
        end = occurrence.end_at.astimezone(zone).isoformat()
    return {
        "id": occurrence.id, "event_id": event.id, "title": event.title,
        "start": start, "end": end, "all_day": occurrence.all_day, "timezone": zone.key,
        "status": event.status, "description": event.description_html,
        "location": {"name": event.location_name, "address": event.address,
                     "postcode": event.postcode, "city": event.city,
                     "commune_code": event.commune_code, "commune_name": event.commune_name,
                     "department": event.department, "lat": event.lat, "lon": event.lon},
        "online_url": event.online_url, "organizer": event.organizer,
        "url": event.url, "image_url": event.image_url, "categories": event.categories,
        "themes": event.themes,
        "sources": [{"id": event.source.id, "name": event.source.name, "url": event.source.url},
                    *({"id": c.source_id, "name": c.source_name, "url": c.source_url}
                      for c in also)],
        **(links or {}),
    }


def source_dict(source: Source, event_count: int) -> dict:
    return {
        "id": source.id, "name": source.name, "url": source.url, "kind": source.kind,
        "detected_format": source.detected_format,
        "actor": source.actor.name if source.actor else None,
        "interval_minutes": source.interval_minutes, "status": source.status,
        "last_success_at": _iso(source.last_success_at),
        "last_attempt_at": _iso(source.last_attempt_at), "last_error": source.last_error,
        "last_error_code": source.last_error_code,
        "consecutive_failures": source.consecutive_failures,
        "next_run_at": _iso(source.next_run_at), "event_count": event_count,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
