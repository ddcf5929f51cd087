"""A read of several documents stops at its bounds (events, pages, time) with a warning, and
is then partial; each later document is fetched within the time left."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from agenda.collectors.fetcher import FetchResult
from agenda.collectors.read_budget import ReadContext
from agenda.collectors.read_tribe import read_tribe

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=timezone.utc)
API = "https://site.example/wp-json/tribe/events/v1/events"


def settings(**values):
    defaults = dict(connect_timeout=2.0, total_timeout=5.0, max_parse_seconds=60.0,
                    max_body_bytes=1_000_000, max_redirects=5, allow_private_urls=False,
                    max_occurrences_per_source=20000, window_past_days=90,
                    tz=ZoneInfo("Europe/Paris"))
    return SimpleNamespace(**{**defaults, **values})


class EndlessSite:
    """Page n holds one event and links to page n + 1; each fetch takes ``seconds``."""

    def __init__(self, clock, seconds=0.0):
        self.clock, self.seconds, self.policies = clock, seconds, []

    def __call__(self, url, *, policy, **kwargs):
        self.policies.append(policy)
        self.clock[0] += self.seconds
        number = len(self.policies)
        body = {"events": [{"id": number, "title": f"Atelier {number}",
                            "start_date": "2026-12-01 10:00:00", "timezone": "Europe/Paris"}],
                "next_rest_url": f"{API}?page={number + 1}", "total_pages": 1000}
        return FetchResult(url=url, status=200, body=json.dumps(body).encode(),
                           content_type="application/json", etag=None, last_modified=None)


def context(fetch, clock, **values):
    return ReadContext(settings=settings(**values), now=NOW, fetch_func=fetch,
                       monotonic=lambda: clock[0])


def test_the_time_of_a_read_is_bounded_and_each_page_gets_what_is_left():
    clock = [0.0]
    site = EndlessSite(clock, seconds=30.0)
    reading = read_tribe(API, context(site, clock))  # 5 + 60 s in all
    assert reading.partial and reading.documents == 3
    assert reading.parsed.warnings[-1].code == "read.stopped"
    assert reading.parsed.warnings[-1].params == {"variant": "time", "count": 3}
    assert site.policies[0].total_timeout == 5.0
    assert site.policies[2].total_timeout == 5.0  # min(5, 65 - 60)
    assert [e.source_uid for e in reading.parsed.events] == ["1", "2", "3"]


def test_the_events_of_a_read_are_bounded():
    clock = [0.0]
    reading = read_tribe(API, context(EndlessSite(clock), clock, max_occurrences_per_source=4))
    assert reading.partial and len(reading.parsed.events) == 4
    assert reading.parsed.warnings[-1].params == {"variant": "events", "count": 4}


def test_the_pages_of_a_read_are_bounded():
    clock = [0.0]
    reading = read_tribe(API, context(EndlessSite(clock), clock), max_pages=5)
    assert reading.partial and reading.documents == 5
    assert reading.parsed.warnings[-1].code == "tribe.page_limit"


def test_each_document_renews_the_claim():
    clock, renewed = [0.0], []
    read = context(EndlessSite(clock), clock)
    read.on_document = lambda: renewed.append(read.documents)
    read_tribe(API, read, max_pages=3)
    assert renewed == [1, 2, 3]
