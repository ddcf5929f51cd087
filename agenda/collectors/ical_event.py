"""One VEVENT -> one EventRecord (tolerant: an unreadable optional property is just left out)."""

from __future__ import annotations

import hashlib
import re
from datetime import timezone
from zoneinfo import ZoneInfo

from icalendar import Component, vBroken

from agenda.collectors.ical_place import read_location, read_online_url
from agenda.collectors.ical_times import (
    iso_dates,
    iso_exdates,
    iso_value,
    read_times,
    recurrence_id,
)
from agenda.collectors.ical_values import (
    all_properties,
    first_property,
    http_url,
    parameter,
    text_of,
    text_value,
    unescape,
)
from agenda.collectors.normalize import clean_text
from agenda.collectors.notice import Notice
from agenda.collectors.sanitize import html_to_text, looks_like_html, sanitize_html, text_to_html
from agenda.records import EventRecord

TITLE_LIMIT = 300
SYNTHETIC_UID_PREFIX = "agenda-synthetic-"
_STATUSES = {"CANCELLED": "cancelled", "TENTATIVE": "tentative"}
_IMAGE_PATH = re.compile(r"\.(jpe?g|png|gif|webp|svg)(\?.*)?$", re.IGNORECASE)
_CHECKED_PROPERTIES = ("DTEND", "DURATION", "RDATE", "EXDATE", "GEO", "CATEGORIES")


def event_record(event: Component, default_tz: ZoneInfo, warnings: list[str]) -> EventRecord:
    """Our record of one VEVENT; UnusableEvent (a ValueError) when it has no usable start."""
    times = read_times(event, default_tz)
    title = read_title(event)
    url = http_url(text_of(event, "URL"))
    html, text = read_description(event)
    warnings.extend(_property_warnings(event, times.end_before_start))
    return EventRecord(
        source_uid=text_of(event, "UID").strip() or synthetic_uid(url or title, times.start),
        title=title,
        start=times.start,
        end=times.end,
        all_day=times.all_day,
        timezone=times.timezone,
        recurrence_id=recurrence_id(event, default_tz),
        description_html=html,
        description_text=text,
        rrule=read_rrule(event),
        rdate=iso_dates(event, "RDATE", default_tz),
        exdate=iso_exdates(event, times.start, default_tz),
        location=read_location(event),
        online_url=read_online_url(event, text),
        organizer=read_organizer(event),
        url=url,
        image_url=read_image_url(event),
        categories=read_categories(event),
        status=_STATUSES.get(text_of(event, "STATUS").strip().upper(), "confirmed"),
    )


def describe(event: Component) -> Notice:
    """How warnings name an event: its title, else its UID."""
    return event_label(read_title(event), text_of(event, "UID").strip())


def event_label(title: str, uid: str) -> Notice:
    """'Atelier', with UID 'x@y', without title or UID (a fragment of warnings)."""
    if title:
        title = title[:80]
        return Notice(f"'{title}'", code="ical.event_title", title=title)
    if uid:
        uid = uid[:80]
        return Notice(f"with UID '{uid}'", code="ical.event_uid", uid=uid)
    return Notice("without title or UID", code="ical.event_anonymous")


def synthetic_uid(basis: str, start) -> str:
    """A stable UID for an event without one: from its link (else title) and its start."""
    key = f"{basis}|{iso_value(start, timezone.utc)}"
    return SYNTHETIC_UID_PREFIX + hashlib.sha1(key.encode("utf-8")).hexdigest()[:24]


def read_title(event: Component) -> str:
    summary = text_of(event, "SUMMARY")
    if looks_like_html(summary):
        summary = html_to_text(summary)
    return clean_text(summary, TITLE_LIMIT)


def read_description(event: Component) -> tuple[str, str]:
    """(safe HTML, plain text): X-ALT-DESC HTML first, else DESCRIPTION (HTML or text)."""
    plain = text_of(event, "DESCRIPTION").strip()
    source = _alt_description_html(event)
    if source:
        html = sanitize_html(source)
        return html, plain if plain and not looks_like_html(plain) else html_to_text(html)
    if looks_like_html(plain):
        html = sanitize_html(plain)
        return html, html_to_text(html)
    return text_to_html(plain), plain


def _alt_description_html(event: Component) -> str:
    for prop in all_properties(event, "X-ALT-DESC"):
        if parameter(prop, "FMTTYPE").lower() == "text/html":
            return text_value(prop).replace("\\n", "\n")  # some writers escape twice
    return ""


def read_rrule(event: Component) -> str | None:
    """The first RRULE as written (e.g. "FREQ=WEEKLY;UNTIL=20241231T230000Z;BYDAY=MO")."""
    prop = first_property(event, "RRULE")
    if prop is None:
        return None
    text = str(prop) if isinstance(prop, vBroken) else prop.to_ical().decode("utf-8", "replace")
    return text.strip() or None


def read_organizer(event: Component) -> str | None:
    """ORGANIZER's common name, else its address without "mailto:"."""
    prop = first_property(event, "ORGANIZER")
    if prop is None:
        return None
    name = clean_text(parameter(prop, "CN"), 200)
    address = re.sub(r"^mailto:", "", str(prop).strip(), flags=re.IGNORECASE)
    return name or clean_text(address, 200) or None


def read_image_url(event: Component) -> str | None:
    """RFC 7986 IMAGE, else an ATTACH that is an image (by FMTTYPE or by its file name)."""
    for prop in all_properties(event, "IMAGE"):
        if url := http_url(str(prop)):
            return url
    for prop in all_properties(event, "ATTACH"):
        url = http_url(str(prop))
        fmttype = parameter(prop, "FMTTYPE").lower()
        if url and (fmttype.startswith("image/") or _IMAGE_PATH.search(url)):
            return url
    return None


def read_categories(event: Component) -> tuple[str, ...]:
    """Every CATEGORIES line, in order, stripped, without duplicates (case-insensitive)."""
    found: dict[str, str] = {}
    for prop in all_properties(event, "CATEGORIES"):
        values = getattr(prop, "cats", None)
        values = values if values is not None else unescape(str(prop)).split(",")
        for value in values:
            name = clean_text(str(value), 100)
            if name:
                found.setdefault(name.casefold(), name)
    return tuple(found.values())


def _property_warnings(event: Component, end_before_start: bool) -> list[str]:
    label = describe(event)
    said = []
    if end_before_start:
        said.append(Notice(f"Event {label}: the end is before the start; the start was used.",
                           code="ical.end_before_start", event=label))
    errors = getattr(event, "errors", ())
    broken = sorted({name for name, _message in errors if name in _CHECKED_PROPERTIES})
    said.extend(Notice(f"Event {label}: {name} cannot be read and was ignored.",
                       code="ical.property_unreadable", event=label, property=name)
                for name in broken)
    return said
