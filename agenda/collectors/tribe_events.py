"""The Events Calendar (WordPress) REST API: what one page of ``/wp-json/tribe/events/v1/events``
holds, and whether to read the next one.

Pure: the caller fetches each page and passes its body.  Each item becomes one EventRecord
whose ``source_uid`` is the WordPress post ``id`` (stable across edits).  Local dates are read
in the event's ``timezone``; when that is no zone name (WordPress allows "UTC+1"), the
``utc_*`` dates are used.  ``next_tribe_page`` stops a site that pages forever or in a loop.
"""

from __future__ import annotations

import html
import json
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from agenda.collectors.normalize import clean_text, department_from_postcode, valid_point
from agenda.collectors.notice import Notice, UnreadableItem
from agenda.collectors.sanitize import html_to_text, sanitize_html
from agenda.errors import ParseError
from agenda.records import EventRecord, Location, Occurrence, ParseResult
from agenda.text_clean import safe_excerpt

API_PATH = "/wp-json/tribe/events/v1/events"
MAX_PAGES = 50


def parse_tribe_page(data: bytes, *, default_tz: ZoneInfo,
                     ) -> tuple[ParseResult, str | None, int | None]:
    """(events and warnings, URL of the next page or None, the total of pages the site gives)."""
    body = _json_object(data)
    items = body.get("events")
    if not isinstance(items, list):
        raise ParseError("The events API answer holds no list of events.",
                         code="tribe.no_events")
    result = ParseResult(format="tribe")
    for item in items:
        _add_event(result, item, default_tz)
    total_pages = body.get("total_pages")
    return (result, _http_url(body.get("next_rest_url")) if items else None,
            total_pages if isinstance(total_pages, int) and total_pages >= 0 else None)


def next_tribe_page(next_url: str | None, pages_read: int, seen: set[str], *,
                    max_pages: int = MAX_PAGES) -> tuple[str | None, Notice | None]:
    """The next page to read, or None with a warning when the site pages forever or loops."""
    if not next_url:
        return None, None
    if next_url in seen:
        return None, Notice(f"The events API sent back to a page already read ({next_url}); "
                            f"reading stopped there.", code="tribe.page_limit", variant="loop",
                            url=next_url)
    if pages_read >= max_pages:
        return None, Notice(f"The events API still offered more pages after {pages_read} "
                            f"pages; only those were read.", code="tribe.page_limit",
                            count=pages_read)
    return next_url, None


def _json_object(data: bytes) -> dict:
    try:
        body = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise ParseError("The events API answer is not valid JSON.",
                         code="tribe.not_json") from error
    if not isinstance(body, dict):
        raise ParseError("The events API answer holds no list of events.",
                         code="tribe.no_events")
    if isinstance(body.get("code"), str) and "events" not in body:  # a WordPress error body
        error = safe_excerpt(body["code"], 80)
        raise ParseError(f"The WordPress site answered with an error: {error}.",
                         code="tribe.error", error=error)
    return body


def _add_event(result: ParseResult, item, default_tz: ZoneInfo) -> None:
    try:
        result.events.append(event_record(item, default_tz))
    except UnreadableItem as skipped:
        result.skipped += 1
        uid = safe_excerpt(item.get("id"), 40) if isinstance(item, dict) else "?"
        result.warnings.append(Notice(f"Skipped event {uid} of the events API: {skipped.reason}.",
                                      code="tribe.event_skipped", uid=uid,
                                      reason=skipped.reason))


