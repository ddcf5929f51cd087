"""iCalendar fidelity (issue 10, point 6): parse_ical gives, for files real writers produce, the
occurrences recurring-ical-events computes from the same file, and records the export can write
back as they were meant.  One sample file per behaviour in tests/data/ics/, plus the corpus file
that showed the problem (tests/data/corpus/ics/)."""

from __future__ import annotations

import re
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import recurring_ical_events
from icalendar import Calendar

from agenda.collectors.ical import parse_ical
from agenda.collectors.windows_zones import iana_name

DATA = Path(__file__).parent.parent / "data"
PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
WINDOW = (datetime(2000, 1, 1, tzinfo=UTC), datetime(2030, 1, 1, tzinfo=UTC))


def body_of(name: str) -> bytes:
    return (DATA / name).read_bytes()


def parse(name: str):
    return parse_ical(body_of(name), default_tz=PARIS, window=WINDOW)


def _instant(value) -> str:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=PARIS)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def ours(result) -> list[tuple[str, str, str]]:
    """(start, end, title) of every occurrence parse_ical found."""
    return sorted((_instant(o.start), _instant(o.end), record.title)
                  for record in result.events for o in record.occurrences)


def theirs(body: bytes) -> list[tuple[str, str, str]]:
    """The same as recurring-ical-events computes it, each VCALENDAR of the file on its own."""
    return sorted((_instant(o["DTSTART"].dt), _instant(o.end), str(o.get("SUMMARY", "")))
                  for calendar in Calendar.from_ical(body, multiple=True)
                  for o in recurring_ical_events.of(calendar).between(*WINDOW))


# --- several VCALENDAR blocks in one file ----------------------------------------------------


@pytest.mark.parametrize("name", ["ics/several_calendars_reusing_uids.ics",
                                  "corpus/ics/calagator__ical_multiple_calendars.ics"])
def test_every_calendar_of_a_file_is_read_even_when_they_reuse_uids(name):
    result = parse(name)
    assert ours(result) == theirs(body_of(name))
    assert len({record.key for record in result.events}) == len(result.events)
    assert not any(warning.code == "ical.shared_keys" for warning in result.warnings)


def test_uids_reused_by_a_later_calendar_get_its_number():
    result = parse("ics/several_calendars_reusing_uids.ics")
    assert [(r.source_uid, r.title) for r in result.events] == [
        ("permanence@exemple.fr", "Permanence à Tours"),
        ("permanence@exemple.fr-calendar-2", "Permanence à Blois"),
        ("atelier@exemple.fr", "Atelier réparation à Blois"),
        ("permanence@exemple.fr-calendar-3", "Permanence à Orléans"),
        ("atelier@exemple.fr-calendar-3", "Atelier réparation à Orléans"),
    ]
    workshops = [r for r in result.events if r.title.startswith("Atelier")]
    assert [len(r.occurrences) for r in workshops] == [3, 2]
    assert workshops[1].occurrences[0].start == datetime(2024, 10, 11, 14, tzinfo=PARIS)


# --- Windows time-zone names ------------------------------------------------------------------

WINDOWS_NAMES = {
    b'"(UTC+01:00) Brussels, Copenhagen, Madrid, Paris"': b"Europe/Paris",
    b'"(UTC-05:00) Eastern Time (US & Canada)"': b"America/New_York",
    b'"(UTC-05:00) Eastern Time (US and Canada)"': b"America/New_York",
    b"W. Europe Standard Time": b"Europe/Berlin",
}


def with_iana_names(body: bytes) -> bytes:
    for windows, iana in WINDOWS_NAMES.items():
        body = body.replace(b"TZID=" + windows, b"TZID=" + iana)
    return body


@pytest.mark.parametrize("name", ["ics/windows_zone_names.ics",
                                  "corpus/ics/nodeical__windows-quoted-tz-rrule.ics"])
def test_windows_zone_names_read_as_the_iana_zones_they_stand_for(name):
    body = body_of(name)
    assert with_iana_names(body) != body
    result = parse_ical(body, default_tz=ZoneInfo("America/Los_Angeles"), window=WINDOW)
    assert ours(result) == theirs(with_iana_names(body))


def test_windows_names_on_dtstart_exdate_and_recurrence_id():
    result = parse("ics/windows_zone_names.ics")
    zones = {record.title: record.timezone for record in result.events}
    assert zones == {"Permanence numérique": "Europe/Paris",
                     "Permanence numérique (déplacée)": "Europe/Paris",
                     "Visio avec les coopératives de Montréal": "America/New_York",
                     "Forum de l'ESS à Fribourg": "W. Europe Standard Time"}  # as icalendar
    assert result.events[3].start == datetime(2024, 11, 28, 8, tzinfo=UTC)  # reads it
    master, moved = result.events[:2]
    assert master.exdate == ("2024-10-21T12:00:00+00:00",)
    assert moved.recurrence_id == "2024-11-04T13:00:00+00:00"
    assert [o.start.day for o in master.occurrences] == [7, 14, 28, 11]
    assert result.events[2].start == datetime(2024, 10, 15, 16, tzinfo=UTC)


