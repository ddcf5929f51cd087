"""Read a web page's schema.org events (JSON-LD), and those of the event pages it links to on
the same site, followed one level (at most ``MAX_FOLLOWED_PAGES``, within the read's time).

Tolerant per followed page: a linked page without events is passed over (a listing also links
to its "about" and "contact" pages); one that cannot be downloaded, or whose events can none
be read, is a warning, and the read becomes partial (the events that page held are kept, not
removed).  Strict per source: when no page at all gave an event, the listing's own error is
raised (``parse.no_jsonld_events``).
"""

from __future__ import annotations

from agenda.collectors.event_links import links_to_event_pages
from agenda.collectors.fetcher import FetchResult
from agenda.collectors.fingerprint import body_hash
from agenda.collectors.jsonld import parse_jsonld
from agenda.collectors.notice import Notice
from agenda.collectors.read_budget import MAX_FOLLOWED_PAGES, ReadContext
from agenda.collectors.reading_result import Reading, add_page, combined_digest
from agenda.errors import CollectError, ParseError
from agenda.records import ParseResult

ACCEPT_HTML = {"Accept": "text/html, application/xhtml+xml;q=0.9, */*;q=0.1"}


def read_jsonld(first: FetchResult, context: ReadContext, *,
                max_pages: int | None = None) -> Reading:
    """The events of the page ``first`` and of its links to event pages."""
    max_pages = MAX_FOLLOWED_PAGES if max_pages is None else max_pages
    result, digests = ParseResult(format="jsonld"), [body_hash(first.body)]
    try:
        listing = parse_jsonld(first.body, page_url=first.url, default_tz=context.settings.tz)
        listing_error = None
    except ParseError as error:  # a listing that only links to its events
        listing, listing_error = ParseResult(format="jsonld"), error
    partial = False
    for url in links_to_event_pages(first.body, first.url, cap=max_pages):
        notice = context.stop_notice(pages=len(digests) - 1, events=len(result.events),
                                     max_pages=max_pages)
        if notice is not None:
            result.warnings.append(notice)
            partial = True
            break
        partial |= not _read_linked_page(url, context, result, digests)
    add_page(result, listing)  # after the event pages: their own description is the fuller
    if not result.events:
        raise listing_error or ParseError("The page holds no schema.org events in JSON-LD.",
                                          code="parse.no_jsonld_events")
    return Reading(format="jsonld", parsed=result, first=first, documents=context.documents,
                   partial=partial, digest=combined_digest(digests))


def _read_linked_page(url: str, context: ReadContext, result: ParseResult,
                      digests: list[str]) -> bool:
    """Add the events of one linked page; False when the page failed (said in a warning)."""
    try:
        fetched = context.fetch(url, headers=ACCEPT_HTML)
        digests.append(body_hash(fetched.body))
        page = parse_jsonld(fetched.body, page_url=fetched.url, default_tz=context.settings.tz)
    except ParseError as error:
        if error.code == "parse.no_jsonld_events" and error.data.get("variant") != "unreadable":
            return True  # not an event page
        result.warnings.append(_page_failed(url, error))
        return False
    except CollectError as error:
        result.warnings.append(_page_failed(url, error))
        return False
    add_page(result, page)
    return True


def _page_failed(url: str, error: CollectError) -> Notice:
    reason = Notice(error.message, error.code, **error.data)
    return Notice(f"The linked page {url} could not be read ({reason}); its events are kept "
                  "as they were.", code="jsonld.page_failed", url=url, reason=reason)
