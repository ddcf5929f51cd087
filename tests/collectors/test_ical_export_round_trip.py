"""The iCalendar fidelity fixes hold through the whole way: a calendar collected, stored and
exported by /calendar.ics, then expanded again by recurring-ical-events, gives the occurrences
recurring-ical-events computes from the source itself (moved into the coming months)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.collectors.test_ical_fidelity import with_iana_names
from tests.export.collecting import Clock, collect, expand, frozen_app, new_source, records_of

DATA = Path(__file__).parent.parent / "data"
FIRST, LAST = date(2026, 10, 1), date(2027, 6, 1)
_DAY = re.compile(rb"(?<![0-9A-Za-z])(\d{4})(\d{2})(\d{2})(?=T\d{6}|[\r\n,;:]|Z)")

CASES = {  # file -> the Monday on or before its first event
    "ics/several_calendars_reusing_uids.ics": date(2024, 9, 30),
    "ics/windows_zone_names.ics": date(2024, 10, 7),
    "ics/all_day_series_with_date_time_until.ics": date(2024, 9, 2),
    "corpus/ics/calagator__ical_multiple_calendars.ics": date(2010, 4, 5),
    "corpus/ics/rie__issue_28_rrule_with_UTC_endinginZ.ics": date(2020, 3, 30),
    "corpus/ics/rie__issue_75_range_parameter.ics": date(2024, 8, 26),
}


def moved(body: bytes, weeks: int) -> bytes:
    """Every date of the file moved by whole weeks (weekdays, hence BYDAY rules, still hold)."""
    def move(match: re.Match) -> bytes:
        day = date(*map(int, match.groups())) + timedelta(weeks=weeks)
        return day.strftime("%Y%m%d").encode()
    return _DAY.sub(move, body)


def expand_each(body: bytes, first: date, last: date) -> list[tuple]:
    """``expand`` of each VCALENDAR of the file, as recurring-ical-events reads them."""
    return sorted(occurrence for calendar in Calendar.from_ical(body, multiple=True)
                  for occurrence in expand(calendar.to_ical(), first, last))


@pytest.fixture
def client(settings, engine):
    return frozen_app(settings, Clock()).test_client()


@pytest.mark.parametrize("name", CASES)
def test_exported_calendar_expands_to_the_sources_occurrences(client, factory, name):
    weeks = (date(2026, 11, 2) - CASES[name]).days // 7
    body = moved((DATA / name).read_bytes(), weeks)
    collect(factory, new_source(factory), records_of(body))
    exported = client.get(f"/calendar.ics?from={FIRST}&to={LAST}").data
    source = expand_each(with_iana_names(body), FIRST, LAST)
    assert source
    assert expand(exported, FIRST, LAST) == source
