"""A big calendar read in batches of VEVENTs, so that its icalendar objects never all live at once.

icalendar keeps about 3 KB of objects per VEVENT; a 20 MB file of small events parsed in one go
needs close to a gigabyte. A document of well-formed VCALENDARs with many VEVENTs is cut, on
its lines, into batches: each batch is parsed as a calendar of its own that carries everything
of its calendar that is not a VEVENT (properties such as X-WR-TIMEZONE, VTIMEZONEs), wherever
they were written. Anything unusual (unbalanced BEGIN/END, text outside a calendar, few events)
is left to the one-piece reading of ical_document, which knows how to report it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from icalendar import Calendar

from agenda.collectors.ical_document import LIBRARY_ERRORS, read_calendars, syntax_error

BATCH_EVENTS = 2000
_LINE = re.compile(r"[^\n]*\n|[^\n]+$")


@dataclass
class _Layout:
    """Where one VCALENDAR's pieces are, as (start, end) offsets in the text."""

    header: list[tuple[int, int]] = field(default_factory=list)
    events: list[tuple[int, int]] = field(default_factory=list)


def calendar_batches(text: str, warnings: list[str]) -> Iterator[Iterator[Calendar]]:
    """Per VCALENDAR of the document, its calendars of at most BATCH_EVENTS VEVENTs each."""
    layouts = _layouts(text)
    if layouts is None or sum(len(layout.events) for layout in layouts) <= BATCH_EVENTS:
        for calendar in read_calendars(text, warnings):
            yield iter([calendar])
        return
    for layout in layouts:
        yield _batches_of(text, layout)


def _batches_of(text: str, layout: _Layout) -> Iterator[Calendar]:
    header = "".join(_piece(text, span) for span in layout.header)
    for first in range(0, max(1, len(layout.events)), BATCH_EVENTS):
        events = "".join(_piece(text, span) for span in layout.events[first:first + BATCH_EVENTS])
        batch = f"BEGIN:VCALENDAR\r\n{header}{events}END:VCALENDAR\r\n"
        try:
            yield Calendar.from_ical(batch.encode("utf-8"))
        except LIBRARY_ERRORS as error:
            raise syntax_error(text, error) from error


def _piece(text: str, span: tuple[int, int]) -> str:
    piece = text[span[0]:span[1]]
    return piece if piece.endswith("\n") else piece + "\r\n"


def _layouts(text: str) -> list[_Layout] | None:
    """The pieces of each VCALENDAR, or None when the document is not plainly well formed."""
    layouts: list[_Layout] = []
    stack: list[str] = []
    block_start = 0
    for match in _LINE.finditer(text):
        line = match.group().rstrip("\r\n")
        if not line.strip() or line[0] in " \t":  # blank, or the continuation of a folded line
            if len(stack) == 1 and layouts[-1].header:
                layouts[-1].header[-1] = (layouts[-1].header[-1][0], match.end())
            continue
        head = line[:6].upper()
        if head.startswith("BEGIN:"):
            name = line[6:].strip().upper()
            if not stack and name != "VCALENDAR":
                return None
            if not stack:
                layouts.append(_Layout())
            elif len(stack) == 1:
                block_start = match.start()
            stack.append(name)
        elif head.startswith("END:"):
            if not stack or stack.pop() != line[4:].strip().upper():
                return None
            if len(stack) == 1:
                pieces = layouts[-1].events if line[4:].strip().upper() == "VEVENT" \
                    else layouts[-1].header
                pieces.append((block_start, match.end()))
        elif len(stack) == 1:
            layouts[-1].header.append((match.start(), match.end()))
        elif not stack:
            return None
    return layouts if not stack and layouts else None
