"""An actor's RSS/Atom feed of projects or news (a source of kind "initiatives"): bytes in,
initiative records out (pure).

The feed is read as every feed is (:func:`agenda.collectors.feed.read_feed`: feedparser fed
our bytes, never a URL; a document that is no feed is a ParseError), each item's body is
sanitised (nh3, :func:`agenda.collectors.feed_item.item_description`).  Tolerant per item: an
item without a title is skipped with a warning; at most ``MAX_ITEMS`` items are read.

An item's dates: an event module start (``ev:startdate``) says when the project starts (and
``ev:enddate`` when it ends); else its publication date (or, without one, its update date) is
when it was announced, the start we know.  A date in a feed's ``CET`` zone is read by
feedparser as UTC: the day may then be off by one hour's worth, never more.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from agenda.collectors.feed import read_feed
from agenda.collectors.feed_dates import parse_feed_date
from agenda.collectors.feed_item import _coordinates, item_description, item_label, plain_text
from agenda.collectors.normalize import clean_text
from agenda.collectors.notice import Notice
from agenda.collectors.sanitize import html_to_text

MAX_ITEMS = 2000
TITLE_MAX = 300


@dataclass(frozen=True)
class InitiativeRecord:
    """One item of a feed of projects, as an initiative."""

    guid: str  # the item's guid/id, else its link, else a hash of its title
    title: str
    description_html: str = ""
    description_text: str = ""
    url: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()  # the region's theme slugs (filled by the caller)
    place: str | None = None  # what the item says of its place ("Tours", "Pays de Vierzon")
    lat: float | None = None
    lon: float | None = None


@dataclass
class InitiativeReading:
    records: list[InitiativeRecord] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def read_initiatives(body: bytes, *, default_tz: ZoneInfo, content_type: str | None = None,
                     url: str | None = None) -> InitiativeReading:
    """The initiatives of a feed; ParseError when the document is no RSS or Atom feed."""
    parsed = read_feed(body, content_type=content_type, url=url)
    reading = InitiativeReading()
    entries = parsed.get("entries") or []
    if len(entries) > MAX_ITEMS:
        reading.warnings.append(Notice(f"Only the first {MAX_ITEMS} items were read.",
                                       code="initiatives.too_many", count=MAX_ITEMS))
    seen: set[str] = set()
    for entry in entries[:MAX_ITEMS]:
        try:
            record = entry_initiative(entry, default_tz)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            record = None
        if record is None or record.guid in seen:
            reading.skipped += 1
            if record is None:  # said as a feed's item without title is said
                label, reason = item_label(entry), Notice("it has no title", code="feed.no_title")
                reading.warnings.append(Notice(f'The item "{label}" was skipped: {reason}.',
                                               code="feed.item_skipped", item=label,
                                               reason=reason))
            continue
        seen.add(record.guid)
        reading.records.append(record)
    return reading


def entry_initiative(entry: dict, default_tz: ZoneInfo) -> InitiativeRecord | None:
    """The initiative of one feedparser entry; None when it has no title."""
    title = clean_text(plain_text(entry.get("title") or ""), TITLE_MAX)
    if not title:
        return None
    description_html = item_description(entry)
    starts_on, ends_on = item_dates(entry, default_tz)
    lat, lon = _coordinates(entry)
    return InitiativeRecord(
        guid=item_guid(entry, title), title=title, description_html=description_html,
        description_text=html_to_text(description_html), url=_http_url(entry.get("link")),
        starts_on=starts_on, ends_on=ends_on, categories=item_terms(entry),
        place=_place(entry), lat=lat, lon=lon)


def item_guid(entry: dict, title: str) -> str:
    for key in ("id", "link"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:400]
    return "item-" + hashlib.sha256(title.encode()).hexdigest()[:32]


def item_dates(entry: dict, default_tz: ZoneInfo) -> tuple[date | None, date | None]:
    """(starts_on, ends_on): the event module's dates, else the publication's day."""
    start = _module_day(entry.get("ev_startdate"), default_tz)
    if start is not None:
        end = _module_day(entry.get("ev_enddate"), default_tz)
        return start, end if end is not None and end >= start else None
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            moment = datetime(*value[:6], tzinfo=timezone.utc)
            return moment.astimezone(default_tz).date(), None
    return None, None


def _module_day(value, default_tz: ZoneInfo) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parse_feed_date(value.strip(), default_tz)
    except (ValueError, TypeError, OverflowError):
        return None
    if isinstance(parsed, datetime):
        return parsed.astimezone(default_tz).date() if parsed.tzinfo else parsed.date()
    return parsed if isinstance(parsed, date) else None


def item_terms(entry: dict) -> tuple[str, ...]:
    """The item's categories (tags), deduplicated case-insensitively, in their order."""
    seen: dict[str, str] = {}
    for tag in entry.get("tags") or []:
        term = tag.get("term") if isinstance(tag, dict) else None
        text = clean_text(plain_text(term), 100) if isinstance(term, str) else ""
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _place(entry: dict) -> str | None:
    value = entry.get("ev_location")
    if isinstance(value, str) and value.strip() and not _http_url(value):
        return clean_text(plain_text(value), 200) or None
    return None


def _http_url(value) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()[:2000]
    return None
