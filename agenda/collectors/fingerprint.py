"""Hashes that tell whether a document or an event changed (pure)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import fields

from agenda.collectors.records import EventRecord

# Lines that exporters regenerate on every request although nothing changed.
_VOLATILE_LINES = re.compile(
    rb"^(DTSTAMP|X-PUBLISHED-TTL|X-WR-RELCALID)[:;][^\r\n]*(\r?\n[ \t][^\r\n]*)*\r?\n?"
    rb"|<lastBuildDate>[^<]*</lastBuildDate>",
    re.MULTILINE,
)


def body_hash(body: bytes) -> str:
    """SHA-256 of a fetched body without its volatile lines (DTSTAMP, lastBuildDate...)."""
    return hashlib.sha256(_VOLATILE_LINES.sub(b"", body)).hexdigest()


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
