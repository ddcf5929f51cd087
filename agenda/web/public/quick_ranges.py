"""The quick ranges of a listing (pure): today, this weekend, this week, this month, as the
dates they set (from today on: what is over is not offered)."""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from agenda.web.shared.i18n import N_

SATURDAY, SUNDAY = 5, 6
RANGES = (("today", N_("Today")), ("weekend", N_("This weekend")), ("week", N_("This week")),
          ("month", N_("This month")))


@dataclass(frozen=True)
class QuickRange:
    key: str
    label: str  # an N_() msgid: the template translates it
    start: date
    end: date


def range_dates(key: str, today: date) -> tuple[date, date]:
    """The first and last days (inclusive) of the range ``key`` as of ``today``."""
    if key == "today":
        return today, today
    if key == "weekend":
        saturday = today + timedelta(days=max(SATURDAY - today.weekday(), 0))
        return max(saturday, today), saturday + timedelta(days=SUNDAY - saturday.weekday())
    if key == "week":
        return today, today + timedelta(days=SUNDAY - today.weekday())
    if key == "month":
        return today, today.replace(day=monthrange(today.year, today.month)[1])
    raise ValueError(key)


def quick_ranges(today: date) -> list[QuickRange]:
    return [QuickRange(key, label, *range_dates(key, today)) for key, label in RANGES]
