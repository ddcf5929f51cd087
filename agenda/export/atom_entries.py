"""Occurrences -> Atom entries: their date and place in the summary, in French (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from babel.dates import format_date

from agenda.export.atom import AtomEntry
from agenda.export.ics_places import location_text
from agenda.models import Occurrence
from agenda.region import Region

ENTRY_ID_PREFIX = "tag:agenda-commun,2026:occurrence/"
CANCELLED_PREFIX = "Annulé : "


def atom_entry(occurrence: Occurrence, *, tz: ZoneInfo, region: Region,
               page_url: Callable[[str, str], str]) -> AtomEntry:
    event = occurrence.event
    title = event.title if event.status != "cancelled" else CANCELLED_PREFIX + event.title
    return AtomEntry(
        id=ENTRY_ID_PREFIX + occurrence.id,
        title=title,
        updated=event.updated_at,
        published=event.created_at,
        link=page_url(event.id, _local_day(occurrence, tz).isoformat()),  # the date's own page
        summary=" · ".join(filter(None, [when_text(occurrence, tz), place_text(event)])),
        content_html=event.description_html or "",
        categories=tuple((t.slug, t.label_fr) for t in region.themes if t.slug in event.themes),
    )


def _local_day(occurrence: Occurrence, tz: ZoneInfo) -> date:
    if occurrence.all_day and occurrence.start_date:
        return occurrence.start_date
    return occurrence.start_at.astimezone(tz).date()


def when_text(occurrence: Occurrence, tz: ZoneInfo) -> str:
    """'mercredi 25 novembre 2026, 18 h – 20 h 30', 'du jeudi 27 au samedi 29 novembre 2026'
    (French typography: 1er, no-break spaces in the times, month and year said once)."""
    if occurrence.all_day and occurrence.start_date:
        first = occurrence.start_date
        last = max(first, (occurrence.end_date or first) - timedelta(days=1))
        return _day(first) if first == last else f"du {_day(first, last)} au {_day(last)}"
    start, end = occurrence.start_at.astimezone(tz), occurrence.end_at.astimezone(tz)
    if end <= start:
        return f"{_day(start.date())}, {_clock(start)}"
    if end.date() == start.date():
        return f"{_day(start.date())}, {_clock(start)} – {_clock(end)}"
    return (f"du {_day(start.date(), end.date())} à {_clock(start)} au {_day(end.date())} "
            f"à {_clock(end)}")


def place_text(event) -> str:
    place = location_text(event)
    if event.department and place:
        return f"{place} ({event.department})"
    return place


def _day(day: date, until: date | None = None) -> str:
    """'samedi 1er novembre 2026'; the first day of a range leaves out what ``until`` says."""
    pattern = "EEEE d MMMM y"
    if until is not None and until.year == day.year:
        pattern = "EEEE d" if until.month == day.month else "EEEE d MMMM"
    if day.day == 1:
        pattern = pattern.replace("d", "d'er'", 1)
    return format_date(day, format=pattern, locale="fr")


def _clock(moment: datetime) -> str:
    """'18 h', '18 h 30' (no-break spaces)."""
    minutes = f"\u00a0{moment.minute:02d}" if moment.minute else ""
    return f"{moment.hour}\u00a0h{minutes}"
