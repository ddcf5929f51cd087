"""Dates and times as the pages write them, in the page's language and the region's zone.

"samedi 21 novembre 2026", "18:00", "du vendredi 27 au dimanche 29 novembre 2026"...
Occurrences are stored in UTC; all-day ones carry their dates (end exclusive, as in iCalendar).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_time, gettext

from agenda.models import Occurrence


def day_label(day: date) -> str:
    """'samedi 21 novembre 2026' / 'Saturday, November 21, 2026'."""
    return format_date(day, "full")


def month_label(day: date) -> str:
    """'novembre 2026' / 'November 2026'."""
    return format_date(day, "LLLL y")


def time_label(moment: datetime, tz: ZoneInfo) -> str:
    """'18:00' / '6:00 PM', in ``tz``."""
    return format_time(moment.astimezone(tz).time(), "short", rebase=False)


def local_days(occurrence: Occurrence, tz: ZoneInfo) -> tuple[date, date]:
    """The first and last day (inclusive) the occurrence covers, in ``tz``."""
    if occurrence.all_day and occurrence.start_date:
        last = (occurrence.end_date or occurrence.start_date) - timedelta(days=1)
        return occurrence.start_date, max(last, occurrence.start_date)
    start = occurrence.start_at.astimezone(tz)
    end = occurrence.end_at.astimezone(tz)
    last = (end - timedelta(microseconds=1)).date() if end > start else start.date()
    return start.date(), last


def hours_text(occurrence: Occurrence, tz: ZoneInfo) -> str:
    """The times of a listing line: '18:00 – 20:00', 'All day', 'until Sunday...'."""
    first, last = local_days(occurrence, tz)
    if occurrence.all_day:
        if first == last:
            return gettext("All day")
        return gettext("Until %(day)s", day=day_label(last))
    start = time_label(occurrence.start_at, tz)
    if first != last:
        return gettext("%(time)s, until %(day)s", time=start, day=day_label(last))
    if occurrence.end_at <= occurrence.start_at:
        return start
    return f"{start} – {time_label(occurrence.end_at, tz)}"


def when_text(occurrence: Occurrence, tz: ZoneInfo) -> str:
    """The whole date of an occurrence, for the event page."""
    first, last = local_days(occurrence, tz)
    if occurrence.all_day:
        if first == last:
            return gettext("%(day)s, all day", day=day_label(first))
        return gettext("From %(first)s to %(last)s", first=day_label(first), last=day_label(last))
    start, end = time_label(occurrence.start_at, tz), time_label(occurrence.end_at, tz)
    if first != last:
        return gettext("From %(first)s, %(start)s to %(last)s, %(end)s", first=day_label(first),
                       start=start, last=day_label(last), end=end)
    if occurrence.end_at <= occurrence.start_at:
        return gettext("%(day)s at %(time)s", day=day_label(first), time=start)
    return gettext("%(day)s, %(start)s – %(end)s", day=day_label(first), start=start, end=end)


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant a local day starts."""
    return datetime.combine(day, time.min, tz).astimezone(timezone.utc)


def now_utc() -> datetime:
    """The current instant (tests set ``_clock`` to freeze it)."""
    return _clock()


def today_in(tz: ZoneInfo) -> date:
    return now_utc().astimezone(tz).date()


def _system_clock() -> datetime:
    return datetime.now(timezone.utc)


_clock = _system_clock
