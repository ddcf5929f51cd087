"""An event's page, and the page of each of its dates (``/evenements/<id>/<YYYY-MM-DD>``).

The page shows one date first (the next one, or the one in the address), what matters to go
there (place, map, add to my calendar, share), then the details, the series around that date and
where the event comes from. A date of the series held by another event of the series (a moved
or cancelled session) redirects to that event's page for that day, and so does the day a
session was planned on before it moved; a day the organiser removed from the rule (EXDATE) is a
404 that says so; any other day, an unknown or malformed id, a 404; a removed event, 410 Gone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import format_date, gettext
from flask_login import current_user

from agenda.models import Actor, Event
from agenda.store.event_copies import copies_of, listed_event_id
from agenda.store.event_series import proposal_of, series_members
from agenda.web import db_session, state
from agenda.web.links.display import event_links_context
from agenda.web.public.calendar_links import calendar_links, event_place
from agenda.web.public.jsonld import event_jsonld, script_json
from agenda.web.public.listing import current_region
from agenda.web.public.organiser import contact_of, organiser_of
from agenda.web.public.page_meta import event_meta
from agenda.web.public.recurrence import describe_series
from agenda.web.public.series import (
    SeriesDate,
    around,
    date_on,
    elsewhere_on,
    excluded_days,
    series_dates,
)
from agenda.web.shared.dates import now_utc, when_text
from agenda.web.shared.links import http_url, map_url

_EVENT_ID = re.compile(r"[0-9a-f]{1,32}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def event_page(event_id: str, day: str | None = None):
    event = _published_event(event_id, day)
    tz, now = state().settings.tz, now_utc()
    members = series_members(db_session(), event)
    dates = series_dates(members, tz)
    master = next((m for m in members if not m.recurrence_id), event)
    removed_day = None
    if day is None:
        featured = _next_date(event, dates, now)
    else:
        wanted = _parse_day(day)
        featured = _date_answering(event, dates, wanted)
        removed_day = None if featured else _removed_from_series(master, wanted, tz)
        featured = featured or _next_date(event, dates, now)
    page_url = _page_url(event, featured if day and not removed_day else None)
    html = render_template(
        "public/event.html", event=event, removed_day=removed_day, page_url=page_url,
        featured_day=day is not None and not removed_day, zone_name=tz.key, now=now,
        **_date_context(event, featured, dates, tz=tz, now=now, page_url=page_url),
        **_series_context(master, dates, featured), **_people_context(event),
        **_place_context(event), zone_note=_zone_note(master, featured, tz),
        copies=_copy_lines(event), can_split=_can_split(), **event_links_context(event),
        updated_day=event.updated_at.astimezone(tz).date())
    return (html, 404) if removed_day else html


def _date_context(event: Event, featured: SeriesDate | None, dates: list[SeriesDate], *,
                  tz: ZoneInfo, now: datetime, page_url: str) -> dict:
    """The date shown first: is it cancelled, over, the next one held, how to add it, and
    what the page says of itself to machines (link previews, schema.org)."""
    occurrence = featured.occurrence if featured else None
    cancelled = event.status == "cancelled" or bool(featured and featured.cancelled)
    over = occurrence is None or occurrence.end_at <= now
    after = max(now, occurrence.start_at) if occurrence else now
    when = when_text(occurrence, tz) if occurrence else ""
    return dict(
        featured=featured, cancelled=cancelled, is_over=over,
        tile=date_tile(featured.day) if featured else None,
        next_date=_held_after(dates, after) if over or cancelled else None,
        add_links=None if cancelled or over else calendar_links(event, occurrence,
                                                                 page_url=page_url),
        page_meta=event_meta(event, title=gettext("Cancelled: %(title)s", title=event.title)
                             if cancelled else event.title,
                             when=when, place=event_place(event), url=page_url),
        jsonld=script_json(event_jsonld(event, occurrence, tz=tz, page_url=page_url,
                                        planned=featured.planned if featured else None,
                                        cancelled=cancelled)))


def _series_context(master: Event, dates: list[SeriesDate], featured: SeriesDate | None) -> dict:
    """The dates around the one shown, and the rule in words counting what is listed."""
    held = [d for d in dates if not d.cancelled]
    recurrence = describe_series(master.rrule, held=[d.day for d in held],
                                 moved=sum(d.moved for d in held),
                                 cancelled=len(dates) - len(held)) if master.rrule else None
    return dict(series=around(dates, featured), series_size=len(dates), recurrence=recurrence)


def _people_context(event: Event) -> dict:
    """Who organises it (linked) and the public contact."""
    proposal = proposal_of(db_session(), event.id) if event.source.kind == "form" else None
    published = (proposal.published_data if proposal else None) or {}
    return dict(
        organiser=organiser_of(event, _actor(event, proposal), listing_url=_listing_url(event)),
        contact=contact_of(str(published.get("public_contact") or ""), event))


def _place_context(event: Event) -> dict:
    region = current_region()
    return dict(
        map_url=map_url(event), links=_links(event),
        coordinates=_coordinates(event) if state().settings.map_tiles_url else None,
        map_tiles_url=state().settings.map_tiles_url,
        department=region.department(event.department) if event.department else None,
        themes=[t for t in region.themes if t.slug in (event.themes or [])])


def _copy_lines(event: Event) -> list[dict]:
    """The other origins of a merged event ("Also announced by"): each copy's source, linked
    to the copy's own page at the origin, else to the origin's site."""
    return [{"event_id": copy.event_id, "name": copy.source_name,
             "href": http_url(copy.url) or http_url(copy.site_url)}
            for copy in copies_of(db_session(), event.id)]


def _can_split() -> bool:
    """Signed-in staff, once the matches' pages provide the split."""
    return current_user.is_authenticated and "admin_matches.split" in current_app.view_functions


