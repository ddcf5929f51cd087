"""Feed date pitfalls: zone names and short offsets feedparser misreads, and The Events
Calendar's RSS, whose pubDate is the event's start."""

from __future__ import annotations

import io
import time
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import feedparser
import pytest

from agenda.collectors.feed import parse_feed
from agenda.collectors.feed_dates import parse_feed_date
from agenda.collectors.feed_vocabularies import (
    EventFields,
    feed_context,
    find_event_fields,
    read_occurrence,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
FEEDS = Path(__file__).parent.parent / "data" / "feeds"

# (as written in the feed, the instant it means in UTC, what feedparser 6.0.14 makes of it)
PUBDATES = [
    ("Thu, 12 Nov 2026 14:30:00 CET", datetime(2026, 11, 12, 13, 30, tzinfo=UTC),
     "2026-11-12T14:30"),  # CET read as UTC: one hour late
    ("Sat, 13 Jun 2026 14:30:00 CEST", datetime(2026, 6, 13, 12, 30, tzinfo=UTC),
     "2026-06-13T14:30"),  # CEST read as UTC: two hours late
    ("Thu, 12 Nov 2026 14:30:00 +01", datetime(2026, 11, 12, 13, 30, tzinfo=UTC),
     None),  # not read at all
    ("Thu, 12 Nov 2026 14:30:00 +0100", datetime(2026, 11, 12, 13, 30, tzinfo=UTC),
     "2026-11-12T13:30"),
    ("2026-11-12T14:30:00+01", datetime(2026, 11, 12, 13, 30, tzinfo=UTC), "2026-11-12T13:30"),
    ("Thu, 12 Nov 2026 14:30:00 GMT", datetime(2026, 11, 12, 14, 30, tzinfo=UTC),
     "2026-11-12T14:30"),
]


def _feedparser_reading(text: str) -> str | None:
    body = (f"<rss version='2.0'><channel><item><title>a</title><pubDate>{text}</pubDate>"
            "</item></channel></rss>").encode()
    parsed = feedparser.parse(io.BytesIO(body)).entries[0].get("published_parsed")
    return time.strftime("%Y-%m-%dT%H:%M", parsed) if parsed else None


@pytest.mark.parametrize("text, instant, by_feedparser", PUBDATES)
def test_zone_names_and_short_offsets_give_the_right_instant(text, instant, by_feedparser):
    assert _feedparser_reading(text) == by_feedparser  # why the raw text is read by us
    assert parse_feed_date(text, PARIS) == instant
    fields = EventFields("tribe_events", text)
    assert read_occurrence(fields, PARIS)[0].start == instant


@pytest.mark.parametrize(
    "published, start",
    [
        ("Thu, 12 Nov 2026 14:30:00 CET", datetime(2026, 11, 12, 14, 30, tzinfo=PARIS)),
        ("Sat, 13 Jun 2026 14:30:00 CEST", datetime(2026, 6, 13, 14, 30, tzinfo=PARIS)),
        ("Thu, 12 Nov 2026 14:30:00 +01", datetime(2026, 11, 12, 14, 30, tzinfo=PARIS)),
        ("Sat, 13 Jun 2026 12:30:00 +0000", datetime(2026, 6, 13, 14, 30, tzinfo=PARIS)),
        ("Sun, 25 Oct 2026 01:30:00 +0000",  # the second 02:30 of the night clocks go back
         datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS)),
        ("Thu, 12 Nov 2026 00:00:00 CET", date(2026, 11, 12)),  # midnight: all day
    ],
)
def test_tribe_events_start_is_shown_in_the_region_zone(published, start):
    occurrence, _ = read_occurrence(EventFields("tribe_events", published), PARIS)
    assert occurrence.start == start
    if isinstance(start, datetime):
        assert occurrence.start.tzinfo is PARIS
        assert occurrence.start.utcoffset() == start.utcoffset()


WORDPRESS = {"generator": "https://wordpress.org/?v=6.8"}


@pytest.mark.parametrize(
    "channel, link, is_event",
    [
        (WORDPRESS, "https://a.fr/event/concert/", True),
        (WORDPRESS, "https://a.fr/evenement/concert/", True),
        (WORDPRESS, "https://a.fr/%C3%A9v%C3%A9nement/concert/", True),
        (WORDPRESS, "https://a.fr/fr/evenement/concert", True),  # language prefix, no slash
        (WORDPRESS, "https://a.fr/evenement/repair-cafe/2026-12-05/", True),  # a recurrence
        ({"generator_detail": {"name": "WordPress", "href": "https://wordpress.org/"}},
         "https://a.fr/event/concert/", True),  # Atom
        (WORDPRESS, "https://a.fr/2026/10/event/", False),  # a post, no event page
        (WORDPRESS, "https://a.fr/evenements/", False),
        (WORDPRESS, "https://a.fr/events/event/concert/", False),  # Event Organiser
        (WORDPRESS, "https://a.fr/events/concert/", False),  # Events Manager, MEC, EventON
        (WORDPRESS, "https://a.fr/event/concert/#comments", True),
        ({"generator": "Hugo 0.140.0"}, "https://a.fr/event/concert/", False),
        ({}, "https://a.fr/event/concert/", False),
        (None, "https://a.fr/event/concert/", False),
    ],
)
def test_wordpress_items_linking_to_an_event_page_are_tribe_events(channel, link, is_event):
    entry = {"link": link, "published": "Sat, 13 Jun 2026 12:00:00 +0000"}
    fields = find_event_fields(entry, feed_context({}, None, channel))
    assert (fields is not None and fields.vocabulary == "tribe_events") is is_event


@pytest.mark.parametrize(
    "guid, is_event",
    [
        ("https://a.fr/?post_type=event_listing&p=88", False),  # WP Event Manager
        ("https://a.fr/?post_type=tribe_events&p=88", True),
        ("https://a.fr/?p=88", False),  # a blog post in a category "event"
        ("https://a.fr/event/concert/", True),  # events created by an import keep their link
        ("https://agenda-partenaire.fr/e/8812", True),  # imported into the plugin
    ],
)
def test_a_guid_naming_another_post_type_is_no_tribe_event(guid, is_event):
    entry = {"link": "https://a.fr/event/concert/", "id": guid,
             "published": "Sat, 13 Jun 2026 12:00:00 +0000"}
    fields = find_event_fields(entry, feed_context({}, None, WORDPRESS))
    assert (fields is not None) is is_event


def test_tribe_feed_recognised_by_generator_and_event_links():
    body = (FEEDS / "tribe_events_wordpress_event_links.xml").read_bytes()
    result = parse_feed(body, default_tz=PARIS)
    assert result.skipped == 1  # the yearly review is a blog post
    starts = {event.title: event.start for event in result.events}
    assert starts == {
        "Atelier réparation de vélos": datetime(2026, 11, 14, 14, 30, tzinfo=PARIS),
        "Repair café mensuel": datetime(2026, 12, 5, 14, tzinfo=PARIS),
    }
    velos = next(e for e in result.events if e.title.startswith("Atelier"))
    assert velos.source_uid == "https://agenda-partenaire.fr/e/8812"
    assert velos.end == velos.start  # the plugin gives no end


def test_event_links_outside_wordpress_are_publication_dates():
    body = (FEEDS / "event_links_without_wordpress.xml").read_bytes()
    result = parse_feed(body, default_tz=PARIS)
    assert (result.events, result.skipped) == ([], 1)
