"""Dates and times as the pages write them, in the page's language and the region's zone.

French typography: "samedi 1er novembre 2026" (1er on the first of the month), "14 h",
"14 h 30" (no-break spaces), "du vendredi 27 au dimanche 29 novembre 2026" (month and year said
once); English keeps Babel's formats ("Saturday, November 1, 2026", "2:30 PM").
Occurrences are stored in UTC; all-day ones carry their dates (end exclusive, as in iCalendar).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import format_date, format_time, gettext, to_user_timezone

from agenda.models import Occurrence
from agenda.web.shared.i18n import current_language

NBSP = "\u00a0"
# French patterns by how much of the date is said: Babel's "full" and "long", or a part of them
_FRENCH = {"full": "EEEE d MMMM y", "long": "d MMMM y", "medium": "d MMM y",
           "weekday_month": "EEEE d MMMM", "weekday": "EEEE d", "day_month": "d MMMM"}
_ENGLISH = {"full": "full", "long": "long", "medium": "medium", "weekday_month": "EEEE, MMMM d",
            "weekday": "EEEE, MMMM d", "day_month": "MMMM d"}


def date_label(day: date, form: str = "full") -> str:
    """``day`` in one of the forms of ``_FRENCH``: 'samedi 1er novembre 2026' (full),
    '1er novembre 2026' (long), '1er nov. 2026' (medium), 'samedi 1er novembre', 'samedi 1er',
    '1er novembre'."""
    if current_language() != "fr":
        return format_date(day, _ENGLISH[form])
    pattern = _FRENCH[form]
    if day.day == 1:
        pattern = pattern.replace("d", "d'er'", 1)
    return format_date(day, pattern)


def day_label(day: date) -> str:
    """'samedi 1er novembre 2026' / 'Saturday, November 1, 2026'."""
    return date_label(day, "full")


def month_label(day: date) -> str:
    """'novembre 2026' / 'November 2026'."""
    return format_date(day, "LLLL y")


def clock_label(moment: time) -> str:
    """'14 h', '14 h 30' (no-break spaces) / '2:30 PM', for a local time of day."""
    if current_language() == "fr":
        minutes = f"{NBSP}{moment.minute:02d}" if moment.minute else ""
        return f"{moment.hour}{NBSP}h{minutes}"
    return format_time(moment, "short", rebase=False)


def time_label(moment: datetime, tz: ZoneInfo) -> str:
    """'18 h' / '6:00 PM', in ``tz``."""
    return clock_label(moment.astimezone(tz).time())


def span_label(first: date, last: date) -> str:
    """'Du samedi 1er au lundi 3 novembre 2026' / 'From Saturday, November 1 to Monday,
    November 3, 2026': the month and the year are said once when they are shared."""
    if first.year != last.year:
        start = date_label(first)
    elif first.month != last.month or current_language() != "fr":
        start = date_label(first, "weekday_month")
    else:
        start = date_label(first, "weekday")
    return gettext("From %(first)s to %(last)s", first=start, last=date_label(last))


def stamp_label(moment: datetime | None) -> str:
    """A recorded instant (a collection, a decision) in the region's zone:
    '6 décembre 2026, 14 h 30' / 'Dec 6, 2026, 2:30 PM'; '—' when there is none."""
    if moment is None:
        return "—"
    local = to_user_timezone(moment)
    day = date_label(local.date(), "long") if current_language() == "fr" \
        else format_date(local.date(), "medium")
    return f"{day}, {clock_label(local.time())}"


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
    """The times of a listing line: '18 h – 20 h 30', 'All day', 'until Sunday...'."""
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
        return span_label(first, last)
    start, end = time_label(occurrence.start_at, tz), time_label(occurrence.end_at, tz)
    if first != last:
        shared_year = first.year == last.year
        return gettext("From %(first)s, %(start)s to %(last)s, %(end)s", start=start, end=end,
                       first=date_label(first, "weekday_month" if shared_year else "full"),
                       last=day_label(last))
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
