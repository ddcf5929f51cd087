"""Exported calendars read back by independent parsers: vobject, icalendar with
recurring-ical-events, and ical.js (Mozilla's, run by node).  A series exported and expanded
again gives exactly the occurrences its source had."""

from __future__ import annotations

from datetime import date

import pytest
import vobject

from tests.export.collecting import (
    Clock,
    collect,
    expand,
    frozen_app,
    ical_js_occurrences,
    new_source,
    read_with_ical_js,
    records_of,
    sample,
)

FIRST, LAST = date(2026, 9, 1), date(2027, 3, 1)
WINDOW = f"from={FIRST}&to={LAST}"


@pytest.fixture
def client(settings, engine):
    return frozen_app(settings, Clock()).test_client()


def exported(client, factory, *names: str) -> bytes:
    source_id = new_source(factory)
    collect(factory, source_id, [r for name in names for r in records_of(sample(name))])
    response = client.get(f"/calendar.ics?{WINDOW}")
    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    return response.data


@pytest.mark.parametrize("name", ["weekly_exdate_moved_override.ics",
                                  "all_day_and_multi_day.ics", "zones_utc_and_new_york.ics"])
def test_occurrences_expanded_again_are_the_sources(client, factory, name):
    body = exported(client, factory, name)
    source = expand(sample(name), FIRST, LAST)
    assert expand(body, FIRST, LAST) == source
    assert ical_js_occurrences(read_with_ical_js(body, FIRST, LAST)) == source


def test_the_moved_override_and_the_exdate(client, factory):
    body = exported(client, factory, "weekly_exdate_moved_override.ics")
    starts = [start for start, _, _, _ in expand(body, FIRST, LAST)]
    assert "2026-10-20T16:00:00Z" not in starts  # EXDATE
    assert "2026-11-03T17:00:00Z" not in starts and "2026-11-04T18:00:00Z" in starts  # moved
    assert ("2026-10-27T17:00:00Z" in starts) and ("2026-10-13T16:00:00Z" in starts)  # DST


def test_vobject_reads_every_event_with_the_required_properties(client, factory):
    body = exported(client, factory, "weekly_exdate_moved_override.ics",
                    "all_day_and_multi_day.ics", "zones_utc_and_new_york.ics",
                    "hostile_text.ics")
    calendar = vobject.readOne(body.decode("utf-8"))
    events = calendar.vevent_list
    assert len(events) == 8
    for event in events:
        for name in ("uid", "dtstamp", "dtstart", "dtend", "sequence", "last-modified",
                     "summary", "status"):
            assert name in event.contents, name
    masters = {e.uid.value for e in events if "recurrence-id" not in e.contents}
    overrides = [e for e in events if "recurrence-id" in e.contents]
    assert len(overrides) == 2 and all(e.uid.value in masters for e in overrides)
    assert all(uid.endswith("@agenda-commun") for uid in masters)


def test_all_day_events_are_dates(client, factory):
    body = exported(client, factory, "all_day_and_multi_day.ics")
    calendar = vobject.readOne(body.decode("utf-8"))
    festival = next(e for e in calendar.vevent_list if e.summary.value == "Festival de l'ESS")
    assert festival.dtstart.value == date(2026, 11, 27)
    assert festival.dtend.value == date(2026, 11, 30)
    assert b"DTSTART;VALUE=DATE:20261127\r\n" in body
    assert b"EXDATE;VALUE=DATE:20261119\r\n" in body


def test_hostile_text_comes_back_as_the_source_wrote_it(client, factory):
    [record] = records_of(sample("hostile_text.ics"))
    body = exported(client, factory, "hostile_text.ics")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"\n" not in body.replace(b"\r\n", b"")
    [event] = vobject.readOne(body.decode("utf-8")).vevent_list
    assert event.summary.value == record.title
    assert event.description.value == record.description_text
    assert "Première ligne\nDeuxième ligne" in event.description.value
    assert event.location.value == "Maison des associations, 3 place de la Mairie, 37000 Tours"
    assert event.organizer.params["CN"] == ["Association Les Amis: du vélo; et, du reste"]
    assert event.status.value == "TENTATIVE" and event.geo.value == "47.394144;0.684840"
    assert "url" not in event.contents  # javascript: never goes out
    [read] = read_with_ical_js(body, FIRST, LAST)["events"]
    assert read["summary"] == record.title and read["description"] == record.description_text
    assert read["categories"][:2] == ["Réemploi", "Vie associative, bénévolat"]
    assert read["organizer"] == "Association Les Amis: du vélo; et, du reste"


def test_the_calendar_carries_its_name_refresh_interval_and_zones(client, factory):
    body = exported(client, factory, "weekly_exdate_moved_override.ics",
                    "zones_utc_and_new_york.ics")
    calendar = read_with_ical_js(body, FIRST, LAST)["calendar"]
    assert calendar["name"].startswith("Agenda commun – Centre-Val de Loire")
    assert calendar["refresh"] == "REFRESH-INTERVAL;VALUE=DURATION:PT2H"
    assert calendar["ttl"] == "PT2H"
    assert sorted(calendar["timezones"]) == ["America/New_York", "Europe/Paris"]
    assert body.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert b"DTSTART:20261126T130000Z\r\n" in body  # UTC stays UTC, without a zone
