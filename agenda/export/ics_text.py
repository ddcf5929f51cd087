"""iCalendar content lines (RFC 5545 §3.1-3.3): text escaping, parameters, values, folding.

Everything a source gave us goes through :func:`escape_text` or :func:`param_value`, so no
value can end a line, start a property or break out of a parameter.  Pure and fast: a calendar
of 10,000 events is written with these in a fraction of a second.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

CRLF = "\r\n"
MAX_OCTETS = 75
# Controls other than TAB and LF, DEL, lone surrogates, and the two non-characters.
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TEXT_SPECIALS = re.compile(r"[\\;,\n]")
_NEEDS_WORK = re.compile("[\\\\;,\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TEXT_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}
_UNSAFE_URI = re.compile("[\x00-\x20\x7f\ud800-\udfff]")
_UNSAFE_PARAM = re.compile("[\x00-\x1f\x7f\"\ud800-\udfff\ufffe\uffff]")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newline escaped, controls dropped."""
    if not _NEEDS_WORK.search(value):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _UNSAFE_TEXT.sub("", value)
    return _TEXT_SPECIALS.sub(lambda m: _TEXT_ESCAPES[m.group()], value)


def param_value(value: str) -> str:
    """A parameter value, always quoted (DQUOTE and controls cannot be written, so dropped)."""
    return '"' + _UNSAFE_PARAM.sub("", " ".join(value.split())) + '"'


def uri_value(value: str | None) -> str | None:
    """An absolute http(s) URI usable as a URI value (no spaces or controls), else None."""
    if not value or len(value) > 2000 or _UNSAFE_URI.search(value):
        return None
    scheme, _, rest = value.partition("://")
    if scheme.lower() not in ("http", "https") or not rest or rest[0] in "/?#":
        return None
    return value


def fold(line: str) -> str:
    """``line`` folded so that no physical line exceeds 75 octets (never inside a character)."""
    if len(line) <= MAX_OCTETS and (line.isascii() or len(line.encode()) <= MAX_OCTETS):
        return line
    if line.isascii():
        chunks = [line[:MAX_OCTETS]]
        chunks += [line[i:i + MAX_OCTETS - 1] for i in range(MAX_OCTETS, len(line), MAX_OCTETS - 1)]
        return "\r\n ".join(chunks)
    return _fold_utf8(line)


def _fold_utf8(line: str) -> str:
    data = line.encode("utf-8", "replace")
    chunks, start, limit = [], 0, MAX_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        chunks.append(data[start:end])
        start, limit = end, MAX_OCTETS - 1  # the continuation line's leading space counts
    chunks.append(data[start:])
    return b"\r\n ".join(chunks).decode("utf-8")


def date_value(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def utc_value(instant: datetime) -> str:
    """A UTC DATE-TIME ("...Z")."""
    t = instant.astimezone(timezone.utc)
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}{t.second:02d}Z"


def local_value(instant: datetime, zone: ZoneInfo) -> str:
    """The wall-clock DATE-TIME of ``instant`` in ``zone`` (written after a TZID)."""
    t = instant.astimezone(zone)
    return f"{t.year:04d}{t.month:02d}{t.day:02d}T{t.hour:02d}{t.minute:02d}{t.second:02d}"


def is_utc(zone: ZoneInfo) -> bool:
    return zone.key in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Zulu", "Zulu", "Etc/UCT", "UCT")


def time_property(name: str, instant: datetime, zone: ZoneInfo) -> str:
    """``DTSTART;TZID=Europe/Paris:20261125T180000`` or ``DTSTART:20261125T170000Z``."""
    if is_utc(zone):
        return f"{name}:{utc_value(instant)}"
    return f"{name};TZID={zone.key}:{local_value(instant, zone)}"
