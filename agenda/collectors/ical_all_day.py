"""All-day events whose recurrence values are written as DATE-TIMEs, made all-day throughout.

RFC 5545 wants RECURRENCE-ID, EXDATE and UNTIL of the same type as DTSTART, but Exchange and
Outlook write ``RECURRENCE-ID;TZID=W. Europe Standard Time:20200416T000000`` and
``UNTIL=20200916T230000Z`` on all-day series.  Read as instants, such an override no longer
matches its date (the moved occurrence shows twice once exported) and the UNTIL depends on the
reader.  Each is replaced by the date it names on the clock it was written in, which is how
recurring-ical-events reads an all-day series' UNTIL (the day of UNTIL is the last one).
"""

from __future__ import annotations

from datetime import date, datetime

import x_wr_timezone
from icalendar import Calendar, Component, vRecur

from agenda.collectors.ical_values import property_time


def all_day_values(calendar: Calendar) -> Calendar:
    """The calendar with the DATE-TIME recurrence values of its all-day VEVENTs made dates."""
    return _AllDayWalker().walk(calendar)


def is_all_day(event: Component) -> bool:
    start = property_time(event, "DTSTART")
    return isinstance(start, date) and not isinstance(start, datetime)


class _AllDayWalker(x_wr_timezone.CalendarWalker):
    VALUE_ATTRIBUTES = ["RECURRENCE-ID", "EXDATE"]

    def walk_event(self, event: Component) -> Component:
        if not is_all_day(event):
            return event
        event = super().walk_event(event)
        rule = event.get("RRULE")
        if isinstance(rule, vRecur) and _has_date_time(rule.get("UNTIL")):
            rule = vRecur(rule)
            rule["UNTIL"] = [_day_of(value) for value in rule["UNTIL"]]
            event = self.copy_component(event, {"RRULE": rule}, event.subcomponents)
        return event

    def walk_value_datetime(self, dt: datetime) -> date:
        return dt.date()


def _has_date_time(values) -> bool:
    return isinstance(values, list) and any(isinstance(value, datetime) for value in values)


def _day_of(value):
    return value.date() if isinstance(value, datetime) else value
