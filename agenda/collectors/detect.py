"""Which format is this document?  Decided from its first bytes, the Content-Type as a hint.

``detect_format`` tells an iCalendar file from an RSS/Atom feed (a web page is an error);
``detect_kind`` also recognises what the other readers take: a web page with schema.org events
in JSON-LD, an OpenAgenda API answer, a The Events Calendar (WordPress) REST answer.  Their
addresses often say it before any download: see :mod:`agenda.collectors.source_urls`.
"""

from __future__ import annotations

import json
import re

from agenda.collectors.jsonld import event_nodes, jsonld_scripts
from agenda.errors import ParseError

FORMATS = ("ics", "feed")
KINDS = (*FORMATS, "jsonld", "openagenda", "tribe")

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|RDF)[\s>]", re.IGNORECASE)
_HTML_ROOT = re.compile(rb"<(!doctype\s+html|html)[\s>]", re.IGNORECASE)


def detect_format(body: bytes, content_type: str | None = None, *, declared: str = "auto") -> str:
    """Return ``"ics"`` or ``"feed"``; raise :class:`ParseError` when it is neither.

    A source declared ``ics`` or ``feed`` is parsed as such (its parser gives the precise error);
    ``auto`` looks at the content.
    """
    if declared in FORMATS:
        return declared
    head = _head(body)
    if not head:
        raise ParseError("The address returned an empty document.", code="parse.empty")
    if head.upper().startswith(b"BEGIN:VCALENDAR"):
        return "ics"
    if _FEED_ROOT.search(head[:4096]):
        return "feed"
    if _HTML_ROOT.search(head[:4096]):
        raise ParseError("The address returns a web page, not a calendar or a feed.",
                         code="parse.html_page")
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind in {"text/calendar", "application/ics"}:
        return "ics"
    if kind.endswith(("rss+xml", "atom+xml", "rdf+xml")) or head.startswith(b"<?xml"):
        return "feed"
    raise ParseError("This is neither an iCalendar file nor an RSS or Atom feed.",
                     code="parse.unknown_format")


def _head(body: bytes) -> bytes:
    head = body[:8192]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if head[:2] in (b"\x00<", b"<\x00"):  # UTF-16 without BOM
        head = head.replace(b"\x00", b"")
    return head.lstrip()


def detect_kind(body: bytes, content_type: str | None = None, *, declared: str = "auto") -> str:
    """One of :data:`KINDS`; a web page without schema.org events stays ``parse.html_page``."""
    if declared in KINDS:
        return declared
    head = _head(body)
    if head[:1] in (b"{", b"["):
        return _json_kind(body)
    try:
        return detect_format(body, content_type)
    except ParseError as error:
        if error.code == "parse.html_page" and _has_jsonld_events(body):
            return "jsonld"
        raise


def _has_jsonld_events(body: bytes) -> bool:
    return any(event_nodes(data) for data in jsonld_scripts(body) if data is not None)


def _json_kind(body: bytes) -> str:
    """An OpenAgenda answer (events with ``uid`` and ``timings``) or a The Events Calendar one
    (``events`` beside ``total_pages``/``rest_url``, items with ``start_date``)."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        data = None
    if isinstance(data, dict) and isinstance(data.get("events"), list):
        items = [item for item in data["events"] if isinstance(item, dict)]
        if any("timings" in item or "uid" in item for item in items) or (
                not items and "after" in data):
            return "openagenda"
        if any("start_date" in item for item in items) or "total_pages" in data or (
                "rest_url" in data):
            return "tribe"
    raise ParseError("This JSON document is neither an OpenAgenda answer nor an events API "
                     "answer of The Events Calendar.", code="parse.unknown_json")
