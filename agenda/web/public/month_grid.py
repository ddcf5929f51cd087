"""The month as a calendar grid (pure): weeks from Monday to Sunday, each day with its first
events and how many more there are.

``days`` maps each day to the occurrences running that day (``month.days_of_month``); days of
the neighbouring months that fill the first and last weeks are shown empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from agenda.models import Occurrence

SHOWN_PER_DAY = 3


@dataclass(frozen=True)
class DayCell:
    day: date
    in_month: bool
    shown: list[Occurrence]
    more: int  # events of that day beyond ``shown``
    is_today: bool = False


def month_weeks(first: date, days: dict[date, list[Occurrence]], *, today: date | None = None,
                shown: int = SHOWN_PER_DAY) -> list[list[DayCell]]:
    """The weeks (Monday first) that hold the month starting on ``first``. A day with one
    event more than ``shown`` shows it rather than "+ 1 other"."""
    following = (first + timedelta(days=32)).replace(day=1)
    day = first - timedelta(days=first.weekday())
    weeks: list[list[DayCell]] = []
    while day < following:
        week = []
        for _ in range(7):
            items = days.get(day, []) if first <= day < following else []
            keep = len(items) if len(items) <= shown + 1 else shown
            week.append(DayCell(day, first <= day < following, items[:keep],
                                len(items) - keep, day == today))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks
