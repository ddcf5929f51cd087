"""Validators of our responses and conditional requests (RFC 9110 §8.8, §13.1) (pure).

The ETag is a hash of the body, so it is the same in every process and can never claim two
different bodies equal.  If-None-Match wins over If-Modified-Since when both are sent.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def http_date(instant: datetime) -> str:
    return format_datetime(instant.astimezone(timezone.utc).replace(microsecond=0), usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    if not value or len(value) > 100:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed


def is_not_modified(*, etag: str, last_modified: datetime | None, if_none_match: str | None,
                    if_modified_since: str | None) -> bool:
    """True when the client's copy is current: answer 304 Not Modified."""
    if if_none_match:
        return _etag_matches(etag, if_none_match)
    since = parse_http_date(if_modified_since)
    if since is None or last_modified is None:
        return False
    return last_modified.replace(microsecond=0) <= since


def _etag_matches(etag: str, header: str) -> bool:
    """Weak comparison (a proxy that compresses turns our tags into W/"...")."""
    if header.strip() == "*":
        return True
    wanted = _opaque(etag)
    return any(_opaque(tag) == wanted for tag in header.split(","))


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag
