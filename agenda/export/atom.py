"""An Atom 1.0 feed (RFC 4287) written with ElementTree (pure).

Every text is stripped of the characters XML 1.0 cannot hold and escaped by the serializer;
HTML content is sanitised again here (it was when collected) and sent as escaped text
(``type="html"``), so nothing from a source reaches a reader as markup of the feed itself.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timezone

from agenda.collectors.sanitize import sanitize_html

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class AtomEntry:
    id: str
    title: str
    updated: datetime
    published: datetime
    link: str | None
    summary: str
    content_html: str = ""
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)


@dataclass(frozen=True)
class AtomFeed:
    id: str
    title: str
    subtitle: str
    updated: datetime
    self_url: str
    alternate_url: str
    author: str
    entries: list[AtomEntry] = field(default_factory=list)


def atom_bytes(feed: AtomFeed) -> bytes:
    root = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "fr"})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    _text(root, "subtitle", feed.subtitle)
    _text(root, "updated", rfc3339(feed.updated))
    _link(root, "self", feed.self_url, "application/atom+xml")
    _link(root, "alternate", feed.alternate_url, "text/html")
    _text(ET.SubElement(root, "author"), "name", feed.author)
    _text(root, "generator", "Agenda commun")
    for entry in feed.entries:
        _entry(root, entry)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(root: ET.Element, entry: AtomEntry) -> None:
    node = ET.SubElement(root, "entry")
    _text(node, "id", entry.id)
    _text(node, "title", entry.title)
    _text(node, "updated", rfc3339(entry.updated))
    _text(node, "published", rfc3339(entry.published))
    if entry.link:
        _link(node, "alternate", entry.link, "text/html")
    _text(node, "summary", entry.summary)
    for term, label in entry.categories:
        ET.SubElement(node, "category", {"term": xml_safe(term), "label": xml_safe(label)})
    html = sanitize_html(xml_safe(entry.content_html))
    if html:
        _text(node, "content", html).set("type", "html")


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    node = ET.SubElement(parent, tag)
    node.text = xml_safe(value)
    return node


def _link(parent: ET.Element, rel: str, href: str, mimetype: str) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": mimetype, "href": xml_safe(href)})


def xml_safe(value: str | None) -> str:
    """``value`` without the characters XML 1.0 forbids (controls, lone surrogates...)."""
    return _NOT_XML.sub("", value or "")


def rfc3339(instant: datetime) -> str:
    return instant.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace(
        "+00:00", "Z")
