"""The hash that tells whether an event changed (pure): the store compares it with the stored one."""

from __future__ import annotations

import hashlib
from dataclasses import fields

from agenda.records import EventRecord


def record_hash(record: EventRecord) -> str:
    """SHA-256 of everything a reader of the event sees, occurrences excluded.

    Occurrences are left out on purpose: they move with the rolling window while the event
    itself stays the same (and its SEQUENCE must not grow).  The ``repr`` of plain values
    (strings, numbers, dates, tuples, the frozen Location) is stable, and far cheaper than
    ``asdict`` + JSON on 10,000 events.
    """
    values = tuple(getattr(record, name) for name in _HASHED_FIELDS)
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()


_HASHED_FIELDS = tuple(f.name for f in fields(EventRecord) if f.name != "occurrences")
