"""RECURRENCE-ID;RANGE=THISANDFUTURE overrides spread into one override per later occurrence.

Such an override changes its occurrence and every later one of the series: recurring-ical-events
moves each by the override's shift and gives it the override's length and properties, and
hands them all back under the override's RECURRENCE-ID.  We store and export plain overrides
only (few readers know RANGE), so each later occurrence found in the window becomes an override
of its own: the range override's record, for the original occurrence it replaces (its start
less the shift).  The master's rule is kept, so readers of our export see the new times.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone

from agenda.collectors.ical_times import iso_value
from agenda.records import EventRecord


def spread_ranges(records: list[EventRecord]) -> list[EventRecord]:
    """The overrides made of the later occurrences of range overrides (now given only their
    own); records that are not range overrides are left as they are."""
    spread: list[EventRecord] = []
    for record in records:
        if record.recurrence_id and len(record.occurrences) > 1:
            try:
                spread.extend(_spread(record))
            except (TypeError, ValueError, OverflowError):  # an odd RECURRENCE-ID: kept whole
                continue
    return spread


def _spread(record: EventRecord) -> list[EventRecord]:
    shift = record.start - _parsed(record.recurrence_id, record.start)
    own = [o for o in record.occurrences if o.start == record.start] or record.occurrences[:1]
    later = [o for o in record.occurrences if o is not own[0]]
    record.occurrences = own[:1]
    return [replace(record, recurrence_id=iso_value(o.start - shift, timezone.utc),
                    start=o.start, end=o.end, occurrences=[o]) for o in later]


def _parsed(value: str, like: datetime | date) -> datetime | date:
    """A stored RECURRENCE-ID of the same kind as the start it is compared with."""
    text = value.split("/", 1)[0]
    if not isinstance(like, datetime):
        return date.fromisoformat(text[:10])
    parsed = datetime.fromisoformat(text) if len(text) > 10 else \
        datetime.combine(date.fromisoformat(text), datetime.min.time())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=like.tzinfo)
