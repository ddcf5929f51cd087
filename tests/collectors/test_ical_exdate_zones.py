"""An EXDATE written in another zone than its series' start (Exchange does it) drops the
occurrence at that clock time, as recurring-ical-events reads it, and the exported calendar
drops the same one (the export writes EXDATE in the series' zone)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.ical import parse_ical
from tests.export.collecting import Clock, collect, expand, frozen_app, new_source, records_of

SAMPLE = Path(__file__).parent.parent / "data" / "ics" / "exdate_in_another_zone.ics"
PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
WINDOW = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
KEPT = ["2026-11-03", "2026-11-10", "2026-11-24", "2026-12-08"]  # 17 Nov (London), 1 Dec: out


def test_exdate_in_another_zone_drops_the_occurrence_at_that_clock_time():
    series = parse_ical(SAMPLE.read_bytes(), default_tz=PARIS, window=WINDOW).events[0]
    assert [o.start.date().isoformat() for o in series.occurrences] == KEPT
    assert series.exdate == ("2026-11-17T14:00:00+00:00",  # the instant written
                             "2026-12-01T13:00:00+00:00",
                             "2026-11-17T13:00:00+00:00")  # the clock time in Paris


@pytest.fixture
def client(settings, engine):
    return frozen_app(settings, Clock()).test_client()


def test_the_export_drops_the_same_occurrences(client, factory):
    collect(factory, new_source(factory), records_of(SAMPLE.read_bytes()))
    exported = expand(client.get("/calendar.ics").data, date(2026, 10, 1), date(2027, 1, 1))
    assert [start for start, *_ in exported] == [f"{day}T13:00:00Z" for day in KEPT]
