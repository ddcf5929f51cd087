"""How many occurrences a repeat rule can make, known before expanding it (pure).

The bound comes from the rule alone: FREQ and INTERVAL give the shortest period, the sizes of
the BY* lists that expand a period (BYHOUR in a daily rule, BYDAY in a weekly one...) give the
most occurrences one period can hold, COUNT and UNTIL end it. Lists that only filter (BYMONTH
in a daily rule) are counted as keeping everything, so the figure is an upper bound: a rule
under the budget by this measure is safe to expand in full.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from agenda.collectors.normalize import to_utc

FREQUENCIES = ("SECONDLY", "MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_SHORTEST_PERIOD = {
    "SECONDLY": timedelta(seconds=1), "MINUTELY": timedelta(minutes=1),
    "HOURLY": timedelta(hours=1), "DAILY": timedelta(days=1), "WEEKLY": timedelta(weeks=1),
    "MONTHLY": timedelta(days=28), "YEARLY": timedelta(days=365),
}
_TIME_PARTS = (("BYSECOND", "MINUTELY"), ("BYMINUTE", "HOURLY"), ("BYHOUR", "DAILY"))
_ORDINAL = re.compile(r"[+-]?\d")
MAX_PER_PERIOD = 10**9


@dataclass(frozen=True)
class RulePace:
    """What a rule makes: at most ``per_period`` occurrences every ``period``."""

    freq: str
    period: timedelta
    per_period: int
    count: int | None = None
    until: datetime | date | None = None

    def per_hour(self) -> float:
        return self.per_period * timedelta(hours=1) / self.period


def pace_of(rule) -> RulePace | None:
    """The pace of one RRULE (a vRecur or any mapping of part -> list); None if unreadable."""
    try:
        freq = str(_first(rule, "FREQ")).upper()
        interval = max(1, int(_first(rule, "INTERVAL") or 1))
        count = _first(rule, "COUNT")
        count = None if count is None else max(0, int(count))
    except (TypeError, ValueError):
        return None
    if freq not in FREQUENCIES:
        return None
    per_period = min(MAX_PER_PERIOD, _time_factor(rule, freq) * _day_factor(rule, freq))
    if rule.get("BYSETPOS"):
        per_period = min(per_period, len(_list(rule, "BYSETPOS")))
    until = _first(rule, "UNTIL")
    return RulePace(freq, _SHORTEST_PERIOD[freq] * interval, per_period, count,
                    until if isinstance(until, date) else None)


def occurrences_between(pace: RulePace, dtstart: datetime | date, start: datetime,
                        end: datetime, zone: tzinfo) -> int:
    """At most how many occurrences the rule starting at ``dtstart`` makes in [start, end)."""
    first = max(to_utc(dtstart, zone), start)
    last = end if pace.until is None else min(end, to_utc(pace.until, zone) + timedelta(days=1))
    if last <= first:
        return 0
    periods = math.ceil((last - first) / pace.period) + 1
    total = periods * pace.per_period
    return total if pace.count is None else min(total, pace.count)


def _time_factor(rule, freq: str) -> int:
    rank = FREQUENCIES.index(freq)
    factor = 1
    for part, coarsest_filtered in _TIME_PARTS:
        if rank >= FREQUENCIES.index(coarsest_filtered):
            factor *= max(1, len(set(_list(rule, part))))
    return factor


def _day_factor(rule, freq: str) -> int:
    """At most how many days of one period a rule keeps (1 for daily and finer rules)."""
    by_day = _list(rule, "BYDAY")
    month_days = len(set(_list(rule, "BYMONTHDAY")))
    if freq == "WEEKLY":
        return min(7, max(1, len(set(by_day))))
    if freq == "MONTHLY":
        return _days_in_months(by_day, month_days, months=1, weeks=5)
    if freq != "YEARLY":
        return 1
    if rule.get("BYYEARDAY"):
        return min(366, len(set(_list(rule, "BYYEARDAY"))))
    if rule.get("BYWEEKNO"):
        return min(366, len(set(_list(rule, "BYWEEKNO"))) * max(1, min(7, len(by_day) or 7)))
    months = len(set(_list(rule, "BYMONTH")))
    if months or month_days:
        return _days_in_months(by_day, month_days, months=months or 12, weeks=5)
    return _days_in_months(by_day, 0, months=1, weeks=53)


def _days_in_months(by_day: list, month_days: int, *, months: int, weeks: int) -> int:
    weekdays = sum(1 if _ORDINAL.match(str(day)) else weeks for day in by_day)
    if weekdays and month_days:
        per_month = min(weekdays, month_days)
    else:
        per_month = weekdays or month_days or 1
    return min(366, months * per_month)


def _list(rule, part: str) -> list:
    values = rule.get(part) or []
    return values if isinstance(values, list) else [values]


def _first(rule, part: str):
    values = _list(rule, part)
    return values[0] if values else None
