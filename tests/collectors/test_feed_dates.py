"""Dates of feed items: reading their formats, and the rules that make one Occurrence."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from agenda.collectors.feed_dates import build_occurrence, parse_feed_date, zone_of
from agenda.collectors.feed_vocabularies import (
    EventFields,
    FeedContext,
    UnreadableItem,
    feed_context,
    find_event_fields,
    read_occurrence,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc


def offset(hours: int) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize(
    "text, expected",
    [
        # W3CDTF / ISO 8601
        ("2026-06-13", date(2026, 6, 13)),
        ("2026-06-13T14:00:00Z", datetime(2026, 6, 13, 14, tzinfo=UTC)),
        ("2026-06-13T14:00:00+02:00", datetime(2026, 6, 13, 14, tzinfo=offset(2))),
        ("2026-06-13T14:00+02:00", datetime(2026, 6, 13, 14, tzinfo=offset(2))),
        ("2026-11-14T14:00:00+01", datetime(2026, 11, 14, 14, tzinfo=offset(1))),
        ("2026-11-14T14:00:00+0100", datetime(2026, 11, 14, 14, tzinfo=offset(1))),
        ("2026-11-14T14:00:00-0330", datetime(2026, 11, 14, 14,
                                              tzinfo=timezone(-timedelta(hours=3, minutes=30)))),
        ("2026-06-13T14:00:00.250+02:00", datetime(2026, 6, 13, 14, tzinfo=offset(2))),
        ("2026-06-13 14:00:00", datetime(2026, 6, 13, 14, tzinfo=PARIS)),  # WordPress meta
        ("2026-06-13T14:00", datetime(2026, 6, 13, 14, tzinfo=PARIS)),
        ("2026-06-13 14:00:00 CEST", datetime(2026, 6, 13, 14, tzinfo=offset(2))),
        ("  2026-06-13T14:00:00Z \n", datetime(2026, 6, 13, 14, tzinfo=UTC)),
        # iCalendar basic form, as xCal writes it
        ("20260613", date(2026, 6, 13)),
        ("20260613T140000", datetime(2026, 6, 13, 14, tzinfo=PARIS)),
        ("20260613T120000Z", datetime(2026, 6, 13, 12, tzinfo=UTC)),
        # RFC 822, as in RSS
        ("Sat, 13 Jun 2026 14:00:00 +0200", datetime(2026, 6, 13, 14, tzinfo=offset(2))),
        ("Sat, 13 Jun 2026 14:00:00 GMT", datetime(2026, 6, 13, 14, tzinfo=UTC)),
        ("Sat, 14 Nov 2026 14:00:00 CET", datetime(2026, 11, 14, 14, tzinfo=offset(1))),
        ("Sat, 13 Jun 2026 14:00:00 CEST", datetime(2026, 6, 13, 14, tzinfo=offset(2))),
        ("Sat, 14 Nov 2026 14:00:00 +01", datetime(2026, 11, 14, 14, tzinfo=offset(1))),
        ("Sat, 13 Jun 2026 14:00 EDT", datetime(2026, 6, 13, 14, tzinfo=offset(-4))),
        ("13 Jun 26 14:00:00 UT", datetime(2026, 6, 13, 14, tzinfo=UTC)),
        ("Sat, 13 Jun 2026 14:00:00", datetime(2026, 6, 13, 14, tzinfo=PARIS)),
        ("13 Jun 2026", date(2026, 6, 13)),
        # French month names and clock
        ("samedi 13 juin 2026 14h00", datetime(2026, 6, 13, 14, tzinfo=PARIS)),
        ("18 juillet 2026", date(2026, 7, 18)),
        ("3 févr. 2026 09:30", datetime(2026, 2, 3, 9, 30, tzinfo=PARIS)),
        ("15 août 2026", date(2026, 8, 15)),
        ("1 déc 2026 HNEC", None),  # a zone without a time is not a date format
    ],
)
def test_parse_feed_date_reads_known_formats(text, expected):
    assert parse_feed_date(text, PARIS) == expected
    if isinstance(expected, datetime):
        assert parse_feed_date(text, PARIS).utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "text",
    [
        None, "", "   ", "prochainement", "June 5 @ 8:00 pm", "2026-06", "2026",
        "2026-02-30", "2026-06-13T25:00:00Z", "32 Jun 2026", "13 Foo 2026 10:00",
        "Sat, 13 Jun 2026 14:00:00 XYZ", "2026-06-13T14:00:00+15:00",
        "2015-01-09T18:50:00Z-0600", "1749816000", "13/06/2026",
    ],
)
def test_parse_feed_date_never_guesses(text):
    assert parse_feed_date(text, PARIS) is None


def test_parse_feed_date_ignores_non_strings():
    assert parse_feed_date({"value": "DATE"}, PARIS) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text, minutes",
    [("Z", 0), ("UTC", 0), ("gmt", 0), ("CET", 60), ("CEST", 120), ("HAEC", 120),
     ("+01", 60), ("+0100", 60), ("+01:00", 60), ("-05", -300), ("+0530", 330)],
)
def test_zone_of_reads_names_and_offsets(text, minutes):
    assert zone_of(text).utcoffset(None) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["XYZ", "+1", "+15", "+01:75", "Europe/Paris"])
def test_zone_of_refuses_unknown_zones(text):
    assert zone_of(text) is None


T = datetime(2026, 6, 13, 14, tzinfo=PARIS)
D = date(2026, 6, 13)


@pytest.mark.parametrize(
    "start, end, inclusive, expected, warned",
    [
        # timed
        (T, None, True, (T, T, False), False),
        (T, T + timedelta(hours=3), True, (T, T + timedelta(hours=3), False), False),
        (T, T - timedelta(hours=1), True, (T, T, False), True),
        (T, date(2026, 6, 14), True, (T, datetime(2026, 6, 15, tzinfo=PARIS), False), False),
        (T, date(2026, 6, 14), False, (T, datetime(2026, 6, 14, tzinfo=PARIS), False), False),
        # all-day: ev:enddate is the last day (inclusive), xCal's DTEND is exclusive
        (D, None, True, (D, date(2026, 6, 14), True), False),
        (D, date(2026, 6, 14), True, (D, date(2026, 6, 15), True), False),
        (D, date(2026, 6, 13), True, (D, date(2026, 6, 14), True), False),
        (D, date(2026, 6, 15), False, (D, date(2026, 6, 15), True), False),
        (D, date(2026, 6, 13), False, (D, date(2026, 6, 14), True), False),
        (D, date(2026, 6, 10), True, (D, date(2026, 6, 14), True), True),
        (D, datetime(2026, 6, 14, 18, tzinfo=PARIS), False, (D, date(2026, 6, 15), True), False),
        # 00:00 -> 23:59 is how WordPress plugins store all-day events
        (datetime(2026, 11, 19, tzinfo=PARIS), datetime(2026, 11, 20, 23, 59, 59, tzinfo=PARIS),
         True, (date(2026, 11, 19), date(2026, 11, 21), True), False),
        (datetime(2026, 11, 19, tzinfo=PARIS), datetime(2026, 11, 19, 23, 59, tzinfo=PARIS),
         True, (date(2026, 11, 19), date(2026, 11, 20), True), False),
        (datetime(2026, 10, 24, tzinfo=PARIS), datetime(2026, 10, 25, 23, 59, tzinfo=PARIS),
         True, (date(2026, 10, 24), date(2026, 10, 26), True), False),  # across the clock change
        (datetime(2026, 11, 19, tzinfo=PARIS), datetime(2026, 11, 19, 22, 0, tzinfo=PARIS), True,
         (datetime(2026, 11, 19, tzinfo=PARIS), datetime(2026, 11, 19, 22, tzinfo=PARIS), False),
         False),
    ],
)
def test_build_occurrence_rules(start, end, inclusive, expected, warned):
    occurrence, warning = build_occurrence(start, end, end_inclusive=inclusive)
    assert (occurrence.start, occurrence.end, occurrence.all_day) == expected
    assert (warning is not None) == warned


@pytest.mark.parametrize(
    "published, expected",
    [
        # The Events Calendar writes the start, in UTC, in pubDate
        ("Sat, 10 Oct 2026 18:30:00 +0000", (datetime(2026, 10, 10, 20, 30, tzinfo=PARIS),) * 2),
        # midnight in the region's zone: an all-day event
        ("Fri, 16 Oct 2026 22:00:00 +0000", (date(2026, 10, 17), date(2026, 10, 18))),
        ("Sat, 19 Dec 2026 23:00:00 +0000", (date(2026, 12, 20), date(2026, 12, 21))),
    ],
)
def test_tribe_events_pubdate_is_read_in_the_region_zone(published, expected):
    occurrence, _ = read_occurrence(EventFields("tribe_events", published), PARIS)
    assert (occurrence.start, occurrence.end) == expected
    if isinstance(occurrence.start, datetime):
        assert occurrence.start.tzinfo is PARIS


def test_read_occurrence_refuses_an_unreadable_start():
    with pytest.raises(UnreadableItem, match="start date"):
        read_occurrence(EventFields("ev", "bientôt"), PARIS)


def test_read_occurrence_ignores_an_unreadable_end_with_a_warning():
    occurrence, warning = read_occurrence(EventFields("ev", "2026-06-13", "demain"), PARIS)
    assert (occurrence.start, occurrence.end) == (D, date(2026, 6, 14))
    assert "end date" in warning


@pytest.mark.parametrize(
    "entry, vocabulary, start, end",
    [
        ({"ev_startdate": "2026-06-13", "ev_enddate": "2026-06-14"}, "ev", "2026-06-13",
         "2026-06-14"),
        ({"xcal_dtstart": "20260613", "xcal_dtend": "20260615"}, "xcal", "20260613", "20260615"),
        ({"x_dtstart": "20260613T100000"}, "xcal", "20260613T100000", None),
        ({"ev_startdate": "2026-06-13", "xcal_dtstart": "20260101"}, "ev", "2026-06-13", None),
        ({"id": "https://a.fr/?post_type=tribe_events&p=4", "published": "Sat, 13 Jun 2026 "
          "12:00:00 +0000"}, "tribe_events", "Sat, 13 Jun 2026 12:00:00 +0000", None),
    ],
)
def test_find_event_fields_per_vocabulary(entry, vocabulary, start, end):
    context = feed_context({"x": "urn:ietf:params:xml:ns:xcal"}, None)
    fields = find_event_fields(entry, context)
    assert (fields.vocabulary, fields.start, fields.end) == (vocabulary, start, end)
    assert fields.end_inclusive == (vocabulary != "xcal")


@pytest.mark.parametrize(
    "entry",
    [
        {"published": "Sat, 13 Jun 2026 12:00:00 +0000", "updated": "2026-06-13T12:00:00Z"},
        {"id": "https://a.fr/?p=12", "published": "Sat, 13 Jun 2026 12:00:00 +0000"},
        {"ev_startdate": "   ", "title": "Vide"},
        {"id": "https://a.fr/?post_type=tribe_events&p=4"},  # a TEC event without pubDate
    ],
)
def test_publication_dates_are_not_event_dates(entry):
    assert find_event_fields(entry, FeedContext()) is None


def test_an_element_feedparser_reduced_to_its_attributes_is_reported():
    with pytest.raises(UnreadableItem, match="xcal:dtstart"):
        find_event_fields({"xcal_dtstart": {"value": "DATE"}}, FeedContext())


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://a.fr/?post_type=tribe_events&feed=rss2", True),
        ("https://a.fr/?feed=rss2&post_type=tribe_events", True),
        ("https://a.fr/evenements/feed/", False),  # a slug proves nothing
        ("https://a.fr/?post_type=post&feed=rss2", False),
        (None, False),
    ],
)
def test_feed_context_recognises_tribe_events_addresses(url, expected):
    assert feed_context({}, url).tribe_events_feed is expected


def test_feed_context_finds_xcal_prefixes_whatever_their_case():
    context = feed_context({"xCal": "urn:ietf:params:xml:ns:xcal", "dc": "http://purl.org/dc/"},
                           None)
    assert context.xcal_prefixes == ("xcal",)
    assert "ical" in feed_context({"ICAL": " URN:IETF:PARAMS:XML:NS:XCAL "}, None).xcal_prefixes
