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
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agenda.collectors.feed_dates import build_occurrence
from agenda.collectors.normalize import department_from_postcode, parse_location
from agenda.collectors.sanitize import text_to_html
from agenda.imports.cell_dates import read_date, read_time, read_time_range
from agenda.imports.mapping import Mapping
from agenda.imports.problems import LineError
from agenda.imports.table import Table, TableRow, Unreadable
from agenda.records import EventRecord, Location
from agenda.text_clean import clean_line, clean_text

log = logging.getLogger(__name__)

LIMITS = {"title": 300, "description": 20_000, "uid": 400}
_CATEGORY_SPLIT = re.compile(r"[,;|\n]+")


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
    line = _Line(row, mapping)
    if line.check_width(width):
        return None, line.errors  # shifted columns: what they would say is noise
    title = line.text("title", LIMITS["title"])
    if "title" in mapping and not title and not line.failed("title"):
        line.error("import.no_title")
    occurrence = _occurrence(line, tz)
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


class _Line:
    """The cells of one line by field, and the errors found while reading them."""

    def __init__(self, row: TableRow, mapping: Mapping):
        self.row, self.mapping = row, mapping
        self.errors: list[LineError] = []
        self._failed: set[str] = set()

    def error(self, code: str, **params) -> None:
        self.errors.append(LineError(self.row.line, code, params))

    def failed(self, name: str) -> bool:
        return name in self._failed

    def check_width(self, width: int | None) -> bool:
        """Whether the line has a cell too few or too many (an error then)."""
        cells = self.row.cells
        if width is None or len(cells) == width:
            return False
        if len(cells) < width:
            self.error("import.short_line", cells=len(cells), columns=width)
        elif any(_text_of(cell) for cell in cells[width:]):
            self.error("import.long_line", cells=len(cells), columns=width)
        return bool(self.errors)

    def fail(self, name: str) -> None:
        self._failed.add(name)

    def cell(self, name: str):
        """The raw value of the field's cell (None when unmapped or empty)."""
        index = self.mapping.get(name)
        if index is None or index >= len(self.row.cells):
            return None
        value = self.row.cells[index]
        if isinstance(value, Unreadable):
            self.fail(name)
            self.error(value.code, cell=f"{column_letter(index)}{self.row.line}",
                       value=value.text)
            return None
        return None if isinstance(value, str) and not value.strip() else value

    def text(self, name: str, limit: int, *, multiline: bool = False) -> str:
        value = _text_of(self.cell(name))
        value = clean_text(value).strip() if multiline else clean_line(value)
        if len(value) > limit:
            self.error("import.too_long", column=name, length=len(value), limit=limit)
            return ""
        return value

    def url(self, name: str) -> str | None:
        value = clean_line(_text_of(self.cell(name)))
        if value and not re.match(r"https?://[^\s/]+", value, re.IGNORECASE):
            self.error("import.bad_url", column=name, value=_excerpt(value))
            return None
        return value or None

    def categories(self) -> tuple[str, ...]:
        words = (clean_line(w) for w in _CATEGORY_SPLIT.split(_text_of(self.cell("categories"))))
        return tuple(dict.fromkeys(w for w in words if w))


def _occurrence(line: _Line, tz: ZoneInfo):
    """The occurrence of the line; errors (no start, unreadable, end before start) on ``line``."""
    start_day = _day(line, "start_date")
    times = _start_times(line)
    end_day = _day(line, "end_date")
    end_time = _time(line, "end_time") or (times[1] if times else None)
    if start_day is None:
        if "start_date" in line.mapping and not line.failed("start_date"):
            line.error("import.no_start")
        return None
    day, start_time = start_day[0], (times[0] if times else None) or start_day[1]
    if start_time is None and end_time is not None and end_day is None:
        line.error("import.end_time_alone")
        return None
    start = datetime.combine(day, start_time, tzinfo=tz) if start_time else day
    end = _end(start, end_day, end_time, tz)
    if end is not None and _before(end, start):
        line.error("import.end_before_start", end=_shown(end), start=_shown(start))
        return None
    return build_occurrence(start, end, end_inclusive=True)[0]


def _start_times(line: _Line) -> tuple[time, time | None] | None:
    value = line.cell("start_time")
    if value is None:
        return None
    found = read_time_range(value)
    if found is None:
        line.error("import.bad_time", column="start_time", value=_excerpt(_text_of(value)))
    return found


def _day(line: _Line, name: str) -> tuple[date, time | None] | None:
    value = line.cell(name)
    if value is None:
        return None
    found = read_date(value)
    if found is None:
        line.fail(name)
        line.error("import.bad_date", column=name, value=_excerpt(_text_of(value)))
    return found


def _time(line: _Line, name: str) -> time | None:
    value = line.cell(name)
    if value is None:
        return None
    found = read_time(value)
    if found is None:
        line.error("import.bad_time", column=name, value=_excerpt(_text_of(value)))
    return found


def _end(start, end_day, end_time, tz):
    """The end as written: a day (the last day of the event), a moment, or None."""
    if end_day is None and end_time is None:
        return None
    if not isinstance(start, datetime):
        return end_day[0] if end_day else None
    day, moment = (end_day[0], end_time or end_day[1]) if end_day else (start.date(), end_time)
    if moment is None:
        return day
    end = datetime.combine(day, moment, tzinfo=tz)
    if end_day is None and end < start:  # 22 h - 2 h: the end is the next morning
        end += timedelta(days=1)
    return end


def _before(end, start) -> bool:
    if isinstance(end, datetime) and isinstance(start, datetime):
        return end < start
    return _as_day(end) < _as_day(start)


def _as_day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y %H:%M") if isinstance(value, datetime) \
        else value.strftime("%d/%m/%Y")


def _location(line: _Line) -> Location:
    name, address = line.text("place", 300), line.text("address", 500)
    city, postcode = line.text("city", 200), _postcode(line)
    if not postcode and not city and address:
        parsed = parse_location(address, name=name or None)
        if parsed.postcode:
            return parsed
    return Location(name=name or None, address=address or None, postcode=postcode or None,
                    city=city or None, department=department_from_postcode(postcode))


def _postcode(line: _Line) -> str:
    value = line.cell("postcode")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = "".join(_text_of(value).split())
    if isinstance(value, int) and len(text) == 4:  # 01000 read as a number by the sheet
        text = "0" + text
    if text and not re.fullmatch(r"\d{5}", text):
        line.error("import.bad_postcode", value=_excerpt(text))
        return ""
    return text


def _text_of(value) -> str:
    """A cell as text: numbers without a useless '.0', dates in ISO form."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def _excerpt(text: str, limit: int = 40) -> str:
    text = clean_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: how spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
