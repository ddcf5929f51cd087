"""Hashes that tell whether a document or an event changed (pure)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict
from datetime import date, datetime

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
    itself stays the same (and its SEQUENCE must not grow).
    """
    data = asdict(record)
    data.pop("occurrences", None)
    encoded = json.dumps(data, sort_keys=True, default=_jsonable, ensure_ascii=False)
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _jsonable(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")
