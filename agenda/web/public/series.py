"""The dates of a series as its page lists them (pure): the master's occurrences and those of its
overrides, a moved session at its new date (with the date it was planned on), a cancelled one
marked, and which page answers for a given day.

A series is stored as a master (``recurrence_id == ""``) and one event per override, keyed by
the RECURRENCE-ID (the planned start, ISO, UTC for a time); the collector hands each date to the
override that carries it, so the master's occurrences leave the moved and cancelled dates out.
EXDATE values (same ISO forms) are dates the organiser removed from the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from agenda.models import Event, Occurrence
from agenda.web.shared.dates import local_days

AROUND_BEFORE = 3  # dates shown before the featured one when the series is long
AROUND_AFTER = 7
SHOWN_WHOLE = 12  # a series of at most this many dates is listed whole


@dataclass(frozen=True)
class SeriesDate:
    occurrence: Occurrence
    event: Event  # the event this date belongs to: its page is this date's page
    day: date  # the local start day: the date's address
    planned: date | None = None  # the day it was planned on, when an override moved it
    cancelled: bool = False

    @property
    def moved(self) -> bool:
        return self.planned is not None


@dataclass(frozen=True)
class Around:
    """A window of a long series: the dates shown and how many are left out on each side."""

    dates: list[SeriesDate]
    earlier: int = 0
    later: int = 0


def series_dates(members: list[Event], tz: ZoneInfo) -> list[SeriesDate]:
    """Every stored date of the series, by start."""
    found = []
    for member in members:
        planned = _planned(member.recurrence_id)
        for occurrence in member.occurrences:
            moved = planned is not None and _start_of(occurrence) != planned
            found.append(SeriesDate(
                occurrence, member, local_days(occurrence, tz)[0],
                planned=_day_of(planned, tz) if moved else None,
                cancelled=member.status == "cancelled"))
    return sorted(found, key=lambda item: (item.occurrence.start_at, item.event.id))


def date_on(dates: list[SeriesDate], event_id: str, day: date) -> SeriesDate | None:
    """The date of event ``event_id`` on ``day``."""
    return next((d for d in dates if d.event.id == event_id and d.day == day), None)


def elsewhere_on(dates: list[SeriesDate], day: date) -> SeriesDate | None:
    """The date of the series that now answers for ``day``: one held that day by another member
    (an override), else the session planned that day and moved."""
    return (next((d for d in dates if d.day == day), None)
            or next((d for d in dates if d.planned == day), None))


def excluded_days(master: Event, tz: ZoneInfo) -> set[date]:
    """The local days the master's EXDATE removed from its rule."""
    days = set()
    for value in master.exdate or []:
        moment = _planned(str(value))
        if moment is not None:
            days.add(_day_of(moment, tz))
    return days


def around(dates: list[SeriesDate], featured: SeriesDate | None) -> Around:
    """The whole list when it is short, else a window around the featured date."""
    if len(dates) <= SHOWN_WHOLE or featured not in dates:
        shown = dates if len(dates) <= SHOWN_WHOLE else dates[:SHOWN_WHOLE]
        return Around(shown, 0, len(dates) - len(shown))
    index = dates.index(featured)
    first = max(0, min(index - AROUND_BEFORE, len(dates) - AROUND_BEFORE - AROUND_AFTER - 1))
    last = min(len(dates), first + AROUND_BEFORE + AROUND_AFTER + 1)
    return Around(dates[first:last], first, len(dates) - last)


def _planned(value: str) -> datetime | date | None:
    """A RECURRENCE-ID or EXDATE value: a UTC datetime, a date, or None (none, unreadable)."""
    text = (value or "").split("/")[0].strip()
    if not text:
        return None
    try:
        if "T" not in text:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _start_of(occurrence: Occurrence) -> datetime | date:
    if occurrence.all_day and occurrence.start_date:
        return occurrence.start_date
    return occurrence.start_at


def _day_of(moment: datetime | date, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date() if isinstance(moment, datetime) else moment