def event_record(item, default_tz: ZoneInfo) -> EventRecord:
    """The EventRecord of one item (``UnreadableItem`` without id, title or start)."""
    if not isinstance(item, dict) or isinstance(item.get("id"), bool) or item.get("id") in (
            None, ""):
        raise UnreadableItem(Notice("it has no id", code="tribe.no_id"))
    title = clean_text(html.unescape(_str(item.get("title"))), 300)
    if not title:
        raise UnreadableItem(Notice("it has no title", code="tribe.no_title"))
    occurrence = _occurrence(item, default_tz)
    if occurrence is None:
        raise UnreadableItem(Notice("it has no readable start date", code="tribe.no_start"))
    description_html = sanitize_html(_str(item.get("description")))
    return EventRecord(
        source_uid=str(item["id"]), title=title,
        start=occurrence.start, end=occurrence.end, all_day=occurrence.all_day,
        timezone=getattr(getattr(occurrence.start, "tzinfo", None), "key", None),
        description_html=description_html, description_text=html_to_text(description_html),
        location=_location(item.get("venue")), online_url=_http_url(item.get("virtual_url")),
        organizer=_organizer(item.get("organizer")), url=_http_url(item.get("url")),
        image_url=_http_url((item.get("image") or {}).get("url"))
        if isinstance(item.get("image"), dict) else None,
        categories=_names(item.get("categories")), occurrences=[occurrence],
    )


def _occurrence(item: dict, default_tz: ZoneInfo) -> Occurrence | None:
    if item.get("all_day") is True:
        return _all_day(item)
    zone = _zone(item.get("timezone"))
    if zone is not None or not _naive(item.get("utc_start_date")):
        zone = zone or default_tz
        start, end = _naive(item.get("start_date")), _naive(item.get("end_date"))
        start, end = (moment and moment.replace(tzinfo=zone) for moment in (start, end))
    else:
        start, end = (moment and moment.replace(tzinfo=timezone.utc).astimezone(default_tz)
                      for moment in (_naive(item.get("utc_start_date")),
                                     _naive(item.get("utc_end_date"))))
    if start is None:
        return None
    return Occurrence(start=start, end=end if end and end > start else start)


def _all_day(item: dict) -> Occurrence | None:
    """An all-day event: its days, the end exclusive (TEC ends them at 23:59:59)."""
    start, end = _naive(item.get("start_date")), _naive(item.get("end_date"))
    if start is None:
        return None
    first: date = start.date()
    last: date = end.date() if end and end.date() >= first else first
    return Occurrence(start=first, end=last + timedelta(days=1), all_day=True)


def _naive(value) -> datetime | None:
    """A TEC date ``2026-03-14 14:00:00`` (its offset, if any, ignored: the zone comes apart)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip()).replace(tzinfo=None)
    except ValueError:
        return None


def _zone(name) -> ZoneInfo | None:
    if not isinstance(name, str) or "/" not in name:  # "UTC+1" and the like are no zones
        return None
    try:
        return ZoneInfo(name.strip())
    except (ValueError, KeyError):
        return None


def _location(venue) -> Location:
    if not isinstance(venue, dict):  # the API gives [] for an event without venue
        return Location()
    postcode = _text(venue.get("zip"), 10)
    lat, lon = valid_point(venue.get("geo_lat"), venue.get("geo_lng"))
    return Location(
        name=_text(html.unescape(_str(venue.get("venue"))), 200),
        address=_text(venue.get("address"), 300), postcode=postcode,
        city=_text(venue.get("city"), 100), department=department_from_postcode(postcode),
        lat=lat, lon=lon,
    )


def _organizer(organizers) -> str | None:
    if isinstance(organizers, dict):
        organizers = [organizers]
    names = [html.unescape(_str(o.get("organizer"))) for o in organizers or ()
             if isinstance(o, dict)] if isinstance(organizers, list) else []
    return clean_text(", ".join(name for name in names if name.strip()), 200) or None


def _names(terms) -> tuple[str, ...]:
    if not isinstance(terms, list):
        return ()
    names = (clean_text(html.unescape(_str(t.get("name"))), 60) for t in terms
             if isinstance(t, dict))
    return tuple(dict.fromkeys(name for name in names if name))


def _str(value) -> str:
    return value if isinstance(value, str) else ""


def _text(value, limit: int) -> str | None:
    return (clean_text(value, limit) or None) if isinstance(value, str) else None



def _http_url(value) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None
