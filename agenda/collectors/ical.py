"""The iCalendar collector: bytes in, one EventRecord per VEVENT out (pure, no I/O).

Strict per document (not iCalendar, cut short, refused by icalendar: ParseError), tolerant per
item (a VEVENT without a usable start is skipped and counted). The stages:

    decode -> calendars -> zones standardised -> records -> occurrences in the window
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Component

from agenda.collectors import ical_expand
from agenda.collectors.expansion_budget import ExpansionLimits, SourceBudget
from agenda.collectors.ical_batches import calendar_batches
from agenda.collectors.ical_document import LIBRARY_ERRORS, decode_body
from agenda.collectors.ical_event import SYNTHETIC_UID_PREFIX, describe, event_record
from agenda.collectors.ical_ranges import spread_ranges
from agenda.collectors.ical_series import is_recurring
from agenda.collectors.ical_times import standardize_times
from agenda.collectors.normalize import as_aware
from agenda.collectors.notice import Notice
from agenda.records import EventRecord, Occurrence, ParseResult

MAX_WARNINGS = 100


def parse_ical(
    body: bytes, *, default_tz: ZoneInfo, window: tuple[datetime, datetime],
    limits: ExpansionLimits | None = None, clock: Callable[[], float] = time.monotonic,
) -> ParseResult:
    """Every VEVENT of an iCalendar document as a record, with its occurrences in ``window``.

    Floating times are read in ``default_tz``. Single events always get their one occurrence,
    even outside the window; series get theirs inside it, within ``limits`` (occurrences per
    series and per source, seconds of work read from ``clock``; what was cut is warned about).
    Raises ParseError with the codes ``parse.not_ical``, ``parse.truncated`` or ``parse.syntax``.
    """
    result = ParseResult(format="ics")
    limits = limits or ExpansionLimits(ical_expand.MAX_OCCURRENCES_PER_SERIES)
    budget = SourceBudget(limits, clock)
    window = (as_aware(window[0], default_tz), as_aware(window[1], default_tz))
    text = decode_body(body, result.warnings)
    synthetic_uids: Counter[str] = Counter()
    earlier_uids: set[str] = set()
    for number, batches in enumerate(calendar_batches(text, result.warnings), start=1):
        series = _SeriesPairs()
        for calendar in batches:
            calendar = standardize_times(calendar, default_tz, result.warnings)
            series.add(_records_of(calendar, default_tz, result, synthetic_uids))
        earlier_uids |= _scope_uids(series, earlier_uids, number)
        ical_expand.attach_occurrences(series.pairs(), default_tz=default_tz, window=window,
                                       warnings=result.warnings, budget=budget)
        result.events.extend(spread_ranges([record for _, record in series.pairs()]))
    result.warnings.extend(budget.warnings())
    _warn_about_shared_keys(result)
    result.warnings = _capped(result.warnings)
    return result


def _records_of(calendar: Calendar, default_tz: ZoneInfo, result: ParseResult, synthetic_uids):
    """(VEVENT, record) pairs of one calendar; unusable VEVENTs are skipped and counted."""
    pairs = []
    for event in calendar.walk("VEVENT"):
        try:
            record = event_record(event, default_tz, result.warnings)
        except LIBRARY_ERRORS as error:  # UnusableEvent, or icalendar choking on a value
            result.skipped += 1
            result.warnings.append(_skipped(event, error))
            continue
        _make_synthetic_uid_unique(record, synthetic_uids)
        pairs.append((event, record))
        result.events.append(record)
    return pairs


def _skipped(event: Component, error: Exception) -> Notice:
    """The warning for a skipped VEVENT: our reason (a Notice), else the library's words."""
    label = describe(event)
    reason = error.args[0] if error.args and isinstance(error.args[0], Notice) else str(error)
    return Notice(f"Skipped event {label}: {reason}.", code="ical.event_skipped", event=label,
                  reason=reason)


def _scope_uids(series: _SeriesPairs, earlier_uids: set[str], number: int) -> set[str]:
    """Events of the ``number``th VCALENDAR whose UID an earlier one used get the suffix
    "-calendar-N": each calendar of a file is read as its own (as recurring-ical-events does),
    so that two calendars reusing a UID keep both events.  The UIDs it used are returned."""
    records = [record for _, record in series.recurring + series.singles]
    used = {record.source_uid for record in records}
    for record in records:
        if record.source_uid in earlier_uids:
            record.source_uid = f"{record.source_uid}-calendar-{number}"
    return used


class _SeriesPairs:
    """The VEVENTs of one calendar worth expanding; single events get their date at once and
    their icalendar objects are let go (kept as records only, for a series that shares a UID)."""

    def __init__(self):
        self.recurring: list[tuple[Component, EventRecord]] = []
        self.singles: list[tuple[None, EventRecord]] = []

    def add(self, pairs: list[tuple[Component, EventRecord]]) -> None:
        for component, record in pairs:
            if is_recurring(component):
                self.recurring.append((component, record))
            else:
                record.occurrences = [Occurrence(record.start, record.end, record.all_day)]
                self.singles.append((None, record))

    def pairs(self) -> list[tuple[Component | None, EventRecord]]:
        uids = {record.source_uid for _, record in self.recurring}
        twins = [pair for pair in self.singles if pair[1].source_uid in uids]
        return self.recurring + twins


def _make_synthetic_uid_unique(record: EventRecord, seen: Counter[str]) -> None:
    """Events without UID that share a link and a start get "-2", "-3"... in file order."""
    if not record.source_uid.startswith(SYNTHETIC_UID_PREFIX):
        return
    seen[record.source_uid] += 1
    if seen[record.source_uid] > 1:
        record.source_uid = f"{record.source_uid}-{seen[record.source_uid]}"


def _warn_about_shared_keys(result: ParseResult) -> None:
    counts = Counter(record.key for record in result.events)
    shared = sum(count - 1 for count in counts.values() if count > 1)
    if shared:
        result.warnings.append(Notice(
            f"{shared} events repeat the UID and RECURRENCE-ID of another event; "
            "only one of each will be kept.", code="ical.shared_keys", count=shared,
        ))


def _capped(warnings: list[str]) -> list[str]:
    unique = list(dict.fromkeys(warnings))
    if len(unique) <= MAX_WARNINGS:
        return unique
    more = len(unique) - MAX_WARNINGS
    return unique[:MAX_WARNINGS] + [Notice(f"... and {more} more warnings.",
                                           code="warnings.more", count=more)]
