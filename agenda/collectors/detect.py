"""Which format is this document?  Decided from its first bytes, the Content-Type as a hint."""

from __future__ import annotations

import re

from agenda.errors import ParseError

FORMATS = ("ics", "feed")

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
