"""Times of iCalendar events: calendar zones applied, start and end, ISO forms.

Rules (STYLE convention 9): X-WR-TIMEZONE turns Google's UTC times into the calendar's zone;
floating times are read in the region's zone; UTC stays UTC; TZID is honoured as icalendar
resolves it. All-day events keep ``date`` values with an exclusive end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

import x_wr_timezone
from icalendar import Calendar, Component, vDDDLists, vDDDTypes

from agenda.collectors.ical_all_day import all_day_values
from agenda.collectors.ical_values import (
    all_properties,
    decoded,
    first_property,
    parameter,
    property_time,
)
from agenda.collectors.normalize import as_aware, tz_name
from agenda.collectors.notice import Notice
from agenda.collectors.windows_zones import iana_zone

ONE_DAY = timedelta(days=1)
_UTC_NAMES = {"UTC", "Z", "GMT", "ETC/UTC"}


class UnusableEvent(ValueError):
    """A VEVENT we cannot turn into a record (it is skipped and counted)."""


@dataclass(frozen=True)
class EventTimes:
    start: datetime | date
    end: datetime | date
    all_day: bool
    timezone: str | None
    end_before_start: bool = False


class _FloatingTimesWalker(x_wr_timezone.CalendarWalker):
    """Reads floating times of every VEVENT in one zone, leaves the others alone."""

    def __init__(self, zone: ZoneInfo):
        self.zone = zone

    def walk_value_datetime(self, dt: datetime) -> datetime:
        return dt.replace(tzinfo=self.zone) if dt.tzinfo is None else dt


class _WindowsZonesWalker(x_wr_timezone.CalendarWalker):
    """Times whose TZID icalendar could not resolve (and left floating) placed in the IANA
    zone their Windows name stands for (windows_zones), on DTSTART, DTEND, RDATE, EXDATE and
    RECURRENCE-ID."""

    def walk_value_vDDDTypes(self, value):
        zone = _unresolved_zone(value.dt, value.params.get("TZID"))
        return vDDDTypes(value.dt.replace(tzinfo=zone)) if zone else value

    def walk_value_vDDDLists(self, values):
        tzid = values.params.get("TZID")
        if not any(_unresolved_zone(item.dt, tzid) for item in values.dts):
            return values
        zone = iana_zone(tzid)
        return vDDDLists([_placed(item.dt, zone) for item in values.dts])


def _unresolved_zone(value, tzid) -> ZoneInfo | None:
    if not isinstance(value, datetime) or value.tzinfo is not None or not tzid:
        return None
    return iana_zone(str(tzid))


def _placed(value, zone: ZoneInfo):
    return value.replace(tzinfo=zone) if isinstance(value, datetime) and not value.tzinfo \
        else value


def standardize_times(calendar: Calendar, default_tz: ZoneInfo, warnings: list[str]) -> Calendar:
    """The calendar with Windows zone names resolved, then X-WR-TIMEZONE applied, else
    floating times placed in ``default_tz``; all-day events' recurrence values made dates.

    With X-WR-TIMEZONE, UTC and floating times both move to the calendar's zone (Google's way).
    """
    calendar = _WindowsZonesWalker().walk(calendar)
    if calendar.get(x_wr_timezone.X_WR_TIMEZONE) is not None:
        try:
            return all_day_values(x_wr_timezone.to_standard(calendar))
        except (KeyError, ValueError, TypeError):
            name = str(calendar.get(x_wr_timezone.X_WR_TIMEZONE))[:100]
            warnings.append(Notice(f"The calendar time zone '{name}' is unknown; it was ignored.",
                                   code="ical.unknown_zone", zone=name))
    return all_day_values(_FloatingTimesWalker(default_tz).walk(calendar))


def read_times(event: Component, default_tz: ZoneInfo) -> EventTimes:
    """Start, end, all-day flag and zone name of a VEVENT; UnusableEvent without a start."""
    start = property_time(event, "DTSTART")
    if isinstance(start, datetime):
        start = as_aware(start, default_tz)
    elif not isinstance(start, date):
        raise UnusableEvent(Notice("it has no readable start date", code="ical.no_start"))
    end, backwards = _end_of(start, _raw_end(event, start), default_tz)
    all_day = not isinstance(start, datetime)
    zone = None if all_day else (_tzid(event) or tz_name(start))
    return EventTimes(start, end, all_day, zone, backwards)


def _raw_end(event: Component, start: datetime | date):
    end = property_time(event, "DTEND")
    if end is not None:
        return end
    duration = property_time(event, "DURATION")
    if isinstance(duration, timedelta):
        return start + duration
    return None


def _end_of(start, end, default_tz: ZoneInfo) -> tuple[datetime | date, bool]:
    """A usable end for ``start`` and whether the source's end came before the start."""
    if isinstance(start, datetime):
        if not isinstance(end, datetime):
            return start, False
        end = as_aware(end, default_tz)
        return (start, True) if end < start else (end, False)
    if isinstance(end, datetime):
        end = _day_after_last(end)
    if not isinstance(end, date) or end == start:
        return start + ONE_DAY, False  # no usable end, or an empty one: a one-day event
    return (start + ONE_DAY, True) if end < start else (end, False)


