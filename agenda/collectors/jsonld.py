"""schema.org events embedded in web pages as JSON-LD: bytes in, event records out.

Every ``<script type="application/ld+json">`` of the page is read: one object, a list, an
``@graph``, or events nested in other nodes (an ItemList's items, a WebPage's mainEntity).
A node is an event when one of its types is ``Event`` or one of its subtypes (``MusicEvent``,
``["Event", "EducationEvent"]``, ``Festival``...); the other nodes (WebPage, Organization,
BreadcrumbList, which Yoast writes on every page) are ignored, and so are an event's own
``subEvent``/``superEvent``; ``{"@id": ...}`` pointers to a place, an organiser or an image
given elsewhere on the page are followed (:mod:`agenda.collectors.jsonld_graph`). See :mod:`agenda.collectors.jsonld_event` for each property.

Strict per page, tolerant per script and per event: a script that is not valid JSON is skipped
with a warning; an event without a name or a readable start is skipped and counted. A page
that holds no event at all is a ParseError (``parse.no_jsonld_events``), and so is a page
whose events could none be read.
"""

from __future__ import annotations

import html
import json
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from agenda.collectors.jsonld_event import SkippedEvent, event_label, node_to_record
from agenda.collectors.jsonld_graph import node_index, with_references
from agenda.collectors.jsonld_values import type_names
from agenda.collectors.notice import Notice
from agenda.errors import ParseError
from agenda.records import EventRecord, ParseResult, unique_records

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_JSONLD_TYPE = re.compile(r"""\btype\s*=\s*["']?\s*application/ld\+json\b""", re.IGNORECASE)
# What CMSs wrap scripts in, from the days of XHTML: <!-- -->, /*<![CDATA[*/ ... /*]]>*/.
_OPENING = re.compile(r"\s*(<!--|(/\*|//)\s*<!\[CDATA\[\s*(\*/)?)")
_CLOSING = re.compile(r"(-->|(/\*|//)\s*\]\]>\s*(\*/)?)\s*$")
EVENT_TYPES = frozenset({
    "Event", "BusinessEvent", "ChildrensEvent", "ComedyEvent", "CourseInstance", "DanceEvent",
    "DeliveryEvent", "EducationEvent", "ExhibitionEvent", "Festival", "FoodEvent", "Hackathon",
    "LiteraryEvent", "MusicEvent", "PublicationEvent", "BroadcastEvent", "OnDemandEvent",
    "SaleEvent", "ScreeningEvent", "SocialEvent", "SportsEvent", "TheaterEvent",
    "VisualArtsEvent",
})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_MAX_DEPTH = 12
# Unknown shapes of a node must cost that event, not the page.
_EVENT_ERRORS = (SkippedEvent, ValueError, TypeError, AttributeError, KeyError, IndexError)


def parse_jsonld(body: bytes, *, page_url: str, default_tz: ZoneInfo,
                 now: datetime | None = None) -> ParseResult:
    """The events of the page's JSON-LD; dates without an offset are read in ``default_tz``.

    ``now`` is taken for the same call as the other collectors; schema.org dates are absolute,
    so nothing here depends on it.
    """
    result = ParseResult(format="jsonld")
    documents = []
    for index, data in enumerate(jsonld_scripts(body), start=1):
        if data is None:
            result.warnings.append(Notice(f"Script {index} of the page is not valid JSON-LD; "
                                          "it was ignored.", code="jsonld.invalid_json",
                                          index=index))
        else:
            documents.append(data)
    nodes = [node for data in documents for node in event_nodes(data)]
    if not nodes:
        raise ParseError("The page holds no schema.org events in JSON-LD.",
                         code="parse.no_jsonld_events")
    ids = node_index(documents)
    records = [record for node in nodes if (record := _record(
        with_references(node, ids), page_url, default_tz, result)) is not None]
    if not records:
        raise ParseError(f"None of the {len(nodes)} events of this page could be read.",
                         code="parse.no_jsonld_events", variant="unreadable", count=len(nodes))
    result.events, repeated = unique_records(_distinct_uids(records))
    result.skipped += repeated
    return result


def jsonld_scripts(body: bytes) -> list:
    """The decoded content of each JSON-LD script of the page (None for one that is not JSON)."""
    page = page_text(body)
    found = []
    for attributes, content in _SCRIPT.findall(page):
        if _JSONLD_TYPE.search(attributes):
            found.append(_decode(content))
    return found


def page_text(body: bytes) -> str:
    """The page as text: UTF-8, else the charset its <meta> declares, else Windows-1252 (what
    French sites served as ISO-8859-1 really hold)."""
    body = body or b""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(body[:4096])
    if declared:
        try:
            return body.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:  # a charset Python does not know
            pass
    return body.decode("cp1252", errors="replace")


def _decode(content: str):
    text = content.strip()
    if opening := _OPENING.match(text):
        text = text[opening.end():]
    tail = text[-40:]  # only the end: a search through megabytes of JSON costs more than it
    if closing := _CLOSING.search(tail):
        text = text[:len(text) - len(tail) + closing.start()]
    data = _json(text)
    if data is None and "&quot;" in text:  # some CMSs escape the script as HTML
        data = _json(html.unescape(text))
    return data


def _json(text: str):
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def event_nodes(data, depth: int = 0) -> list[dict]:
    """The Event nodes in decoded JSON-LD, in document order, not looking inside events."""
    if depth > _MAX_DEPTH:
        return []
    if isinstance(data, list):
        return [node for item in data for node in event_nodes(item, depth + 1)]
    if not isinstance(data, dict):
        return []
    if is_event(data):
        return [data]
    return [node for value in data.values() for node in event_nodes(value, depth + 1)]


def is_event(node: dict) -> bool:
    return any(name in EVENT_TYPES for name in type_names(node.get("@type")))


def _record(node: dict, page_url: str, default_tz: ZoneInfo,
            result: ParseResult) -> EventRecord | None:
    try:
        return node_to_record(node, page_url=page_url, default_tz=default_tz,
                              warnings=result.warnings)
    except _EVENT_ERRORS as error:
        reason = _reason(error)
        label = event_label(node)
        result.warnings.append(Notice(f'The event "{label}" was skipped: {reason}.',
                                      code="jsonld.event_skipped", item=label, reason=reason))
        result.skipped += 1
        return None


def _reason(error: Exception) -> str:
    if isinstance(error, SkippedEvent) and error.args and isinstance(error.args[0], Notice):
        return error.args[0]
    return Notice("it could not be read", code="jsonld.unreadable")


def _distinct_uids(records: list[EventRecord]) -> list[EventRecord]:
    """Events that share an @id or url but start at different times (a show on several dates,
    each with the show's page as url) are told apart by their start."""
    starts: dict[str, set] = {}
    for record in records:
        starts.setdefault(record.source_uid, set()).add(record.start)
    for record in records:
        if len(starts[record.source_uid]) > 1:
            record.source_uid = f"{record.source_uid}#{record.start.isoformat()}"
    return records
