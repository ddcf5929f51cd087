"""Read a The Events Calendar (WordPress) site through its REST API, page after page.

The first page asks for the events from ``window_past_days`` ago on (``start_date``); the
next ones are the API's ``next_rest_url``.  Paging stops at the last page, at a page already
read, or at the bounds of :mod:`agenda.collectors.read_budget` (then with a warning, and the
read is partial: the events not reached are not removed).
"""

from __future__ import annotations

from datetime import timedelta

from agenda.collectors.fetcher import FetchResult
from agenda.collectors.fingerprint import body_hash
from agenda.collectors.read_budget import MAX_API_PAGES, ReadContext
from agenda.collectors.reading_result import Reading, add_page, combined_digest
from agenda.collectors.source_urls import tribe_first_page
from agenda.collectors.tribe_events import next_tribe_page, parse_tribe_page
from agenda.records import ParseResult

ACCEPT_JSON = {"Accept": "application/json"}


def read_tribe(url: str, context: ReadContext, *, first: FetchResult | None = None,
               max_pages: int | None = None) -> Reading:
    """Every page of the site's events; ``first`` is page 1 when it was already fetched."""
    max_pages = MAX_API_PAGES if max_pages is None else max_pages
    if first is None:
        since = (context.now - timedelta(days=context.settings.window_past_days)).date()
        first = context.fetch(tribe_first_page(url, start_date=since.isoformat()),
                              headers=ACCEPT_JSON)
    result, digests, seen = ParseResult(format="tribe"), [], {first.url}
    fetched, partial = first, False
    while True:
        page, next_url, _total_pages = parse_tribe_page(fetched.body,
                                                        default_tz=context.settings.tz)
        add_page(result, page)
        digests.append(body_hash(fetched.body))
        next_url, notice = next_tribe_page(next_url, len(digests), seen, max_pages=max_pages)
        if next_url and notice is None:
            notice = context.stop_notice(pages=len(digests), events=len(result.events),
                                         max_pages=max_pages)
        if notice is not None:
            result.warnings.append(notice)
            partial = True
        if next_url is None or notice is not None:
            break
        seen.add(next_url)
        fetched = context.fetch(next_url, headers=ACCEPT_JSON)
    return Reading(format="tribe", parsed=result, first=first, documents=context.documents,
                   partial=partial, digest=combined_digest(digests))
