"""Discovery's decisions: what an address is, what a web page offers, which offer to try first.

Pure: the orchestrator (``agenda/services/source_discovery.py``) fetches and reads; this
module only looks at addresses and bytes.  The order of preference, and why: an iCalendar file
or an events API (The Events Calendar's REST API, OpenAgenda's) first, as they carry time
zones, ends and stable identifiers; then an RSS/Atom feed of events; then the schema.org events
embedded in the page itself, which a theme change can lose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from agenda.collectors.detect import detect_format
from agenda.collectors.jsonld import event_nodes, jsonld_scripts
from agenda.collectors.source_urls import openagenda_address
from agenda.errors import AgendaError, ParseError
from agenda.text_clean import clean_line, printable

PAGE_LIMIT = 2 * 1024 * 1024  # bytes of a page looked at for links
MAX_LINKS = 2000  # <a> elements looked at
LABEL_LIMIT = 60
TRIBE_ROUTE = "tribe/events/v1/events"
CALENDAR_TYPES = ("text/calendar", "application/ics", "text/x-vcalendar")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")

_ICS_HREF = re.compile(r"(^webcals?:|\.ics(\?|#|$)|[?&](ical|ics|outlook-ical)=|/ical/?(\?|$)"
                       r"|/ics/?(\?|$)|format=ical)", re.IGNORECASE)
_ICS_TEXT = re.compile(r"\b(i-?cal(endar)?|ics|webcal|outlook)\b", re.IGNORECASE)
_SUBSCRIBE_TEXT = re.compile(r"(s[’'‘]\s?abonner|abonnement|exporter|export|subscribe)",
                             re.IGNORECASE)
_FEED_HREF = re.compile(r"(\.rss(\?|$)|/rss/?(\?|$)|[?&]feed=rss|/feed/?(\?|$))", re.IGNORECASE)
_FEED_TEXT = re.compile(r"\b(rss|atom)\b", re.IGNORECASE)
_EVENTISH = re.compile(r"(event|évène|événe|agenda|calend)", re.IGNORECASE)
_COMMENTS = re.compile(r"(comment)", re.IGNORECASE)


class DiscoveryError(AgendaError):
    """Nothing that can be collected was found; ``code`` and ``data`` say why (the sentences:
    ``agenda/web/shared/doctor_sentences.py``; a wrapped collector error keeps its own code)."""

    code = "discovery.nothing_found"

    def __init__(self, message: str, *, code: str | None = None, diagnosis=None, **data):
        super().__init__(printable(message), code=code, **data)
        self.diagnosis = diagnosis


@dataclass(frozen=True)
class Candidate:
    """Something on a page that may be collected: try ``url`` as ``kind``."""

    kind: str  # ics | feed | tribe
    url: str
    via: str  # alternate (the page's <head>) | visible (a link of the page) | wp_api
    label: str = ""  # the link's text or title
    strength: int = 0  # higher is tried first, within a kind


@dataclass
class PageOffer:
    """What a web page offers: links to try, and how many events its JSON-LD holds."""

    candidates: list[Candidate] = field(default_factory=list)
    jsonld_events: int = 0


def web_address(url: str) -> str:
    """The http(s) address to fetch: webcal:// becomes https://; anything else is refused."""
    text = clean_line(url or "")
    parts = _split(text)
    scheme = parts.scheme.lower() if parts else ""
    if scheme in ("webcal", "webcals"):
        parts = parts._replace(scheme="https")
    elif scheme not in ("http", "https"):
        parts = None
    if parts is None or not _host(parts):
        shown = printable(text[:200])
        raise DiscoveryError(f"{shown} is not a web address: it must start with http://, "
                             "https:// or webcal://.", code="discovery.not_web_address",
                             url=shown)
    return urlunsplit(parts)


def _split(text: str):
    try:
        return urlsplit(text) if len(text) <= 2000 else None
    except ValueError:  # "http://[::1/x"
        return None


def _host(parts) -> str | None:
    try:
        parts.port  # noqa: B018  (raises for a port that is no number)
        return parts.hostname
    except ValueError:
        return None


def is_webcal(url: str) -> bool:
    return clean_line(url or "").lower().startswith(("webcal:", "webcals:"))


def is_openagenda(url: str) -> bool:
    """An OpenAgenda agenda page (openagenda.com/<slug>) or an API URL of one."""
    return openagenda_address(url) is not None


def sniff(body: bytes | None, content_type: str | None) -> str:
    """``ics``, ``feed``, ``html``, ``json`` or ``unknown``: what an answer holds."""
    try:
        return detect_format(body or b"", content_type)
    except ParseError as error:
        if error.code == "parse.html_page":
            return "html"
    head = (body or b"")[:1024].lstrip(b"\xef\xbb\xbf \t\r\n")
    kind = (content_type or "").split(";")[0].strip().lower()
    if head[:1] in (b"{", b"[") or kind.endswith("json"):
        return "json"
    if kind in ("text/html", "application/xhtml+xml") or b"<" in head[:1]:
        return "html"
    return "unknown"


def read_page(body: bytes | None, page_url: str) -> PageOffer:
    """The links a page offers (calendars, feeds, the WordPress API) and its JSON-LD events."""
    body = (body or b"")[:PAGE_LIMIT]
    collector = _LinkCollector(page_url)
    try:
        collector.feed(body.decode("utf-8", errors="replace"))
        collector.close()
    except (AssertionError, ValueError):  # html.parser on hopeless markup: keep what it found
        pass
    return PageOffer(candidates=ranked(collector.candidates), jsonld_events=_jsonld_count(body))


def _jsonld_count(body: bytes) -> int:
    try:
        return sum(len(event_nodes(data)) for data in jsonld_scripts(body) if data is not None)
    except (RecursionError, ValueError):
        return 0


KIND_ORDER = {"tribe": 0, "ics": 1, "feed": 2}


def ranked(candidates: list[Candidate]) -> list[Candidate]:
    """Each URL once, in the order to try: the API, calendars, then feeds; strongest first."""
    seen: dict[str, Candidate] = {}
    for candidate in candidates:
        known = seen.get(candidate.url)
        if known is None or _rank(candidate) < _rank(known):
            seen[candidate.url] = candidate
    return sorted(seen.values(), key=_rank)


def _rank(candidate: Candidate) -> tuple[int, int]:
    return (KIND_ORDER.get(candidate.kind, 9), -candidate.strength)


def link_candidate(rel: str, kind_type: str, href: str, title: str,
                   page_url: str) -> Candidate | None:
    """A ``<link>`` of the page's head: an alternate calendar or feed, or the WordPress API."""
    rels = rel.lower().split()
    url = _absolute(href, page_url)
    if url is None:
        return None
    if "https://api.w.org/" in rels:
        return Candidate("tribe", f"{url.rstrip('/')}/{TRIBE_ROUTE}", "wp_api")
    if "alternate" not in rels:
        return None
    kind_type = kind_type.lower().split(";")[0].strip()
    label = _label(title)
    if kind_type in CALENDAR_TYPES:
        return Candidate("ics", url, "alternate", label, strength=3)
    if kind_type in FEED_TYPES and not _COMMENTS.search(title):
        return Candidate("feed", url, "alternate", label, strength=2 + bool(_EVENTISH.search(
            f"{title} {href}")))
    return None


def anchor_candidate(href: str, text: str, page_url: str) -> Candidate | None:
    """A visible link whose address or text says iCal, ICS, webcal, S'abonner, Exporter, RSS."""
    url = _absolute(href, page_url)
    if url is None:
        return None
    label = _label(text)
    if _ICS_HREF.search(href.strip()):
        return Candidate("ics", url, "visible", label, strength=2)
    if _ICS_TEXT.search(text):
        return Candidate("ics", url, "visible", label, strength=1)
    if _SUBSCRIBE_TEXT.search(text):
        return Candidate("ics", url, "visible", label, strength=0)
    if _FEED_HREF.search(href) or _FEED_TEXT.search(text):
        return Candidate("feed", url, "visible", label,
                         strength=bool(_EVENTISH.search(f"{text} {href}")))
    return None


def _absolute(href: str, page_url: str) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "data:")):
        return None
    try:
        if href.lower().startswith(("webcal:", "webcals:")):
            return web_address(href)
        url = urljoin(page_url, href)
    except (ValueError, DiscoveryError):
        return None
    return url if urlsplit(url).scheme in ("http", "https") and len(url) <= 2000 else None


def _label(text: str) -> str:
    return printable(clean_line(text))[:LABEL_LIMIT]


class _LinkCollector(HTMLParser):
    """The page's <link> and <a> elements that may lead to something to collect."""

    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.candidates: list[Candidate] = []
        self._anchor: tuple[str, list[str]] | None = None
        self._anchors = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.page_url = urljoin(self.page_url, values["href"])
        elif tag == "link":
            self._add(link_candidate(values.get("rel", ""), values.get("type", ""),
                                     values.get("href", ""), values.get("title", ""),
                                     self.page_url))
        elif tag == "a" and self._anchors < MAX_LINKS:
            self._anchors += 1
            self._anchor = (values.get("href", ""), [values.get("title", "")])

    def handle_data(self, data: str) -> None:
        if self._anchor is not None and sum(map(len, self._anchor[1])) < 500:
            self._anchor[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._anchor is not None:
            href, texts = self._anchor
            self._anchor = None
            self._add(anchor_candidate(href, " ".join(texts), self.page_url))

    def _add(self, candidate: Candidate | None) -> None:
        if candidate is not None:
            self.candidates.append(candidate)