def date_tile(day: date) -> dict[str, str]:
    """The calendar-sheet look of a day: 'nov.', '25', 'mer.' in the page's language."""
    return {"month": format_date(day, "MMM"), "day": str(day.day),
            "weekday": format_date(day, "EEE")}


def _published_event(event_id: str, day: str | None = None) -> Event:
    if not _EVENT_ID.fullmatch(event_id):
        abort(404)
    event = db_session().get(Event, event_id)
    if event is None:
        abort(404)
    if event.duplicate_of is not None:
        abort(_to_listed_event(event_id, day))
    if event.removed_at is not None:
        abort(410)
    return event


def _to_listed_event(copy_id: str, day: str | None):
    """A copy merged into another event: a temporary redirect to that event's page (of the
    same day), since a merge can be split; gone (410) when that event was removed."""
    listed_id = listed_event_id(db_session(), copy_id)
    listed = db_session().get(Event, listed_id) if listed_id else None
    if listed is None or (day is not None and not _DAY.fullmatch(day)):
        return 404
    if listed.removed_at is not None:
        return 410
    if day is None or not _held_on(listed, day):
        return redirect(url_for("public.event", event_id=listed.id), 302)
    return redirect(url_for("public.occurrence", event_id=listed.id, day=day), 302)


def _held_on(event: Event, day: str) -> bool:
    """Whether one of the event's own occurrences takes place on ``day`` (YYYY-MM-DD)."""
    tz = state().settings.tz
    try:
        wanted = date.fromisoformat(day)
    except ValueError:
        return False
    return any(o.start_at.astimezone(tz).date() <= wanted
               <= max(o.start_at, o.end_at - timedelta(microseconds=1)).astimezone(tz).date()
               for o in event.occurrences)  # the end is exclusive


def _parse_day(day: str) -> date:
    if not _DAY.fullmatch(day):
        abort(404)
    try:
        return date.fromisoformat(day)
    except ValueError:
        abort(404)


def _next_date(event: Event, dates: list[SeriesDate], now: datetime) -> SeriesDate | None:
    """The event's own next date (a date still going on counts), else its last one."""
    own = [d for d in dates if d.event.id == event.id]
    upcoming = [d for d in own if d.occurrence.end_at > now]
    return upcoming[0] if upcoming else (own[-1] if own else None)


def _held_after(dates: list[SeriesDate], moment: datetime) -> SeriesDate | None:
    """The first date held after ``moment`` (where to go instead of a past or cancelled one)."""
    return next((d for d in dates if not d.cancelled and d.occurrence.start_at > moment), None)


def _date_answering(event: Event, dates: list[SeriesDate], day: date) -> SeriesDate | None:
    """The event's date on ``day``; redirects when another event of the series answers for it."""
    featured = date_on(dates, event.id, day)
    if featured is None and (other := elsewhere_on(dates, day)) is not None:
        abort(redirect(url_for("public.occurrence", event_id=other.event.id,
                               day=other.day.isoformat())))
    return featured


def _removed_from_series(master: Event, day: date, tz: ZoneInfo) -> date:
    """``day`` when the organiser removed it from the rule (the page says so, as a 404)."""
    if day in excluded_days(master, tz):
        return day
    abort(404)


def _page_url(event: Event, featured: SeriesDate | None) -> str:
    """The page's own address: the date's when the address names one, else the event's."""
    if featured is None:
        return url_for("public.event", event_id=event.id, _external=True)
    return url_for("public.occurrence", event_id=event.id, day=featured.day.isoformat(),
                   _external=True)


def _zone_note(master: Event, featured: SeriesDate | None, tz: ZoneInfo) -> str | None:
    """The zone the event was announced in, when its clock differs from the region's."""
    name = master.timezone or ""
    if "/" not in name or name.startswith("Etc/") or name == tz.key or featured is None:
        return None
    try:
        own = ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        return None
    moment = featured.occurrence.start_at
    return name if moment.astimezone(own).utcoffset() != moment.astimezone(tz).utcoffset() \
        else None


def _coordinates(event: Event) -> tuple[str, str] | None:
    if event.lat is None or event.lon is None:
        return None
    if not (-90 <= event.lat <= 90 and -180 <= event.lon <= 180):
        return None
    return f"{event.lat:.5f}", f"{event.lon:.5f}"


def _actor(event: Event, proposal) -> Actor | None:
    if proposal is not None:
        return proposal.actor
    return event.source.actor if event.source.kind != "form" else None


def _listing_url(event: Event) -> str | None:
    return None if event.source.kind == "form" else url_for("public.home", source=event.source_id)


def _links(event: Event) -> dict[str, str | None]:
    source = event.source
    return {"url": http_url(event.url), "online": http_url(event.online_url),
            "image": http_url(event.image_url), "source": http_url(source.url),
            "actor": http_url(source.actor.website) if source.actor else None}
