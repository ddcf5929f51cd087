"""Occurrences of iCalendar events inside a window, with recurring-ical-events.

A single event keeps its own dates (even outside the window, so past one-off events exist).
Series (RRULE, RDATE, overrides) are expanded in the window, all of them in one calendar; if that
raises, each series is expanded on its own so that one bad series does not sink the others. A
series that still cannot be expanded keeps its record with only its own dates (the master's
DTSTART, each override's) and a warning. Each occurrence goes to the record it came from: the
override whose RECURRENCE-ID it carries, else the master.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar, Component, vBroken, vRecur

from agenda.collectors.ical_times import iso_value, normalize_span
from agenda.collectors.ical_values import all_properties, first_property, property_time, text_of
from agenda.collectors.normalize import to_utc
from agenda.collectors.records import EventRecord, Occurrence

MAX_OCCURRENCES_PER_SERIES = 2000
EXPANSION_ERRORS = (
    ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError, RecursionError,
)
"""What recurring-ical-events (and dateutil under it) raise on broken series."""
_DENSE_FREQUENCIES = ("SECONDLY", "MINUTELY")
_RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")


@dataclass
class Series:
    """The VEVENTs that share a UID: a master and its overrides (or one single event)."""

    uid: str
    members: list[tuple[Component, EventRecord]] = field(default_factory=list)

    def is_recurring(self) -> bool:
        return any(name in component for component, _ in self.members
                   for name in _RECURRENCE_PROPERTIES)

    def records_by_recurrence_id(self) -> dict[str, EventRecord]:
        """Master under "", overrides under their RECURRENCE-ID (the first one of a kind)."""
        return {record.recurrence_id: record for _, record in reversed(self.members)}

    def label(self) -> str:
        title = next((record.title for _, record in self.members if record.title), "")
        return repr(title[:80]) if title else f"with UID {self.uid[:80]!r}"


def attach_occurrences(
    pairs: list[tuple[Component, EventRecord]],
    *,
    default_tz: ZoneInfo,
    window: tuple[datetime, datetime],
    warnings: list[str],
) -> None:
    """Fill ``record.occurrences`` for every (VEVENT, record) pair of one calendar."""
    to_expand = []
    for series in group_series(pairs):
        if not series.is_recurring():
            keep_own_dates(series)
        elif problem := _rule_problem(series):
            keep_own_dates(series)
            warnings.append(_kept_first_warning(series, problem))
        else:
            to_expand.append(series)
    if to_expand:
        _expand_together(to_expand, default_tz, window, warnings)


def group_series(pairs: list[tuple[Component, EventRecord]]) -> list[Series]:
    groups: dict[str, Series] = {}
    for component, record in pairs:
        series = groups.setdefault(record.source_uid, Series(record.source_uid))
        series.members.append((component, record))
    return list(groups.values())


def keep_own_dates(series: Series) -> None:
    for _, record in series.members:
        record.occurrences = [Occurrence(record.start, record.end, record.all_day)]


def _rule_problem(series: Series) -> str | None:
    """Why a series is not worth expanding (its rule is unreadable or absurdly dense)."""
    for component, _ in series.members:
        rule = first_property(component, "RRULE")
        if rule is None:
            continue
        if not isinstance(rule, vRecur):
            return "its repeat rule cannot be read"
        if any(str(freq).upper() in _DENSE_FREQUENCIES for freq in rule.get("FREQ", [])):
            return "it repeats more often than hourly"
    return None


def _kept_first_warning(series: Series, problem: str) -> str:
    return f"Event {series.label()}: {problem}; only its first date is kept."


def _expand_together(series_list, default_tz, window, warnings) -> None:
    try:
        query = recurring_ical_events.of(calendar_of(series_list), skip_bad_series=True)
        components = query.between(*window)
        built = {str(series.uid) for series in query.series}
    except EXPANSION_ERRORS:
        for series in series_list:
            _expand_alone(series, default_tz, window, warnings)
        return
    by_uid = defaultdict(list)
    for component in components:
        by_uid[text_of(component, "UID")].append(component)
    for series in series_list:
        if series.uid in built:
            _attach(series, by_uid[series.uid], default_tz, warnings)
        else:
            keep_own_dates(series)
            warnings.append(_kept_first_warning(series, "its repetitions cannot be computed"))


def _expand_alone(series: Series, default_tz, window, warnings) -> None:
    """One series in its own calendar; errors are not skipped here, so that we can tell."""
    try:
        components = recurring_ical_events.of(calendar_of([series])).between(*window)
    except EXPANSION_ERRORS:
        keep_own_dates(series)
        warnings.append(_kept_first_warning(series, "its repetitions cannot be computed"))
        return
    _attach(series, components, default_tz, warnings)


def calendar_of(series_list: list[Series]) -> Calendar:
    """A calendar holding only these series, each VEVENT carrying its record's UID."""
    calendar = Calendar()
    for series in series_list:
        for component, _ in series.members:
            if text_of(component, "UID") != series.uid or isinstance(component.get("UID"), list):
                component["UID"] = series.uid  # no UID (synthetic one) or a repeated UID
            _drop_unreadable_dates(component)
            calendar.add_component(component)
    return calendar


def _drop_unreadable_dates(component: Component) -> None:
    """RDATE and EXDATE lines icalendar could not read are left out (and were warned about)."""
    for name in ("RDATE", "EXDATE"):
        values = all_properties(component, name)
        readable = [value for value in values if not isinstance(value, vBroken)]
        if len(readable) < len(values):
            component.pop(name)
            for value in readable:
                component.add(name, value, encode=False)


def _attach(series: Series, components: list[Component], default_tz, warnings) -> None:
    occurrences = sorted(
        (pair for pair in (_occurrence(c, default_tz) for c in components) if pair),
        key=lambda pair: to_utc(pair[1].start, default_tz),
    )
    records = series.records_by_recurrence_id()
    for record in records.values():
        record.occurrences = []
    for recurrence_id, occurrence in occurrences[:MAX_OCCURRENCES_PER_SERIES]:
        record = records.get(recurrence_id) or records.get("")
        if record is not None:
            record.occurrences.append(occurrence)
    if len(occurrences) > MAX_OCCURRENCES_PER_SERIES:
        warnings.append(
            f"Event {series.label()}: more than {MAX_OCCURRENCES_PER_SERIES} repetitions in "
            "the window; only the first ones are kept."
        )


def _occurrence(component: Component, default_tz) -> tuple[str, Occurrence] | None:
    """(RECURRENCE-ID in ISO form, occurrence) of one expanded component."""
    start = property_time(component, "DTSTART")
    if not isinstance(start, date):
        return None
    start, end = normalize_span(start, property_time(component, "DTEND"), default_tz)
    recurrence_id = iso_value(property_time(component, "RECURRENCE-ID"), default_tz) or ""
    return recurrence_id, Occurrence(start, end, all_day=not isinstance(start, datetime))
