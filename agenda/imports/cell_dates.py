"""Dates and times as people write them in spreadsheets: 12/11/2026, 2026-11-12, "12 novembre
2026", "jeudi 1er décembre 2026", Excel dates (numbers or the cells' own dates); 14h30,
"14 h 30", 14:30, 2 pm, time cells; "14h - 16h30" ranges.  Day before month, always (France).
Pure: each function returns None for what it cannot read."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

EXCEL_EPOCH = date(1899, 12, 30)
MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2,
    "feb": 2, "february": 2, "mars": 3, "mar": 3, "march": 3, "avril": 4, "avr": 4, "apr": 4,
    "april": 4, "mai": 5, "may": 5, "juin": 6, "jun": 6, "june": 6, "juillet": 7, "juil": 7,
    "jul": 7, "july": 7, "aout": 8, "aug": 8, "august": 8, "septembre": 9, "sept": 9, "sep": 9,
    "september": 9, "octobre": 10, "oct": 10, "october": 10, "novembre": 11, "nov": 11,
    "november": 11, "decembre": 12, "dec": 12, "december": 12,
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]+(.+))?")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:,?\s+(?:a\s+)?(.+))?")
_WORDS = re.compile(r"(?:[a-z]+\.?,?\s+)?(\d{1,2})(?:er|st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})"
                    r"(?:,?\s+(?:a\s+)?(.+))?")
_ENGLISH = re.compile(r"(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})"
                      r"(?:,?\s+(?:at\s+)?(.+))?")
_TIME = re.compile(r"(\d{1,2})\s*(?:h|:)\s*(\d{2})?(?::(\d{2}))?")
_TIME_12 = re.compile(r"(\d{1,2})(?::(\d{2}))?\s*([ap])\.?m\.?")
_RANGE = re.compile(r"(?:de\s+|from\s+)?(.+?)\s*(?:-|–|\ba\b|\bto\b|\bjusqu a\b)\s*(.+)")


def plain(text: str) -> str:
    """Lower case, no accents, spaces squeezed (no-break ones included)."""
    text = unicodedata.normalize("NFKD", text.replace("\u202f", " ").replace("\xa0", " "))
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).lower().split())


def read_date(value) -> tuple[date, time | None] | None:
    """(day, time if the cell gives one) of a date cell."""
    if isinstance(value, datetime):
        moment = value.replace(tzinfo=None)
        return moment.date(), (moment.time() if moment.time() != time(0, 0) else None)
    if isinstance(value, date):
        return value, None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial(value)
    if isinstance(value, str):
        return _date_text(plain(value))
    return None


def _excel_serial(number: float) -> tuple[date, time | None] | None:
    """Excel's day count (46338 = 12 November 2026), its fraction the time of day."""
    if not 1 <= number < 2_958_466:
        return None
    moment = datetime.combine(EXCEL_EPOCH, time(0, 0)) + timedelta(days=float(number))
    moment = _round_to_minute(moment)
    return moment.date(), (moment.time() if moment.time() != time(0, 0) else None)


def _date_text(text: str) -> tuple[date, time | None] | None:
    if re.fullmatch(r"\d{5}(\.\d+)?", text):  # a date cell exported as its number
        return _excel_serial(float(text))
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDS, "dmy"), (_ENGLISH, "mdy")):
        match = pattern.fullmatch(text)
        if match:
            return _date_of(match, order)
    return None


def _date_of(match: re.Match, order: str) -> tuple[date, time | None] | None:
    parts = dict(zip(order, match.groups()[:3]))
    month = MONTHS.get(parts["m"]) if not parts["m"].isdigit() else int(parts["m"])
    year = int(parts["y"]) + (2000 if len(parts["y"]) == 2 else 0)
    try:
        day = date(year, month, int(parts["d"])) if month else None
    except ValueError:
        return None
    rest = match.group(4)
    if day is None or not rest:
        return (day, None) if day else None
    moment = read_time(rest)
    return (day, moment) if moment else None


def read_time(value) -> time | None:
    """The time of a time cell: 14h30, 14 h 30, 14:30, 14:30:00, 2 pm, a time or a fraction of
    a day (what Excel stores)."""
    if isinstance(value, datetime):
        return value.time().replace(tzinfo=None)
    if isinstance(value, time):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 1:
        moment = datetime.combine(EXCEL_EPOCH, time(0, 0)) + timedelta(days=value)
        return _round_to_minute(moment).time()
    if not isinstance(value, str):
        return None
    text = plain(value)
    match = _TIME.fullmatch(text)
    if match:
        return _time(int(match.group(1)), int(match.group(2) or 0), int(match.group(3) or 0))
    match = _TIME_12.fullmatch(text)
    if match:
        hour = int(match.group(1)) % 12 + (12 if match.group(3) == "p" else 0)
        return _time(hour, int(match.group(2) or 0), 0)
    return None


def read_time_range(value) -> tuple[time, time | None] | None:
    """A time or a range of times, "14h - 16h30", "de 14h à 16h", "2pm to 4pm"."""
    alone = read_time(value)
    if alone is not None or not isinstance(value, str):
        return (alone, None) if alone else None
    match = _RANGE.fullmatch(plain(value))
    if not match:
        return None
    start, end = read_time(match.group(1)), read_time(match.group(2))
    return (start, end) if start and end else None


def _time(hour: int, minute: int, second: int) -> time | None:
    if hour == 24 and minute == 0:
        return time(23, 59)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _round_to_minute(moment: datetime) -> datetime:
    """Excel's fractions carry float noise (14:29:59.99...)."""
    return (moment + timedelta(seconds=30)).replace(second=0, microsecond=0)
