"""What the widget lists: the next events matching the listing's filters, each with its next
date in words, its place and its page on the main site; the subscription links of the same
selection."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for

from agenda.export.titles import feed_title
from agenda.listing.filters import BadFilter, Filters
from agenda.listing.query import find_event_ids
from agenda.store.map_records import first_occurrences
from agenda.web import db_session, state
from agenda.web.map.selection import event_window
from agenda.web.public.listing import current_region, filter_args
from agenda.web.public.subscribe_links import SubscribeLinks, subscribe_links
from agenda.web.shared.dates import day_label, hours_text, local_days

DEFAULT_LIMIT = 10
MAX_LIMIT = 50


@dataclass(frozen=True)
class WidgetEvent:
    title: str
    url: str
    day: str  # 'samedi 25 novembre 2026'
    day_iso: str
    hours: str  # '18 h – 20 h', 'all day'...
    place: str | None
    online: bool
    cancelled: bool


def parse_limit(value: str | None) -> int:
    """``limit=``: how many events, 1 to 50 (10 when absent); BadFilter otherwise."""
    text = (value or "").strip()
    if not text:
        return DEFAULT_LIMIT
    if not (text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_LIMIT):
        raise BadFilter(f"The number of events must be a whole number between 1 and {MAX_LIMIT}.")
    return int(text)


def upcoming_events(filters: Filters, limit: int) -> list[WidgetEvent]:
    """The first ``limit`` events with a date from now (or in the filters' dates), soonest
    first, as the listing chooses them."""
    session = db_session()
    window = event_window(filters)
    ids = find_event_ids(session, filters, window=window, limit=limit, search=state().search)
    return [_widget_event(occurrence) for occurrence in first_occurrences(session, ids, window)]


def _widget_event(occurrence) -> WidgetEvent:
    event, tz = occurrence.event, state().settings.tz
    day = local_days(occurrence, tz)[0]
    town = event.commune_name or event.city
    place = ", ".join(dict.fromkeys(filter(None, [event.location_name, town]))) or None
    return WidgetEvent(
        title=event.title, day=day_label(day), day_iso=day.isoformat(),
        url=url_for("public.occurrence", event_id=event.id, day=day.isoformat(),
                    _external=True),
        hours=hours_text(occurrence, tz), place=place, online=bool(event.online_url),
        cancelled=event.status == "cancelled")


def widget_subscriptions(filters: Filters) -> SubscribeLinks:
    """The .ics of the same selection and its one-click twins (webcal, Google, Outlook)."""
    ics = url_for("feeds.calendar_ics", _external=True, **filter_args(filters))
    return subscribe_links(ics, feed_title(filters, current_region()))


def site_url(filters: Filters) -> str:
    """The same selection on the main site."""
    return url_for("public.home", _external=True, **filter_args(filters))
