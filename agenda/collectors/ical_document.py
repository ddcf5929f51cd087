"""From downloaded bytes to icalendar calendars: decoding, sanity checks, readable syntax errors.

Strict per document: bytes that are not iCalendar, a calendar cut short, or a line icalendar
refuses make the whole document fail with a :class:`ParseError` that names the line.
"""

from __future__ import annotations

import codecs
import re

from icalendar import Calendar, Component

from agenda.collectors.notice import Notice
from agenda.errors import ParseError
from agenda.text_clean import safe_excerpt

LIBRARY_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError)
"""What icalendar raises on hostile input (all its own errors are ValueErrors)."""

_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_BYTE_FOLD = re.compile(rb"\r?\n[ \t]")
_BEGIN_CALENDAR = re.compile(r"^BEGIN:VCALENDAR\s*$", re.IGNORECASE | re.MULTILINE)
_DETAIL_LIMIT = 100  # icalendar's words and about 55 characters of the line


def decode_body(body: bytes, warnings: list[str]) -> str:
    """The text of an iCalendar body: BOMs dropped, bad UTF-8 read as Windows-1252."""
    for bom, codec in _UTF16_32_BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace")
    body = body.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    unfolded = _BYTE_FOLD.sub(b"", body)  # some writers fold in the middle of a character
    try:
        return unfolded.decode("utf-8")
    except UnicodeDecodeError:
        warnings.append(Notice("Some lines are not valid UTF-8; they were read as Windows-1252.",
                               code="ical.not_utf8"))
        return "\n".join(_decode_line(line) for line in unfolded.split(b"\n"))


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return line.decode("cp1252", errors="replace")


def read_calendars(text: str, warnings: list[str]) -> list[Calendar]:
    """The VCALENDARs of a document (bare top-level VEVENTs are gathered into one more)."""
    if not _starts_like_ical(text):
        raise ParseError("This is not an iCalendar file.", code="parse.not_ical")
    components = _parse_components(text)
    if not components:
        raise ParseError(
            "The calendar is cut short: END:VCALENDAR is missing.", code="parse.truncated"
        )
    calendars = [c for c in components if c.name == "VCALENDAR"]
    if len(_BEGIN_CALENDAR.findall(text)) > len(calendars):
        warnings.append(Notice(
            "The last calendar is cut short: END:VCALENDAR is missing; it was ignored.",
            code="ical.last_calendar_cut",
        ))
    bare_events = [c for c in components if c.name == "VEVENT"]
    if bare_events:
        calendars.append(_calendar_of(bare_events))
    if not calendars:
        raise ParseError("This is not an iCalendar file.", code="parse.not_ical")
    return calendars


def _starts_like_ical(text: str) -> bool:
    first_line = text.lstrip().split("\n", 1)[0]
    return first_line[:6].upper() == "BEGIN:"


def _calendar_of(events: list[Component]) -> Calendar:
    calendar = Calendar()
    for event in events:
        calendar.add_component(event)
    return calendar


def _parse_components(text: str) -> list[Component]:
    # Always bytes: icalendar reads a str without line breaks as a file path.
    try:
        return Calendar.from_ical(text.encode("utf-8"), multiple=True)
    except LIBRARY_ERRORS as error:
        raise syntax_error(text, error) from error


def syntax_error(text: str, error: Exception) -> ParseError:
    """A ParseError naming the first line icalendar refuses, when it can be found."""
    # icalendar's sentence quotes the refused line: a short, printable excerpt of it only.
    detail = safe_excerpt(" ".join(str(error).split()), _DETAIL_LIMIT).rstrip(" .")
    detail = detail or type(error).__name__
    line = locate_error_line(text)
    if line is None:
        return ParseError(f"Parse error: {detail}.", code="parse.syntax", variant="no_line",
                          detail=detail)
    return ParseError(
        f"Parse error at line {line}: {detail}.", code="parse.syntax", line=line, detail=detail
    )


def locate_error_line(text: str) -> int | None:
    """Number (from 1) of the first physical line that makes icalendar raise, if any.

    Each top-level piece (a calendar property, a whole VEVENT or VTIMEZONE...) is parsed on its
    own inside its container, then the failing piece is bisected line by line: about one extra
    parse of the document in all. Errors that need more context bisect the whole document.
    """
    lines = _content_lines(text)
    for container, block in _blocks(lines):
        if _raises(container, block):
            return _first_failing_line(container, block)
    if lines and _raises(None, lines):  # the error needs the whole context: bisect it all
        return _first_failing_line(None, lines)
    return None


def _content_lines(text: str) -> list[tuple[int, str]]:
    """(physical line number, unfolded content line) pairs."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if line[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        elif line:
            lines.append((number, line))
    return lines


def _blocks(lines: list[tuple[int, str]]) -> list[tuple[str | None, list[tuple[int, str]]]]:
    """Top-level pieces with the name of the component around them (None outside any)."""
    blocks, current, depth, container = [], [], 0, None
    for number, line in lines:
        head = line[:6].upper()
        if head.startswith("BEGIN:") and depth == 0:
            depth, container = 1, line[6:].strip()
            continue
        if head.startswith("END:") and depth == 1:
            depth, container = 0, None
            continue
        current.append((number, line))
        depth += head.startswith("BEGIN:") - head.startswith("END:")
        if depth <= 1:
            blocks.append((container, current))
            current, depth = [], max(depth, 0)
    if current:
        blocks.append((container, current))
    return blocks


def _raises(container: str | None, block: list[tuple[int, str]]) -> bool:
    lines = [line for _number, line in block]
    if container:
        lines.insert(0, f"BEGIN:{container}")
    try:
        Calendar.from_ical(("\r\n".join(lines) + "\r\n").encode("utf-8"), multiple=True)
    except LIBRARY_ERRORS:
        return True
    return False


def _first_failing_line(container: str | None, block: list[tuple[int, str]]) -> int:
    low, high = 1, len(block)  # the shortest failing prefix has between low and high lines
    while low < high:
        middle = (low + high) // 2
        if _raises(container, block[:middle]):
            high = middle
        else:
            low = middle + 1
    return block[low - 1][0]
