"""schema.org ``Event`` data of an event page (pure), and its safe ``<script>`` text.

https://schema.org/Event: name, startDate, endDate, eventStatus (EventRescheduled and
previousStartDate for a moved date), eventAttendanceMode, location (Place with a PostalAddress,
and/or VirtualLocation), organizer, url (the page: an event's, or one date's), sameAs (the
organiser's page of the event), image, description.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup

from agenda.models import Event, Occurrence
from agenda.web.shared.links import http_url

SCHEMA = "https://schema.org/"
DESCRIPTION_LIMIT = 1000


def event_jsonld(event: Event, occurrence: Occurrence | None, *, tz: ZoneInfo,
                 page_url: str, planned: date | None = None,
                 cancelled: bool = False) -> dict:
    """The schema.org Event of ``event`` at ``occurrence`` (the date its page shows), ``url``
    being that page; ``planned``: the day a moved date was first planned on."""
    data = {"@context": "https://schema.org", "@type": "Event", "name": event.title,
            **_dates(event, occurrence, tz),
            "eventStatus": SCHEMA + _status(event, planned, cancelled),
            "eventAttendanceMode": SCHEMA + _attendance_mode(event), "url": page_url}
    if planned is not None and not cancelled:
        data["previousStartDate"] = planned.isoformat()
    if http_url(event.url) and http_url(event.url) != page_url:
        data["sameAs"] = http_url(event.url)
    if _locations(event):
        data["location"] = _locations(event)
    if event.organizer:
        data["organizer"] = {"@type": "Organization", "name": event.organizer}
    if http_url(event.image_url):
        data["image"] = [http_url(event.image_url)]
    if event.description_text:
        data["description"] = event.description_text[:DESCRIPTION_LIMIT]
    return data


def script_json(data: dict) -> Markup:
    """JSON for inside ``<script type="application/ld+json">``: no '<', '>' or '&' in it, so
    nothing from a source can close the script (json.loads reads it back unchanged)."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _dates(event: Event, occurrence: Occurrence | None, tz: ZoneInfo) -> dict:
    item = occurrence or event
    if item.all_day:
        first = item.start_date if occurrence else item.start_at.astimezone(tz).date()
        end = item.end_date if occurrence else item.end_at.astimezone(tz).date()
        last = max(first, (end or first) - timedelta(days=1))  # schema.org's end is inclusive
        return {"startDate": first.isoformat(), "endDate": last.isoformat()}
    return {"startDate": item.start_at.astimezone(tz).isoformat(),
            "endDate": item.end_at.astimezone(tz).isoformat()}


def _status(event: Event, planned: date | None, cancelled: bool) -> str:
    if cancelled or event.status == "cancelled":
        return "EventCancelled"
    return "EventRescheduled" if planned is not None else "EventScheduled"


def _attendance_mode(event: Event) -> str:
    online = http_url(event.online_url) is not None
    in_person = bool(event.city or event.address or event.location_name)
    if online and in_person:
        return "MixedEventAttendanceMode"
    return "OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"


def _locations(event: Event) -> list[dict]:
    places = []
    if event.city or event.address or event.location_name:
        place = {"@type": "Place", "name": event.location_name or event.city or event.address,
                 "address": {"@type": "PostalAddress", "streetAddress": event.address,
                             "postalCode": event.postcode,
                             "addressLocality": event.commune_name or event.city,
                             "addressCountry": "FR"}}
        place["address"] = {k: v for k, v in place["address"].items() if v}
        if event.lat is not None and event.lon is not None:
            place["geo"] = {"@type": "GeoCoordinates", "latitude": event.lat,
                            "longitude": event.lon}
        places.append(place)
    if http_url(event.online_url):
        places.append({"@type": "VirtualLocation", "url": http_url(event.online_url)})
    return places
