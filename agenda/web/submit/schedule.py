"""When a proposed event takes place, and the rules it must follow (pure).

Times are wall-clock times in the region's zone.  An event may not start more than a day ago
nor more than two years ahead, may not end before it starts nor last more than 60 days; a
repetition needs its last date, at most a year after the first.  Each problem names the field
it belongs to, so that the form shows it next to that field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.web.shared.i18n import N_

PAST_GRACE = timedelta(days=1)
FUTURE_LIMIT = timedelta(days=730)
LONGEST = timedelta(days=60)
REPEAT_LIMIT = timedelta(days=365)
SANE_SPAN = timedelta(days=3660)  # dates beyond this are refused before any computation
REPEAT_GAP = {"weekly": timedelta(days=7), "monthly": timedelta(days=28)}


@dataclass(frozen=True)
class Schedule:
    all_day: bool
    start_date: date | None
    start_time: time | None = None
    end_date: date | None = None
    end_time: time | None = None
    recurrence: str = ""
    until: date | None = None


@dataclass(frozen=True)
class Problem:
    field: str
    message: str  # an English msgid (translated when shown)
    params: dict = field(default_factory=dict)


def bounds(schedule: Schedule, tz: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The start and (exclusive) end as instants, or None when a part is missing."""
    first, last = schedule.start_date, schedule.end_date or schedule.start_date
    if first is None:
        return None
    if schedule.all_day:
        return _midnight(first, tz), _midnight(last + timedelta(days=1), tz)
    if schedule.start_time is None or schedule.end_time is None:
        return None
    return (datetime.combine(first, schedule.start_time, tz),
            datetime.combine(last, schedule.end_time, tz))


def schedule_problems(schedule: Schedule, *, now: datetime, tz: ZoneInfo) -> list[Problem]:
    """What is wrong with the dates (empty when they can be published)."""
    missing = _missing_parts(schedule) + _far_dates(schedule, now)
    if missing or schedule.start_date is None:
        return missing
    start, end = bounds(schedule, tz)
    problems = _order_problems(start, end, schedule) + _window_problems(start, now)
    return problems + _repeat_problems(schedule, end - start)


def _missing_parts(schedule: Schedule) -> list[Problem]:
    if schedule.all_day:
        return []
    problems = []
    if schedule.start_time is None:
        problems.append(Problem("start_time", N_("Give the start time, or tick “All day”.")))
    if schedule.end_time is None:
        problems.append(Problem("end_time", N_("Give the end time, or tick “All day”.")))
    return problems


def _far_dates(schedule: Schedule, now: datetime) -> list[Problem]:
    """Dates so far away that nothing else can be computed from them."""
    today = now.date()
    days = {"start_date": schedule.start_date, "end_date": schedule.end_date,
            "until": schedule.until}
    return [Problem(name, N_("This date is past: only events to come can be proposed.")
                    if day < today else N_("This date is more than two years away."))
            for name, day in days.items() if day and abs(day - today) > SANE_SPAN]


def _order_problems(start: datetime, end: datetime, schedule: Schedule) -> list[Problem]:
    if end < start or (schedule.all_day and end == start):
        where = "end_date" if schedule.all_day or schedule.end_date else "end_time"
        return [Problem(where, N_("The end is before the start."))]
    if end - start > LONGEST:
        return [Problem("end_date", N_("An event lasts at most %(days)d days: for a longer "
                                       "action, propose an initiative."), {"days": LONGEST.days})]
    return []


def _window_problems(start: datetime, now: datetime) -> list[Problem]:
    if start < now - PAST_GRACE:
        return [Problem("start_date", N_("This date is past: only events to come can be "
                                         "proposed."))]
    if start > now + FUTURE_LIMIT:
        return [Problem("start_date", N_("This date is more than two years away."))]
    return []


def _repeat_problems(schedule: Schedule, duration: timedelta) -> list[Problem]:
    if not schedule.recurrence:
        return []
    if schedule.until is None:
        return [Problem("until", N_("Give the date of the last repetition."))]
    if schedule.until < schedule.start_date:
        return [Problem("until", N_("The last repetition is before the first date."))]
    if schedule.until > schedule.start_date + REPEAT_LIMIT:
        return [Problem("until", N_("Repetitions may go on for at most a year after the "
                                    "first date."))]
    if duration > REPEAT_GAP[schedule.recurrence]:
        return [Problem("end_date", N_("A repeated event must end before it happens again."))]
    return []


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz)
