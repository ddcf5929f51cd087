"""A campaign's events as JSON in the shape of OpenAgenda's API v2 events (pure), so that the
national platform or a partner agenda can take them without re-keying.

The document is ``{"total": n, "events": [...]}``, like OpenAgenda's event lists; each event:

* ``uid`` (our stable event id, a string) and ``slug``; ``title``, ``description`` (a summary
  of at most 200 characters), ``longDescription`` as ``{"fr": ...}`` (the region's actors write
  in French); ``keywords`` ``{"fr": [...]}`` (its themes, then its own categories);
* ``timings``: ``[{"begin", "end"}]``, one per date listed on the campaign's page, in ISO 8601
  with the offset of the event's zone (an all-day date runs from 00:00 to 23:59);
* ``location``: ``name``, ``address``, ``postalCode``, ``city``, ``department`` (its code),
  ``countryCode``, ``latitude``/``longitude`` when known (``insee`` would be added once known:
  the sources give none today); ``timezone``;
* ``status``: OpenAgenda's codes, 1 scheduled, 6 cancelled (2 rescheduled, 3 moved online,
  4 postponed and 5 full have no counterpart in our data); ``attendanceMode``: 1 in person,
  2 online, 3 mixed; ``onlineAccessLink``;
* ``links``: ``[{"link": ...}]`` (its own page, then ours); ``image`` ``{"url": ...}`` when it
  has one; ``createdAt``, ``updatedAt`` (UTC).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from typing import Callable, Iterable
from zoneinfo import ZoneInfo

from agenda.models import Event, Occurrence
from agenda.region import Region
from agenda.serialize import display_zone

SCHEDULED, CANCELLED = 1, 6
IN_PERSON, ONLINE, MIXED = 1, 2, 3
SUMMARY_MAX = 200


def openagenda_document(items: Iterable[tuple[Event, list[Occurrence]]], *, region: Region,
                        tz: ZoneInfo, page_url: Callable[[str], str]) -> dict:
    """The document of ``items`` (each event with its dates to list, in order)."""
    events = [openagenda_event(event, occurrences, region=region, tz=tz, page_url=page_url)
              for event, occurrences in items]
    return {"total": len(events), "events": events}


def openagenda_event(event: Event, occurrences: list[Occurrence], *, region: Region,
                     tz: ZoneInfo, page_url: Callable[[str], str]) -> dict:
    zone = display_zone(event, tz)
    document = {
        "uid": event.id, "slug": event.id,
        "title": {"fr": event.title},
        "description": {"fr": summary(event.description_text or "")},
        "longDescription": {"fr": event.description_text or ""},
        "keywords": {"fr": keywords(event, region)},
        "timings": [timing(o, zone) for o in occurrences],
        "timezone": zone.key,
        "location": location(event),
        "status": CANCELLED if event.status == "cancelled" else SCHEDULED,
        "attendanceMode": attendance_mode(event),
        "onlineAccessLink": event.online_url or None,
        "links": [{"link": url} for url in (event.url, page_url(event.id)) if url],
        "createdAt": _utc(event.created_at), "updatedAt": _utc(event.updated_at),
    }
    if event.image_url:
        document["image"] = {"url": event.image_url}
    return document


def timing(occurrence: Occurrence, zone: ZoneInfo) -> dict[str, str]:
    if occurrence.all_day and occurrence.start_date:
        last = max((occurrence.end_date or occurrence.start_date) - timedelta(days=1),
                   occurrence.start_date)
        begin = datetime.combine(occurrence.start_date, time(0), zone)
        end = datetime.combine(last, time(23, 59), zone)
    else:
        begin, end = occurrence.start_at.astimezone(zone), occurrence.end_at.astimezone(zone)
    return {"begin": begin.isoformat(timespec="seconds"),
            "end": end.isoformat(timespec="seconds")}


def location(event: Event) -> dict | None:
    if not (event.location_name or event.address or event.city or event.postcode):
        return None
    place = {"name": event.location_name or event.city or "", "address": event.address or "",
             "postalCode": event.postcode or "", "city": event.city or "",
             "department": event.department or "", "countryCode": "FR"}
    if event.lat is not None and event.lon is not None:
        place.update(latitude=event.lat, longitude=event.lon)
    return place


def attendance_mode(event: Event) -> int:
    placed = bool(event.location_name or event.address or event.city)
    if event.online_url:
        return MIXED if placed else ONLINE
    return IN_PERSON


def keywords(event: Event, region: Region) -> list[str]:
    themes = [region.theme(slug) for slug in event.themes or []]
    words = [theme.label_fr for theme in themes if theme] + list(event.categories or [])
    return list(dict.fromkeys(word for word in words if word))


def summary(text: str) -> str:
    """The text's first 200 characters, cut at a word and ended with "…" when longer."""
    text = " ".join(text.split())
    if len(text) <= SUMMARY_MAX:
        return text
    return text[:SUMMARY_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds") if moment else None
