"""One line of the table -> one event record, or the reasons it cannot be one (line errors).

A line with any error gives no record at all.  The event's identity in the import source is the
identifier column when there is one, else a hash of its title, start and place: importing the
same file again finds the same events (and changes nothing).  Pure.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from agenda.collectors.normalize import department_from_postcode, parse_location
from agenda.collectors.sanitize import text_to_html
from agenda.imports.line_cells import LineCells, column_letter, excerpt, text_of
from agenda.imports.line_dates import line_occurrence
from agenda.imports.mapping import Mapping
from agenda.imports.problems import LineError
from agenda.imports.table import Table, TableRow
from agenda.records import EventRecord, Location

log = logging.getLogger(__name__)

__all__ = ["ReadLines", "column_letter", "line_hash", "read_lines", "read_row"]

LIMITS = {"title": 300, "description": 20_000, "uid": 400}


@dataclass
class ReadLines:
    """What the lines of a table gave: (line, record) for the good ones, the errors of the rest."""

    records: list[tuple[int, EventRecord]] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def refused_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})


def read_lines(table: Table, mapping: Mapping, *, tz: ZoneInfo) -> ReadLines:
    """Every line read; a line repeating an earlier one's identity is an error of its own."""
    result, first_line = ReadLines(), {}
    for row in table.rows:
        try:
            record, errors = read_row(row, mapping, tz=tz, width=_width(table))
        except Exception:  # a value no one foresaw: that line only, never the whole file
            log.exception("line %s of a spreadsheet could not be read", row.line)
            record, errors = None, [LineError(row.line, "import.unreadable_line")]
        if record is not None and record.source_uid in first_line:
            errors = [_repeat_error(row.line, record, first_line[record.source_uid], mapping)]
        if errors:
            result.errors.extend(errors)
        else:
            first_line[record.source_uid] = row.line
            result.records.append((row.line, record))
    return result


def _width(table: Table) -> int | None:
    """CSV lines must have as many cells as the header (else columns are shifted)."""
    return len(table.headers) if table.kind == "csv" else None


def _repeat_error(line: int, record: EventRecord, other: int, mapping: Mapping) -> LineError:
    if "uid" in mapping:
        return LineError(line, "import.duplicate_id", {"value": record.source_uid, "other": other})
    return LineError(line, "import.duplicate_line", {"other": other})


def read_row(row: TableRow, mapping: Mapping, *, tz: ZoneInfo,
             width: int | None = None) -> tuple[EventRecord | None, list[LineError]]:
    """The record of one line, or None and why."""
    line = LineCells(row, mapping)
    if line.check_width(width):
        return None, line.errors  # shifted columns: what they would say is noise
    title = line.text("title", LIMITS["title"])
    if "title" in mapping and not title and not line.failed("title"):
        line.error("import.no_title")
    occurrence = line_occurrence(line, tz)
    location = _location(line)
    urls = {name: line.url(name) for name in ("url", "image", "online_url")}
    description = line.text("description", LIMITS["description"], multiline=True)
    if occurrence is None and not line.errors:
        line.error("import.no_start")  # no start column at all
    if line.errors:
        return None, line.errors
    start = occurrence.start
    return EventRecord(
        source_uid=line.text("uid", LIMITS["uid"]) or line_hash(title, start, location),
        title=title, start=start, end=occurrence.end, all_day=occurrence.all_day,
        timezone=tz.key if isinstance(start, datetime) else None,
        description_html=text_to_html(description), description_text=description,
        location=location, organizer=line.text("organizer", 300) or None,
        url=urls["url"], image_url=urls["image"], online_url=urls["online_url"],
        categories=line.categories(), occurrences=[occurrence],
    ), []


def line_hash(title: str, start: date | datetime, location: Location) -> str:
    """The identity of a line without identifier: its title, start and place, as text."""
    parts = [title, start.isoformat(), location.name or "", location.city or ""]
    digest = hashlib.sha256("\x1f".join(p.casefold() for p in parts).encode()).hexdigest()
    return f"line-{digest[:32]}"


def _location(line: LineCells) -> Location:
    name, address = line.text("place", 300), line.text("address", 500)
    city, postcode = line.text("city", 200), _postcode(line)
    if not postcode and not city and address:
        parsed = parse_location(address, name=name or None)
        if parsed.postcode:
            return parsed
    return Location(name=name or None, address=address or None, postcode=postcode or None,
                    city=city or None, department=department_from_postcode(postcode))


def _postcode(line: LineCells) -> str:
    value = line.cell("postcode")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "".join(text_of(value).split())
    if isinstance(value, int) and len(text) == 4:  # 01000 read as a number by the sheet
        text = "0" + text
    if text and not re.fullmatch(r"\d{5}", text):
        line.error("import.bad_postcode", value=excerpt(text))
        return ""
    return text