def _day_after_last(end: datetime) -> date:
    """The exclusive end date of an all-day event whose DTEND is a DATE-TIME (an Outlook leave:
    DTSTART;VALUE=DATE:20230724, DTEND:20230817T000000Z): midnight ends the day before, any
    later time ends that day; read on the clock it was written in."""
    return end.date() if end.time() == time.min else end.date() + ONE_DAY


def normalize_span(start, end, default_tz: ZoneInfo) -> tuple[datetime | date, datetime | date]:
    """Start and end of an occurrence as our model wants them (aware or all-day dates)."""
    if isinstance(start, datetime):
        start = as_aware(start, default_tz)
        if isinstance(end, date) and not isinstance(end, datetime):
            end = datetime.combine(end, time.min, start.tzinfo)
    return start, _end_of(start, end, default_tz)[0]


def _tzid(event: Component) -> str | None:
    return parameter(first_property(event, "DTSTART"), "TZID") or None


def iso_value(value, default_tz: tzinfo) -> str | None:
    """ISO form of a date (as is), a datetime (as UTC) or a period ("start/end")."""
    if isinstance(value, datetime):
        return as_aware(value, default_tz).astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], date):
        end = value[0] + value[1] if isinstance(value[1], timedelta) else value[1]
        first, last = iso_value(value[0], default_tz), iso_value(end, default_tz)
        return f"{first}/{last}" if first and last else None
    return None


def iso_dates(event: Component, name: str, default_tz: ZoneInfo) -> tuple[str, ...]:
    """Every value of RDATE or EXDATE (all their lines) in ISO form, in file order."""
    props = all_properties(event, name)
    values = (decoded(item, "dt") for prop in props for item in decoded(prop, "dts") or ())
    isos = (iso_value(value, default_tz) for value in values)
    return tuple(dict.fromkeys(iso for iso in isos if iso))


def iso_exdates(event: Component, start: datetime | date,
                default_tz: ZoneInfo) -> tuple[str, ...]:
    """EXDATE as ``iso_dates`` gives it, plus, for a value written in another zone than the
    start's, the same clock time in the start's zone.  recurring-ical-events (hence the
    occurrences we show) drops an occurrence whose instant or whose clock time an EXDATE gives
    (Exchange writes them in another zone); the export writes EXDATE in the series' zone, where
    only instants match, so both forms are kept for it to drop the same occurrences.  EXDATEs
    in UTC (Google's) are left alone: they name instants, and the clock times would only
    repeat them (and change the stored form of every such series)."""
    found = list(iso_dates(event, "EXDATE", default_tz))
    if not isinstance(start, datetime) or start.tzinfo is None:
        return tuple(found)
    values = (decoded(item, "dt") for prop in all_properties(event, "EXDATE")
              for item in decoded(prop, "dts") or ())
    for value in values:
        if _in_another_named_zone(value, start):
            found.append(iso_value(value.replace(tzinfo=start.tzinfo), default_tz))
    return tuple(dict.fromkeys(iso for iso in found if iso))


def _in_another_named_zone(value, start: datetime) -> bool:
    name = tz_name(value)  # None for a date or a floating time
    return name is not None and name.upper() not in _UTC_NAMES and name != tz_name(start)


def recurrence_id(event: Component, default_tz: ZoneInfo) -> str:
    """"" for a master or single event, the ISO form of RECURRENCE-ID for an override."""
    if "RECURRENCE-ID" not in event:
        return ""
    iso = iso_value(property_time(event, "RECURRENCE-ID"), default_tz)
    if not iso:
        raise UnusableEvent(Notice("its RECURRENCE-ID cannot be read",
                                   code="ical.recurrence_id_unreadable"))
    return iso
