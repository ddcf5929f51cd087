"""The feed doctor: each problem a source's owner can fix is found in a sample written to show it,
and a healthy calendar has none; a diagnosis survives its trip through the database (JSON)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.doctor import Diagnosis, Finding, diagnose, diagnose_page
from agenda.collectors.feed import parse_feed
from agenda.collectors.fetcher import FetchResult
from agenda.collectors.ical import parse_ical
from agenda.collectors.jsonld import parse_jsonld
from agenda.collectors.reading_result import Reading
from agenda.records import EventRecord, ParseResult

DATA = Path(__file__).resolve().parents[1] / "data/doctor"
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 7, 11, 0, tzinfo=timezone.utc)
WINDOW = (NOW - timedelta(days=180), NOW + timedelta(days=365))
CACHED = {"etag": '"v1"', "last_modified": None}


def reading(name: str, *, etag: str | None = '"v1"', last_modified: str | None = None) -> Reading:
    body = (DATA / name).read_bytes()
    url = f"https://asso.example/{name}"
    if name.endswith(".ics"):
        fmt, parsed = "ics", parse_ical(body, default_tz=PARIS, window=WINDOW)
    elif name.endswith((".rss", ".atom")):
        fmt, parsed = "feed", parse_feed(body, default_tz=PARIS, url=url)
    else:
        fmt, parsed = "jsonld", parse_jsonld(body, page_url=url, default_tz=PARIS)
    first = FetchResult(url=url, status=200, body=body, content_type=None, etag=etag,
                        last_modified=last_modified)
    return Reading(format=fmt, parsed=parsed, first=first)


def findings(name: str, **kwargs) -> dict[str, Finding]:
    diagnosis = diagnose(reading(name, **kwargs), now=NOW, tz=PARIS)
    return {finding.code: finding for finding in diagnosis.findings}


def test_a_healthy_calendar_has_nothing_to_fix_and_says_what_it_is():
    diagnosis = diagnose(reading("healthy_calendar.ics"), now=NOW, tz=PARIS)
    assert diagnosis.findings == []
    assert (diagnosis.format, diagnosis.generator) == ("ics", "-//Nextcloud calendar v4.6.0")
    assert (diagnosis.events, diagnosis.upcoming) == (2, 2)
    assert (diagnosis.first, diagnosis.last) == ("2027-01-14", "2027-02-06")
    assert not diagnosis.all_past


@pytest.mark.parametrize("sample, code, severity, params", [
    ("floating_times.ics", "doctor.floating_times", "warning",
     {"count": 2, "total": 3, "zone": "Europe/Paris"}),
    ("floating_times_and_generator.rss", "doctor.floating_times", "warning",
     {"count": 1, "total": 2, "zone": "Europe/Paris"}),
    ("jsonld_page_without_ids.html", "doctor.floating_times", "warning",
     {"count": 1, "total": 2, "zone": "Europe/Paris"}),
    ("missing_uids.ics", "doctor.missing_uids", "warning", {"count": 2, "total": 3}),
    ("jsonld_page_without_ids.html", "doctor.missing_uids", "warning", {"count": 1, "total": 2}),
    ("html_in_titles.ics", "doctor.html_titles", "warning", {"count": 2}),
    ("html_in_titles.rss", "doctor.html_titles", "warning", {"count": 2}),
    ("html_in_titles_jsonld.html", "doctor.html_titles", "warning", {"count": 1}),
    ("events_without_end.ics", "doctor.no_end", "tip", {"count": 1, "total": 3}),
    ("everything_in_the_past.ics", "doctor.all_past", "problem", {"last": "2026-10-03"}),
    ("duplicates_inside_the_calendar.ics", "doctor.duplicates", "warning", {"count": 1}),
    ("no_events.ics", "doctor.no_events", "problem", {}),
    ("news_items_without_event_dates.atom", "doctor.undated_items", "problem", {"count": 2}),
])
def test_each_problem_is_found_with_its_values(sample, code, severity, params):
    found = findings(sample)
    assert code in found, sorted(found)
    assert (found[code].severity, found[code].params) == (severity, params)


@pytest.mark.parametrize("sample, absent", [
    ("floating_times_with_calendar_zone.ics", "doctor.floating_times"),  # Google's X-WR-TIMEZONE
    ("healthy_calendar.ics", "doctor.floating_times"),
    ("floating_times.ics", "doctor.missing_uids"),
    ("html_in_titles.rss", "doctor.floating_times"),  # offsets given
    ("events_without_end.ics", "doctor.missing_uids"),
    ("news_items_without_event_dates.atom", "doctor.skipped"),  # news are not unreadable
])
def test_what_is_right_is_not_reported(sample, absent):
    assert absent not in findings(sample)


def test_no_caching_headers_is_a_tip_and_either_header_is_enough():
    assert findings("healthy_calendar.ics", etag=None)["doctor.no_cache_headers"].severity == "tip"
    assert "doctor.no_cache_headers" not in findings(
        "healthy_calendar.ics", etag=None, last_modified="Mon, 07 Dec 2026 10:00:00 GMT")


def test_identifiers_that_change_between_two_fetches_are_a_problem():
    first = reading("healthy_calendar.ics")
    changed = diagnose(first, now=NOW, tz=PARIS, second_uids={"x1", "x2"})
    assert [f.to_json() for f in changed.findings] == [
        {"code": "doctor.unstable_uids", "severity": "problem",
         "params": {"count": 2, "total": 2}}]
    same = {"forum-ess-2027@cress.example", "repair-cafe-2027-02@cress.example", "new@x"}
    assert diagnose(first, now=NOW, tz=PARIS, second_uids=same).findings == []


def test_generators_of_feeds_and_pages_are_named():
    feed = diagnose(reading("floating_times_and_generator.rss"), now=NOW, tz=PARIS)
    page = diagnose(reading("jsonld_page_without_ids.html"), now=NOW, tz=PARIS)
    assert feed.generator == "https://wordpress.org/?v=6.4.2"
    assert page.generator == "Drupal 10 (https://www.drupal.org)"


def test_apis_are_named_and_not_blamed_for_caching_or_zones():
    record = EventRecord(source_uid="1", title="Forum", timezone="Europe/Paris",
                         start=datetime(2027, 1, 14, 9, tzinfo=PARIS),
                         end=datetime(2027, 1, 14, 17, tzinfo=PARIS))
    first = FetchResult(url="https://api.example/v2/agendas/1/events", status=200, body=b"{}",
                        content_type="application/json", etag=None, last_modified=None)
    api = Reading(format="openagenda", parsed=ParseResult("openagenda", [record]), first=first)
    diagnosis = diagnose(api, now=NOW, tz=PARIS)
    assert (diagnosis.generator, diagnosis.findings) == ("OpenAgenda", [])


def test_most_serious_findings_come_first():
    diagnosis = diagnose(reading("everything_in_the_past.ics", etag=None), now=NOW, tz=PARIS)
    assert [f.severity for f in diagnosis.findings] == ["problem", "tip"]


def test_a_diagnosis_survives_json_and_unknown_shapes_read_as_nothing():
    diagnosis = diagnose(reading("floating_times.ics", etag=None), now=NOW, tz=PARIS)
    stored = json.loads(json.dumps(diagnosis.to_json()))
    assert Diagnosis.from_json(stored) == diagnosis
    assert Diagnosis.from_json(None) is None
    assert Diagnosis.from_json({"findings": "x"}) is None
    assert Diagnosis.from_json({"format": "ics", "events": "3", "findings": [1, {"x": 2}]}) == (
        Diagnosis(format="ics"))


def test_a_page_without_data_says_so_with_its_generator():
    diagnosis = diagnose_page(b'<html><head><meta content="WordPress 6.4" name="generator">'
                              b"</head><body>Rien</body></html>")
    assert (diagnosis.format, diagnosis.generator) == ("html", "WordPress 6.4")
    assert [f.code for f in diagnosis.findings] == ["doctor.no_machine_data"]


@pytest.mark.parametrize("body", [None, b"", b"\xff\xfe\x00garbage", b"BEGIN:VEVENT\r\n" * 5000])
def test_bad_bytes_never_crash_the_scans(body):
    first = FetchResult(url="https://a.example/x", status=200, body=body, content_type=None,
                        etag=None, last_modified=None)
    for fmt in ("ics", "feed", "jsonld"):
        diagnosis = diagnose(Reading(format=fmt, parsed=ParseResult(fmt), first=first), now=NOW,
                             tz=PARIS)
        assert "doctor.no_events" in {f.code for f in diagnosis.findings}
