"""One stored event -> the text of its VEVENT (pure; the caller caches the result).

The UID is the series' (``<master event id>@agenda-commun``), so it never changes across
regenerations and collections; an override carries its master's UID and a RECURRENCE-ID.
DTSTAMP and LAST-MODIFIED are the event's last change (no METHOD is written, so DTSTAMP is
"when the information was last revised", RFC 5545 §3.8.7.2), which keeps the text stable.
Times are written in the event's own zone (its original TZID), so a calendar application
expands RRULE, RDATE and EXDATE exactly as the source meant them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agenda.export.ics_places import location_text, organizer_line
from agenda.export.ics_rules import date_lines, recurrence_id_line, rrule_line
from agenda.export.ics_text import (
    CRLF,
    date_value,
    escape_text,
    fold,
    is_utc,
    time_property,
    uri_value,
    utc_value,
)

UID_DOMAIN = "agenda-commun"
_STATUSES = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}


class ExportItem(NamedTuple):
    """One VEVENT to write: an event row, the UID of its series, how it goes out (a named
    tuple: ten thousand of them are made for a big calendar)."""

    row: object  # a Row (or an Event) with the columns of ``events``
    uid: str
    series_zone: ZoneInfo | None  # the master's zone, for RECURRENCE-ID (None: all-day)
    cancelled: bool = False  # removed from its source: written STATUS:CANCELLED

    @property
    def cache_key(self) -> tuple:
        row = self.row
        zone = self.series_zone.key if self.series_zone else None
        return (row.id, row.sequence, row.updated_at, self.uid, zone, self.cancelled)


@dataclass(frozen=True)
class IcsContext:
    """What the text depends on besides the row: constant for a process."""

    default_tz: ZoneInfo  # the zone dates of all-day events were stored in
    theme_labels: dict  # slug -> label written in CATEGORIES


@dataclass(frozen=True)
class Vevent:
    data: bytes  # folded lines, CRLF-terminated, UTF-8
    zones: frozenset[str]  # TZIDs it refers to (a VTIMEZONE is needed for each)


def series_uid(event_id: str) -> str:
    return f"{event_id}@{UID_DOMAIN}"


def event_zone(row, default: ZoneInfo) -> ZoneInfo | None:
    """The zone a timed event is written in: its own when known, else the region's."""
    if row.all_day:
        return None
    if row.timezone:
        try:
            return ZoneInfo(row.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return default


def vevent(item: ExportItem, ctx: IcsContext) -> Vevent:
    row = item.row
    zone = event_zone(row, ctx.default_tz)
    stamp = utc_value(row.updated_at)
    status = "CANCELLED" if item.cancelled else _STATUSES.get(row.status, "CONFIRMED")
    lines = [  # lines of data from the source are folded; the others are always short
        f"BEGIN:VEVENT\r\nUID:{escape_text(item.uid)}\r\nDTSTAMP:{stamp}\r\n"
        f"CREATED:{utc_value(row.created_at)}\r\nLAST-MODIFIED:{stamp}\r\n"
        f"SEQUENCE:{max(0, row.sequence or 0)}",
        *_time_lines(row, zone, ctx.default_tz),
        *map(fold, _recurrence_lines(row, item, zone, ctx.default_tz)),
        fold(f"SUMMARY:{escape_text(row.title or '')}"),
        *map(fold, _optional_lines(row, ctx)),
        f"STATUS:{status}\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n",
    ]
    return Vevent(CRLF.join(lines).encode("utf-8"), _zones(item, zone))


def vevent_zones(item: ExportItem, ctx: IcsContext) -> frozenset[str]:
    """The TZIDs the VEVENT of ``item`` refers to, without writing it (for a stored text)."""
    return _zones(item, event_zone(item.row, ctx.default_tz))


def _zones(item: ExportItem, zone: ZoneInfo | None) -> frozenset[str]:
    return frozenset(z.key for z in (zone, item.series_zone if item.row.recurrence_id else None)
                     if z is not None and not is_utc(z))


def _time_lines(row, zone: ZoneInfo | None, default_tz: ZoneInfo) -> list[str]:
    if zone is None:
        first = row.start_at.astimezone(default_tz).date()
        last = row.end_at.astimezone(default_tz).date()
        last = last if last > first else first + timedelta(days=1)
        return [f"DTSTART;VALUE=DATE:{date_value(first)}", f"DTEND;VALUE=DATE:{date_value(last)}"]
    end = max(row.end_at, row.start_at)
    return [time_property("DTSTART", row.start_at, zone), time_property("DTEND", end, zone)]


def _recurrence_lines(row, item: ExportItem, zone: ZoneInfo | None, default_tz) -> list[str]:
    if not (row.recurrence_id or row.rrule or _has_items(row.rdate) or _has_items(row.exdate)):
        return []  # a single event: most of them
    lines = []
    if row.recurrence_id:
        lines.append(recurrence_id_line(row.recurrence_id, item.series_zone or zone))
    if row.rrule:
        lines.extend(filter(None, [rrule_line(row.rrule, zone)]))
    lines += date_lines("RDATE", json_list(row.rdate), zone, default_tz)
    lines += date_lines("EXDATE", json_list(row.exdate), zone, default_tz)
    return lines


def _optional_lines(row, ctx: IcsContext) -> list[str]:
    lines = []
    if row.description_text:
        lines.append(f"DESCRIPTION:{escape_text(row.description_text)}")
    place = location_text(row)
    if place:
        lines.append(f"LOCATION:{escape_text(place)}")
    if _valid_point(row.lat, row.lon):
        lines.append(f"GEO:{row.lat:.6f};{row.lon:.6f}")
    categories = _categories(row, ctx.theme_labels)
    if categories:
        lines.append("CATEGORIES:" + ",".join(map(escape_text, categories)))
    for name, value in (("URL", row.url), ("CONFERENCE", row.online_url),
                        ("IMAGE", row.image_url)):
        uri = uri_value(value)
        if uri:
            lines.append(f"{name}:{uri}" if name == "URL" else f"{name};VALUE=URI:{uri}")
    if row.organizer:
        lines.append(organizer_line(row.organizer))
    return lines


def _categories(row, theme_labels: dict) -> list[str]:
    names: dict[str, str] = {}
    themes = (theme_labels.get(t, "") for t in json_list(row.themes))
    for name in [*json_list(row.categories), *themes]:
        text = " ".join(str(name).split())
        if text:
            names.setdefault(text.casefold(), text)
    return list(names.values())


def json_list(value) -> list:
    """A JSON list column as the driver gave it (text on SQLite) or already decoded."""
    if isinstance(value, (list, tuple)):
        return list(value)
    if not value or value == "[]":
        return []
    decoded = json.loads(value)
    return decoded if isinstance(decoded, list) else []


def _has_items(value) -> bool:
    return bool(value) and value != "[]"


def _valid_point(lat, lon) -> bool:
    return (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            and -90 <= lat <= 90 and -180 <= lon <= 180)
