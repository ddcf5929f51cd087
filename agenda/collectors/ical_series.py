"""Series of iCalendar events (a master and its overrides) and their expanded occurrences.

Shared by the two ways a series is expanded (in full, or cut to its budget): grouping VEVENTs by
UID, the one-series calendar recurring-ical-events reads, and handing each occurrence to the
record it came from (the override whose RECURRENCE-ID it carries, else the master).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from icalendar import Calendar, Component, vBroken

from agenda.collectors.ical_times import iso_value, normalize_span
from agenda.collectors.ical_values import all_properties, property_time, text_of
from agenda.collectors.normalize import to_utc
from agenda.collectors.notice import Notice
from agenda.records import EventRecord, Occurrence

EXPANSION_ERRORS = (
    ValueError, TypeError, KeyError, AttributeError, IndexError, ArithmeticError, RecursionError,
    OverflowError,
)
"""What recurring-ical-events (and dateutil under it) raise on broken series."""
_RECURRENCE_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")


@dataclass
class Series:
    """The VEVENTs that share a UID: a master and its overrides (or one single event)."""

    uid: str
    members: list[tuple[Component, EventRecord]] = field(default_factory=list)

    def is_recurring(self) -> bool:
        return any(is_recurring(component) for component, _ in self.members)

    def components(self) -> list[Component]:
        """The members' VEVENTs (single events sharing the UID keep only their record)."""
        return [component for component, _ in self.members if component is not None]

    def master(self) -> tuple[Component, EventRecord] | None:
        """The first VEVENT without RECURRENCE-ID (None for a series of overrides only)."""
        return next(((c, r) for c, r in self.members if not r.recurrence_id and c is not None),
                    None)

    def records_by_recurrence_id(self) -> dict[str, EventRecord]:
        """Master under "", overrides under their RECURRENCE-ID (the first one of a kind)."""
        return {record.recurrence_id: record for _, record in reversed(self.members)}

    def label(self) -> Notice:
        title = next((record.title for _, record in self.members if record.title), "")
        return Notice(f"'{title[:80]}'", code="ical.event_title", title=title[:80]) if title \
            else Notice(f"with UID '{self.uid[:80]}'", code="ical.event_uid", uid=self.uid[:80])


def is_recurring(component: Component | None) -> bool:
    return component is not None and any(name in component for name in _RECURRENCE_PROPERTIES)


def group_series(pairs: list[tuple[Component, EventRecord]]) -> list[Series]:
    groups: dict[str, Series] = {}
    for component, record in pairs:
        series = groups.setdefault(record.source_uid, Series(record.source_uid))
        series.members.append((component, record))
    return list(groups.values())


def keep_own_dates(series: Series) -> None:
    for _, record in series.members:
        record.occurrences = [Occurrence(record.start, record.end, record.all_day)]


REPETITIONS_NOT_COMPUTED = Notice("its repetitions cannot be computed",
                                  code="ical.repetitions_not_computed")
RULE_UNREADABLE = Notice("its repeat rule cannot be read", code="ical.rule_unreadable")


def kept_first_warning(series: Series, problem: Notice) -> Notice:
    label = series.label()
    return Notice(f"Event {label}: {problem}; only its first date is kept.",
                  code="ical.first_date_kept", event=label, reason=problem)


def calendar_of(series_list: list[Series]) -> Calendar:
    """A calendar holding only these series, each VEVENT carrying its record's UID."""
    calendar = Calendar()
    for series in series_list:
        for component in series.components():
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


def sorted_occurrences(components, default_tz) -> list[tuple[str, Occurrence]]:
    """(RECURRENCE-ID, occurrence) of expanded components, by start."""
    return sorted(
        (pair for pair in (_occurrence(c, default_tz) for c in components) if pair),
        key=lambda pair: to_utc(pair[1].start, default_tz),
    )


def hand_out(series: Series, occurrences: list[tuple[str, Occurrence]]) -> None:
    """Give each occurrence to its override, else to the master (replacing what they had)."""
    records = series.records_by_recurrence_id()
    for record in records.values():
        record.occurrences = []
    for recurrence_id, occurrence in occurrences:
        record = records.get(recurrence_id) or records.get("")
        if record is not None:
            record.occurrences.append(occurrence)


def _occurrence(component: Component, default_tz) -> tuple[str, Occurrence] | None:
    """(RECURRENCE-ID in ISO form, occurrence) of one expanded component."""
    start = property_time(component, "DTSTART")
    if not isinstance(start, date):
        return None
    start, end = normalize_span(start, property_time(component, "DTEND"), default_tz)
    recurrence_id = iso_value(property_time(component, "RECURRENCE-ID"), default_tz) or ""
    return recurrence_id, Occurrence(start, end, all_day=not isinstance(start, datetime))
