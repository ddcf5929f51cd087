"""What the matcher compares and what it answers: one occurrence of a listed event, and a pair."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Candidate:
    """One occurrence of a listed event, as the matcher needs it (times aware, in UTC)."""

    key: str              # unique key of this occurrence (e.g. the occurrence id)
    event_id: str
    source_id: int
    source_uid: str
    title: str
    start: datetime       # aware UTC (all-day: local midnight converted to UTC)
    end: datetime         # aware UTC, >= start (equal to start when the source gave no end)
    all_day: bool
    commune_code: str | None = None   # INSEE code
    department: str | None = None
    online: bool = False              # an online event (online URL and no physical place)
    place_name: str | None = None
    address: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    organizer: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Match:
    """Two candidates that look like one real event."""

    first: Candidate
    second: Candidate
    score: float                                   # 0..1
    parts: dict[str, float] = field(compare=False)  # title, time, place, organizer, url
    verdict: str                                   # "merge" or "review"
