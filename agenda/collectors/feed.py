"""RSS and Atom feeds: bytes in, event records out.

Strict per document, tolerant per item. A document feedparser cannot read as a feed at all is a
ParseError; a feed with no items is a valid empty result; ``bozo`` with items is usable (a
newline before ``<?xml`` sets it). An item is an event only when it carries event dates (see
:mod:`agenda.collectors.feed_vocabularies`); the others, like blog posts, are counted as
skipped. An item whose dates can't be read is skipped with a warning; the others carry on.
"""

from __future__ import annotations

import io
import re
from zoneinfo import ZoneInfo

import feedparser

from agenda.collectors.feed_item import entry_to_record, item_label
from agenda.collectors.feed_vocabularies import (
    FeedContext,
    UnreadableItem,
    feed_context,
    find_event_fields,
    read_occurrence,
)
from agenda.collectors.notice import Notice
from agenda.errors import ParseError
from agenda.records import EventRecord, ParseResult

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]",
                         re.IGNORECASE | re.DOTALL)
# Shapes of feedparser entries we did not foresee must cost one item, not the source.
_ITEM_ERRORS = (UnreadableItem, ValueError, TypeError, AttributeError, KeyError, IndexError)


def parse_feed(body: bytes, *, default_tz: ZoneInfo, content_type: str | None = None,
               url: str | None = None) -> ParseResult:
    """Parse an RSS/Atom document; floating times are read in ``default_tz``."""
    parsed = read_feed(body, content_type=content_type, url=url)
    result = ParseResult(format="feed")
    if parsed.get("bozo") and _is_malformed(parsed.get("bozo_exception")):
        result.warnings.append(Notice("The feed is not well-formed XML; it was read in "
                                      "tolerant mode.", code="feed.tolerant"))
    context = feed_context(parsed.get("namespaces") or {}, url, parsed.get("feed"))
    entries = parsed.get("entries") or []
    undated = sum(_add_entry(entry, context, default_tz, result) for entry in entries)
    if undated:
        result.warnings.append(Notice(f"{undated} item(s) carry no event dates (news or blog "
                                      "posts) and were skipped.", code="feed.undated",
                                      count=undated))
    return result


def read_feed(body: bytes, *, content_type: str | None = None, url: str | None = None):
    """feedparser's view of ``body``; ParseError when it is no RSS or Atom feed at all.

    The body is always wrapped in BytesIO: given bytes or a string, feedparser may take them
    for a file name or a URL and read that instead.
    """
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if url:
        headers["content-location"] = url
    try:
        parsed = feedparser.parse(io.BytesIO(body or b""), response_headers=headers)
    except Exception as error:  # feedparser promises not to raise; it is our only boundary
        raise ParseError("The feed could not be read.", code="parse.not_feed",
                         variant="unreadable") from error
    if not parsed.get("version") and not parsed.get("entries"):
        raise _not_feed_error(body, content_type, parsed.get("bozo_exception"))
    return parsed


def _not_feed_error(body: bytes, content_type: str | None, cause) -> ParseError:
    kind = (content_type or "").split(";")[0].strip().lower()
    head = (body or b"")[:2048].lstrip(b"\xef\xbb\xbf")
    if kind in {"text/html", "application/xhtml+xml"} or _HTML_START.match(head):
        error = ParseError("The address returns a web page, not a feed.",
                           code="parse.html_page", variant="feed")
    else:
        error = ParseError("This is not an RSS or Atom feed.", code="parse.not_feed")
    if isinstance(cause, Exception):
        error.__cause__ = cause
    return error


def _is_malformed(exception) -> bool:
    """A real XML error, not one of feedparser's notes about encodings or content types."""
    return isinstance(exception, Exception) and not isinstance(
        exception, feedparser.ThingsNobodyCaresAboutButMe)


def _add_entry(entry: dict, context: FeedContext, default_tz: ZoneInfo,
               result: ParseResult) -> bool:
    """Add the item's record, or count it as skipped; True when it carries no event dates."""
    try:
        record = _entry_record(entry, context, default_tz, result.warnings)
    except _ITEM_ERRORS as error:
        reason = _reason(error)
        label = item_label(entry)
        result.warnings.append(Notice(f'The item "{label}" was skipped: {reason}.',
                                      code="feed.item_skipped", item=label, reason=reason))
        result.skipped += 1
        return False
    if record is None:
        result.skipped += 1
        return True
    result.events.append(record)
    return False


def _reason(error: Exception) -> str:
    """Why an item was skipped: the UnreadableItem's reason (a Notice), else a generic one."""
    if isinstance(error, UnreadableItem) and error.args and isinstance(error.args[0], Notice):
        return error.args[0]
    if isinstance(error, UnreadableItem):
        return str(error)
    return Notice("it could not be read", code="feed.unreadable")


def _entry_record(entry: dict, context: FeedContext, default_tz: ZoneInfo,
                  warnings: list[str]) -> EventRecord | None:
    """The record of one item; ``None`` when it carries no event dates."""
    fields = find_event_fields(entry, context)
    if fields is None:
        return None
    occurrence, warning = read_occurrence(fields, default_tz)
    if warning:
        label = item_label(entry)
        warnings.append(Notice(f'The item "{label}": {warning}.', code="feed.item_repaired",
                               item=label, reason=warning))
    return entry_to_record(entry, fields, occurrence)
