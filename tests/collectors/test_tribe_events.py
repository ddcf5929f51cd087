"""The Events Calendar REST API pages become records; broken answers and endless paging stop
with a clear sentence."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.tribe_events import next_tribe_page, parse_tribe_page
from agenda.errors import ParseError

DATA = Path(__file__).resolve().parents[1] / "data/tribe"
PARIS = ZoneInfo("Europe/Paris")
NEXT = "https://cress-centre.example.org/wp-json/tribe/events/v1/events/?page=2&per_page=3"


def page(name: str):
    return parse_tribe_page((DATA / name).read_bytes(), default_tz=PARIS)


def by_uid(name: str) -> dict:
    return {record.source_uid: record for record in page(name)[0].events}


def test_a_page_gives_its_events_the_next_page_and_the_total_of_pages():
    result, next_url, total_pages = page("page_one.json")
    assert [r.source_uid for r in result.events] == ["1287", "1302", "1310"]
    assert (next_url, total_pages) == (NEXT, 3)
    assert (result.skipped, result.warnings) == (0, [])


def test_an_event_with_its_venue_organisers_categories_and_image():
    record = by_uid("page_one.json")["1287"]
    assert record.title == "Forum de l’ESS & de l’emploi"
    assert (record.start, record.end) == (datetime(2026, 3, 19, 9, 30, tzinfo=PARIS),
                                          datetime(2026, 3, 19, 17, tzinfo=PARIS))
    assert record.timezone == "Europe/Paris" and not record.all_day
    location = record.location
    assert (location.name, location.address, location.postcode, location.city) == (
        "Halle aux grains", "2 place de la Halle", "37000", "Tours")
    assert (location.department, location.lat, location.lon) == ("37", 47.3941, 0.6848)
    assert record.organizer == "CRESS Centre-Val de Loire, Pôle emploi – Tours"
    assert record.categories == ("Emploi", "Forums & salons")
    assert record.image_url == "https://cress-centre.example.org/wp-content/uploads/2026/01/forum.jpg"
    assert record.url == "https://cress-centre.example.org/evenement/forum-ess-tours/"


def test_the_html_description_is_cleaned_and_has_a_text_version():
    record = by_uid("page_one.json")["1287"]
    assert "<strong>40 structures</strong>" in record.description_html
    assert "script" not in record.description_html and "onclick" not in record.description_html
    assert record.description_text == "Rencontrez 40 structures qui recrutent.\n\nProgramme"


def test_an_all_day_event_covers_its_days_with_an_exclusive_end():
    record = by_uid("page_one.json")["1302"]
    assert (record.start, record.end, record.all_day) == (date(2026, 4, 6), date(2026, 4, 11), True)
    assert record.location.name is None and record.organizer is None and record.image_url is None


@pytest.mark.parametrize("name, uid, start", [
    ("page_one.json", "1310", datetime(2026, 5, 12, 19, tzinfo=PARIS)),  # "UTC+1": the UTC date
    ("last_page.json", "1405", datetime(2026, 6, 22, 10, tzinfo=PARIS)),  # neither: local time
    ("last_page.json", "1400", datetime(2026, 6, 20, 14, tzinfo=PARIS)),
])
def test_the_start_is_read_in_the_best_zone_given(name, uid, start):
    assert by_uid(name)[uid].start == start


def test_items_without_id_title_or_start_are_skipped_with_a_warning():
    result, next_url, total_pages = page("last_page.json")
    assert [r.source_uid for r in result.events] == ["1400", "1405"]
    assert result.events[0].end == result.events[0].start  # an end before the start is dropped
    assert result.events[0].location.lat == 47.08
    assert (next_url, total_pages) == (None, 3)
    assert result.skipped == 4
    assert [w.params["reason"].code for w in result.warnings] == [
        "tribe.no_start", "tribe.no_start", "tribe.no_id", "tribe.no_title"]
    assert result.warnings[0] == ("Skipped event 1401 of the events API: it has no readable "
                                  "start date.")


@pytest.mark.parametrize("name, code", [
    ("html_instead_of_json.json", "tribe.not_json"),
    ("rest_no_route.json", "tribe.error"),
    ("no_events.json", "tribe.no_events"),
])
def test_broken_answers_are_a_clear_error(name, code):
    with pytest.raises(ParseError) as caught:
        page(name)
    assert caught.value.code == code


def test_a_wordpress_error_names_its_code():
    with pytest.raises(ParseError) as caught:
        page("rest_no_route.json")
    assert str(caught.value) == "The WordPress site answered with an error: rest_no_route."


@pytest.mark.parametrize("body", [b"[]", b"null", b"[" * 100_000, b"\xff\xfe", b'{"events": 3}'])
def test_odd_json_never_crashes(body):
    with pytest.raises(ParseError):
        parse_tribe_page(body, default_tz=PARIS)


@pytest.mark.parametrize("item", [
    [], 3, {"id": True}, {"id": 5, "title": ["x"], "start_date": "2026-01-01 10:00:00"},
    {"id": 5, "title": "x", "start_date": 20260101},
    {"id": 5, "title": "x", "all_day": True, "start_date": None},
    {"id": 5, "title": "x", "start_date": "2026-01-01 10:00:00", "venue": {"geo_lat": "nan"},
     "organizer": {"organizer": 7}, "categories": [{"name": None}], "image": {"url": 3}},
])
def test_odd_items_are_skipped_or_read_never_a_crash(item):
    body = ('{"events": [%s]}' % json.dumps(item)).encode()
    result, _next, _total = parse_tribe_page(body, default_tz=PARIS)
    assert len(result.events) + result.skipped == 1


def test_paging_goes_on_while_the_site_offers_a_new_page():
    assert next_tribe_page(NEXT, 1, {"https://a.test/p1"}) == (NEXT, None)
    assert next_tribe_page(None, 1, set()) == (None, None)


def test_a_site_that_pages_forever_stops_at_the_cap_with_a_warning():
    url, warning = next_tribe_page(NEXT, 50, set())
    assert url is None
    assert warning == "The events API still offered more pages after 50 pages; only those were read."
    assert (warning.code, warning.params) == ("tribe.page_limit", {"count": 50})


def test_a_site_that_pages_in_a_loop_stops_with_a_warning():
    url, warning = next_tribe_page(NEXT, 2, {NEXT})
    assert url is None
    assert (warning.code, warning.params["variant"]) == ("tribe.page_limit", "loop")
