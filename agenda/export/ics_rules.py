"""Recurrence properties written back from what we stored (pure).

The collector keeps RRULE as the source wrote it and RDATE, EXDATE and RECURRENCE-ID as ISO
strings (dates as is, date-times in UTC, periods "start/end").  Here they are written in the
series' own zone, so that an application expands them as the source did.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from agenda.export.ics_text import date_value, is_utc, local_value, time_property, utc_value

_RRULE = re.compile(r"[A-Z0-9=;,+\-]+")
_UNTIL = re.compile(r"UNTIL=(\d{8}T\d{6})(Z?)")


def rrule_line(rule: str, zone: ZoneInfo | None) -> str | None:
    """``RRULE:...`` with a floating UNTIL made UTC (RFC 5545 wants UTC with a TZID start);
    None when the stored rule holds anything a rule cannot (it would break the line)."""
    text = rule.strip().upper()
    if text.startswith("RRULE:"):
        text = text[len("RRULE:"):]
    if not _RRULE.fullmatch(text) or "FREQ=" not in text:
        return None
    if zone is not None:
        text = _UNTIL.sub(lambda m: _until_utc(m, zone), text)
    return f"RRULE:{text}"


def _until_utc(match: re.Match, zone: ZoneInfo) -> str:
    if match.group(2):
        return match.group(0)
    local = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=zone)
    return f"UNTIL={utc_value(local)}"


def recurrence_id_line(value: str, zone: ZoneInfo | None) -> str:
    """RECURRENCE-ID in the master's form: a DATE, or a DATE-TIME in the master's zone."""
    parsed = parse_iso(value.split("/", 1)[0])
    if isinstance(parsed, datetime):
        return time_property("RECURRENCE-ID", parsed, zone or ZoneInfo("UTC"))
    return f"RECURRENCE-ID;VALUE=DATE:{date_value(parsed)}"


def date_lines(name: str, values, zone: ZoneInfo | None, default_tz: ZoneInfo) -> list[str]:
    """RDATE or EXDATE lines: date-times in the series' zone (UTC for an all-day series),
    dates as DATE values, periods as UTC PERIOD values."""
    times, days, periods = [], [], []
    for value in values:
        try:
            if "/" in value:
                first, last = (parse_iso(part) for part in value.split("/", 1))
                periods.append(f"{utc_value(_instant(first, default_tz))}/"
                               f"{utc_value(_instant(last, default_tz))}")
            elif isinstance(parsed := parse_iso(value), datetime):
                times.append(parsed)
            else:
                days.append(date_value(parsed))
        except (TypeError, ValueError):
            continue  # unreadable stored value: left out rather than written broken
    return _lines(name, times, days, periods, zone)


def _lines(name, times, days, periods, zone) -> list[str]:
    lines = []
    if times and zone is not None and not is_utc(zone):
        lines.append(f"{name};TZID={zone.key}:" + ",".join(local_value(t, zone) for t in times))
    elif times:
        lines.append(f"{name}:" + ",".join(utc_value(t) for t in times))
    if days:
        lines.append(f"{name};VALUE=DATE:" + ",".join(days))
    if periods and name == "RDATE":
        lines.append("RDATE;VALUE=PERIOD:" + ",".join(periods))
    return lines


def parse_iso(value: str) -> date | datetime:
    """A stored ISO value: a date, or an aware date-time (a naive one is taken as UTC)."""
    text = str(value).strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _instant(value: date | datetime, default_tz: ZoneInfo) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=default_tz)
