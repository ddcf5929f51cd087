"""The exports of a listing, from the database to bytes: the iCalendar subscription, one
event's calendar, the Atom feed (no Flask: the view passes the links and the search index).

Windows are whole days in the region's zone, so that everything depends only on the filters,
the day and the data: what the response cache keys on.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Callable, Iterator
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agenda.errors import NotFound
from agenda.export.atom import AtomFeed, atom_bytes
from agenda.export.atom_entries import atom_entry
from agenda.export.bounds import FeedBounds, period_sentence
from agenda.export.cache import BoundedCache
from agenda.export.ics import CalendarHead, calendar_bytes, new_vevent_cache
from agenda.export.ics_event import IcsContext
from agenda.export.selection import (
    ALL_COLUMNS,
    KEY_COLUMNS,
    STORED_COLUMNS,
    series_rows,
    subscription_rows,
    text_rows,
)
from agenda.export.series import export_items
from agenda.export.titles import SITE_NAME, feed_description, feed_title
from agenda.listing.filters import Filters, to_query
from agenda.listing.query import find_occurrences
from agenda.region import Region
from agenda.store.actor_names import shown_actor_names
from agenda.store.event_copies import listed_event_id

GRACE = timedelta(days=30)  # cancelled and removed events go out as CANCELLED this long
FUTURE_DAYS = 365  # the Atom feed's default window ahead of today
ATOM_LIMIT = 200
COLD_CACHE = 100  # fewer VEVENT texts cached than this: read the stored texts in the first query
FEED_ID = "tag:agenda-commun,2026:feed"


@dataclass
class Exporter:
    """What every export of one application shares: the region, its zone, the VEVENT cache."""

    region: Region
    tz: ZoneInfo
    vevents: BoundedCache = field(default_factory=new_vevent_cache)
    bounds: FeedBounds = field(default_factory=FeedBounds)

    @property
    def ics_context(self) -> IcsContext:
        return IcsContext(self.tz, {t.slug: t.label_fr for t in self.region.themes})

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time.min, self.tz).astimezone(timezone.utc)


@dataclass(frozen=True)
class FeedLinks:
    self_url: str
    alternate_url: str
    page_url: Callable[..., str]  # (event id[, YYYY-MM-DD]) -> its page, or its date's


def calendar_for(session: Session, filters: Filters, *, today: date, exporter: Exporter,
                 search=None, title: str | None = None) -> bytes:
    """The iCalendar subscription of ``filters`` as of ``today``, named ``title`` (by default
    after the filters): the period of the filters (the caller clamps them into the window, see
    ``FeedBounds.clamp``), at most ``bounds.max_events`` events, the soonest."""
    bounds = exporter.bounds
    first, last = bounds.period(filters, today)
    window = (exporter.midnight(first), exporter.midnight(last + timedelta(days=1)))
    cutoff = exporter.midnight(today - GRACE)
    columns = KEY_COLUMNS + STORED_COLUMNS if len(exporter.vevents) < COLD_CACHE else KEY_COLUMNS
    with gc_paused():  # tens of thousands of rows and items: no collection passes meanwhile
        rows = [] if last < first else subscription_rows(
            session, filters, window=window, cutoff=cutoff, search=search, columns=columns,
            limit=bounds.max_events)
        items = export_items(rows, cutoff=cutoff, default_tz=exporter.tz)
    head = CalendarHead(title or _title(session, filters, exporter),
                        f"{feed_description(exporter.region)} "
                        f"{period_sentence(first, last, bounds.max_events)}")
    return calendar_bytes(items, head=head, ctx=exporter.ics_context, cache=exporter.vevents,
                          load=lambda ids: text_rows(session, ids))


@contextmanager
def gc_paused() -> Iterator[None]:
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class EventGone(NotFound):
    """The event was removed from its source (HTTP 410)."""

    code = "event.gone"


def event_calendar(session: Session, event_id: str, *,
                   exporter: Exporter) -> tuple[bytes, datetime]:
    """One event with its whole series (a cancelled one too) and its last change; NotFound
    when unknown, EventGone when it was removed from its source.  A copy merged into another
    event answers with that event's calendar."""
    event_id = listed_event_id(session, event_id) or event_id
    rows = series_rows(session, [event_id], ALL_COLUMNS)
    if not rows:
        raise NotFound(f"There is no event {event_id}.", event_id=event_id)
    items = export_items(rows, cutoff=datetime.min.replace(tzinfo=timezone.utc),
                         default_tz=exporter.tz)
    wanted = next((item for item in items if item.row.id == event_id), None)
    if wanted is None or wanted.cancelled:
        raise EventGone("This event was removed by its organiser.", event_id=event_id)
    head = CalendarHead(f"{wanted.row.title} – {SITE_NAME}")
    body = calendar_bytes(items, head=head, ctx=exporter.ics_context, cache=exporter.vevents)
    return body, max(item.row.updated_at for item in items)


def atom_for(session: Session, filters: Filters, *, today: date, exporter: Exporter,
             links: FeedLinks, updated: datetime, search=None, title: str | None = None) -> bytes:
    """The Atom feed of ``filters``: the next occurrences (at most ATOM_LIMIT), titled
    ``title`` (by default after the filters)."""
    first = filters.start or today
    last = filters.end or first + timedelta(days=FUTURE_DAYS)
    window = (exporter.midnight(first), exporter.midnight(last + timedelta(days=1)))
    listing = find_occurrences(session, filters, window=window, limit=ATOM_LIMIT, search=search)
    entries = [atom_entry(o, tz=exporter.tz, region=exporter.region, page_url=links.page_url)
               for o in listing.occurrences]
    return atom_bytes(AtomFeed(
        id=feed_id(filters), title=title or _title(session, filters, exporter),
        subtitle=feed_description(exporter.region),
        updated=max((e.updated for e in entries), default=updated),
        self_url=links.self_url, alternate_url=links.alternate_url, author=SITE_NAME,
        entries=entries))


def _title(session: Session, filters: Filters, exporter: Exporter) -> str:
    return feed_title(filters, exporter.region,
                      shown_actor_names(session, filters.actors) if filters.actors else None)


def feed_id(filters: Filters) -> str:
    """A permanent id per set of filters (RFC 4151 tag URI); a campaign's feed keeps its own
    whatever its dates."""
    if filters.campaign is not None:
        return f"{FEED_ID}:campaign:{filters.campaign.id}"
    query = urlencode(to_query(filters))
    return f"{FEED_ID}?{query}" if query else FEED_ID