@pytest.mark.parametrize(("tzid", "iana"), [
    ('"(UTC-05:00) Eastern Time (US and Canada)"', "America/New_York"),
    ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
    ("(GMT+01:00) Brussels, Copenhagen, Madrid, Paris", "Europe/Paris"),
    ("(UTC) Dublin, Edinburgh, Lisbon, London", "Europe/London"),
    ("(UTC-03:00) Cayenne, Fortaleza", "America/Cayenne"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Europe/Paris", "Europe/Paris"),
    ("(UTC+01:00) Somewhere Else", None),
    ("Customized Time Zone", None),
    ("CET", None),
    ("", None),
])
def test_windows_zone_name_mapping(tzid, iana):
    assert iana_name(tzid) == iana


# --- DTSTART as a DATE, DTEND as a DATE-TIME -------------------------------------------------


@pytest.mark.parametrize(("uid", "start", "end"), [
    ("conges-ete@exemple.fr", date(2024, 7, 22), date(2024, 8, 12)),  # UTC midnight: 3 weeks
    ("fermeture-paris@exemple.fr", date(2024, 8, 14), date(2024, 8, 16)),  # 22:00Z: that day too
    ("salon-local@exemple.fr", date(2024, 9, 7), date(2024, 9, 9)),  # ends in the evening
    ("fin-avant-debut@exemple.fr", date(2024, 9, 20), date(2024, 9, 21)),  # backwards: one day
])
def test_an_all_day_start_with_a_timed_end_lasts_until_that_end(uid, start, end):
    result = parse("ics/all_day_start_with_timed_end.ics")
    record = next(record for record in result.events if record.source_uid == uid)
    assert (record.all_day, record.start, record.end) == (True, start, end)
    assert [(o.start, o.end) for o in record.occurrences] == [(start, end)]


def test_the_three_week_leave_of_the_corpus_lasts_as_recurring_ical_events_reads_it():
    name = "corpus/ics/rie__issue_201_mixed_datetime_and_date.ics"
    (start, end, title), = theirs(body_of(name))
    assert ours(parse(name)) == [(start[:10], end[:10], title)]
    assert (start, end) == ("2023-07-24T00:00:00Z", "2023-08-17T00:00:00Z")


# --- all-day series with DATE-TIME UNTIL, RECURRENCE-ID and EXDATE ----------------------------


@pytest.mark.parametrize("name", ["ics/all_day_series_with_date_time_until.ics",
                                  "corpus/ics/rie__issue_28_rrule_with_UTC_endinginZ.ics"])
def test_all_day_series_written_with_date_times_give_recurring_ical_events_occurrences(name):
    assert ours(parse(name)) == theirs(body_of(name))


def test_all_day_series_keep_dates_for_until_recurrence_id_and_exdate():
    events = {record.key: record for record in parse("ics/all_day_series_with_date_time_until.ics")
              .events}
    bins = events[("collecte-bacs@exemple.fr", "")]
    assert bins.rrule == "FREQ=WEEKLY;UNTIL=20241002;INTERVAL=1;BYDAY=TH;WKST=MO"
    assert [o.start for o in bins.occurrences] == [date(2024, 9, 5), date(2024, 9, 12),
                                                   date(2024, 9, 26)]  # not 3 October
    moved = events[("collecte-bacs@exemple.fr", "2024-09-19")]  # the date, not 18 Sep 22:00Z
    assert [o.start for o in moved.occurrences] == [date(2024, 9, 20)]
    garden = events[("jardin-partage@exemple.fr", "")]
    assert garden.occurrences[-1].start == date(2024, 10, 19)
    shop = events[("ressourcerie@exemple.fr", "")]
    assert shop.exdate == ("2024-10-14",)
    assert date(2024, 10, 14) not in [o.start for o in shop.occurrences]


def test_the_moved_bin_collection_of_the_corpus_is_an_override_of_its_date():
    result = parse("corpus/ics/rie__issue_28_rrule_with_UTC_endinginZ.ics")
    assert sorted(r.recurrence_id for r in result.events if r.recurrence_id) == [
        "2020-04-16", "2020-05-28", "2020-09-03"]
    assert sorted(re.search(r"UNTIL=([^;]*)", r.rrule)[1] for r in result.events if r.rrule) == [
        "20200916", "20200923"]


# --- RECURRENCE-ID;RANGE=THISANDFUTURE ---------------------------------------------------------


@pytest.mark.parametrize("name", ["ics/this_and_future_override.ics",
                                  "corpus/ics/rie__issue_75_range_parameter.ics"])
def test_a_this_and_future_override_moves_the_later_occurrences_too(name):
    assert ours(parse(name)) == theirs(body_of(name))


def test_each_later_occurrence_becomes_an_override_of_the_one_it_replaces():
    result = parse("ics/this_and_future_override.ics")
    assert len({record.key for record in result.events}) == len(result.events)
    moved = {record.recurrence_id: record for record in result.events
             if record.title == "Atelier couture (nouvel horaire)"}
    assert sorted(moved) == ["2024-10-15T16:00:00+00:00", "2024-10-22T16:00:00+00:00",
                             "2024-11-05T17:00:00+00:00", "2024-11-12T17:00:00+00:00",
                             "2024-11-19T17:00:00+00:00"]  # 29 October has its own override
    later = moved["2024-11-05T17:00:00+00:00"]
    assert (later.start, later.end) == (datetime(2024, 11, 6, 19, tzinfo=PARIS),
                                        datetime(2024, 11, 6, 21, 30, tzinfo=PARIS))
    assert later.location.name == "Tiers-lieu La Fabrique, Tours"
    assert [len(record.occurrences) for record in moved.values()] == [1] * 5
    master = next(record for record in result.events if not record.recurrence_id)
    assert [o.start.day for o in master.occurrences] == [1, 8]
