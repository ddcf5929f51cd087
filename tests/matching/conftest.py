"""A factory of candidates: a repair café in Tours on Saturday 14 November 2026, 14:00-17:00
local time, unless told otherwise (times given as local "HH:MM" on that day or as datetimes)."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from itertools import count
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")
DAY = date(2026, 11, 14)


def local(text: str, day: date = DAY, zone=PARIS) -> datetime:
    hour, minute = (int(x) for x in text.split(":"))
    return datetime.combine(day, time(hour, minute), zone).astimezone(timezone.utc)


@pytest.fixture
def make_candidate():
    numbers = count(1)

    def make(**values):
        number = next(numbers)
        row = dict(key=f"k{number}", event_id=f"e{number}", source_id=number,
                   source_uid=f"uid{number}", title="Repair café", start="14:00", end="17:00",
                   all_day=False, commune_code="37261", department="37", city="Tours",
                   place_name="Salle Thélème", address="3 rue des Tanneurs", lat=47.3967,
                   lon=0.6826)
        row.update(values)
        for field in ("start", "end"):
            if isinstance(row[field], str):
                row[field] = local(row[field])
        from agenda.matching import Candidate
        return Candidate(**row)

    return make
