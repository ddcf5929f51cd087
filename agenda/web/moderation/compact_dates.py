"""A proposal's dates on one short line, for the moderation queue (pure: Babel only).

French: "13 nov. 2027, 14 h – 18 h", "1er déc. 2027, 9 h 30 – 12 h", "27–29 nov. 2026".
English: "Nov 13, 2027, 2 – 6 PM", "Dec 1, 2027, 9:30 AM – 12:00 PM", "Nov 27 – 29, 2026".
The proposal's dates are the region's wall-clock times as typed ("2027-11-13T14:00").
"""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_interval

NBSP = "\u00a0"
DASH = " – "


def compact_when(data: dict, locale: str) -> str:
    """The dates of an event proposal's ``data`` ('' when its start does not read)."""
    try:
        start = _moment(str(data.get("start") or ""))
        end = _moment(str(data.get("end") or "")) if data.get("end") else None
    except ValueError:
        return ""
    if data.get("all_day") or not isinstance(start, datetime):
        return _days(_day(start), _day(end) if end else _day(start), locale)
    if not isinstance(end, datetime) or end <= start:
        return f"{short_date(start.date(), locale)}, {time_text(start.time(), locale)}"
    if end.date() == start.date():
        return f"{short_date(start.date(), locale)}, {hours(start.time(), end.time(), locale)}"
    return (f"{short_date(start.date(), locale)}, {time_text(start.time(), locale)}{DASH}"
            f"{short_date(end.date(), locale)}, {time_text(end.time(), locale)}")


def _moment(value: str) -> datetime | date:
    return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value[:10])


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def short_date(day: date, locale: str) -> str:
    """'13 nov. 2027' ('1er' on the first) / 'Nov 13, 2027'."""
    if locale == "fr":
        return f"{first_or_number(day)} {format_date(day, 'MMM y', locale=locale)}"
    return format_date(day, "medium", locale=locale)


def first_or_number(day: date) -> str:
    return "1er" if day.day == 1 else str(day.day)


def time_text(moment: time, locale: str) -> str:
    """'14 h', '14 h 30' / '2 PM', '2:30 PM'."""
    if locale == "fr":
        return f"{moment.hour}{NBSP}h" + (f"{NBSP}{moment.minute:02d}" if moment.minute else "")
    return format_interval(moment, moment, "h" if not moment.minute else "hm", locale=locale)


def hours(start: time, end: time, locale: str) -> str:
    """'14 h – 18 h' / '2 – 6 PM' (Babel's interval: the day period said once)."""
    if locale == "fr":
        return f"{time_text(start, locale)}{DASH}{time_text(end, locale)}"
    skeleton = "h" if not (start.minute or end.minute) else "hm"
    return format_interval(start, end, skeleton, locale=locale)


def _days(first: date, last: date, locale: str) -> str:
    """One day, or a range of days (the end as typed: inclusive)."""
    if last <= first:
        return short_date(first, locale)
    if locale != "fr":
        return format_interval(first, last, "yMMMd", locale=locale)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first_or_number(first)}–{short_date(last, locale)}"
    if first.year == last.year:
        return (f"{first_or_number(first)} {format_date(first, 'MMM', locale=locale)}"
                f"{DASH}{short_date(last, locale)}")
    return f"{short_date(first, locale)}{DASH}{short_date(last, locale)}"
