"""When the event of one line happens: its start (a day, and a time from the start column or
the time column, which may hold a range), and its end (a day, a time, or both); an end before
the start is a line error.  Pure."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.collectors.feed_dates import build_occurrence
from agenda.imports.cell_dates import read_date, read_time, read_time_range
from agenda.imports.line_cells import LineCells, excerpt, text_of
from agenda.records import Occurrence


def line_occurrence(line: LineCells, tz: ZoneInfo) -> Occurrence | None:
    """The occurrence of the line; errors (no start, unreadable, end before start) on ``line``."""
    start_day = _day(line, "start_date")
    times = _start_times(line)
    end_day = _day(line, "end_date")
    end_time = _time(line, "end_time") or (times[1] if times else None)
    if start_day is None:
        if "start_date" in line.mapping and not line.failed("start_date"):
            line.error("import.no_start")
        return None
    day, start_time = start_day[0], (times[0] if times else None) or start_day[1]
    if start_time is None and end_time is not None and end_day is None:
        line.error("import.end_time_alone")
        return None
    start = datetime.combine(day, start_time, tzinfo=tz) if start_time else day
    end = _end(start, end_day, end_time, tz)
    if end is not None and _before(end, start):
        line.error("import.end_before_start", end=_shown(end), start=_shown(start))
        return None
    return build_occurrence(start, end, end_inclusive=True)[0]


def _start_times(line: LineCells) -> tuple[time, time | None] | None:
    value = line.cell("start_time")
    if value is None:
        return None
    found = read_time_range(value)
    if found is None:
        line.error("import.bad_time", column="start_time", value=excerpt(text_of(value)))
    return found


def _day(line: LineCells, name: str) -> tuple[date, time | None] | None:
    value = line.cell(name)
    if value is None:
        return None
    found = read_date(value)
    if found is None:
        line.fail(name)
        line.error("import.bad_date", column=name, value=excerpt(text_of(value)))
    return found


def _time(line: LineCells, name: str) -> time | None:
    value = line.cell(name)
    if value is None:
        return None
    found = read_time(value)
    if found is None:
        line.error("import.bad_time", column=name, value=excerpt(text_of(value)))
    return found


def _end(start, end_day, end_time, tz):
    """The end as written: a day (the last day of the event), a moment, or None."""
    if end_day is None and end_time is None:
        return None
    if not isinstance(start, datetime):
        return end_day[0] if end_day else None
    day, moment = (end_day[0], end_time or end_day[1]) if end_day else (start.date(), end_time)
    if moment is None:
        return day
    end = datetime.combine(day, moment, tzinfo=tz)
    if end_day is None and end < start:  # 22 h - 2 h: the end is the next morning
        end += timedelta(days=1)
    return end


def _before(end, start) -> bool:
    if isinstance(end, datetime) and isinstance(start, datetime):
        return end < start
    return _as_day(end) < _as_day(start)


def _as_day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime) \
        else value.strftime("%d/%m/%Y")
