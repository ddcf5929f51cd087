"""What the feed doctor reads in the raw bytes, where the parsers keep no trace of it.

The parsers clean what they read (a title's HTML becomes text, a floating time is placed in the
region's zone): the doctor needs the facts before that cleaning, so it looks at the document
itself, line by line for iCalendar, with bounded regular expressions for XML and HTML.  Pure,
and bounded: at most ``SCAN_LIMIT`` bytes of a document are looked at.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from agenda.collectors.jsonld import event_nodes, jsonld_scripts
from agenda.collectors.jsonld_values import text_of
from agenda.text_clean import clean_line, printable

SCAN_LIMIT = 8 * 1024 * 1024
GENERATOR_LIMIT = 120

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]{0,200})?/?>")

_FEED_GENERATOR = re.compile(r"<generator\b([^>]{0,300})>([^<]{0,300})</generator>",
                             re.IGNORECASE)
_GENERATOR_ATTRIBUTES = re.compile(r"""\b(uri|version)\s*=\s*["']([^"']{0,200})["']""",
                                   re.IGNORECASE)
_ITEM_START = re.compile(r"<(item|entry)[\s>]", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]{0,200}>(.{0,2000}?)</title>", re.IGNORECASE | re.DOTALL)
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.DOTALL)

_META_GENERATOR = re.compile(
    r"""<meta\b(?=[^>]{0,300}\bname\s*=\s*["']?generator\b)[^>]{0,300}?\bcontent\s*=\s*"""
    r"""["']([^"']{1,200})["']""", re.IGNORECASE)


@dataclass(frozen=True)
class IcsFacts:
    generator: str | None = None
    floating: int = 0  # events whose start has no zone, in a calendar without X-WR-TIMEZONE
    missing_uids: int = 0
    html_titles: int = 0


def document_text(body: bytes | None) -> str:
    """The first SCAN_LIMIT bytes as text (UTF-8, undecodable bytes replaced)."""
    return (body or b"")[:SCAN_LIMIT].decode("utf-8", errors="replace")


def scan_ics(body: bytes | None) -> IcsFacts:
    """One pass over the unfolded lines: only the few properties the doctor needs are looked at.
    Floating starts do not count in a calendar with X-WR-TIMEZONE (Google's way to give one)."""
    text = document_text(body).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\n ", "").replace("\n\t", "")  # unfolded
    generator = None
    floating = missing = html_titles = 0
    in_event = has_uid = calendar_zone = False
    for line in text.split("\n"):
        head = line[:14].upper()
        if head.startswith("BEGIN:VEVENT"):
            in_event, has_uid = True, False
        elif not in_event:
            calendar_zone = calendar_zone or (head.startswith("X-WR-TIMEZONE") and bool(
                _property_value(line).strip()))
            if generator is None and head.startswith("PRODID"):
                generator = _short(_property_value(line))
        elif head.startswith("END:VEVENT"):
            in_event = False
            missing += not has_uid
        elif head.startswith("UID") and _property_value(line).strip():
            has_uid = True
        elif head.startswith("DTSTART"):
            floating += _floating(*_parameters_and_value(line))
        elif head.startswith("SUMMARY"):
            html_titles += _has_html(_property_value(line).replace("\\,", ","))
    return IcsFacts(generator=generator, floating=0 if calendar_zone else floating,
                    missing_uids=missing, html_titles=html_titles)


def _parameters_and_value(line: str) -> tuple[str, str]:
    name, _, value = line.partition(":")
    return name, value


def _property_value(line: str) -> str:
    return line.partition(":")[2]


def _floating(parameters: str, value: str) -> bool:
    """A DATE-TIME start with neither TZID nor a final Z (a DATE is an all-day event)."""
    value = value.strip()
    if "TZID=" in parameters.upper() or "VALUE=DATE;" in parameters.upper() + ";":
        return False
    return "T" in value.upper() and not value.upper().endswith("Z")


def feed_generator(body: bytes | None) -> str | None:
    """RSS ``<generator>text</generator>`` or Atom's, with its version or uri."""
    match = _FEED_GENERATOR.search(document_text(body)[:200_000])
    if not match:
        return None
    name = html.unescape(match.group(2)).strip()
    attributes = dict((k.lower(), v) for k, v in _GENERATOR_ATTRIBUTES.findall(match.group(1)))
    if name and attributes.get("version") and attributes["version"] not in name:
        name = f"{name} {attributes['version']}"
    return _short(name or attributes.get("uri") or "")


def feed_html_titles(body: bytes | None) -> int:
    """Item titles that carry HTML tags (escaped, or inside CDATA)."""
    text = document_text(body)
    first_item = _ITEM_START.search(text)
    if not first_item:
        return 0
    count = 0
    for match in _TITLE.finditer(text, first_item.start()):
        raw = match.group(1)
        inner = "".join(_CDATA.findall(raw)) if "<![CDATA[" in raw else html.unescape(raw)
        if _has_html(inner):
            count += 1
    return count


def jsonld_html_titles(body: bytes | None) -> int:
    """Event names of the page's JSON-LD that carry HTML tags (entities decoded first)."""
    try:
        nodes = [node for data in jsonld_scripts((body or b"")[:SCAN_LIMIT]) if data is not None
                 for node in event_nodes(data)]
    except (RecursionError, ValueError):
        return 0
    return sum(1 for node in nodes if _has_html(html.unescape(text_of(node.get("name")) or "")))


def page_generator(body: bytes | None) -> str | None:
    """The page's ``<meta name="generator" content="WordPress 6.4">``."""
    match = _META_GENERATOR.search(document_text(body)[:200_000])
    return _short(html.unescape(match.group(1))) if match else None


def _has_html(text: str) -> bool:
    return _TAG.search(text) is not None


def _short(text: str) -> str | None:
    line = printable(clean_line(text))
    return line[:GENERATOR_LIMIT] or None
