"""One schema.org ``Event`` node (JSON-LD, already decoded) adapted to our EventRecord.

Read as CMS plugins write it (The Events Calendar, Yoast, OpenAgenda embeds): every property
may be a string, an object or a list of either. Dates are ISO 8601: without an offset they are
local time in the region's zone; a date-only value is an all-day event, its ``endDate`` is the
last day (inclusive). ``offers`` are left out on purpose: the record has no field for a price,
and writing one into the actor's description would put our words in their text.
"""

from __future__ import annotations

import hashlib
import html
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.collectors.feed_dates import build_occurrence, parse_feed_date
from agenda.collectors.jsonld_place import read_location
from agenda.collectors.jsonld_values import (
    absolute_url,
    as_list,
    safe_excerpt,
    text_of,
    type_names,
)
from agenda.collectors.normalize import clean_text
from agenda.collectors.notice import Notice
from agenda.collectors.sanitize import html_to_text, looks_like_html, sanitize_html, text_to_html
from agenda.records import EventRecord


class SkippedEvent(ValueError):
    """The node cannot become an event; ``args[0]`` is the reason (a Notice)."""


def event_label(node: dict) -> str:
    """A short name for the event in warnings: its name, else its @id or url."""
    for key in ("name", "@id", "url"):
        text = text_of(node.get(key))
        if text:
            return clean_text(plain_text(text), 80)
    return Notice("(untitled)", code="jsonld.untitled")


def node_to_record(node: dict, *, page_url: str, default_tz: ZoneInfo,
                   warnings: list[str]) -> EventRecord:
    """The record of one Event node; SkippedEvent when it has no name or no readable start."""
    title = clean_text(plain_text(text_of(node.get("name")) or ""))
    if not title:
        raise SkippedEvent(Notice("it has no name", code="jsonld.no_name"))
    occurrence = _occurrence(node, default_tz, warnings)
    description_html = _description(node)
    location, online_url = read_location(node.get("location"), page_url)
    url = absolute_url(text_of(node.get("url")), page_url)
    record = EventRecord(
        source_uid=_uid(node, url, page_url, title, occurrence.start),
        title=title,
        start=occurrence.start,
        end=occurrence.end,
        all_day=occurrence.all_day,
        timezone=_zone_name(occurrence.start),
        description_html=description_html,
        description_text=html_to_text(description_html),
        location=location,
        online_url=online_url,
        organizer=_organizer(node.get("organizer")),
        url=url or absolute_url(page_url, page_url),
        image_url=_image(node.get("image"), page_url),
        categories=_keywords(node.get("keywords")),
        status=_status(node, warnings),
        occurrences=[occurrence],
    )
    return record


def plain_text(value: str) -> str:
    """Text of a value that may hold HTML or entities (WordPress writes &#8217; in names)."""
    return html_to_text(value) if "<" in value or "&" in value else value


def _occurrence(node: dict, default_tz: ZoneInfo, warnings: list[str]):
    start_text = text_of(node.get("startDate"))
    if not start_text:
        raise SkippedEvent(Notice("it has no start date", code="jsonld.no_start"))
    start = parse_feed_date(start_text, default_tz)
    if start is None:
        excerpt = safe_excerpt(start_text)
        raise SkippedEvent(Notice(f'its start date "{excerpt}" could not be read',
                                  code="jsonld.start_unreadable", excerpt=excerpt))
    end_text = text_of(node.get("endDate"))
    end = parse_feed_date(end_text, default_tz) if end_text else None
    warning = None
    if end_text and end is None:
        excerpt = safe_excerpt(end_text)
        warning = Notice(f'its end date "{excerpt}" could not be read; the end was ignored',
                         code="jsonld.end_unreadable", excerpt=excerpt)
    occurrence, end_warning = build_occurrence(start, end, end_inclusive=True)
    if warning or end_warning:
        label = event_label(node)
        reason = warning or end_warning
        warnings.append(Notice(f'The event "{label}": {reason}.', code="jsonld.event_repaired",
                               item=label, reason=reason))
    return occurrence


def _description(node: dict) -> str:
    text = text_of(node.get("description")) or ""
    if "<" not in text and "&lt;" in text:  # The Events Calendar escapes its HTML
        text = html.unescape(text)
    if looks_like_html(text):
        return sanitize_html(text)
    return text_to_html(html.unescape(text))


def _uid(node: dict, url: str | None, page_url: str, title: str, start) -> str:
    """The @id (blank nodes aside, made absolute), else the url, else a hash of name+start."""
    node_id = text_of(node.get("@id"))
    if node_id and not node_id.startswith("_:"):
        return absolute_url(node_id, page_url) or node_id.strip()
    if url:
        return url
    seed = f"{title}\n{start.isoformat()}".encode()
    return "jsonld-" + hashlib.sha256(seed).hexdigest()[:32]


def _organizer(value) -> str | None:
    """Names of the organisers (Organization, Person or text), in their order."""
    names: dict[str, str] = {}
    for item in as_list(value):
        name = text_of(item.get("name")) if isinstance(item, dict) else text_of(item)
        name = clean_text(plain_text(name), 200) if name else ""
        if name and not name.lower().startswith(("http://", "https://")):
            names.setdefault(name.casefold(), name)
    return clean_text(", ".join(names.values()), 200) or None


def _image(value, page_url: str) -> str | None:
    """The first image: a URL, an ImageObject (url or contentUrl), or the first of a list."""
    for item in as_list(value):
        if isinstance(item, dict):
            item = text_of(item.get("url")) or text_of(item.get("contentUrl"))
        url = absolute_url(text_of(item), page_url)
        if url:
            return url
    return None


def _keywords(value) -> tuple[str, ...]:
    terms = [term for item in as_list(value) for term in (text_of(item) or "").split(",")]
    seen: dict[str, str] = {}
    for term in terms:
        text = clean_text(plain_text(term), 100)
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def _status(node: dict, warnings: list[str]) -> str:
    """cancelled for EventCancelled; postponed, rescheduled and moved online stay confirmed,
    with a warning that says so (the record has no field for them)."""
    status = next(iter(type_names(node.get("eventStatus"))), "")
    if status == "EventCancelled":
        return "cancelled"
    if status not in ("EventPostponed", "EventRescheduled", "EventMovedOnline"):
        return "confirmed"
    label = event_label(node)
    if status == "EventPostponed":
        warnings.append(Notice(f'The event "{label}" is postponed; its dates may change.',
                               code="jsonld.status", variant="postponed", item=label))
    elif status == "EventRescheduled":
        warnings.append(Notice(f'The event "{label}" was rescheduled; the dates read are the '
                               "new ones.", code="jsonld.status", variant="rescheduled",
                               item=label))
    elif status == "EventMovedOnline":
        warnings.append(Notice(f'The event "{label}" has moved online.', code="jsonld.status",
                               variant="moved_online", item=label))
    return "confirmed"


def _zone_name(start) -> str | None:
    """The IANA name of a start read in the region's zone (no offset given); None otherwise."""
    if isinstance(start, datetime):
        return getattr(start.tzinfo, "key", None)
    return None
