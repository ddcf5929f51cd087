"""An event's page: every detail, where it was collected from, its next dates, its schema.org
data, and its .ics. A removed event answers 410 Gone; an unknown one 404."""

from __future__ import annotations

import re
from datetime import date

from flask import abort, render_template, url_for

from agenda.models import Event
from agenda.web import db_session, state
from agenda.web.public.jsonld import event_jsonld, script_json
from agenda.web.public.listing import current_region
from agenda.web.public.recurrence import describe_rrule
from agenda.web.shared.dates import now_utc
from agenda.web.shared.links import http_url, map_url

NEXT_DATES = 10
_EVENT_ID = re.compile(r"[0-9a-f]{1,32}")


def event_page(event_id: str, day: str | None = None):
    event = _published_event(event_id)
    now = now_utc()
    upcoming = [o for o in event.occurrences if o.end_at > now or o.start_at >= now]
    featured = upcoming[0] if upcoming else (event.occurrences[-1] if event.occurrences else None)
    if day is not None:
        featured = _occurrence_on(event, day)
    page_url = url_for("public.event", event_id=event.id, _external=True)
    region, tz = current_region(), state().settings.tz
    return render_template(
        "public/event.html", event=event, featured=featured, is_past=not upcoming,
        next_dates=upcoming[:NEXT_DATES], more_dates=max(0, len(upcoming) - NEXT_DATES),
        recurrence=describe_rrule(event.rrule), map_url=map_url(event),
        department=region.department(event.department) if event.department else None,
        themes=[t for t in region.themes if t.slug in (event.themes or [])],
        links=_links(event), zone_name=tz.key, updated_day=event.updated_at.astimezone(tz).date(),
        jsonld=script_json(event_jsonld(event, featured, tz=tz, page_url=page_url)))


def _published_event(event_id: str) -> Event:
    if not _EVENT_ID.fullmatch(event_id):
        abort(404)
    event = db_session().get(Event, event_id)
    if event is None:
        abort(404)
    if event.removed_at is not None:
        abort(410)
    return event


def _occurrence_on(event: Event, day: str):
    """The occurrence that starts on ``day`` (YYYY-MM-DD, local), else 404."""
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        abort(404)
    tz = state().settings.tz
    for occurrence in event.occurrences:
        if (occurrence.start_date or occurrence.start_at.astimezone(tz).date()) == wanted:
            return occurrence
    abort(404)


def _links(event: Event) -> dict[str, str | None]:
    source = event.source
    return {"url": http_url(event.url), "online": http_url(event.online_url),
            "image": http_url(event.image_url), "source": http_url(source.url),
            "actor": http_url(source.actor.website) if source.actor else None}
