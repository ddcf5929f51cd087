"""Which vocabulary gives a feed item its event dates, and what that vocabulary says.

A feed item is an event only when it carries event dates. Supported, in this order:

- **RSS 1.0 event module** (mod_event, ``http://purl.org/rss/1.0/modules/event/``):
  ``ev:startdate``, ``ev:enddate`` (W3CDTF), ``ev:location``, ``ev:organizer``, ``ev:type``.
  feedparser knows this namespace and gives raw strings in ``ev_startdate``... in RSS 1.0,
  RSS 2.0 and Atom alike (an ``ev:`` prefix bound to a wrong URI still gives ``ev_`` keys).
  Used by a Drupal Views module, translate.wordpress.org's events feed and WordPress snippets
  that add ``_EventStartDate`` ("2026-06-13 00:00:00", floating) to The Events Calendar.
- **xCal elements in items** (``urn:ietf:params:xml:ns:xcal``): ``xcal:dtstart``,
  ``xcal:dtend``, ``xcal:location``, ``xcal:summary``, valued as in iCalendar (DTEND is
  exclusive). feedparser does not know this namespace: it names the keys after the prefix the
  document chose, lower-cased (``xCal:dtstart`` -> ``xcal_dtstart``), so the prefixes bound to
  that namespace are looked up in the document's namespaces.
- **The Events Calendar** (WordPress): in feeds, it replaces the ``pubDate`` of its events (post
  type ``tribe_events``) with their start (``Tribe__Events__Templates::event_date_to_pubDate``,
  hooked by its views: "Replace the pubDate in event feeds"). Such an item is recognised by its
  guid (WordPress gives posts of that type ``?post_type=tribe_events&p=N``) or by a feed
  address that asks for ``post_type=tribe_events``, or, in a feed whose generator is WordPress,
  by a link to a single event page (``/event/slug/``, ``/evenement/slug/`` in French, maybe with
  a language or sub-site prefix and a date for a recurring event) whose guid is none WordPress
  gives other posts (``?p=N``, ``?post_type=...``: a blog post filed under an "event" category,
  WP Event Manager's events): events imported into the plugin keep another guid, and the
  archive feed's own address (``/evenements/feed/``) says nothing. The plugin adds no element of its own to items (checked in its sources). Its start is
  converted from UTC to the region's zone; there is no end, and a start at midnight is an
  all-day event (that is how the plugin stores them). A site whose WordPress zone is a bare
  offset ("UTC+1") writes the local start followed by ``+0000``: nothing in the feed tells it.

Nothing else: the ``pubDate``/``updated`` of an ordinary item is a publication date, never an
event date. Events Manager also writes the event start in ``pubDate``, but nothing in its feed
tells it apart from a blog, so it is not guessed.

Trap: feedparser keeps only the attributes of an unknown element that has some
(``<xcal:dtstart value="DATE">20250614</xcal:dtstart>`` arrives as ``{"value": "DATE"}``, its
text lost). Such a date is reported as unreadable rather than silently ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

from agenda.collectors.feed_dates import build_occurrence, parse_feed_date
from agenda.collectors.notice import Notice
from agenda.records import Occurrence
from agenda.text_clean import safe_excerpt

XCAL_NAMESPACE = "urn:ietf:params:xml:ns:xcal"
TRIBE_EVENTS = "tribe_events"
# The single event pages of The Events Calendar: its "event" slug, "evenement" in French.
# Not under /events/: Event Organiser's pages are /events/event/slug/ and keep their pubDate.
_TRIBE_EVENT_PAGE = re.compile(
    r"(?:^|/)(?<!events/)(?:event|[eé]v[eé]nement)/[^/]+/(?:\d{4}-\d{2}-\d{2}/)?$")


class UnreadableItem(ValueError):
    """An item that has event dates we cannot read; its message ends a sentence."""


@dataclass(frozen=True)
class EventFields:
    """The raw event fields of one item, as one vocabulary gave them."""

    vocabulary: str  # "ev", "xcal" or "tribe_events"
    start: str
    end: str | None = None
    end_inclusive: bool = True
    location: str | None = None
    organizer: str | None = None
    type: str | None = None
    summary: str | None = None


@dataclass(frozen=True)
class FeedContext:
    """What the document says that matters to every item."""

    xcal_prefixes: tuple[str, ...] = ("xcal",)
    tribe_events_feed: bool = False
    wordpress: bool = False


def feed_context(namespaces: dict, url: str | None, channel: dict | None = None) -> FeedContext:
    """The xCal prefixes the document declared, whether the address is a TEC events feed, and
    whether the channel (feedparser's ``feed``) says WordPress generated it."""
    prefixes = {prefix.lower() for prefix, uri in (namespaces or {}).items()
                if prefix and str(uri).strip().lower() == XCAL_NAMESPACE}
    return FeedContext(tuple(sorted(prefixes | {"xcal"})), _asks_for_tribe_events(url),
                       _made_by_wordpress(channel))


def _made_by_wordpress(channel: dict | None) -> bool:
    """RSS: ``<generator>https://wordpress.org/?v=6.8</generator>``; Atom: ``WordPress``."""
    if not isinstance(channel, dict):
        return False
    detail = channel.get("generator_detail")
    detail = detail if isinstance(detail, dict) else {}
    texts = (channel.get("generator"), detail.get("name"), detail.get("href"))
    return any(isinstance(text, str) and "wordpress" in text.lower() for text in texts)


def _asks_for_tribe_events(address: str | None) -> bool:
    if not address or not isinstance(address, str):
        return False
    query = parse_qs(urlsplit(address.strip()).query)
    return TRIBE_EVENTS in query.get("post_type", [])


def find_event_fields(entry: dict, context: FeedContext) -> EventFields | None:
    """The event fields of ``entry``, or ``None`` when it carries no event date at all."""
    start = _date_text(entry, "ev_startdate")
    if start:
        return EventFields(
            "ev", start, _date_text(entry, "ev_enddate"), end_inclusive=True,
            location=_text(entry, "ev_location"), organizer=_text(entry, "ev_organizer"),
            type=_text(entry, "ev_type"),
        )
    for prefix in context.xcal_prefixes:
        start = _date_text(entry, f"{prefix}_dtstart")
        if start:
            return EventFields(
                "xcal", start, _date_text(entry, f"{prefix}_dtend"), end_inclusive=False,
                location=_text(entry, f"{prefix}_location"),
                organizer=_text(entry, f"{prefix}_organizer"),
                summary=_text(entry, f"{prefix}_summary"),
            )
    if _is_tribe_event(entry, context):
        published = _text(entry, "published")
        return EventFields(TRIBE_EVENTS, published) if published else None
    return None


def _is_tribe_event(entry: dict, context: FeedContext) -> bool:
    guid = _text(entry, "id")
    if context.tribe_events_feed or _asks_for_tribe_events(guid):
        return True
    return (context.wordpress and _is_tribe_event_page(_text(entry, "link"))
            and not _wordpress_guid_of_another_type(guid))


def _wordpress_guid_of_another_type(guid: str | None) -> bool:
    """A guid WordPress gave a post of another type (``?p=N``: a blog post, which permalinks
    by category may put under /event/; ``?post_type=event_listing&p=N``: WP Event Manager,
    whose events live under /event/ too): its pubDate is a publication date."""
    query = parse_qs(urlsplit(guid or "").query)
    return any(name in query for name in ("p", "post_type", "page_id"))


def _is_tribe_event_page(link: str | None) -> bool:
    if not link:
        return False
    path = unquote(urlsplit(link).path).lower()
    return bool(_TRIBE_EVENT_PAGE.search(path if path.endswith("/") else path + "/"))


def _text(entry: dict, key: str) -> str | None:
    value = entry.get(key)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _date_text(entry: dict, key: str) -> str | None:
    value = entry.get(key)
    if isinstance(value, dict):  # feedparser kept the attributes and lost the text
        element = key.replace("_", ":", 1)
        raise UnreadableItem(Notice(f"its {element} element could not be read (feedparser drops "
                                    "the text of elements that have attributes)",
                                    code="feed.element_unreadable", element=element))
    return _text(entry, key)


def read_occurrence(fields: EventFields, default_tz: ZoneInfo) -> tuple[Occurrence, str | None]:
    """The occurrence the fields describe, plus a warning; UnreadableItem if the start is bad."""
    start = parse_feed_date(fields.start, default_tz)
    if start is None:
        excerpt = safe_excerpt(fields.start)
        raise UnreadableItem(Notice(f'its start date "{excerpt}" could not be read',
                                    code="feed.start_unreadable", excerpt=excerpt))
    end = parse_feed_date(fields.end, default_tz) if fields.end else None
    warning = None
    if fields.end and end is None:
        excerpt = safe_excerpt(fields.end)
        warning = Notice(f'its end date "{excerpt}" could not be read; the end was ignored',
                         code="feed.end_unreadable", excerpt=excerpt)
    if fields.vocabulary == TRIBE_EVENTS:
        start = _tribe_start(start, default_tz)
    occurrence, end_warning = build_occurrence(start, end, end_inclusive=fields.end_inclusive)
    return occurrence, warning or end_warning


def _tribe_start(start: datetime | date, default_tz: ZoneInfo) -> datetime | date:
    if not isinstance(start, datetime):
        return start
    local = start.astimezone(default_tz)
    return local.date() if local.time() == time(0, 0) else local
