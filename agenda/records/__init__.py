"""The normalised records every source produces (collectors, the form) and the store keeps:
plain dataclasses, no database, no Flask.  Their home is neutral: collectors and store both use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

STATUSES = ("confirmed", "tentative", "cancelled")


@dataclass(frozen=True)
class Location:
    name: str | None = None
    address: str | None = None
    postcode: str | None = None
    city: str | None = None
    department: str | None = None
    lat: float | None = None
    lon: float | None = None
    commune_code: str | None = None  # INSEE code, when known (agenda.geography)
    commune_name: str | None = None


@dataclass(frozen=True)
class Occurrence:
    """One concrete occurrence.

    For timed events ``start``/``end`` are timezone-aware datetimes; for all-day events they are
    ``date`` objects and ``end`` is exclusive (as in iCalendar).
    """

    start: datetime | date
    end: datetime | date
    all_day: bool = False


@dataclass
class EventRecord:
    """One event as a source describes it (one VEVENT, one feed item).

    Identity inside its source is ``(source_uid, recurrence_id)``: ``recurrence_id`` is ``""``
    for a master or a single event and the ISO form of RECURRENCE-ID for an override.
    """

    source_uid: str
    title: str
    start: datetime | date
    end: datetime | date | None = None
    all_day: bool = False
    timezone: str | None = None
    recurrence_id: str = ""
    description_html: str = ""
    description_text: str = ""
    rrule: str | None = None
    rdate: tuple[str, ...] = ()
    exdate: tuple[str, ...] = ()
    location: Location = field(default_factory=Location)
    online_url: str | None = None
    organizer: str | None = None
    url: str | None = None
    image_url: str | None = None
    categories: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    status: str = "confirmed"
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.source_uid, self.recurrence_id)


@dataclass
class ParseResult:
    """What a parser made of one document: events, plus items it had to skip and why."""

    format: str
    events: list[EventRecord] = field(default_factory=list)
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def unique_records(records: list[EventRecord]) -> tuple[list[EventRecord], int]:
    """Keep the first record of each key; a document repeating a UID counts the rest as skipped."""
    seen: dict[tuple[str, str], EventRecord] = {}
    for record in records:
        seen.setdefault(record.key, record)
    return list(seen.values()), len(records) - len(seen)
