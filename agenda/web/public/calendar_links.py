"""One-click "add to my calendar" links for one date of an event (pure): Google Agenda and
Outlook open their "new event" form filled in; Apple Calendar and the others take the .ics.

Times go out in UTC (``Z``), so nobody's calendar has to guess a zone; an all-day date goes
out as dates (Google's end is exclusive, as in iCalendar; Outlook takes ``allday=true``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode

from agenda.models import Event, Occurrence
from agenda.web.shared.links import http_url

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK = "https://outlook.live.com/calendar/0/deeplink/compose"
DETAILS_LIMIT = 600  # characters of description: the links stay well under 2,000 characters


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook: str


def calendar_links(event: Event, occurrence: Occurrence, *, page_url: str) -> CalendarLinks:
    """The links that add ``occurrence`` of ``event`` to Google Agenda and Outlook."""
    details, place = event_details(event, page_url), event_place(event)
    return CalendarLinks(google=google_url(event.title, occurrence, details, place),
                         outlook=outlook_url(event.title, occurrence, details, place))


def google_url(title: str, occurrence: Occurrence, details: str, place: str) -> str:
    if occurrence.all_day and occurrence.start_date:
        end = occurrence.end_date or occurrence.start_date + timedelta(days=1)
        dates = f"{occurrence.start_date:%Y%m%d}/{end:%Y%m%d}"
    else:
        dates = f"{_utc(occurrence.start_at):%Y%m%dT%H%M%SZ}/{_utc(_end(occurrence)):%Y%m%dT%H%M%SZ}"
    query = {"action": "TEMPLATE", "text": title, "dates": dates, "details": details}
    return f"{GOOGLE}?{urlencode(_with_place(query, place))}"


def outlook_url(title: str, occurrence: Occurrence, details: str, place: str) -> str:
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": title}
    if occurrence.all_day and occurrence.start_date:
        end = occurrence.end_date or occurrence.start_date + timedelta(days=1)
        query |= {"startdt": occurrence.start_date.isoformat(), "enddt": end.isoformat(),
                  "allday": "true"}
    else:
        query |= {"startdt": f"{_utc(occurrence.start_at):%Y-%m-%dT%H:%M:%SZ}",
                  "enddt": f"{_utc(_end(occurrence)):%Y-%m-%dT%H:%M:%SZ}"}
    query["body"] = details
    return f"{OUTLOOK}?{urlencode(_with_place(query, place))}"


def event_details(event: Event, page_url: str) -> str:
    """The description's start (cut at a word) and the event page's address."""
    text = " ".join((event.description_text or "").split())
    if len(text) > DETAILS_LIMIT:
        text = text[:DETAILS_LIMIT].rsplit(" ", 1)[0] + " …"
    return f"{text}\n\n{page_url}" if text else page_url


def event_place(event: Event) -> str:
    """'Ressourcerie du Cher, 3 rue du Commerce, 37000 Tours', or the online address."""
    town = " ".join(p for p in (event.postcode, event.city) if p)
    parts = [p for p in (event.location_name, event.address, town) if p]
    return ", ".join(dict.fromkeys(parts)) or (http_url(event.online_url) or "")


def _with_place(query: dict[str, str], place: str) -> dict[str, str]:
    return query | {"location": place} if place else query


def _end(occurrence: Occurrence) -> datetime:
    """A date without an end lasts an hour in the visitor's calendar (not zero minutes)."""
    if occurrence.end_at > occurrence.start_at:
        return occurrence.end_at
    return occurrence.start_at + timedelta(hours=1)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)
