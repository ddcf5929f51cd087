"""The hash that tells whether a fetched document changed (pure; an event's: records.fingerprint)."""

from __future__ import annotations

import hashlib
import re

# Lines that exporters regenerate on every request although nothing changed.
_VOLATILE_LINES = re.compile(
    rb"^(DTSTAMP|X-PUBLISHED-TTL|X-WR-RELCALID)[:;][^\r\n]*(\r?\n[ \t][^\r\n]*)*\r?\n?"
    rb"|<lastBuildDate>[^<]*</lastBuildDate>",
    re.MULTILINE,
)


def body_hash(body: bytes) -> str:
    """SHA-256 of a fetched body without its volatile lines (DTSTAMP, lastBuildDate...)."""
    return hashlib.sha256(_VOLATILE_LINES.sub(b"", body)).hexdigest()
