"""Reading the dates found in feed items, and turning a start and an end into one Occurrence.

Feeds write dates in many ways, and feedparser only reads the ones it knows (it reads ``CET`` as
UTC and does not read ``+01`` offsets), so the raw strings are read here:

- W3CDTF / ISO 8601, extended or basic form: ``2025-06-14``, ``2025-06-14T10:00:00Z``,
  ``2025-06-14T10:00+02:00``, ``2025-06-14 10:00:00+0200``, ``2025-06-14T10:00+02``,
  ``20250614T100000Z`` (the iCalendar form used by xCal);
- RFC 822 as in RSS: ``Sat, 14 Jun 2025 10:00:00 +0200``, with zone names (``GMT``, ``CET``,
  ``CEST``...), and French month names (``14 juin 2025 10:00``).

A date without a time is an all-day date (``date``); a time without zone is floating and read in
the region's zone. Anything else (``June 5 @ 8:00 pm``, a month alone...) is not read: a date is
never guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from agenda.collectors.normalize import as_aware
from agenda.collectors.notice import Notice
from agenda.records import Occurrence

END_BEFORE_START = Notice("its end is before its start; the end was ignored",
                          code="feed.end_before_start")
_ZONE = r"(?P<zone>[^\W\d_]{1,5}|[+-]\d{2}(?::?\d{2})?)"
_ISO = re.compile(
    r"(?P<y>\d{4})-?(?P<mo>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<h>\d{2}):?(?P<mi>\d{2})(?::?(?P<s>\d{2})(?:[.,]\d+)?)?\s*" + _ZONE + r"?)?",
    re.IGNORECASE,
)
_RFC822 = re.compile(
    r"(?:[^\W\d_]{2,9}\.?,?\s+)?(?P<d>\d{1,2})\s+(?P<mon>[^\W\d_]{3,9})\.?\s+(?P<y>\d{4}|\d{2})"
    r"(?:,?\s+(?P<h>\d{1,2})[:h](?P<mi>\d{2})(?::(?P<s>\d{2}))?(?:\s*" + _ZONE + r")?)?"
)
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})?")

# Zone names seen in feeds, in minutes east of UTC. HNEC/HAEC are the French names of CET/CEST.
ZONE_NAMES = {
    "Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0, "WEST": 60, "BST": 60,
    "CET": 60, "MET": 60, "HNEC": 60, "CEST": 120, "MEST": 120, "HAEC": 120,
    "EET": 120, "EEST": 180, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
}
# Month name prefixes, English and French; "juin"/"juil" before "jun"/"jul" on purpose.
_MONTHS = (
    ("juin", 6), ("juil", 7), ("jun", 6), ("jul", 7), ("jan", 1), ("feb", 2), ("fév", 2),
    ("fev", 2), ("mar", 3), ("apr", 4), ("avr", 4), ("may", 5), ("mai", 5), ("aug", 8),
    ("aoû", 8), ("aou", 8), ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12), ("déc", 12),
)


def parse_feed_date(text: str | None, default_tz: ZoneInfo) -> datetime | date | None:
    """The date (all-day) or aware datetime written in ``text``; ``None`` when it can't be read."""
    if not text or not isinstance(text, str):
        return None
    value = " ".join(text.split())
    match = _ISO.fullmatch(value) or _RFC822.fullmatch(value)
    if not match:
        return None
    try:
        return _build(match.groupdict(), default_tz)
    except ValueError:  # 31 February, 25 o'clock...
        return None


def _build(parts: dict, default_tz: ZoneInfo) -> datetime | date | None:
    month = int(parts["mo"]) if parts.get("mo") else _month_number(parts["mon"])
    if month is None:
        return None
    year = int(parts["y"])
    if year < 100:
        year += 2000
    day = date(year, month, int(parts["d"]))
    if parts["h"] is None:
        return day
    clock = time(int(parts["h"]), int(parts["mi"]), int(parts["s"] or 0))
    moment = datetime.combine(day, clock)
    if parts["zone"] is None:
        return as_aware(moment, default_tz)
    zone = zone_of(parts["zone"])
    return moment.replace(tzinfo=zone) if zone else None


def _month_number(name: str) -> int | None:
    name = name.lower()
    return next((number for prefix, number in _MONTHS if name.startswith(prefix)), None)


def zone_of(text: str) -> tzinfo | None:
    """A fixed zone for ``Z``, ``+01``, ``+0100``, ``+01:00`` or a known name; else ``None``."""
    named = ZONE_NAMES.get(text.upper())
    if named is not None:
        return _fixed(named)
    match = _OFFSET.fullmatch(text)
    if not match:
        return None
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes > 59:
        return None
    return _fixed((hours * 60 + minutes) * (-1 if sign == "-" else 1))


def _fixed(minutes: int) -> tzinfo:
    return timezone.utc if minutes == 0 else timezone(timedelta(minutes=minutes))


def build_occurrence(start: datetime | date, end: datetime | date | None, *,
                     end_inclusive: bool) -> tuple[Occurrence, str | None]:
    """One Occurrence from a start and an optional end, plus a warning when the end was wrong.

    ``end_inclusive`` says how a date-only end is meant: the RSS event module's ``ev:enddate``
    is written by people as the last day of the event (``2025-06-14`` to ``2025-06-15`` is a
    two-day event), while xCal follows iCalendar, where DTEND is exclusive. Our all-day ends
    are exclusive, as in iCalendar.

    A start at 00:00 with an end at 23:59 (how WordPress plugins store all-day events) is an
    all-day event. No end: a timed event ends when it starts, an all-day event lasts one day.
    An end before the start is dropped with a warning.
    """
    if isinstance(start, datetime) and isinstance(end, datetime) and _spans_whole_days(start, end):
        start, end, end_inclusive = start.date(), end.date(), True
    if isinstance(start, datetime):
        return _timed(start, end, end_inclusive)
    return _all_day(start, end, end_inclusive)


def _spans_whole_days(start: datetime, end: datetime) -> bool:
    same_zone = start.tzinfo == end.tzinfo or start.utcoffset() == end.utcoffset()
    return (same_zone and start.time() == time(0, 0) and (end.hour, end.minute) == (23, 59)
            and end.date() >= start.date())


def _timed(start: datetime, end: datetime | date | None,
           end_inclusive: bool) -> tuple[Occurrence, str | None]:
    if end is None:
        return Occurrence(start, start), None
    if not isinstance(end, datetime):  # a date: the event runs until that day is over
        last_day = end + timedelta(days=1) if end_inclusive else end
        end = datetime.combine(last_day, time(0, 0), tzinfo=start.tzinfo)
    if end < start:
        return Occurrence(start, start), END_BEFORE_START
    return Occurrence(start, end), None


def _all_day(start: date, end: datetime | date | None,
             end_inclusive: bool) -> tuple[Occurrence, str | None]:
    one_day = start + timedelta(days=1)
    if end is None:
        return Occurrence(start, one_day, all_day=True), None
    if isinstance(end, datetime):  # the day on which it ends is the last day
        end, end_inclusive = end.date(), True
    if end < start:
        return (Occurrence(start, one_day, all_day=True),
                END_BEFORE_START)
    exclusive = end + timedelta(days=1) if end_inclusive else end
    return Occurrence(start, max(exclusive, one_day), all_day=True), None
