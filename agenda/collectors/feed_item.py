"""One feed item (a feedparser entry) adapted to our EventRecord, once its dates are known."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import datetime

from agenda.collectors.feed_vocabularies import EventFields, UnreadableItem
from agenda.collectors.normalize import clean_text, find_online_url, parse_location, valid_point
from agenda.collectors.notice import Notice
from agenda.collectors.sanitize import html_to_text, sanitize_html, text_to_html
from agenda.records import EventRecord, Location, Occurrence

_TAG_LIKE = re.compile(r"</?[a-zA-Z][^<>]*>|&[#a-zA-Z0-9]+;")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
# "ANNULÉ : Repair café", "[Annulé] Troc de graines", "CANCELLED - Workshop": a cancelled event
# announced the way French associations do it, in the first word of the title, followed by a
# separator or the end. "Annulation des frais" or "Annulé" inside the title do not count.
# A location that only says the event happens online is no place.
_ONLINE_ONLY = re.compile(r"\W*(en ligne|online|(en )?visio(conf[ée]rence)?|webinaire|webinar|"
                          r"(en )?distanciel|[àa] distance)\W*", re.IGNORECASE)
_CANCELLED = re.compile(r"^\W*(annul[ée]e?s?|cancell?ed)(?=$|\s*[\]):!–—-]|\s)", re.IGNORECASE)


def item_label(entry: dict) -> str:
    """A short name for the item in warnings: its title, else its id or link."""
    for key in ("title", "id", "link"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return clean_text(plain_text(value), 80)
    return Notice("(untitled)", code="feed.untitled")


def entry_to_record(entry: dict, fields: EventFields, occurrence: Occurrence) -> EventRecord:
    """The EventRecord of an item whose event fields and occurrence have been read."""
    title = item_title(entry, fields)
    if not title:
        raise UnreadableItem(Notice("it has no title", code="feed.no_title"))
    description_html = item_description(entry)
    link = _http_url(entry.get("link"))
    return EventRecord(
        source_uid=item_uid(entry, title, occurrence),
        title=title,
        start=occurrence.start,
        end=occurrence.end,
        all_day=occurrence.all_day,
        timezone=_zone_name(occurrence.start),
        description_html=description_html,
        description_text=html_to_text(description_html),
        location=item_location(entry, fields),
        online_url=find_online_url(fields.location, link, description_html),
        organizer=item_organizer(entry, fields),
        url=link,
        image_url=item_image(entry),
        categories=item_categories(entry, fields),
        status="cancelled" if _CANCELLED.match(title) else "confirmed",
        occurrences=[occurrence],
    )


def plain_text(value: str) -> str:
    """Text of a value that may hold HTML (feed titles often do)."""
    return html_to_text(value) if _TAG_LIKE.search(value) else value


def item_title(entry: dict, fields: EventFields) -> str:
    title = entry.get("title")
    if not isinstance(title, str) or not title.strip():
        title = fields.summary or ""
    return clean_text(plain_text(title))


def item_uid(entry: dict, title: str, occurrence: Occurrence) -> str:
    """The guid/id, else the link, else a stable hash of the title and the start."""
    for key in ("id", "link"):
        value = entry.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    seed = f"{title}\n{occurrence.start.isoformat()}".encode()
    return "feed-" + hashlib.sha256(seed).hexdigest()[:32]


def item_description(entry: dict) -> str:
    """Sanitised HTML of the richest body: content[0] (HTML first), else the summary."""
    detail = _body_detail(entry)
    if not detail:
        return ""
    value = detail.get("value") or ""
    if str(detail.get("type", "")).lower() in _HTML_TYPES:
        return sanitize_html(value)
    return text_to_html(value)


def _body_detail(entry: dict) -> dict | None:
    contents = [c for c in entry.get("content") or [] if isinstance(c, dict) and c.get("value")]
    html = [c for c in contents if str(c.get("type", "")).lower() in _HTML_TYPES]
    if html or contents:
        return (html or contents)[0]
    summary = entry.get("summary_detail")
    if isinstance(summary, dict) and summary.get("value"):
        return summary
    if isinstance(entry.get("summary"), str) and entry["summary"].strip():
        return {"type": "text/html", "value": entry["summary"]}
    return None


def item_categories(entry: dict, fields: EventFields) -> tuple[str, ...]:
    """Tag terms then the event type, deduplicated (case-insensitively), in their order."""
    terms = [tag.get("term") for tag in entry.get("tags") or [] if isinstance(tag, dict)]
    terms.append(fields.type)
    seen: dict[str, str] = {}
    for term in terms:
        text = clean_text(plain_text(term), 100) if isinstance(term, str) else ""
        if text:
            seen.setdefault(text.casefold(), text)
    return tuple(seen.values())


def item_location(entry: dict, fields: EventFields) -> Location:
    """The place from the vocabulary's location text, with GeoRSS or W3C geo coordinates."""
    text = fields.location
    if text and (_http_url(text) or _ONLINE_ONLY.fullmatch(text)):  # ev:location may be a URI
        text = None
    location = parse_location(plain_text(text) if text else None)
    lat, lon = _coordinates(entry)
    if lat is None:
        return location
    return replace(location, lat=lat, lon=lon)


def _coordinates(entry: dict) -> tuple[float | None, float | None]:
    """feedparser gives a GeoRSS point as ``where.coordinates`` in GeoJSON order: (lon, lat)."""
    where = entry.get("where")
    if isinstance(where, dict) and where.get("type") == "Point":
        coordinates = where.get("coordinates") or ()
        if len(coordinates) == 2:
            return valid_point(coordinates[1], coordinates[0])
    return valid_point(entry.get("geo_lat"), entry.get("geo_long"))



def item_organizer(entry: dict, fields: EventFields) -> str | None:
    """ev:organizer/xcal:organizer, else the author's name (never a bare e-mail address)."""
    if fields.organizer:
        return clean_text(plain_text(fields.organizer), 200) or None
    detail = entry.get("author_detail")
    name = detail.get("name") if isinstance(detail, dict) else None
    if isinstance(name, str) and name.strip():
        return clean_text(name, 200)
    return None


def item_image(entry: dict) -> str | None:
    """The first image among media:content, image enclosures and media:thumbnail."""
    candidates = [
        *((m.get("url"), m.get("type"), m.get("medium")) for m in _dicts(entry, "media_content")),
        *((e.get("href"), e.get("type"), None) for e in _dicts(entry, "enclosures")),
        *((t.get("url"), "image/", None) for t in _dicts(entry, "media_thumbnail")),
    ]
    for url, kind, medium in candidates:
        if (str(kind or "").startswith("image/") or medium == "image") and _http_url(url):
            return url.strip()
    return None


def _dicts(entry: dict, key: str) -> list[dict]:
    return [value for value in entry.get(key) or [] if isinstance(value, dict)]


def _http_url(value) -> str | None:
    if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
        return value.strip()
    return None


def _zone_name(start) -> str | None:
    """The IANA name of a start read in a named zone (floating times); None for offsets."""
    if isinstance(start, datetime):
        return getattr(start.tzinfo, "key", None)
    return None
