"""VTIMEZONE blocks: read back by icalendar, they give the tz database's offsets."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from agenda.export.vtimezone import transitions, vtimezone

ZONES = ["Europe/Paris", "America/New_York", "Australia/Sydney", "America/Sao_Paulo",
         "Asia/Kolkata", "Africa/Casablanca", "Europe/Dublin", "Pacific/Chatham"]


def read_back(name: str):
    text = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//FR\r\n" + vtimezone(name) + \
        b"END:VCALENDAR\r\n"
    return Calendar.from_ical(text).walk("VTIMEZONE")[0].to_tz()


@pytest.mark.parametrize("name", ZONES)
def test_offsets_match_the_tz_database_around_every_transition(name):
    zone, written = ZoneInfo(name), read_back(name)
    start = datetime(1971, 1, 1, tzinfo=timezone.utc)
    changes = transitions(zone, start, datetime(2099, 1, 1, tzinfo=timezone.utc))
    moments = [start + timedelta(days=11 * i) for i in range(4200)]
    for change in changes:
        at = (change.onset - change.before).replace(tzinfo=timezone.utc)
        moments += [at - timedelta(minutes=1), at + timedelta(minutes=1)]
    wrong = [m for m in moments if m.astimezone(written).utcoffset()
             != m.astimezone(zone).utcoffset()]
    assert wrong == []


def test_the_rule_in_force_is_a_yearly_rrule_and_older_changes_one_rdate_a_line():
    text = vtimezone("Europe/Paris").decode()
    assert "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" in text
    assert "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU" in text
    assert all("," not in line for line in text.splitlines() if line.startswith("RDATE"))
    assert text.startswith("BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n")


def test_an_unknown_zone_has_no_block():
    assert vtimezone("Mars/Olympus_Mons") == b""
